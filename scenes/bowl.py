"""The quadratic bowl :math:`f = x^2 + y^2` (seed 004): its gradient field, then gradient descent.

Render: ``manim -ql scenes/bowl.py BowlDescent``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DEGREES,
    DL,
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    Arrow,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    LaggedStart,
    Line,
    Star,
    VGroup,
    Write,
)

from gradcore.descent import descend
from gradcore.optimizers import sgd
from scenes.kit import (
    PANEL_LEFT,
    ArrowField,
    ColorBar,
    ContourLabels,
    ContourMap,
    GradScene,
    GradThreeDScene,
    cross_marker,
    floor_points,
    map_axes,
    shaded_surface,
    step_arrows,
    surface_axes,
    surface_points,
    to_scene,
)

__all__ = ["Bowl3D", "BowlDescent"]


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

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("learning_rate", "steps", "field_time", "step_time")
        cls.check_inside("start", cls.view)

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        path = descend(surface, self.start, sgd(self.learning_rate), steps=self.steps, tol=self.tol)

        # Set up: the function on its domain
        title = self.label(f"f(x, y) = {surface.latex}", font_size=40).to_edge(UP)
        title.set_x(PANEL_LEFT + title.width / 2)
        self.axes = map_axes(surface.domain, theme.foreground)
        self.add(self.axes)
        self.play(Write(title))

        # Show the gradient field, colored by its magnitude
        field = ArrowField(self.axes, surface, shape=self.field_shape, stops=theme.colormap)
        self.color_bar = ColorBar(
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
        contours = ContourMap(
            view_axes, surface, self.levels, [theme.muted] * len(self.levels), domain=self.view, stroke_width=1.5
        )
        labels = ContourLabels(
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


class Bowl3D(GradThreeDScene):
    r"""The bowl in 3-D (seed 004): the graph colored by :math:`f` with a color bar, turning.

    First the seed's 3-D quiver: at a ``quiver_shape`` grid of points on the graph, arrows of
    length ``quiver_length`` along :math:`(\partial_0 f, \partial_1 f, 1)`; then the same
    gradients :math:`\nabla f = (2x_0, 2x_1)` as arrows in the floor, the input plane where
    they live (seed 001), scaled by ``floor_scale``. The graph is translucent
    (``surface_opacity``) so the floor shows through.
    """

    surface_name = "bowl"
    quiver_shape = (6, 6)
    quiver_length = 0.5
    floor_scale = 0.12
    arrow_color = "#ff6347"
    surface_opacity = 0.55
    resolution = 24
    phi = 60 * DEGREES
    theta = -55 * DEGREES
    rotation_rate = 0.06

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("quiver_length", "floor_scale", "surface_opacity", "resolution")

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        (xmin, xmax), (ymin, ymax) = surface.domain
        nx, ny = self.quiver_shape
        xs = xmin + (np.arange(nx) + 0.5) * (xmax - xmin) / nx
        ys = ymin + (np.arange(ny) + 0.5) * (ymax - ymin) / ny
        self.quiver_points = np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)
        gradients = surface.gradient(self.quiver_points)

        # Set up: the translucent colored bowl, its formula and color bar fixed in the frame
        self.axes = axes = surface_axes(surface)
        mesh = shaded_surface(axes, surface, theme.colormap, theme.background, resolution=self.resolution)
        mesh.set_fill(opacity=self.surface_opacity)
        low, high = axes.z_range[:2]
        title = self.label(rf"f(x_0, x_1) = {surface.latex.replace('x', 'x_0').replace('y', 'x_1')}", font_size=36)
        title.to_corner(UL)
        bar = ColorBar(low, high, theme.colormap, theme.foreground, title="f", height=3.5, decimals=0)
        bar.to_edge(RIGHT, buff=0.6).shift(0.3 * DOWN)
        self.set_camera_orientation(phi=self.phi, theta=self.theta, zoom=0.8)
        self.add_fixed_in_frame_mobjects(title, bar)
        self.begin_ambient_camera_rotation(rate=self.rotation_rate)
        self.play(FadeIn(axes), FadeIn(mesh), FadeIn(title), FadeIn(bar))

        # Show the seed's 3-D quiver on the graph
        origin = np.asarray(axes.c2p(0, 0, 0))
        ex, ey, ez = (np.asarray(axes.c2p(*e)) - origin for e in np.eye(3))
        tails = surface_points(axes, surface, self.quiver_points)
        directions = gradients[:, :1] * ex + gradients[:, 1:] * ey + ez
        directions /= np.linalg.norm(directions, axis=1, keepdims=True)
        quiver = VGroup(
            *(
                Arrow(tail, tail + self.quiver_length * d, buff=0, color=self.arrow_color, stroke_width=3,
                      max_tip_length_to_length_ratio=0.3)
                for tail, d in zip(tails, directions, strict=True)
            )
        )
        quiver_label = self.label(r"\text{on the graph: } (\partial_0 f,\ \partial_1 f,\ 1)", font_size=30)
        quiver_label.to_corner(DL).shift(0.6 * UP)
        self.add_fixed_in_frame_mobjects(quiver_label)
        self.play(FadeIn(quiver), FadeIn(quiver_label), run_time=1.5)
        self.pause()
        self.wait()

        # Show the same gradients in the input plane, on the floor
        self.floor_tails = floor_points(axes, self.quiver_points - self.floor_scale * gradients / 2)
        self.floor_tips = floor_points(axes, self.quiver_points + self.floor_scale * gradients / 2)
        floor = VGroup(
            *(
                Arrow(tail, tip, buff=0, color=self.arrow_color, stroke_width=3, max_tip_length_to_length_ratio=0.3)
                for tail, tip in zip(self.floor_tails, self.floor_tips, strict=True)
            )
        )
        floor_label = self.label(
            rf"\text{{in the input plane: }} \nabla f = (2x_0,\ 2x_1) \times {self.floor_scale:g}", font_size=30
        )
        floor_label.next_to(quiver_label, DOWN, aligned_edge=LEFT)
        self.add_fixed_in_frame_mobjects(floor_label)
        self.play(LaggedStart(*(GrowArrow(arrow) for arrow in floor), lag_ratio=0.02), FadeIn(floor_label), run_time=2)
        self.pause()
        self.wait(5)
        self.stop_ambient_camera_rotation()
