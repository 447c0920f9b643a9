r"""Gradient flow against gradient descent: discrete steps peel away from the continuous path.

The flow :math:`\dot x = -\nabla f(x)` (:func:`gradcore.gradient_flow`) crosses every level
line at a right angle. Gradient descent with learning rate :math:`h` is its Euler method,
:math:`x_k \approx x(k h)`: close to the flow for a small :math:`h`, further off as
:math:`h` grows towards :math:`2 / \lambda_{max}`.

Render: ``manim -qm scenes/gradient_flow.py FlowVsSteps``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DecimalNumber,
    Dot,
    FadeIn,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
)

from gradcore.descent import descend
from gradcore.flow import Flow, gradient_flow
from gradcore.levels import default_levels, level_tangent
from gradcore.optimizers import sgd
from scenes.kit import (
    PANEL_LEFT,
    ContourMap,
    GradScene,
    Trail,
    level_colors,
    map_axes,
    right_angle_mark,
    to_scene,
)

__all__ = ["FlowVsSteps", "level_crossings"]


def level_crossings(flow: Flow, levels: np.ndarray) -> np.ndarray:
    """Points ``(m, 2)`` where the (decreasing) flow's value passes each of ``levels`` it crosses,
    linear between samples."""
    values = flow.values
    points = []
    for level in np.sort(levels)[::-1]:
        if not values[-1] < level < values[0]:
            continue
        i = int(np.argmax(values <= level))
        s = (values[i - 1] - level) / (values[i - 1] - values[i])
        points.append(flow.points[i - 1] + s * (flow.points[i] - flow.points[i - 1]))
    return np.array(points).reshape(-1, 2)


class FlowVsSteps(GradScene):
    r"""The gradient flow as a smooth curve meeting the level lines at right angles, then gradient
    descent with growing learning rates ``learning_rates``, all moving in step with the flow's
    time (step :math:`k` of learning rate :math:`h` at time :math:`k h`)."""

    surface_name = "elongated_quadratic"
    domain = ((-3.0, 3.0), (-2.5, 2.5))
    start = (-2.7, -0.2)
    flow_time = 12.0
    samples = 241
    learning_rates = (0.05, 0.2, 0.4, 0.6)
    colors = ("#ffa94d", "#f783ac", "#da77f2", "#ff6b6b")
    flow_color = "#ffffff"
    n_levels = 10
    run_time = 7.0

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("flow_time", "samples", "learning_rates", "n_levels", "run_time")
        cls.check_inside("start")
        cls.check_one_each("colors", "learning_rates")

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        domain = surface.domain
        times = np.linspace(0.0, self.flow_time, self.samples)
        self.flow = gradient_flow(surface, self.start, (0.0, self.flow_time), times, domain=domain)
        self.paths = [
            descend(surface, self.start, sgd(h), steps=int(round(self.flow_time / h)), domain=domain)
            for h in self.learning_rates
        ]

        # Set up: level lines and the two rules
        self.axes = map_axes(domain, theme.foreground)
        levels = default_levels(surface, self.n_levels, spacing="log")
        contours = ContourMap(self.axes, surface, levels, level_colors(levels, theme.colormap))
        title = self.label(f"f = {surface.latex}", font_size=28)
        flow_rule = self.label(r"\dot x = -\nabla f(x)", self.flow_color, font_size=30)
        step_rule = self.label(r"x_{k+1} = x_k - h\, \nabla f(x_k) \approx x(k h)", font_size=30)
        header = VGroup(title, flow_rule, step_rule).arrange(DOWN, aligned_edge=LEFT, buff=0.25).to_edge(UP)
        header.set_x(PANEL_LEFT + header.width / 2)
        self.add(self.axes)
        self.play(FadeIn(contours), Write(header[:2]))
        self.pause()

        # Show the flow: a smooth curve, at right angles to every level line it crosses
        self.curve = VMobject(stroke_color=self.flow_color, stroke_width=4)
        self.curve.set_points_smoothly(to_scene(self.axes, self.flow.points)).set_z_index(1)  # above the steps
        crossings = level_crossings(self.flow, levels)
        self.marks = VGroup(
            *(
                right_angle_mark(
                    to_scene(self.axes, p),
                    _plane(level_tangent(surface, p)),
                    _plane(-surface.gradient(p)),
                    theme.foreground,
                )
                for p in crossings
            )
        )
        self.play(Create(self.curve), run_time=2.5, rate_func=linear)
        self.play(FadeIn(self.marks))
        self.pause()

        # Show descent with growing learning rates, in step with the flow's time
        self.rate_numbers = []
        rows = VGroup()
        for h, color in zip(self.learning_rates, self.colors):
            number = DecimalNumber(h, num_decimal_places=2, font_size=30, color=color)
            self.rate_numbers.append(number)
            row = VGroup(Dot(color=color, radius=0.08), self.label("h =", color, font_size=28), number)
            rows.add(row.arrange(RIGHT, buff=0.15))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.18).next_to(header, DOWN, buff=0.4, aligned_edge=LEFT)
        trackers = [ValueTracker(0) for _ in self.paths]
        self.trails = [
            Trail(to_scene(self.axes, path.points), tracker, color, stroke_width=2.5, dot_radius=0.08)
            for path, tracker, color in zip(self.paths, trackers, self.colors)
        ]
        self.play(Write(header[2]), FadeIn(rows), *(FadeIn(t.dot) for t in self.trails))
        for trail in self.trails:
            trail.dot.set_z_index(2)
        self.add(*self.trails)
        self.play(
            *(tracker.animate.set_value(path.n_steps) for tracker, path in zip(trackers, self.paths)),
            run_time=self.run_time,
            rate_func=linear,
        )
        self.wait(2)


def _plane(v: np.ndarray) -> np.ndarray:
    """An input-plane vector ``(2,)`` as a scene vector ``(3,)`` (the map's axes have equal scales)."""
    return np.array([v[0], v[1], 0.0])
