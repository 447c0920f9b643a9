"""The quadratic bowl :math:`f = x^2 + y^2` (seed 004): its gradient field, then gradient descent.

Render: ``manim -ql scenes/bowl.py BowlDescent``.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Create, Dot, FadeIn, FadeOut, GrowArrow, LaggedStart, Line, Star, VGroup, Write

from gradcore.descent import descend
from gradcore.optimizers import sgd
from gradcore.registry import get_surface
from scenes.helpers import (
    PANEL_LEFT,
    GradScene,
    color_bar,
    contour_labels,
    contour_map,
    cross_marker,
    gradient_field,
    map_axes,
    step_arrows,
    to_scene,
)

__all__ = ["BowlDescent"]


class BowlDescent(GradScene):
    """The bowl's gradient field colored by its magnitude, then gradient descent from a start.

    First the arrows of :math:`\\nabla f` on a ``field_shape`` grid, colored by
    :math:`\\|\\nabla f\\|` with a color bar; then a closer ``view`` with labeled level lines
    at ``levels`` (log-spaced, as in the seed), the update rule, and the path of
    :math:`x_{k+1} = x_k - \\eta \\nabla f(x_k)` step by step, with an arrow along each step,
    from a star at the start to the marked minimum.
    """

    surface_name = "bowl"
    field_shape = (20, 20)
    start = (-3.0, 4.0)
    learning_rate = 0.1
    steps = 20
    tol = 1e-6
    view = ((-3.5, 1.0), (-1.0, 4.5))
    levels = tuple(np.logspace(0, 2, 10))
    path_color = "#ff6347"
    step_color = "#1e90ff"
    start_color = "#ffd700"
    minimum_color = "#32cd32"
    field_time = 3.0
    step_time = 0.6

    def construct(self) -> None:
        theme = self.theme
        surface = get_surface(self.surface_name)
        path = descend(surface, self.start, sgd(self.learning_rate), steps=self.steps, tol=self.tol)

        # Set up: the function on its domain
        title = self.label(f"f(x, y) = {surface.latex}", font_size=40).to_edge(UP)
        title.set_x(PANEL_LEFT + title.width / 2)
        self.axes = map_axes(surface.domain, theme.foreground)
        self.add(self.axes)
        self.play(Write(title))

        # Show the gradient field, colored by its magnitude
        field = gradient_field(self.axes, surface, surface.domain, shape=self.field_shape, stops=theme.colormap)
        self.color_bar = color_bar(
            0.0, field.magnitudes.max(), theme.colormap, theme.foreground, title=r"\|\nabla f\|", height=4.2
        )
        self.color_bar.next_to(title, DOWN, buff=0.6).set_x(PANEL_LEFT + 0.4, direction=LEFT)
        grow = LaggedStart(*(GrowArrow(arrow) for arrow in field), lag_ratio=0.01)
        self.play(grow, FadeIn(self.color_bar), run_time=self.field_time)
        self.pause()
        self.wait()

        # Show the descent's view: labeled level lines, kept off the path
        view_axes = map_axes(self.view, theme.foreground)
        scene_path = to_scene(view_axes, path.points)
        contours = contour_map(
            view_axes, surface, self.levels, [theme.muted] * len(self.levels), domain=self.view, stroke_width=1.5
        )
        labels = contour_labels(
            view_axes, contours, theme.background, color=theme.foreground, avoid=[scene_path], fmt="{:.2g}"
        )
        self.play(FadeOut(field, self.color_bar, self.axes), FadeIn(view_axes, contours, labels))
        self.axes = view_axes

        # Show the update rule and the start
        rule = VGroup(
            self.label(r"x_{k+1} = x_k - \eta\, \nabla f(x_k)", font_size=34),
            self.label(rf"\eta = {self.learning_rate:g}", font_size=34),
        ).arrange(DOWN, aligned_edge=LEFT)
        rule.next_to(title, DOWN, buff=0.6).set_x(PANEL_LEFT + rule.width / 2)
        star = Star(outer_radius=0.2, color=self.start_color, fill_opacity=1).set_stroke(theme.background, width=1)
        star.move_to(scene_path[0]).set_z_index(2)
        start_label = self.label(rf"\text{{start }}({self.start[0]:g}, {self.start[1]:g})", font_size=28)
        start_label.next_to(star, RIGHT, buff=0.15)
        self.play(FadeIn(rule), FadeIn(star, scale=2), FadeIn(start_label))
        self.pause()

        # Show the descent step by step: the path, an arrow along each step, a dot at each point
        arrows = step_arrows(self.axes, path.points, self.step_color)
        for k in range(path.n_steps):
            segment = Line(scene_path[k], scene_path[k + 1], stroke_color=self.path_color, stroke_width=2)
            dot = Dot(scene_path[k + 1], radius=0.07, color=self.path_color).set_z_index(1)
            run_time = self.step_time * max(0.5, 0.85**k)
            self.play(Create(segment), GrowArrow(arrows[k]), FadeIn(dot), run_time=run_time)
        summary = self.label(rf"f(x_{{{path.n_steps}}}) = {path.values[path.n_steps]:.2g}", font_size=34)
        summary.next_to(rule, DOWN, buff=0.4, aligned_edge=LEFT)
        self.play(FadeIn(summary))
        self.pause()

        # Mark the minimum nearest to where the descent ended
        minima = [c for c in surface.critical_points if c.kind == "minimum"]
        if minima:
            end = path.points[path.n_steps]
            minimum = min(minima, key=lambda c: np.hypot(*(end - c.point)))
            marker = cross_marker(to_scene(self.axes, np.array(minimum.point)), self.minimum_color).set_z_index(2)
            (x, y) = minimum.point
            label = self.label(rf"\text{{minimum }}({x:.3g}, {y:.3g})", font_size=28)
            self.play(FadeIn(marker, scale=2), FadeIn(label.next_to(marker, DOWN + LEFT, buff=0.1)))
        self.wait(2)
