r"""Gradient descent on a difference of two Gaussians (seed 003): starts end in different places.

Seed 003 steps ``x <- x + f1(x)`` with ``step = 1``. Its ``gradient(x, mu, S)`` returns
:math:`\mathcal{N}(x)\, S^{-1}(x - \mu)`, which is *minus* the gradient of the density, so
:math:`f_1 = -\nabla f / 10` for :math:`f = 10\,(\mathcal{N}_2 - \mathcal{N}_1)`: the seed runs
plain gradient descent on :math:`f` with learning rate 0.1. This scene runs exactly that,
``sgd(0.1)`` (the same points as the seed's loop, up to rounding).

Render: ``manim -ql scenes/gaussian_descent.py GaussianDescent``.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Circle, Dot, FadeIn, ValueTracker, VGroup, Write, linear

from gradcore.descent import Trajectory, descend
from gradcore.outcome import describe
from gradcore.optimizers import sgd
from gradcore.surface import Surface
from scenes.kit import (
    RIGHT_EDGE,
    GRAPHICS_CONTRAST,
    PANEL_LEFT,
    ContourLabels,
    ContourMap,
    GradScene,
    LossCurves,
    Trail,
    cross_marker,
    fit_in_frame,
    level_colors,
    map_axes,
    map_levels,
    round_levels,
    surface_words,
    to_scene,
)

__all__ = ["GaussianDescent", "outcome"]


class GaussianDescent(GradScene):
    """Labeled level lines of a difference of Gaussians; descent from several starts, step by step.

    All starts move together, one gradient step at a time (the first ``single_steps`` slowly,
    then the rest in one sweep at ``step_time`` a step), each leaving a trail; a cross marks
    where each one ended, and the legend says what happened: it reached a minimum, left the
    map, stopped where the surface is not finite, or is still crawling over a plateau. Under
    the legend, each start's gap :math:`f(x_k) - f^*` on a log scale grows in step with its
    trail (:class:`~scenes.kit.LossCurves`, :math:`f^*` the lowest known minimum): a start
    caught at a higher minimum or on a plateau levels off above the others.
    The default starts move into another surface's domain, to where it is finite
    (:meth:`~scenes.kit.GradScene.fitted_points`); starts of one's own must lie in the domain.
    """

    surface_name = "gaussian_difference"
    starts = ((0.8, 1.31), (0.8, 1.41), (-1.2, 1.0), (-2.0, 1.0))
    learning_rate = 0.1  # the seed's step = 1 along f1 = -grad f / 10
    steps = 60
    n_levels = 10
    colors: tuple[str, ...] | None = None  # None: the theme's palette
    single_steps = 8
    first_step_time = 0.8
    step_time = 0.1
    loss_height = 2.0  # the loss panel's plot box, in scene units

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("learning_rate", "steps", "n_levels", "first_step_time", "step_time", "loss_height")
        cls.check_own_points("starts")
        if cls.colors is not None and not cls.colors:  # cycled over the starts
            raise cls.invalid("colors", cls.colors, "is empty; give at least one color or None")

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        domain = surface.domain
        starts = self.fitted_points("starts")
        path = descend(surface, starts, sgd(self.learning_rate), steps=self.steps, domain=domain)
        palette = theme.palette if self.colors is None else [theme.readable(c, GRAPHICS_CONTRAST) for c in self.colors]
        self.colors = [palette[i % len(palette)] for i in range(len(starts))]

        # Set up: labeled level lines, the formula and the rule
        self.axes = map_axes(domain, theme.foreground)
        levels = round_levels(map_levels(surface, self.n_levels, domain=domain))
        contours = ContourMap(self.axes, surface, levels, level_colors(levels, theme.colormap), domain=domain)
        scene_paths = to_scene(self.axes, path.points)  # (n + 1, k, 3)
        labels = ContourLabels(self.axes, contours, theme.background, avoid=list(scene_paths.transpose(1, 0, 2)))
        title = self.label(f"f = {surface.latex}", font_size=28)
        rule = self.label(rf"x_{{k+1}} = x_k - {self.learning_rate:g}\, \nabla f(x_k)")
        header = VGroup(title, rule).arrange(DOWN, aligned_edge=LEFT).to_edge(UP)
        header.set_x(PANEL_LEFT + header.width / 2)
        fit_in_frame(header)  # a long formula
        self.add(self.axes)
        self.play(FadeIn(contours), FadeIn(labels), Write(header))
        self.pause(f"Level lines of {surface_words(surface)}; gradient descent with learning rate {self.learning_rate:g}")

        # Show the starts
        colors = self.colors
        tracker = ValueTracker(0)
        trails = [Trail(scene_paths[:, i], tracker, color) for i, color in enumerate(colors)]
        entries, outcomes = VGroup(), VGroup()
        for (x, y), color in zip(starts, colors):
            start = self.label(rf"({x:.3g}, {y:.3g})", font_size=24)
            entries.add(VGroup(Dot(color=color, radius=0.08), start).arrange(RIGHT, buff=0.15))
        entries.arrange(DOWN, aligned_edge=LEFT, buff=0.14).next_to(header, DOWN, buff=0.35)
        entries.set_x(PANEL_LEFT, LEFT)
        for i, entry in enumerate(entries):  # on the entry's line, shown once the descent is over
            result = self.label(outcome(surface, path, i), font_size=20)
            outcomes.add(result.set_y(entry.get_y()).set_x(entries.get_right()[0] + 0.2, LEFT))
        legend = VGroup(entries, outcomes)
        legend.scale(min(1.0, (RIGHT_EDGE - PANEL_LEFT) / legend.width), about_edge=LEFT + UP)  # long outcomes
        rings = VGroup(*(Circle(0.09, color=c, stroke_width=2).move_to(t.dot) for t, c in zip(trails, colors)))
        self.loss_paths = [path.of_start(i) for i in range(len(starts))]
        self.loss_curves = LossCurves(
            self.loss_paths, tracker, colors, theme.foreground,
            surface=surface, width=RIGHT_EDGE - PANEL_LEFT - 0.75, height=self.loss_height, font_size=18,
        )
        self.loss_curves.next_to(legend, DOWN, buff=0.3, coor_mask=np.array([0, 1, 0]))
        self.loss_curves.shift((RIGHT_EDGE - self.loss_curves.get_right()[0]) * RIGHT)
        self.play(*(FadeIn(t.dot, scale=3) for t in trails), FadeIn(entries), FadeIn(self.loss_curves))
        self.add(rings, *trails)  # rings keep the starts visible once the dots move on
        self.pause(f"{len(starts)} starts; under them, the gap f(x_k) - f* of each on a log scale")

        # Show the descent, step by step: the first steps one at a time, then the rest in one sweep
        n = int(np.max(path.n_steps))
        single = min(self.single_steps, n)
        for k, run_time in enumerate(np.geomspace(self.first_step_time, 3 * self.step_time, single)):
            self.play(tracker.animate.set_value(k + 1), run_time=run_time, rate_func=linear)
        if n > single:
            self.play(tracker.animate.set_value(n), run_time=(n - single) * self.step_time, rate_func=linear)
        self.pause(f"The descent from each start, {n} steps at most")

        # Show where each start ended
        ends = to_scene(self.axes, path.points[path.n_steps, np.arange(len(starts))])
        markers = VGroup(*(cross_marker(end, color) for end, color in zip(ends, colors)))
        self.play(FadeIn(markers, scale=2), FadeIn(outcomes))
        self.wait(2)
        self.caption("Where each start ended")


def outcome(surface: Surface, path: Trajectory, i: int) -> str:
    """LaTeX saying how start ``i`` of a batch ``path`` ended, in :func:`gradcore.describe`'s words
    (a start that diverged stepped to where :math:`f` is not finite: the map is bounded)."""
    told = describe(surface, path, i)
    if told.kind == "diverged":
        return rf"\to \text{{{told.detail}: }} f \text{{ not finite next}}"
    return rf"\to \text{{{told.detail}}}"
