"""A two-beat scene for the slide-deck test: one ``pause()`` makes two slides."""

from manim import Circle, Create, FadeOut, Square, Transform

from scenes.kit import GradScene
from scenes.kit.slides import as_slides


class TwoBeats(GradScene):
    def construct(self):
        circle = Circle()
        self.play(Create(circle), run_time=0.4)
        self.pause()
        self.play(Transform(circle, Square()), run_time=0.4)
        self.play(FadeOut(circle), run_time=0.4)


TwoBeatsDeck = as_slides(TwoBeats, name="TwoBeatsDeck", module=__name__)
