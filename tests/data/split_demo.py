"""A small scene for the split-rendering test: a dot follows a precomputed path."""

import numpy as np
from manim import DOWN, LEFT, Circle, Dot, FadeIn, Scene, ValueTracker, always_redraw

PATH = np.array([[np.cos(t) * 3, np.sin(2 * t) * 1.5, 0] for t in np.linspace(0, 6, 61)])


class SplitDemo(Scene):
    def construct(self):
        s = ValueTracker(0)
        dot = always_redraw(lambda: Dot(PATH[int(round(s.get_value()))], color="#ff6347"))
        self.play(FadeIn(Circle(radius=2)), run_time=0.5)
        self.add(dot)
        self.play(s.animate.set_value(20), run_time=1)
        self.play(s.animate.set_value(40), run_time=1)
        self.play(Dot(LEFT + DOWN).animate.shift(LEFT), run_time=0.5)
        self.play(s.animate.set_value(60), run_time=1)
