"""A method's step count as it runs: :class:`StepTally`, a name over ``steps: n``, then how it ended."""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, ManimColor, MathTex, ValueTracker, VGroup

from scenes.kit.marks import boxed_tex, fit_in_frame
from scenes.kit.numbers import Readout
from scenes.kit.theme import Theme

__all__ = ["StepTally"]


class StepTally(VGroup):
    """Two lines for a method that runs step by step: its ``name`` (LaTeX, in ``color`` made
    readable) and ``steps: n``, ``n`` following ``tracker``'s whole steps (a :class:`Readout`).

    :meth:`finish` puts words after the count once the method has stopped, e.g.
    ``steps: 21, at the minimum``.

    Attributes
    ----------
    count : Readout
        The number of steps shown.
    """

    def __init__(
        self, name: str, tracker: ValueTracker, theme: Theme, color: ManimColor | str, *, font_size: float = 26
    ) -> None:
        self.theme, self.font_size = theme, font_size
        self.count = Readout(0, num_decimal_places=0, font_size=font_size + 2, color=theme.foreground)
        self.count.add_updater(lambda m: m.set_value(int(tracker.get_value())))
        steps = VGroup(self._text(r"\text{steps:}"), self.count).arrange(RIGHT, buff=0.15)
        name_line = boxed_tex(name, theme.readable(color), theme.background, font_size=font_size + 2)
        super().__init__(name_line, steps)
        self.arrange(DOWN, aligned_edge=LEFT, buff=0.12)

    def finish(self, words: str) -> MathTex:
        """``words`` (plain text, e.g. ``", at the minimum"``) placed after the count, added to
        the tally (shrunk to stay in the frame); animate it in, e.g. ``FadeIn(tally.finish(...))``."""
        steps = self[1]  # no box behind the words: it would hide the count's last digit
        said = MathTex(rf"\text{{{words}}}", font_size=self.font_size, color=self.theme.foreground)
        said.next_to(steps[-1], RIGHT, buff=0.12 if words[:1].isspace() else 0.04).align_to(steps[0][1], DOWN)
        steps.add(said)
        fit_in_frame(said)
        return said

    def _text(self, tex: str) -> MathTex:
        return boxed_tex(tex, self.theme.foreground, self.theme.background, font_size=self.font_size)
