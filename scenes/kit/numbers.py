"""Numbers that change every frame: :class:`Readout`, a DecimalNumber built from reused glyphs.

Manim's :class:`~manim.DecimalNumber` compiles LaTeX once per character it meets (a dozen runs
for the digits, about 0.1 s each) and, on every ``set_value``, deep-copies each glyph (its SVG
data included: thousands of Python objects per digit), lays the glyphs out with bounding-box
queries and matches their style pairwise: 32 of 46 s of a race scene at 480p.  A
:class:`Readout` takes its glyphs from one LaTeX run for all of ``0123456789.-+,``, copies only
their arrays, places them with the same rules from their known boxes, and does nothing when
the text it would show is the one shown.  It draws the same glyphs in the same places.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
from manim import DEFAULT_FONT_SIZE, DecimalNumber, MathTex, Mobject, VMobject

__all__ = ["GLYPH_CHARACTERS", "Readout", "glyph", "light_copy"]

GLYPH_CHARACTERS = "0123456789.-+,"
"""The characters a :class:`Readout` draws from its shared glyphs (any other falls back to
``DecimalNumber``'s own)."""

_GLYPHS: dict[str, VMobject] = {}


def glyph(character: str) -> VMobject:
    """The glyph of ``character`` (one of :data:`GLYPH_CHARACTERS`) at Manim's default font
    size, all of them compiled in one LaTeX run on first use."""
    if not _GLYPHS:
        _GLYPHS.update(zip(GLYPH_CHARACTERS, MathTex(*GLYPH_CHARACTERS)))
    return _GLYPHS[character]


def light_copy(mobject: Mobject) -> Mobject:
    """A copy of ``mobject`` and its family that shares no array or list with it.

    Every numpy array (points, colours) and every list or dict attribute is copied; other
    attributes (strings, numbers, the glyph's parsed SVG) are shared, which is safe for a
    mobject whose shape is only ever moved, scaled and recoloured.
    """
    new = copy.copy(mobject)
    for name, value in vars(mobject).items():
        if isinstance(value, np.ndarray):
            setattr(new, name, value.copy())
        elif isinstance(value, (list, dict)):
            setattr(new, name, copy.copy(value))
    new.submobjects = [light_copy(part) for part in mobject.submobjects]
    return new


class Readout(DecimalNumber):
    """A :class:`~manim.DecimalNumber` for values that change while a scene plays.

    Same arguments and pictures as ``DecimalNumber``; ``Readout(0, num_decimal_places=0)`` is
    an integer counter.  The glyphs are laid out as ``DecimalNumber`` does: side by side
    ``digit_buff_per_font_unit * font_size`` apart with their bottoms aligned, the whole
    centred, a minus sign lowered to the middle of the digit after it, a comma by half its
    height.  Units, ellipses, background rectangles and complex numbers use
    ``DecimalNumber``'s own code.
    """

    def _plain(self, text: str) -> bool:
        return (
            self.mob_class is MathTex
            and not (self.unit or self.show_ellipsis or self.include_background_rectangle)
            and all(c in GLYPH_CHARACTERS for c in text)
        )

    def _set_submobjects_from_number(self, number: float) -> None:
        text = self._get_num_string(number)
        if isinstance(number, complex) or not self._plain(text):
            super()._set_submobjects_from_number(number)
            return
        self.number = number
        scale = self._font_size / DEFAULT_FONT_SIZE
        parts = [light_copy(glyph(c)).scale(scale, about_point=np.zeros(3)) for c in text]
        lows = np.array([part.get_all_points().min(axis=0) for part in parts])
        highs = np.array([part.get_all_points().max(axis=0) for part in parts])
        widths, heights = (highs - lows)[:, 0], (highs - lows)[:, 1]
        buff = self.digit_buff_per_font_unit * self._font_size
        lefts = np.concatenate([[0.0], np.cumsum(widths[:-1] + buff)])
        shifts = np.zeros((len(parts), 3))
        shifts[:, 0], shifts[:, 1] = lefts - lows[:, 0], -lows[:, 1]  # bottoms on y = 0
        shifts -= ((lows + shifts).min(axis=0) + (highs + shifts).max(axis=0)) / 2  # centred
        for i, c in enumerate(text):
            if c == "-" and i + 1 < len(text):  # top to the next glyph's top, then half its height down
                shifts[i, 1] += highs[i + 1, 1] + shifts[i + 1, 1] - highs[i, 1] - shifts[i, 1] - heights[i + 1] / 2
            elif c == ",":
                shifts[i, 1] -= heights[i] / 2
        for part, shift in zip(parts, shifts):
            part.shift(shift)
        self.submobjects = parts
        self.initial_height = self.height

    def set_value(self, number: float) -> Readout:
        """Show ``number``; nothing to do when its text is the one shown."""
        text = self._get_num_string(number)
        if getattr(self, "number", None) is not None and text == self._get_num_string(self.number):
            self.number = number
            return self
        if isinstance(number, complex) or not self._plain(text):
            return super().set_value(number)
        old_family = self.get_family()[1:]
        old_font_size = self.font_size
        anchor = self.get_edge_center(self.edge_to_fix)
        self._set_submobjects_from_number(number)
        self.font_size = old_font_size
        self.move_to(anchor, self.edge_to_fix)
        for mob in old_family:  # as DecimalNumber does: a frame's list may still hold the old glyphs
            mob.points[:] = 0
        for mob in self.get_family()[1:]:  # DecimalNumber's init_colors: the number's style on every glyph
            for name in _STYLE:
                value = getattr(self, name)
                setattr(mob, name, value.copy() if isinstance(value, np.ndarray) else value)
        return self


_STYLE = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas", "stroke_width", "background_stroke_width",
          "sheen_factor", "sheen_direction")  # fmt: skip
"""The attributes that style a glyph."""
