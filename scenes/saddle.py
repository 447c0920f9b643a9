r"""Two balls start a hair apart at the saddle :math:`f = x^2 - y^2` and part ways (seed 002).

Render: ``manim -ql scenes/saddle.py SaddleDescent``.
"""

from __future__ import annotations

from manim import DEGREES, DOWN, LEFT, UL, UR, FadeIn, ValueTracker, VGroup, VMobject, linear

from gradcore.descent import descend
from gradcore.optimizers import sgd
from scenes.kit import BallTrail, GradThreeDScene, floor_points, shaded_surface, surface_axes

__all__ = ["SaddleDescent"]


class SaddleDescent(GradThreeDScene):
    r"""Gradient descent from two starts close together near the saddle point.

    The saddle is shaded by height; the camera circles slowly. Both balls run
    :math:`x_{k+1} = x_k - \eta \nabla f(x_k)` (``gradcore.descend``) from ``starts``,
    one sample per ``step_time``; their trails stay on the surface, and at the end their
    paths drop onto the floor, the input plane where the gradient lives.
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
        cls.check_inside("starts")
        cls.check_one_each("colors", "starts")

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        self.paths = [
            descend(surface, start, sgd(self.learning_rate), steps=self.steps, domain=surface.domain)
            for start in self.starts
        ]

        # Set up: the shaded saddle, the formula fixed in the frame
        self.axes = axes = surface_axes(surface)
        mesh = shaded_surface(axes, surface, theme.colormap, theme.background, resolution=self.resolution)
        title = self.label(rf"f(x, y) = {surface.latex}", font_size=40).to_corner(UL)
        rule = self.label(rf"x_{{k+1}} = x_k - {self.learning_rate:g}\, \nabla f(x_k)", font_size=32)
        rule.next_to(title, DOWN, aligned_edge=LEFT)
        self.set_camera_orientation(phi=self.phi, theta=self.theta, zoom=0.9)
        self.add_fixed_in_frame_mobjects(title)
        self.play(FadeIn(axes), FadeIn(mesh), FadeIn(title))
        self.begin_ambient_camera_rotation(rate=self.rotation_rate)

        # Show the two starts, a hair apart
        self.step = ValueTracker(0)
        self.balls = [
            BallTrail(axes, surface, path.points, self.step, color, radius=self.ball_radius)
            for path, color in zip(self.paths, self.colors, strict=True)
        ]
        starts = self.label(
            r"\text{starts } " + ",\\ ".join(f"({x:g}, {y:g})" for x, y in self.starts), font_size=28
        ).to_corner(UR)
        self.add_fixed_in_frame_mobjects(rule, starts)
        self.play(*(FadeIn(ball) for ball in self.balls), FadeIn(rule), FadeIn(starts))
        self.pause()

        # Show the descent: they part to opposite sides
        last = max(len(path.points) - 1 for path in self.paths)
        self.play(self.step.animate.set_value(last), run_time=self.descent_time, rate_func=linear)
        self.pause()

        # Show the paths in the input plane, on the floor
        shadows = VGroup(
            *(
                VMobject(stroke_color=color, stroke_width=3).set_points_as_corners(floor_points(axes, path.points))
                for path, color in zip(self.paths, self.colors, strict=True)
            )
        )
        self.play(FadeIn(shadows), run_time=1.5)
        self.wait(2)
        self.stop_ambient_camera_rotation()
