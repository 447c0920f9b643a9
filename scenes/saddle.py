r"""Two balls start a hair apart at the saddle :math:`f = x^2 - y^2` and part ways (seed 002).

Render: ``manim -ql scenes/saddle.py SaddleDescent``.
"""

from __future__ import annotations

import numpy as np
from manim import DEGREES, DOWN, LEFT, RIGHT, UL, UR, FadeIn, ValueTracker, VGroup, VMobject, linear

from gradcore.descent import descend
from gradcore.optimizers import sgd
from scenes.kit import (
    GRAPHICS_CONTRAST,
    BallTrail,
    GradThreeDScene,
    drawn_part,
    ending,
    floor_points,
    shaded_surface,
    surface_axes,
    surface_words,
)

__all__ = ["SaddleDescent"]


class SaddleDescent(GradThreeDScene):
    r"""Gradient descent from two starts close together near the saddle point.

    The saddle is shaded by height; the camera circles slowly. Both balls run
    :math:`x_{k+1} = x_k - \eta \nabla f(x_k)` (``gradcore.descend``) from ``starts``,
    one sample per ``step_time``; their trails stay on the surface, and at the end their
    paths drop onto the floor, the input plane where the gradient lives. A ball that leaves
    the domain, or the graph where it is drawn, stops there, and the legend says so.

    ``starts`` are the saddle's; for another surface they move to the same place in its domain
    (off points where it is not finite). ``colors`` are fitted to the background.
    """

    surface_name = "saddle"
    starts = ((0.8, 0.04), (0.8, -0.04))
    colors = ("#ff3b30", "#ff2bd6")
    learning_rate = 0.1
    steps = 16
    resolution = 24
    ball_radius = 0.14
    phi = 55 * DEGREES
    theta = -30 * DEGREES
    rotation_rate = 0.045
    descent_time = 7.0

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("learning_rate", "steps", "ball_radius", "descent_time")
        cls.check_own_points("starts")
        cls.check_one_each("colors", "starts")

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        starts = self.fitted_points("starts")
        colors = [theme.readable(color, GRAPHICS_CONTRAST) for color in self.colors]
        self.paths = [
            descend(surface, start, sgd(self.learning_rate), steps=self.steps, domain=surface.domain)
            for start in starts
        ]

        # Set up: the shaded saddle, the balls at their starts, their shadows for later
        self.axes = axes = surface_axes(surface, color=theme.muted)
        mesh = shaded_surface(axes, surface, theme.colormap, theme.background, resolution=self.resolution)
        drawn = [drawn_part(axes, surface, path.points) for path in self.paths]
        self.step = ValueTracker(0)
        self.balls = [
            BallTrail(axes, surface, points, self.step, color, radius=self.ball_radius)
            for points, color in zip(drawn, colors)
        ]
        shadows = VGroup(
            *(
                VMobject(stroke_color=color, stroke_width=3).set_points_as_corners(floor_points(axes, points))
                for points, color in zip(drawn, colors)
                if len(points) > 1
            )
        )

        # Set up: the formula, the rule and a legend of the starts, fixed in the frame
        title = self.label(rf"f(x, y) = {surface.latex}", font_size=40)
        title.scale_to_fit_width(min(title.width, 6.0)).to_corner(UL)
        rule = self.label(rf"x_{{k+1}} = x_k - {self.learning_rate:g}\, \nabla f(x_k)", font_size=32)
        rule.next_to(title, DOWN, aligned_edge=LEFT)
        legend, ends = VGroup(), VGroup()
        for (x, y), path, points, color in zip(starts, self.paths, drawn, colors):
            entry = VGroup(self.label(rf"\text{{start }}({x:.3g}, {y:.3g})", color, font_size=28))
            words = ending(path.status, path.points, points)
            if words:  # said after the descent
                entry.add(self.label(rf"\text{{{words}}}", color, font_size=26))
                ends.add(entry[1])
            legend.add(entry.arrange(DOWN, aligned_edge=RIGHT, buff=0.1))
        legend.arrange(DOWN, aligned_edge=RIGHT).to_corner(UR)
        starts_legend = VGroup(*(entry[0] for entry in legend))
        turn = self.rotation_rate * (self.descent_time + 7)
        self.fit_camera(
            axes, mesh, shadows, *self.balls, views=[(self.phi, t) for t in np.linspace(self.theta, self.theta + turn, 9)],
            avoid=[title, rule, legend],
        )  # fmt: skip
        self.add_fixed_in_frame_mobjects(title)
        self.play(FadeIn(axes), FadeIn(mesh), FadeIn(title))
        self.begin_ambient_camera_rotation(rate=self.rotation_rate)

        # Show the two starts, a hair apart
        self.add_fixed_in_frame_mobjects(rule, starts_legend)
        self.play(*(FadeIn(ball) for ball in self.balls), FadeIn(rule), FadeIn(starts_legend))
        self.pause(f"{len(starts)} starts on {surface_words(surface)}, a hair apart")

        # Show the descent: they part to opposite sides (or say where they stopped)
        last = max(len(points) - 1 for points in drawn)
        self.play(self.step.animate.set_value(last), run_time=self.descent_time, rate_func=linear)
        if len(ends):
            self.add_fixed_in_frame_mobjects(*ends)
            self.play(FadeIn(ends))
        self.pause(f"Gradient descent with learning rate {self.learning_rate:g} from each start")

        # Show the paths in the input plane, on the floor
        if len(shadows):
            self.play(FadeIn(shadows), run_time=1.5)
        self.wait(2)
        self.caption("Their paths in the input plane, on the floor")
        self.stop_ambient_camera_rotation()
