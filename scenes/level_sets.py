"""The gradient is orthogonal to the level sets (seed 000), on the elongated quadratic.

Render: ``manim -ql scenes/level_sets.py GradientOrthogonalToLevelSets``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UP,
    Axes,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    VGroup,
    VMobject,
    Write,
)

from gradcore.descent import distance_to_edge
from gradcore.fields import normalized
from gradcore.levels import PartialDerivative, level_tangent, zero_set
from gradcore.quadratic import Quadratic
from gradcore.surface import Domain, Surface, check_domain
from scenes.kit import (
    PANEL_LEFT,
    ArrowField,
    ContourMap,
    FlatArrows,
    GradScene,
    GrowArrows,
    fit_in_frame,
    level_arc,
    level_colors,
    map_axes,
    map_levels,
    nice_step,
    right_angle_mark,
    surface_words,
    to_scene,
    vector_arrows,
)
from scenes.kit.labels import resample

__all__ = ["GradientOrthogonalToLevelSets"]


class GradientOrthogonalToLevelSets(GradScene):
    """Gradient arrows cross the level lines at right angles; where :math:`\\partial f/\\partial y = 0`
    they are horizontal.

    At a few points the gradient (scaled by ``gradient_scale``) grows out of the point, the
    level line through the point lights up, and a right-angle mark sits between the arrow and
    the line's tangent. Then the whole field appears as unit arrows, and the lines where
    :math:`\\partial f/\\partial y = 0`, on which every arrow is horizontal (on the elongated
    quadratic the line y = x). Last, the view widens to ``far_domain`` and shows the gradient
    at ``far_point`` on such a line: the seed's (79, 0) at (80, 80). Statements that do not
    hold for the surface (no such line) are left out.
    """

    surface_name = "elongated_quadratic"
    n_levels = 10
    points = ((-20.0, 10.0), (25.0, -15.0), (-5.0, -35.0))  # the defaults move into another surface's domain
    gradient_scale: float | None = None  # None: a round number, the longest arrow at the points ~15% of the map
    arc_radius = 1.2
    field_shape = (15, 15)
    far_domain: Domain | None = None  # None: the domain doubled about its center
    far_point: tuple[float, float] | None = None  # None: on a horizontal-arrow line, 80% of the way to the edge
    gradient_color: str | None = None  # None: the theme's negative
    horizontal_color: str | None = None  # None: the theme's accent
    point_time = 1.5
    field_time = 3.0

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("n_levels", "arc_radius", "point_time", "field_time")
        if cls.gradient_scale is not None:
            cls.check_positive("gradient_scale")
        cls.check_own_points("points")
        if cls.far_domain is not None:
            try:
                check_domain(cls.far_domain)
            except ValueError as error:
                raise cls.invalid("far_domain", cls.far_domain, f"is not an input box ({error})") from None
        if cls.far_point is not None:
            cls.check_inside("far_point", cls.far_domain)
        if cls._surface_from_attributes() and map_levels(cls._build_surface(), 1).size == 0:
            name = "formula" if cls.formula is not None else "surface_name"
            problem = "is constant: no level lines and no gradient to show; give one that varies, e.g. 'x**2 + 3*y**2'"
            raise cls.invalid(name, getattr(cls, name), problem)

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        domain = surface.domain
        self.gradient_color = theme.stroke(self.gradient_color, theme.negative)
        self.horizontal_color = theme.stroke(self.horizontal_color, theme.accent)
        points = self.fitted_points("points")
        self.gradient_scale = self.gradient_scale or _arrow_scale(surface, points)

        # Set up: the level lines and the formula
        self.axes = map_axes(domain, theme.foreground)
        contours = self.level_lines(surface, domain)
        title = self.label(f"f(x, y) = {surface.latex}")
        claim = self.label(r"\nabla f \perp \text{level sets}", font_size=40)
        header = VGroup(title, claim).arrange(DOWN, aligned_edge=LEFT, buff=0.3).to_edge(UP)
        fit_in_frame(header.set_x(PANEL_LEFT + header.width / 2))
        self.add(self.axes)
        self.play(Create(contours), Write(title), run_time=2)
        self.pause(f"Level lines of {surface_words(surface)}")

        # Show the gradient at chosen points, at right angles to the level line there
        self.play(Write(claim))
        notes = VGroup()
        annotations = VGroup()
        for point in points:
            annotation, note = self.gradient_at(surface, point)
            notes.add(note)
            annotations.add(annotation)
            dot, level, arrow, mark = annotation
            note.next_to(notes[-2] if len(notes) > 1 else header, DOWN, buff=0.3, aligned_edge=LEFT)
            self.play(FadeIn(dot), *_drawn(Create, level), run_time=self.point_time / 2)
            self.play(*_drawn(GrowArrow, arrow), *_drawn(Create, mark), FadeIn(note), run_time=self.point_time / 2)
            self.pause(f"At ({point[0]:.3g}, {point[1]:.3g}) the gradient is at a right angle to the level line")
        self.wait()

        # Show the whole field, normalized
        field = ArrowField(
            self.axes, surface, shape=self.field_shape, normalize=True, color=theme.muted, stroke_width=2
        )
        arrows = FlatArrows(field)  # the field's arrows, drawn in a few paths
        unit = self.label(r"\text{arrows: } \nabla f / \|\nabla f\|")
        unit.next_to(header, DOWN, buff=0.3, aligned_edge=LEFT)
        self.play(FadeOut(annotations, notes))
        grow = [GrowArrows(arrows, lag_ratio=0.01)] if len(field) else []  # LaggedStart of GrowArrow
        self.play(*grow, FadeIn(unit), run_time=self.field_time)
        self.pause("The whole field, normalized: every arrow crosses the level lines at right angles")

        # Show the lines where df/dy = 0: there every gradient is horizontal
        lines = zero_set(surface, 1, domain)
        if not lines:  # df/dy = 0 everywhere, or nowhere
            if lines is None:
                everywhere = r"\partial f / \partial y = 0 \text{: every arrow is horizontal}"
                everywhere = self.label(everywhere, self.horizontal_color)
                self.play(FadeIn(fit_in_frame(everywhere.next_to(unit, DOWN, buff=0.3, aligned_edge=LEFT))))
            self.wait(2)
            self.caption("df/dy = 0 everywhere: every arrow is horizontal" if lines is None else "df/dy is 0 nowhere here")
            return
        drawn = self.polylines(lines)
        horizontal = rf"\text{{on }} {_horizontal_tex(surface)} \text{{ arrows are horizontal}}"
        horizontal = self.label(horizontal, self.horizontal_color)
        fit_in_frame(horizontal.next_to(unit, DOWN, buff=0.3, aligned_edge=LEFT))
        (xmin, xmax), (ymin, ymax) = domain
        cell = np.array([(xmax - xmin) / self.field_shape[0], (ymax - ymin) / self.field_shape[1]])
        samples = _along(lines, np.hypot(*cell))
        near = [a for a, c in zip(field, field.centers) if np.linalg.norm(samples - c, axis=1).min() < 0.5 * cell.min()]
        flat = 1.4 * 0.8 * cell.min() * normalized(surface.gradient(samples))
        marked = FlatArrows(vector_arrows(self.axes, samples - flat / 2, flat, self.horizontal_color, stroke_width=3))
        self.play(Create(drawn), FadeIn(horizontal))
        if len(marked.arrows):  # GrowArrows with no lag: a GrowArrow each, all at once
            self.play(*(FadeOut(a) for a in arrows.single_out(near)), GrowArrows(marked, lag_ratio=0))
        self.pause("Where df/dy = 0 every gradient is horizontal")

        # Widen the view to a far point on such a line
        far_domain = self.far_domain or _doubled(domain)
        far_lines = zero_set(surface, 1, far_domain) or []
        far_point = _far_point(surface, far_lines, far_domain) if self.far_point is None else np.array(self.far_point)
        if far_point is None:
            self.wait(2)
            return
        self.far_point = far_point
        far_axes = map_axes(far_domain, theme.foreground)
        arrows.rejoin()  # all of the field zooms out, the arrows faded out above too (FadeOut restores what it removes)
        old = VGroup(self.axes, contours, arrows, drawn, marked)
        factor = far_axes.x_axis.unit_size / self.axes.x_axis.unit_size
        anchor = np.mean(np.asarray(domain, dtype=float), axis=1)
        here, there = to_scene(self.axes, anchor), to_scene(far_axes, anchor)
        self.play(old.animate.scale(factor, about_point=here).shift(there - here), run_time=2)
        self.axes = far_axes
        far_contours = self.level_lines(surface, far_domain)
        self.play(
            FadeOut(old, unit),
            FadeIn(far_axes, far_contours, self.polylines(far_lines)),
            horizontal.animate.next_to(claim, DOWN, buff=0.3, aligned_edge=LEFT),
        )
        uphill = surface.gradient(far_point)
        room = 0.9 * distance_to_edge(far_point, uphill, far_domain) if np.any(uphill != 0) else 0.0
        annotation, note = self.gradient_at(surface, far_point, longest=room)
        note.next_to(horizontal, DOWN, buff=0.3, aligned_edge=LEFT)
        dot, level, arrow, mark = annotation
        self.play(FadeIn(dot), *_drawn(Create, level))
        self.play(*_drawn(GrowArrow, arrow), *_drawn(Create, mark), FadeIn(note))
        self.wait(2)
        self.caption(f"Far out, at ({far_point[0]:.3g}, {far_point[1]:.3g}) on such a line, still at a right angle")

    def level_lines(self, surface: Surface, domain: Domain) -> VGroup:
        """``n_levels`` level lines of ``surface`` over ``domain``, colored by level."""
        levels = map_levels(surface, self.n_levels, domain=domain)
        return ContourMap(self.axes, surface, levels, level_colors(levels, self.theme.colormap), domain=domain)

    def polylines(self, lines: list[np.ndarray]) -> VGroup:
        """Input-plane ``lines`` drawn on the current axes in ``horizontal_color``."""
        return VGroup(
            *(VMobject(stroke_color=self.horizontal_color).set_points_as_corners(to_scene(self.axes, p)) for p in lines)
        )

    def gradient_at(self, surface: Surface, point: np.ndarray, longest: float = np.inf) -> tuple[VGroup, VGroup]:
        """``(VGroup(dot, level arc, arrow, right-angle mark), note)`` for the gradient at ``point``;
        the arrow (``gradient_scale`` times the gradient) at most ``longest`` input units long."""
        theme = self.theme
        gradient = surface.gradient(point)
        at = to_scene(self.axes, point)
        level = level_arc(self.axes, surface, point, theme.foreground, radius=self.arc_radius)
        vector = self.gradient_scale * gradient
        vector *= min(1.0, longest / max(np.linalg.norm(vector), 1e-300))
        arrows = vector_arrows(self.axes, point, vector, self.gradient_color, stroke_width=5)
        arrow, mark = (arrows[0], VMobject()) if len(arrows) else (VMobject(), VMobject())
        if len(arrows):
            tangent = level_tangent(surface, point)
            legs = _direction(self.axes, gradient), _direction(self.axes, tangent)
            mark = right_angle_mark(at, *legs, theme.foreground)
        dot = Dot(at, radius=0.06, color=theme.foreground)
        note = self.label(rf"\nabla f({_pair(point)}) = ({_pair(gradient)})", self.gradient_color, font_size=30)
        return VGroup(dot, level, arrow, mark), note


def _far_point(surface: Surface, lines: list[np.ndarray], domain: Domain, reach: float = 0.8) -> np.ndarray | None:
    """Where ``lines`` (on which :math:`\\partial f/\\partial y = 0`) reach ``reach`` of the way from
    the domain's center to its edge, the one furthest up and right; None without lines."""
    box = np.asarray(domain, dtype=float)
    center, half = box.mean(axis=1), np.ptp(box, axis=1) / 2
    crossings = []
    for line in lines:
        r = np.max(np.abs(line - center) / half, axis=1)
        for i in np.nonzero((r[:-1] - reach) * (r[1:] - reach) <= 0)[0]:
            if r[i] != r[i + 1]:
                crossings.append(line[i] + (reach - r[i]) / (r[i + 1] - r[i]) * (line[i + 1] - line[i]))
    if not crossings:
        return None
    point = max(crossings, key=lambda p: (p - center) @ np.ones(2))
    partial = PartialDerivative(surface, 1)
    for _ in range(3):  # onto the line exactly (Newton along the gradient of df/dy)
        slope = partial.gradient(point)
        if slope @ slope > 0:
            point = point - partial.value(point) / (slope @ slope) * slope
    return point


def _horizontal_tex(surface: Surface) -> str:
    r"""The set :math:`\partial f/\partial y = 0` in LaTeX: a line's equation for a quadratic."""
    if not isinstance(surface, Quadratic):
        return r"\partial f / \partial y = 0"
    (a, b), c = np.asarray(surface.A, dtype=float)[1], float(np.asarray(surface.b, dtype=float)[1])
    if b == 0:  # a x = c
        return rf"x = {_number(c / a)}"
    slope, offset = -a / b, c / b  # y = slope x + offset
    term = "" if slope == 0 else "x" if slope == 1 else "-x" if slope == -1 else f"{_number(slope)}x"
    if not term:
        return f"y = {_number(offset)}"
    return f"y = {term}" + ("" if offset == 0 else f" {'+-'[offset < 0]} {_number(abs(offset))}")


def _number(value: float) -> str:
    return f"{round(value, 3) + 0.0:g}"  # no "-0"


def _arrow_scale(surface: Surface, points: np.ndarray) -> float:
    """A round scale that makes the longest gradient arrow at ``points`` about 15% of the domain's width."""
    with np.errstate(all="ignore"):
        longest = np.nanmax(np.linalg.norm(surface.gradient(points), axis=-1), initial=0.0)
    width = np.ptp(np.asarray(surface.domain, dtype=float)[0])
    return nice_step(0.15 * width / longest, 1) if longest > 0 else 1.0


def _along(lines: list[np.ndarray], spacing: float) -> np.ndarray:
    """Points ``(n, 2)`` along the polylines every ``spacing``, the first half a ``spacing`` in."""
    points = []
    for line in lines:
        dense = resample(line, spacing / 50)
        arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(dense, axis=0), axis=1))])
        s = np.arange(spacing / 2, arc[-1], spacing)
        points.extend(np.stack([np.interp(s, arc, dense[:, i]) for i in range(2)], axis=-1))
    return np.array(points).reshape(-1, 2)


def _doubled(domain: Domain) -> Domain:
    """``domain`` twice as wide and high about its center."""
    return tuple((1.5 * low - 0.5 * high, 1.5 * high - 0.5 * low) for low, high in domain)


def _drawn(animation, mobject) -> list:
    """``[animation(mobject)]``, or none for an empty placeholder (no arrow where the gradient is 0)."""
    return [animation(mobject)] if mobject.has_points() else []


def _pair(p: np.ndarray, decimals: int = 3) -> str:
    """``"x, y"`` with at most ``decimals`` decimals and no trailing zeros."""
    return ", ".join(f"{round(float(c), decimals) + 0.0:g}" for c in p)  # no "-0"


def _direction(axes: Axes, vector: np.ndarray) -> np.ndarray:
    """Scene direction of an input-plane ``vector`` under ``axes``."""
    return to_scene(axes, np.asarray(vector)) - to_scene(axes, np.zeros(2))
