"""The quadratic bowl :math:`f = x^2 + y^2` (seed 004): its gradient field, then gradient descent.

Render: ``manim -ql scenes/bowl.py BowlDescent``.
"""

from __future__ import annotations

from dataclasses import replace

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
    ManimColor,
    Star,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    config,
)

from gradcore.descent import descend
from gradcore.fields import clip_length, grid
from gradcore.optimizers import sgd
from gradcore.outcome import RAN_OUT, status_words
from gradcore.quadratic import Quadratic
from gradcore.surface import Domain, Surface, latex_terms
from scenes.kit import (
    GRAPHICS_CONTRAST,
    PANEL_LEFT,
    RIGHT_EDGE,
    ArrowField,
    ColorBar,
    ContourLabels,
    ContourMap,
    FlatArrows,
    GradScene,
    GradThreeDScene,
    GrowArrows,
    LossCurves,
    cross_marker,
    finite_range,
    floor_points,
    map_axes,
    map_levels,
    on_graph,
    shaded_surface,
    step_arrows,
    surface_axes,
    surface_points,
    surface_words,
    to_scene,
)

__all__ = ["Bowl3D", "BowlDescent"]


class BowlDescent(GradScene):
    """The bowl's gradient field colored by its magnitude, then gradient descent from a start.

    First the arrows of :math:`\\nabla f` on a ``field_shape`` grid, colored by
    :math:`\\|\\nabla f\\|` with a color bar (cut to the bulk's largest near a singularity, see
    :class:`~scenes.kit.fields.ArrowField`); then a closer ``view`` (None: a square around the
    path) with labeled level lines at ``levels`` (None: ``n_levels`` log-spaced over the view, as
    in the seed), the update rule, and the path of :math:`x_{k+1} = x_k - \\eta \\nabla f(x_k)`
    step by step, with an arrow along each step, from a star at the start to the nearest known
    minimum, while a panel of ``loss_height`` below the text draws :math:`f(x_k) - f^*` against
    :math:`k` on a log scale, one step at a time (:class:`~scenes.kit.LossCurves`). The text
    says how the descent ended (converged, diverged, ran off the map).

    ``start`` is the seed's, outside the bowl's domain (a start may lie up to half the domain's
    size outside it); on another surface it moves to the same place in that surface's domain
    (off points where it is not finite). The colors are fitted
    to the background.
    """

    surface_name = "bowl"
    field_shape = (20, 20)
    start = (-3.0, 4.0)
    learning_rate = 0.1
    steps = 20
    tol = 1e-6
    view = None
    levels = None
    n_levels = 10
    path_color = "#ff6347"
    step_color = "#1e90ff"
    start_color = "#ffd700"
    minimum_color = "#32cd32"
    field_time = 3.0
    step_time = 0.6
    loss_height = 1.9

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("learning_rate", "steps", "n_levels", "field_time", "step_time", "loss_height")
        if cls.view is not None:
            cls.check_inside("start", cls.view)
        if cls.home_of("start") is None and cls._surface_from_attributes():  # the user's own start
            domain = cls._build_surface().domain
            try:
                cls.check_inside("start", _reach(domain))
            except ValueError as error:
                if "outside" not in str(error):
                    raise
                raise cls.invalid("start", cls.start, f"is outside the domain {domain} by more than half its size") from None
            cls.check_defined("start")

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        path_color, step_color, start_color, minimum_color = (
            theme.readable(c, GRAPHICS_CONTRAST)
            for c in (self.path_color, self.step_color, self.start_color, self.minimum_color)
        )
        start = self.fitted_points("start")
        path = descend(surface, start, sgd(self.learning_rate), steps=self.steps, tol=self.tol)
        view = self.view or _view_around(path.points, surface.domain)
        points = _leading_inside(path.points, view)  # the path on the map

        # Set up: the function on its domain
        title = self.label(f"f(x, y) = {surface.latex}", font_size=40)
        title.scale_to_fit_width(min(title.width, 7.1 - PANEL_LEFT - 0.2)).to_edge(UP, buff=0.35)
        title.set_x(PANEL_LEFT + title.width / 2)
        self.axes = map_axes(surface.domain, theme.foreground)
        self.add(self.axes)
        self.play(Write(title))

        # Show the gradient field, colored by its magnitude (cut near a singularity)
        field = ArrowField(
            self.axes, surface, shape=self.field_shape, stops=theme.colormap, clip_color=theme.warning
        )
        (xmin, xmax), (ymin, ymax) = surface.domain
        cell = min((xmax - xmin) / self.field_shape[0], (ymax - ymin) / self.field_shape[1])
        if len(field):
            top = 0.9 * cell / field.length_scale  # the magnitude that fills a cell
            self.color_bar = ColorBar(0.0, top, theme.colormap, theme.foreground, title=r"\|\nabla f\|", height=4.2)
            legend = VGroup(self.color_bar)
            if field.clipped.any():
                legend.add(self.label(r"\text{longer: cut}", theme.warning, font_size=26))
            arrows = FlatArrows(field)  # the field's arrows in a few paths
            grow = [GrowArrows(arrows, lag_ratio=0.01)]  # LaggedStart of GrowArrow
        else:
            legend = VGroup(self.label(r"\nabla f = 0 \text{ everywhere}", font_size=34))
            arrows, grow = VGroup(), []
        legend.arrange(DOWN, aligned_edge=LEFT).next_to(title, DOWN, buff=0.6).set_x(PANEL_LEFT + 0.4, direction=LEFT)
        self.play(*grow, FadeIn(legend), run_time=self.field_time)
        self.pause(f"The gradient field of {surface_words(surface)}, coloured by its length" if len(field) else "The gradient is zero everywhere")
        self.wait()

        # Show the descent's view: labeled level lines, kept off the path
        view_axes = map_axes(view, theme.foreground)
        scene_path = to_scene(view_axes, points)
        levels = map_levels(surface, self.n_levels, view, spacing="log") if self.levels is None else self.levels
        contours = ContourMap(view_axes, surface, levels, [theme.muted] * len(levels), domain=view, stroke_width=1.5)
        fmt = "{:.0f}" if np.max(np.abs(levels), initial=0) >= 100 else "{:.2g}"  # no 1.5e+02
        labels = ContourLabels(view_axes, contours, theme.background, color=theme.foreground, avoid=[scene_path], fmt=fmt)
        self.play(FadeOut(arrows, legend, self.axes), FadeIn(view_axes, contours, labels))
        self.axes = view_axes

        # Set up the update rule and the start
        star = Star(outer_radius=0.2, color=start_color, fill_opacity=1)
        star.move_to(scene_path[0]).set_z_index(2)
        x0, y0 = start
        panel = VGroup(
            self.label(r"x_{k+1} = x_k - \eta\, \nabla f(x_k)", font_size=32),
            self.label(rf"\eta = {self.learning_rate:g}", font_size=32),
            _keyed(star.copy().scale(0.7), self.label(rf"\text{{start }}({x0:.3g}, {y0:.3g})", font_size=28)),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        panel.next_to(title, DOWN, buff=0.35).set_x(PANEL_LEFT + panel.width / 2)

        # Set up what the descent will end with: how it ended, the nearest known minimum on the map
        n = len(points) - 1
        ran_off = len(points) < len(path.points)  # the path as drawn: up to where it leaves the view
        words = "ran off the map" if ran_off else status_words(path.status, quiet=RAN_OUT)
        said = rf"\quad \text{{{words}}}" if words else ""
        summary = self.label(rf"f(x_{{{n}}}) = {path.values[n]:.3g}" + said, font_size=32)
        summary.scale_to_fit_width(min(summary.width, RIGHT_EDGE - PANEL_LEFT))
        summary.next_to(panel, DOWN, buff=0.3, aligned_edge=LEFT)
        (xmin, xmax), (ymin, ymax) = view
        minima = [c.point for c in surface.critical_points if c.kind == "minimum"]
        minima = [(x, y) for x, y in minima if xmin <= x <= xmax and ymin <= y <= ymax]
        entries = VGroup(panel, summary)
        if minima:
            (x, y) = min(minima, key=lambda m: np.hypot(*(points[-1] - m)))
            marker = cross_marker(to_scene(self.axes, np.array((x, y))), minimum_color).set_z_index(2)
            key = _keyed(marker.copy().scale(0.7), self.label(rf"\text{{minimum }}({x:.3g}, {y:.3g})", font_size=28))
            entries.add(key.next_to(summary, DOWN, buff=0.2, aligned_edge=LEFT))

        # Set up f(x_k) - f* of the path as drawn, under the entries (smaller if they leave less room)
        self.loss_paths = [replace(path, points=points, values=path.values[: n + 1],
                                   grad_norms=path.grad_norms[: n + 1], n_steps=n, status="left_domain")
                           if ran_off else path]
        tracker = ValueTracker(0)
        self.loss_curves = LossCurves(self.loss_paths, tracker, [path_color], theme.foreground, surface=surface,
                                      width=RIGHT_EDGE - PANEL_LEFT - 0.75, height=self.loss_height, font_size=18)
        room = entries.get_bottom()[1] - 0.25 + config.frame_height / 2 - 0.2
        self.loss_curves.scale(min(1.0, room / self.loss_curves.height)).to_edge(DOWN, buff=0.2)
        self.loss_curves.shift((RIGHT_EDGE - self.loss_curves.get_right()[0]) * RIGHT)

        # Show the update rule, the start and the loss panel
        self.play(FadeIn(panel), FadeIn(star, scale=2), FadeIn(self.loss_curves))
        self.pause(f"Gradient descent with learning rate {self.learning_rate:g} from ({x0:.3g}, {y0:.3g}),"
                   " its gap f(x_k) - f* below on a log scale")

        # Show the descent step by step: the path, an arrow along each step, a dot at each point,
        # and the gap f(x_k) - f* one step at a time
        arrows = step_arrows(self.axes, points, step_color)
        for k in range(n):
            segment = Line(scene_path[k], scene_path[k + 1], stroke_color=path_color, stroke_width=2)
            dot = Dot(scene_path[k + 1], radius=0.07, color=path_color).set_z_index(1)
            run_time = self.step_time * max(0.5, 0.85**k)
            self.play(Create(segment), GrowArrow(arrows[k]), FadeIn(dot), tracker.animate.set_value(k + 1),
                      run_time=run_time)
        self.play(FadeIn(summary))
        self.pause(f"After {n} steps f = {path.values[n]:.3g}" + (f": {words}" if words else ""))

        # Mark the known minimum nearest to where the descent ended, if it is on the map
        if minima:
            self.play(FadeIn(marker, scale=2), FadeIn(key))
            self.wait(2)
            self.caption(f"The nearest minimum is at ({x:.3g}, {y:.3g})")
        else:
            self.wait(2)


def _keyed(icon: VMobject, label: VMobject) -> VGroup:
    """A legend entry: ``icon`` left of ``label``."""
    return VGroup(icon, label).arrange(RIGHT, buff=0.15)


def _view_around(points: np.ndarray, domain: Domain) -> Domain:
    """A square box around the path ``points`` (its part in :func:`_reach` of ``domain``, so
    a diverging path does not stretch the map), 30% larger than they span, and at least a
    quarter of the domain's smaller side."""
    near = _leading_inside(points, _reach(domain))
    low, high = near.min(axis=0), near.max(axis=0)
    size = np.subtract(*np.array(domain, dtype=float).T[::-1])
    half = max(0.65 * np.max(high - low), size.min() / 8)
    return tuple((float(c - half), float(c + half)) for c in (low + high) / 2)


def _reach(domain: Domain) -> Domain:
    """``domain`` grown by half its size on each side: where a start may lie, and a path is drawn."""
    return tuple((lo - (hi - lo) / 2, hi + (hi - lo) / 2) for lo, hi in np.array(domain, dtype=float).tolist())


def _leading_inside(points: np.ndarray, box: Domain) -> np.ndarray:
    """The leading ``points`` ``(n, 2)`` inside ``box`` (at least the first)."""
    box = np.asarray(box, dtype=float)
    inside = np.all((box[:, 0] <= points) & (points <= box[:, 1]), axis=-1)
    return points[: len(points) if inside.all() else max(1, int(np.argmin(inside)))]


class Bowl3D(GradThreeDScene):
    r"""The bowl in 3-D (seed 004): the graph colored by :math:`f` with a color bar, turning.

    First the seed's 3-D quiver: at a ``quiver_shape`` grid of points on the graph, arrows of
    length ``quiver_length`` along :math:`(\partial_x f, \partial_y f, 1)`; then the same
    gradients :math:`\nabla f` (its formula where the surface has one, see
    :func:`gradient_tex`) as arrows in the floor, the input plane where they live (seed 001),
    scaled by ``floor_scale`` (None: the longest fills 0.9 of a grid cell; longer ones, near a
    singularity, are cut to that and drawn in the theme's warning color). The graph is
    translucent (``surface_opacity``) so the floor shows through; where it is not drawn (not
    finite, or beyond its drawn heights) there are no arrows.
    """

    surface_name = "bowl"
    quiver_shape = (6, 6)
    quiver_length = 0.5
    floor_scale = None
    arrow_color = "#ff6347"
    surface_opacity = 0.55
    resolution = 24
    phi = 60 * DEGREES
    theta = -55 * DEGREES
    rotation_rate = 0.06

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("quiver_length", "surface_opacity", "resolution")
        if cls.floor_scale is not None:
            cls.check_positive("floor_scale")

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        arrow_color = theme.readable(self.arrow_color, GRAPHICS_CONTRAST)

        # Set up: the translucent colored graph, the gradients where it is drawn
        self.axes = axes = surface_axes(surface, color=theme.muted)
        mesh = shaded_surface(axes, surface, theme.colormap, theme.background, resolution=self.resolution)
        mesh.set_fill(opacity=self.surface_opacity)
        (xmin, xmax), (ymin, ymax) = surface.domain
        nx, ny = self.quiver_shape
        cell = min((xmax - xmin) / nx, (ymax - ymin) / ny)
        points = grid(((xmin + cell / 2, xmax - cell / 2), (ymin + cell / 2, ymax - cell / 2)), (nx, ny)).reshape(-1, 2)
        self.quiver_points = points = points[on_graph(axes, surface, points)]
        gradients = surface.gradient(points)
        magnitudes = np.linalg.norm(gradients, axis=-1)
        largest = (finite_range(magnitudes) or (0.0, 0.0))[1]
        self.floor_scale_used = self.floor_scale or (0.9 * cell / largest if largest > 0 else 0.0)
        floor_vectors, cut = clip_length(self.floor_scale_used * gradients, 0.9 * cell * (1 + 1e-9))

        # Set up: the seed's 3-D quiver on the graph, the floor arrows in the input plane
        origin = np.asarray(axes.c2p(0, 0, 0))
        ex, ey, ez = (np.asarray(axes.c2p(*e)) - origin for e in np.eye(3))
        tails = surface_points(axes, surface, points)
        directions = gradients[:, :1] * ex + gradients[:, 1:] * ey + ez
        directions /= np.linalg.norm(directions, axis=1, keepdims=True)
        quiver = FlatArrows([_arrow(tail, tail + self.quiver_length * d, arrow_color) for tail, d in zip(tails, directions)])
        self.floor_tails = floor_points(axes, points - floor_vectors / 2)
        self.floor_tips = floor_points(axes, points + floor_vectors / 2)
        floor = VGroup(
            *(
                _arrow(tail, tip, theme.warning if k else arrow_color)
                for tail, tip, k, v in zip(self.floor_tails, self.floor_tips, cut, floor_vectors)
                if np.any(v != 0)
            )
        )

        # Set up: the formula, the color bar, the two captions, fixed in the frame
        low, high = axes.z_range[:2]
        title = self.label(rf"f(x, y) = {surface.latex}", font_size=36)
        title.scale_to_fit_width(min(title.width, 6.5)).to_corner(UL)
        bar = ColorBar(low, high, theme.colormap, theme.foreground, title="f", height=3.5, decimals=None)
        bar.to_edge(RIGHT, buff=0.6).shift(0.3 * DOWN)
        quiver_label = self.label(r"\text{on the graph: } (\partial_x f,\ \partial_y f,\ 1)", font_size=30)
        gradient = gradient_tex(surface)
        scale = rf"\times {self.floor_scale_used:.2g}" if len(floor) else "" if "=" in gradient else "= 0"
        floor_label = self.label(rf"\text{{in the input plane: }} {gradient} {scale}", font_size=30)
        captions = VGroup(quiver_label, floor_label)
        if cut.any():
            captions.add(self.label(r"\text{longest cut to a grid cell}", theme.warning, font_size=26))
        captions.arrange(DOWN, aligned_edge=LEFT)
        captions.scale_to_fit_width(min(captions.width, 8.5)).to_corner(DL)
        turn = [(self.phi, self.theta + self.rotation_rate * t) for t in np.linspace(0, 11, 9)]
        self.fit_camera(axes, mesh, quiver, floor, views=turn, avoid=[title, bar, captions])
        self.add_fixed_in_frame_mobjects(title, bar)
        self.begin_ambient_camera_rotation(rate=self.rotation_rate)
        self.play(FadeIn(axes), FadeIn(mesh), FadeIn(title), FadeIn(bar))
        self.caption(f"The graph of {surface_words(surface)}")

        # Show the seed's 3-D quiver on the graph
        self.add_fixed_in_frame_mobjects(quiver_label)
        self.play(FadeIn(quiver), FadeIn(quiver_label), run_time=1.5)
        self.pause("On the graph: arrows along (df/dx, df/dy, 1)")
        self.wait()

        # Show the same gradients in the input plane, on the floor
        self.add_fixed_in_frame_mobjects(*captions[1:])
        grow = [LaggedStart(*(GrowArrow(arrow) for arrow in floor), lag_ratio=0.02)] if len(floor) else []
        self.play(*grow, FadeIn(captions[1:]), run_time=2)
        if len(floor):  # grown: the same arrows in a few paths
            self.remove(*floor)
            self.add(FlatArrows(floor))
        self.pause("The gradient itself lives in the input plane, on the floor")
        self.wait(5)
        self.caption("The floor arrows point uphill, longest where the graph is steepest")
        self.stop_ambient_camera_rotation()


def _arrow(tail: np.ndarray, tip: np.ndarray, color: ManimColor) -> Arrow:
    return Arrow(tail, tip, buff=0, color=color, stroke_width=3, max_tip_length_to_length_ratio=0.3)


def gradient_tex(surface: Surface) -> str:
    r"""LaTeX of :math:`\nabla f` of ``surface``: its two partial derivatives where it has a
    formula (a quadratic :math:`\tfrac12 p^T A p - b^T p + c` has :math:`A p - b`, a formula its
    symbolic derivatives), else :math:`\nabla f(x, y)`.

    Examples
    --------
    >>> from gradcore import bowl, from_expression
    >>> gradient_tex(bowl())
    '\\nabla f = \\left(2 x,\\ 2 y\\right)'
    >>> gradient_tex(from_expression("sin(x) * y"))
    '\\nabla f = \\left(y \\cos{\\left(x \\right)},\\ \\sin{\\left(x \\right)}\\right)'
    """
    if isinstance(surface, Quadratic):
        (a, h), (_, d) = surface.A
        (b0, b1) = surface.b
        parts = [latex_terms([(a, "x"), (h, "y"), (-b0, "")]), latex_terms([(h, "x"), (d, "y"), (-b1, "")])]
    elif getattr(surface, "expression", None) is not None:  # a formula's: sympy is loaded
        import sympy

        from gradcore.expression import SYMBOLS

        parts = [sympy.latex(sympy.diff(surface.expression, SYMBOLS[v])) for v in "xy"]
    else:
        return r"\nabla f(x, y)"
    return rf"\nabla f = \left({parts[0]},\ {parts[1]}\right)"
