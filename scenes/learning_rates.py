r"""Learning rates against the stability bound :math:`2 / \lambda_{max}` on a quadratic.

Render: ``manim -qm scenes/learning_rates.py LearningRates``.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, RIGHT, UP, FadeIn, ValueTracker, VGroup, Write, linear

from gradcore.descent import descend
from gradcore.levels import default_levels
from gradcore.optimizers import sgd
from scenes.kit import (
    GRAPHICS_CONTRAST,
    ContourMap,
    GradScene,
    LossCurves,
    Readout,
    Trail,
    cross_marker,
    domain_axes,
    level_colors,
    surface_words,
    to_scene,
)

__all__ = ["LearningRates"]


class LearningRates(GradScene):
    r"""Gradient descent with four learning rates, side by side, on an elongated quadratic.

    The learning rates are ``fractions`` of the stability bound :math:`2 / \lambda_{max}`, with
    :math:`\lambda_{max}` the largest eigenvalue of the Hessian :math:`A` (from gradcore): along
    that eigenvector a step multiplies the error by :math:`1 - \eta \lambda_{max}`, which
    shrinks only while :math:`\eta < 2 / \lambda_{max}`. Too small crawls, about half the bound
    converges, just below it oscillates across the valley, just above it diverges (from any
    start off the other eigenvector). A panel across the bottom draws each descent's gap
    :math:`f(x_k) - f^*` on a log scale in step with the maps (:class:`~scenes.kit.LossCurves`),
    in its map's trail color: too small a straight line down, slowly; about right steeply;
    oscillating more slowly; diverging climbs until it leaves the map, where a cross ends it.

    Any positive-definite quadratic (``surface_kind``), e.g. ``formula = "x**2 + 3*y**2"``: the
    bound, the rates and the factors on screen are computed from its Hessian. A ``start``
    chosen for the scene's own surface is moved into another one's domain
    (:meth:`~scenes.kit.GradScene.fitted_points`). ``colors``, one per learning rate, color
    the trails and the curves: None is the theme's palette; given ones are made readable on
    the background.
    """

    surface_name = "elongated_quadratic"
    domain = ((-3.0, 5.0), (-3.0, 5.0))
    surface_kind = "positive_definite_quadratic"
    start = (-1.2, -1.0)
    fractions = (0.1, 0.5, 0.95, 1.05)
    captions = ("too small", "about right", "oscillates", "diverges")
    steps = 40
    n_levels = 8
    panel_size = 2.2
    panel_gap = 0.35
    colors: tuple[str, ...] | None = None  # one per learning rate; None: the theme's palette
    loss_height = 1.3  # the loss panel's plot box, in scene units
    run_time = 6.0

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("fractions", "steps", "n_levels", "panel_size", "loss_height", "run_time")
        cls.check_own_points("start")
        cls.check_one_each("captions", "fractions")
        if cls.colors is not None:
            cls.check_one_each("colors", "fractions")

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        domain = surface.domain
        eigenvalues = surface.eigenvalues
        self.bound_value = 2 / eigenvalues.max()
        self.learning_rates = [f * self.bound_value for f in self.fractions]
        start = self.fitted_points("start")
        self.paths = [descend(surface, start, sgd(lr), steps=self.steps, domain=domain) for lr in self.learning_rates]
        palette = theme.palette if self.colors is None else [theme.readable(c, GRAPHICS_CONTRAST) for c in self.colors]
        self.colors = colors = [palette[i % len(palette)] for i in range(len(self.fractions))]

        # Set up: the function, its Hessian's eigenvalues and the bound
        title = self.label(f"f = {surface.latex}", font_size=28)
        lambdas = self.label(
            rf"\lambda(\nabla^2 f) = {eigenvalues[0]:.4g},\ {eigenvalues[1]:.4g}", font_size=28
        )
        self.bound = Readout(
            self.bound_value, num_decimal_places=_decimals(self.bound_value), font_size=30, color=theme.foreground
        )
        bound = VGroup(self.label(r"\eta < \frac{2}{\lambda_{max}} =", font_size=30), self.bound)
        bound.arrange(RIGHT, buff=0.15)
        header = VGroup(title, lambdas, bound).arrange(RIGHT, buff=0.6).to_edge(UP, buff=0.2)
        if header.width > 13.5:
            header.scale_to_fit_width(13.5)
        self.play(Write(header))
        self.pause(f"Descent on {surface_words(surface)} is stable for learning rates below {self.bound_value:.3g}")

        # Show four panels, one learning rate each
        self.axes, panels, self.rate_numbers = [], VGroup(), []
        levels = default_levels(surface, self.n_levels, spacing="log")
        for lr, caption, color in zip(self.learning_rates, self.captions, colors):
            axes = domain_axes(domain, self.panel_size, self.panel_size, theme.foreground, font_size=18)
            contours = ContourMap(axes, surface, levels, level_colors(levels, theme.colormap), resolution=100)
            number = Readout(lr, num_decimal_places=_decimals(lr), font_size=24, color=theme.foreground)
            rate = VGroup(self.label(r"\eta =", font_size=24), number).arrange(RIGHT, buff=0.12)
            factor = self.label(rf"1 - \eta \lambda_{{max}} = {1 - lr * eigenvalues.max():.2f}", font_size=20)
            named = self.label(rf"\text{{{caption}}}", color=color, font_size=24)  # the key to its loss curve
            text = VGroup(rate, factor, named).arrange(DOWN, buff=0.08)
            self.axes.append(axes)
            self.rate_numbers.append(number)
            panels.add(VGroup(axes, contours, text))
        for panel in panels:
            panel[2].next_to(panel[0], DOWN, buff=0.1)
        panels.arrange(RIGHT, buff=self.panel_gap, aligned_edge=UP)
        panels.scale_to_fit_width(min(panels.width, 13.6)).next_to(header, DOWN, buff=0.3)
        self.play(FadeIn(panels))
        self.pause("Four learning rates: " + ", ".join(f"{lr:.3g}" for lr in self.learning_rates))

        # Show the descents, all together, one step per tick
        tracker = ValueTracker(0)
        self.trails = [
            Trail(to_scene(axes, path.points), tracker, color, stroke_width=2.5, dot_radius=0.08)
            for axes, path, color in zip(self.axes, self.paths, colors)
        ]
        self.loss_paths = self.paths
        self.loss_curves = LossCurves(
            self.paths, tracker, colors, theme.foreground,
            surface=surface, width=panels.width - 0.75, height=self.loss_height, font_size=18,
        )
        self.loss_curves.next_to(panels, DOWN, buff=0.2).align_to(panels, RIGHT)
        self.play(*(FadeIn(t.dot, scale=3) for t in self.trails), FadeIn(self.loss_curves))
        self.add(*self.trails)
        n = max(path.n_steps for path in self.paths)
        self.play(tracker.animate.set_value(n), run_time=self.run_time, rate_func=linear)
        ends = VGroup(
            *(
                cross_marker(to_scene(axes, path.points[path.n_steps]), theme.foreground)
                for axes, path in zip(self.axes, self.paths)
                if path.status in ("diverged", "left_domain")
            )
        )
        if ends:
            self.play(FadeIn(ends, scale=2))
        self.wait(2)
        self.caption("The four descents, one step per tick, f(x_k) - f* below: too large a rate overshoots or diverges")


def _decimals(value: float, digits: int = 3) -> int:
    """Decimal places that show at least ``digits`` significant digits of ``value`` (3 or more)."""
    return max(3, digits - 1 - int(np.floor(np.log10(abs(value)) + 1e-9))) if value else 3
