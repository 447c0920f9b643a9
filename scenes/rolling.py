r"""A ball with friction rolls downhill on ``gaussian_difference``, overshoots and settles,
while gradient descent from the same start walks to the same basin.

Render: ``manim -ql scenes/rolling.py BallRolling``.
"""

from __future__ import annotations

import numpy as np
from manim import DEGREES, DOWN, LEFT, RIGHT, UL, UR, FadeIn, ValueTracker, VGroup, linear

from gradcore.descent import descend
from gradcore.optimizers import sgd
from gradcore.rolling import roll
from scenes.kit import (
    GRAPHICS_CONTRAST,
    BallTrail,
    GradThreeDScene,
    drawn_part,
    ending,
    shaded_surface,
    surface_axes,
    surface_words,
)

__all__ = ["BallRolling"]


class BallRolling(GradThreeDScene):
    r"""A rolling ball (``gradcore.roll``) against gradient descent (``gradcore.descend``).

    The ball obeys gravity ``gravity`` and viscous ``friction`` on the graph, sampled
    ``samples_per_second`` times per unit time for ``roll_time``, played in real time; the
    descent point takes ``steps`` steps :math:`x_{k+1} = x_k - \eta \nabla f(x_k)` over the
    same time. Both leave trails on the surface; the camera moves while they run. Either
    stops where it leaves the domain or the graph where it is drawn, and its legend says so.

    ``start`` is chosen for ``gaussian_difference``; on another surface it moves to the same
    place in its domain (off points where it is not finite). The colors are fitted to the
    background.
    """

    surface_name = "gaussian_difference"
    start = (1.2, -1.0)
    friction = 0.6
    gravity = 9.81
    roll_time = 10.0
    samples_per_second = 20
    learning_rate = 0.3
    steps = 30
    ball_color = "#ff3b30"
    descent_color = "#ff2bd6"
    ball_radius = 0.14
    resolution = 28
    phi = 60 * DEGREES
    theta = -110 * DEGREES
    end_phi = 50 * DEGREES
    end_theta = -60 * DEGREES

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("gravity", "roll_time", "samples_per_second", "learning_rate", "steps", "ball_radius")
        cls.check_own_points("start")
        if cls.friction < 0:
            raise cls.invalid("friction", cls.friction, "must be 0 (none) or positive")

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        start = self.fitted_points("start")
        ball_color, descent_color = (theme.readable(c, GRAPHICS_CONTRAST) for c in (self.ball_color, self.descent_color))
        self.motion = roll(
            surface,
            start,
            friction=self.friction,
            gravity=self.gravity,
            t_span=(0.0, self.roll_time),
            fps=self.samples_per_second,
        )
        self.path = descend(surface, start, sgd(self.learning_rate), steps=self.steps, domain=surface.domain)

        # Set up: the shaded surface, the ball and the descent point at the start
        self.axes = axes = surface_axes(surface, color=theme.muted)
        mesh = shaded_surface(axes, surface, theme.colormap, theme.background, resolution=self.resolution)
        rolled, walked = (drawn_part(axes, surface, p) for p in (self.motion.points, self.path.points))
        self.clock = ValueTracker(0)
        self.descent_step = ValueTracker(0)
        self.ball = BallTrail(axes, surface, rolled, self.clock, ball_color, radius=self.ball_radius)
        self.walker = BallTrail(axes, surface, walked, self.descent_step, descent_color, radius=self.ball_radius)

        # Set up: the two rules, and how each run ended (shown at the end), fixed in the frame
        ball_rule = VGroup(
            self.label(r"\text{rolling ball}", color=ball_color, font_size=30),
            self.label(r"\ddot q = -\frac{g + \dot q^T H \dot q}{1 + |\nabla f|^2} \nabla f - c\, \dot q", font_size=30),
            self.label(rf"c = {self.friction:g}", font_size=30),
        ).arrange(DOWN, aligned_edge=LEFT).to_corner(UL)
        descent_rule = VGroup(
            self.label(r"\text{gradient descent}", color=descent_color, font_size=30),
            self.label(rf"x_{{k+1}} = x_k - {self.learning_rate:g}\, \nabla f(x_k)", font_size=30),
        ).arrange(DOWN, aligned_edge=LEFT).to_corner(UR)
        ends = VGroup()
        for run, shown, rule, color in (
            (self.motion, rolled, ball_rule, ball_color),
            (self.path, walked, descent_rule, descent_color),
        ):
            words = ending(run.status, run.points, shown)
            if words:
                edge = LEFT if rule is ball_rule else RIGHT
                ends.add(self.label(rf"\text{{{words}}}", color, font_size=28).next_to(rule, DOWN, aligned_edge=edge))
        views = np.linspace((self.phi, self.theta), (self.end_phi, self.end_theta), 9)
        self.fit_camera(axes, mesh, self.ball, self.walker, views=views, avoid=[ball_rule, descent_rule, *ends])
        self.add_fixed_in_frame_mobjects(ball_rule, descent_rule)
        self.play(FadeIn(axes), FadeIn(mesh), FadeIn(ball_rule), FadeIn(descent_rule))
        self.caption(f"The graph of {surface_words(surface)}: a rolling ball against gradient descent")

        # Show the common start
        self.play(FadeIn(self.ball), FadeIn(self.walker))
        self.pause(f"Both start at the same point; the ball feels friction {self.friction:g}")

        # Show both running at once, the camera moving round to follow them
        self.move_camera(
            phi=self.end_phi,
            theta=self.end_theta,
            added_anims=[
                self.clock.animate(rate_func=linear).set_value(len(rolled) - 1),
                self.descent_step.animate(rate_func=linear).set_value(len(walked) - 1),
            ],
            run_time=max(self.motion.t[len(rolled) - 1] - self.motion.t[0], 1.0),
            rate_func=linear,
        )
        if len(ends):
            self.add_fixed_in_frame_mobjects(*ends)
            self.play(FadeIn(ends))
        self.pause("Both at once: the ball keeps its speed, descent follows the slope step by step")
        self.wait(2)
