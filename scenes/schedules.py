r"""Learning-rate schedules: a constant rate hovers in a noise ball, a decaying one settles.

Minibatch SGD steps :math:`x_{k+1} = x_k - \eta_k\, g_{I_k}` with a noisy :math:`g_{I_k}` whose
spread does not vanish at the minimum. With a constant :math:`\eta` the iterates stop
improving at a distance where the pull of the gradient, of order :math:`\eta \|\nabla f\|`,
balances the kicks of the noise, also of order :math:`\eta`: a noise ball whose loss gap
:math:`f - f^*` is proportional to :math:`\eta`. Letting :math:`\eta_k \to 0` shrinks the
ball as it goes (:mod:`gradcore.schedules`: step decay, exponential, inverse time, cosine).

Render: ``manim -ql scenes/schedules.py LearningRateSchedules``.
"""

from __future__ import annotations

import numbers

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Dot, FadeIn, Line, ValueTracker, VGroup, VMobject, Write, linear

from gradcore.descent import descend
from gradcore.levels import default_levels
from gradcore.optimizers import sgd
from gradcore.schedules import Schedule, constant, cosine, exponential, inverse_time, step_decay
from scenes.kit import (
    RIGHT_EDGE,
    CATEGORICAL,
    PANEL_LEFT,
    ContourMap,
    LossCurves,
    Trail,
    axis_style,
    cross_marker,
    level_colors,
    map_axes,
    nice_step,
    to_scene,
)
from scenes.stochastic import LeastSquaresScene

__all__ = ["LearningRateSchedules"]

class LearningRateSchedules(LeastSquaresScene):
    r"""Minibatch SGD on a line fit with several learning-rate schedules, the same minibatches for all.

    Each of ``schedules`` (a :mod:`gradcore.schedules` schedule, or a number for a constant
    rate) runs ``steps`` steps of SGD from ``start`` with minibatches of ``batch_size`` drawn
    by ``seed`` (the same draws for every schedule: only the rates differ). The map shows the
    paths over the level sets of :math:`f(w, b)`; one panel the rate :math:`\eta_k` of each
    against :math:`k`, with the step under way marked; another :math:`f(x_k) - f^*` on a log
    scale (:class:`~scenes.kit.LossCurves`): the constant rate levels off at its noise ball,
    the decaying ones keep going down. Data and contract: :class:`~scenes.stochastic.LeastSquaresScene`.

    Colors: ``colors`` None takes the theme's palette in order; given colors are made
    readable on the background.
    """

    batch_size = 1
    seed = 3
    steps = 150
    schedules = (
        constant(0.2),
        step_decay(0.2, 0.5, every=30),
        exponential(0.2, 0.97),
        inverse_time(0.2, 0.1),
        cosine(0.2, total=150),
    )
    n_levels = 10
    colors: tuple[str, ...] | None = None
    run_time = 9.0
    rate_height = 1.0
    loss_height = 1.5

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("n_levels", "run_time", "rate_height", "loss_height")
        schedules = cls.schedules
        if not (isinstance(schedules, (tuple, list)) and schedules):
            problem = "must be a tuple of schedules, e.g. (constant(0.2), cosine(0.2, 150))"
            raise cls.invalid("schedules", schedules, problem)
        for schedule in schedules:
            if not (isinstance(schedule, Schedule) or isinstance(schedule, numbers.Real) and schedule > 0):
                raise cls.invalid("schedules", schedules, "must hold gradcore.schedules schedules or positive numbers")
        if cls.colors is not None:
            cls.check_one_each("colors", "schedules")
        elif len(schedules) > len(CATEGORICAL):
            raise cls.invalid("schedules", schedules, "has more schedules than the palette has colors")

    def rates(self) -> list[Schedule]:
        """``schedules``, a number as :func:`~gradcore.schedules.constant`."""
        return [s if isinstance(s, Schedule) else constant(s) for s in self.schedules]

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        schedules, start = self.rates(), self.start_point()
        self.paths = [
            descend(surface, start, sgd(s), self.steps, tol=0, domain=surface.domain,
                    batch_size=self.batch_size, seed=self.seed)
            for s in schedules
        ]
        palette = theme.palette if self.colors is None else [theme.stroke(c, theme.accent) for c in self.colors]
        colors = list(palette[: len(schedules)])

        # Set up: the level sets of the loss over (w, b), the rule
        self.axes = map_axes(surface.domain, theme.foreground, labels=("w", "b"))
        levels = default_levels(surface, self.n_levels, spacing="log", decades=3)
        contours = ContourMap(self.axes, surface, levels, level_colors(levels, theme.colormap))
        best = cross_marker(to_scene(self.axes, surface.minimizer), theme.foreground, size=0.1, stroke_width=3)
        rule = self.label(rf"x_{{k+1}} = x_k - \eta_k\, g_{{I_k}}, \quad |I_k| = {self.batch_size}", font_size=26)
        rule.to_edge(UP, buff=0.25).set_x(PANEL_LEFT + rule.width / 2)
        self.add(self.axes)
        self.play(FadeIn(contours, best), Write(rule))
        self.pause(f"Minibatch SGD, batches of {self.batch_size}, on the least-squares loss of a line fit")

        # Show the schedules: a legend row each and the rates against the step
        rows = VGroup()
        for schedule, color in zip(schedules, colors):
            key = VGroup(Dot(color=color, radius=0.08), self.label(rf"\text{{{schedule.name}}}", font_size=20))
            formula = self.label(rf"\textstyle \eta_k = {schedule.latex}", font_size=20)
            rows.add(VGroup(key.arrange(RIGHT, buff=0.12), formula))
        for row in rows:
            row[0].set_x(PANEL_LEFT, LEFT)
            row[1].set_x(PANEL_LEFT + 1.75, LEFT)
        rows.arrange(DOWN, buff=0.02, center=False, coor_mask=np.array([0, 1, 0])).next_to(rule, DOWN, buff=0.15)
        fit = min(1.0, (RIGHT_EDGE - PANEL_LEFT) / rows.width)
        rows.scale(fit, about_edge=LEFT + UP)
        tracker = ValueTracker(0)
        self.rate_panel = self.rate_plot(schedules, colors, tracker).next_to(rows, DOWN, buff=0.2)
        self.rate_panel.shift((RIGHT_EDGE - self.rate_panel.get_right()[0]) * RIGHT)
        self.play(FadeIn(rows), FadeIn(self.rate_panel))
        self.pause(f"{len(schedules)} learning-rate schedules: " + ", ".join(s.name for s in schedules))

        # Show the descents, in step, with their losses on a log scale
        self.trails = [Trail(to_scene(self.axes, p.points), tracker, c, stroke_width=2, dot_radius=0.07)
                       for p, c in zip(self.paths, colors)]
        self.loss_paths = self.paths
        self.loss_curves = LossCurves(self.paths, tracker, colors, theme.foreground, surface=surface,
                                      width=RIGHT_EDGE - PANEL_LEFT - 0.75, height=self.loss_height, font_size=18)
        self.loss_curves.next_to(self.rate_panel, DOWN, buff=0.15, coor_mask=np.array([0, 1, 0]))
        self.loss_curves.shift((RIGHT_EDGE - self.loss_curves.get_right()[0]) * RIGHT)
        self.play(*(FadeIn(t.dot, scale=3) for t in self.trails), FadeIn(self.loss_curves))
        self.add(*self.trails)
        self.play(tracker.animate.set_value(self.steps), run_time=self.run_time, rate_func=linear)
        self.wait(2)
        self.caption("A constant rate hovers in a noise ball; the decaying rates settle closer to the minimum")

    def rate_plot(self, schedules: list[Schedule], colors: list, tracker: ValueTracker) -> VGroup:
        r"""The rates :math:`\eta_k` against :math:`k`, drawn whole, and a mark at the step under way."""
        theme, k = self.theme, np.arange(self.steps + 1, dtype=float)
        top = max(float(np.max(s(k))) for s in schedules)
        step = nice_step(top, 3)
        axes = Axes(
            x_range=[0, self.steps, nice_step(self.steps)], y_range=[0, step * np.ceil(top / step), step],
            x_length=RIGHT_EDGE - PANEL_LEFT - 0.75, y_length=self.rate_height, tips=False,
            x_axis_config=axis_style(theme.foreground, theme.foreground, 1) | {"font_size": 18},
            y_axis_config=axis_style(theme.foreground, theme.foreground, step) | {"font_size": 18},
        )
        self.rate_axes = axes
        curves = VGroup(*(VMobject(stroke_color=c, stroke_width=2.5).set_points_as_corners(
            to_scene(axes, np.c_[k, s(k)])) for s, c in zip(schedules, colors)))
        now = Line(axes.c2p(0, 0), axes.c2p(0, axes.y_range[1]), stroke_color=theme.foreground, stroke_width=1.5)
        now.add_updater(lambda m: m.move_to(axes.c2p(tracker.get_value(), axes.y_range[1] / 2)))
        name = self.label(r"\eta_k", font_size=22).next_to(axes, UP, buff=0.05, aligned_edge=LEFT)
        k_name = self.label("k", font_size=22).next_to(axes.x_axis, RIGHT, buff=0.1)
        return VGroup(axes, curves, now, name, k_name)
