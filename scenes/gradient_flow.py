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
    Dot,
    FadeIn,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    config,
    linear,
)

from gradcore.curvature import default_learning_rates
from gradcore.descent import descend
from gradcore.flow import gradient_flow, level_crossings
from gradcore.levels import level_tangent
from gradcore.optimizers import sgd
from gradcore.outcome import RAN_OUT, status_words
from scenes.kit import (
    RIGHT_EDGE,
    GRAPHICS_CONTRAST,
    PANEL_LEFT,
    ContourMap,
    GradScene,
    LossCurves,
    Readout,
    Trail,
    fit_in_frame,
    level_colors,
    map_axes,
    map_levels,
    right_angle_mark,
    surface_words,
    to_scene,
)

__all__ = ["FlowVsSteps"]


UNSAID = RAN_OUT | {"converged"}
"""Statuses left unsaid on screen (:func:`gradcore.status_words`): a run that used up its time or
steps, or converged; only a path that left the map or diverged says so."""


class FlowVsSteps(GradScene):
    r"""The gradient flow as a smooth curve meeting the level lines at right angles, then gradient
    descent with growing learning rates ``learning_rates``, all moving in step with the flow's
    time (step :math:`k` of learning rate :math:`h` at time :math:`k h`).

    Any surface: by default the learning rates are fractions of the bound :math:`2 / \lambda_{max}`,
    with :math:`\lambda_{max}` the largest Hessian eigenvalue on the domain, each rounded to a
    round number (:func:`gradcore.curvature.default_learning_rates`: 0.05, 0.2, 0.4, 0.6 on the
    elongated quadratic), and the flow runs for 240 steps of the smallest rate. A path that leaves the
    map or the region where the surface is finite says so. Below the legend, a panel of
    ``loss_height`` draws each rate's :math:`f(x_k) - f^*` against its step :math:`k` on a log
    scale, each curve in step with its path (:class:`~scenes.kit.LossCurves` with one tracker per path).
    """

    surface_name = "elongated_quadratic"
    domain = ((-3.0, 3.0), (-2.5, 2.5))
    start = (-2.7, -0.2)  # the default moves to where another surface is finite
    flow_time: float | None = None  # None: 240 steps of the smallest learning rate
    samples = 241
    learning_rates: tuple[float, ...] | None = None  # None: fractions of 2 / lambda_max, see above
    colors: tuple[str, ...] | None = None  # None: warm colors of the theme's palette
    flow_color: str | None = None  # None: the theme's foreground
    n_levels = 10
    run_time = 7.0
    loss_height = 1.9

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("samples", "n_levels", "run_time", "loss_height")
        for name in ("flow_time", "learning_rates"):
            if getattr(cls, name) is not None:
                cls.check_positive(name)
        cls.check_own_points("start")
        if cls.colors is not None and cls.learning_rates is not None:
            cls.check_one_each("colors", "learning_rates")
        if cls._surface_from_attributes() and map_levels(cls._build_surface(), 1).size == 0:
            name = "formula" if cls.formula is not None else "surface_name"
            problem = "is constant: its gradient is 0 and nothing flows; give one that varies, e.g. 'x**2 + 3*y**2'"
            raise cls.invalid(name, getattr(cls, name), problem)

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        domain = surface.domain
        self.start = self.fitted_points("start")
        self.learning_rates = self.learning_rates or default_learning_rates(surface)
        self.flow_time = self.flow_time or 240 * min(self.learning_rates)
        warm = [theme.palette[i] for i in (2, 7, 4, 0, 8, 5)]  # orange, pink, grape, red, violet, yellow
        palette = warm if self.colors is None else [theme.readable(c, GRAPHICS_CONTRAST) for c in self.colors]
        self.colors = [palette[i % len(palette)] for i in range(len(self.learning_rates))]
        self.flow_color = theme.stroke(self.flow_color, theme.foreground)
        times = np.linspace(0.0, self.flow_time, self.samples)
        self.flow = gradient_flow(surface, self.start, (0.0, self.flow_time), times, domain=domain)
        self.paths = [
            descend(surface, self.start, sgd(h), steps=max(1, int(round(self.flow_time / h))), domain=domain)
            for h in self.learning_rates
        ]

        # Set up: level lines and the two rules
        self.axes = map_axes(domain, theme.foreground)
        levels = map_levels(surface, self.n_levels, spacing="log")
        contours = ContourMap(self.axes, surface, levels, level_colors(levels, theme.colormap))
        title = self.label(f"f = {surface.latex}", font_size=28)
        flow_rule = self.label(r"\dot x = -\nabla f(x)", self.flow_color, font_size=30)
        if said := status_words(self.flow.status, quiet=UNSAID):
            stopped = self.label(rf"\text{{{said}}}", font_size=26)
            flow_rule = VGroup(flow_rule, stopped).arrange(RIGHT)
        step_rule = self.label(r"x_{k+1} = x_k - h\, \nabla f(x_k) \approx x(k h)", font_size=30)
        header = VGroup(title, flow_rule, step_rule).arrange(DOWN, aligned_edge=LEFT, buff=0.25).to_edge(UP, buff=0.35)
        fit_in_frame(header.set_x(PANEL_LEFT + header.width / 2))
        self.add(self.axes)
        self.play(FadeIn(contours), Write(header[:2]))
        self.pause(f"Gradient flow on {surface_words(surface)}: x' = -grad f(x)")

        # Show the flow: a smooth curve, at right angles to every level line it crosses
        self.curve = VMobject(stroke_color=self.flow_color, stroke_width=4)
        if len(self.flow.points) > 1:
            self.curve.set_points_smoothly(to_scene(self.axes, self.flow.points)).set_z_index(1)  # above the steps
        crossings = level_crossings(self.flow, levels) if len(levels) else np.empty((0, 2))
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
        self.play(*([Create(self.curve)] if self.curve.has_points() else []), run_time=2.5, rate_func=linear)
        self.play(FadeIn(self.marks))
        self.pause("The flow is a smooth curve, at right angles to every level line it crosses")

        # Show descent with growing learning rates, in step with the flow's time
        self.rate_numbers = []
        rows = VGroup()
        for h, color, path in zip(self.learning_rates, self.colors, self.paths):
            decimals = next(d for d in range(2, 12) if abs(round(h, d) - h) <= 1e-9 * h)  # 0.05, 0.20, 0.015
            number = Readout(h, num_decimal_places=decimals, font_size=30, color=theme.readable(color))
            self.rate_numbers.append(number)
            row = VGroup(Dot(color=color, radius=0.08), self.label("h =", color, font_size=28), number)
            if said := status_words(path.status, quiet=UNSAID):
                row.add(self.label(rf"\text{{{said}}}", font_size=24))
            rows.add(row.arrange(RIGHT, buff=0.15))
        rows.arrange(DOWN, aligned_edge=LEFT, buff=0.12).next_to(header, DOWN, buff=0.3, aligned_edge=LEFT)
        fit_in_frame(rows)
        trackers = [ValueTracker(0) for _ in self.paths]
        self.trails = [
            Trail(to_scene(self.axes, path.points), tracker, color, stroke_width=2.5, dot_radius=0.08)
            for path, tracker, color in zip(self.paths, trackers, self.colors)
        ]
        self.loss_paths = self.paths
        self.loss_curves = LossCurves(
            self.paths, trackers, self.colors, theme.foreground, surface=surface,
            width=RIGHT_EDGE - PANEL_LEFT - 0.75, height=self.loss_height, font_size=18,
        )
        room = rows.get_bottom()[1] - 0.3 + config.frame_height / 2 - 0.15  # a taller header leaves less
        self.loss_curves.scale(min(1.0, room / self.loss_curves.height))
        self.loss_curves.next_to(rows, DOWN, buff=0.3, coor_mask=np.array([0, 1, 0]))
        self.loss_curves.shift((RIGHT_EDGE - self.loss_curves.get_right()[0]) * RIGHT)
        self.play(Write(header[2]), FadeIn(rows), *(FadeIn(t.dot) for t in self.trails), FadeIn(self.loss_curves))
        for trail in self.trails:
            trail.dot.set_z_index(2)
        self.add(*self.trails)
        self.play(
            *(tracker.animate.set_value(path.n_steps) for tracker, path in zip(trackers, self.paths)),
            run_time=self.run_time,
            rate_func=linear,
        )
        self.wait(2)
        self.caption("Gradient descent with step h follows the flow at times k h: " + ", ".join(f"h = {h:g}" for h in self.learning_rates))


def _plane(v: np.ndarray) -> np.ndarray:
    """An input-plane vector ``(2,)`` as a scene vector ``(3,)`` (the map's axes have equal scales)."""
    return np.array([v[0], v[1], 0.0])
