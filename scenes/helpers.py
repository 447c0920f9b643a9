"""Shared visual helpers of the gradscenes scenes: theme, axes, contours, arrows, color bars.

Every number drawn comes from :mod:`gradcore`; these helpers only map it to the screen.
Points of the input plane are arrays ``(..., 2)``; :func:`to_scene` maps them through an
:class:`~manim.Axes` to scene points ``(..., 3)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    UP,
    Arrow,
    Axes,
    BackgroundRectangle,
    DecimalNumber,
    Dot,
    Dot3D,
    Line,
    ManimColor,
    MathTex,
    Rectangle,
    Scene,
    ThreeDAxes,
    ValueTracker,
    VGroup,
    VMobject,
)

from gradcore.fields import clip_length, grid, normalized
from gradcore.levels import level_sets
from gradcore.surface import Domain, Surface
from scenes.fast_surface import FastSurface, SurfaceLine, stock_3d

if TYPE_CHECKING:
    from manim import Surface as ManimSurface

__all__ = [
    "MAP_CENTER",
    "PANEL_LEFT",
    "VIRIDIS",
    "ArrowField",
    "BallTrail",
    "GradScene",
    "Theme",
    "Trail",
    "axes_domain",
    "color_bar",
    "colormap",
    "contour_labels",
    "contour_map",
    "cross_marker",
    "domain_axes",
    "faded",
    "floor_points",
    "formula",
    "gradient_field",
    "height_map",
    "level_arc",
    "level_colors",
    "luminance",
    "map_axes",
    "right_angle_mark",
    "round_levels",
    "shaded_surface",
    "step_arrows",
    "surface_axes",
    "surface_levels",
    "surface_points",
    "to_scene",
    "vector_arrows",
]

VIRIDIS = ("#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725")
"""Stops of matplotlib's viridis color map, low to high."""


def luminance(color: ManimColor | str) -> float:
    r"""Relative luminance (WCAG) of a color, 0 for black to 1 for white.

    .. math:: L = 0.2126 R + 0.7152 G + 0.0722 B \quad \text{on linearized sRGB.}
    """
    rgb = np.asarray(ManimColor(color).to_rgb(), dtype=float)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ (0.2126, 0.7152, 0.0722))


@dataclass(frozen=True)
class Theme:
    """Colors that stay readable on a background: strokes and text contrast with it.

    ``foreground`` is for text, axes and main strokes, ``muted`` for secondary lines (grid,
    the background field), ``colormap`` for values (contour levels, magnitudes): viridis
    without the end that vanishes into the background.
    """

    background: ManimColor
    foreground: ManimColor
    muted: ManimColor
    colormap: tuple[str, ...]

    @classmethod
    def from_background(cls, background: ManimColor | str) -> Theme:
        """Dark strokes on a light background (luminance above 0.4), light ones otherwise."""
        background = ManimColor(background)
        if luminance(background) > 0.4:
            return cls(background, ManimColor("#1b1b1f"), ManimColor("#6f7079"), VIRIDIS[:-2])
        return cls(background, ManimColor("#e8e8ee"), ManimColor("#8a8d99"), VIRIDIS[2:])


class GradScene(Scene):
    """Base class of every gradscenes scene: the theme and the storyboard's click points.

    Examples
    --------
    .. manim:: LabeledLevels

        from gradcore import get_surface
        from scenes.helpers import GradScene, contour_labels, contour_map, level_colors, map_axes

        class LabeledLevels(GradScene):
            def construct(self):
                surface = get_surface("himmelblau")
                axes = map_axes(surface.domain, self.theme.foreground)
                levels = [10, 30, 60, 100, 200, 400]
                lines = contour_map(axes, surface, levels, level_colors(levels, self.theme.colormap))
                self.add(axes)
                self.play(Create(lines))
                self.pause()
                self.play(FadeIn(contour_labels(axes, lines, self.theme.background)))
    """

    @property
    def theme(self) -> Theme:
        """Colors derived from the camera's background color."""
        return Theme.from_background(self.camera.background_color)

    def pause(self) -> None:
        """Mark a natural click point of the storyboard (a slide break when presenting)."""

    def label(self, tex: str, color: ManimColor | str | None = None, font_size: float = 30) -> MathTex:
        """:func:`formula` in the theme's colors; ``color`` overrides the text's."""
        theme = self.theme
        return formula(tex, theme.foreground if color is None else color, theme.background, font_size=font_size)


def colormap(values: np.ndarray, vmin: float, vmax: float, stops: Sequence[str] = VIRIDIS) -> np.ndarray:
    """RGB colors ``(..., 3)`` in [0, 1] of ``values`` on the linear map ``vmin -> vmax`` over ``stops``.

    Values outside ``[vmin, vmax]`` take the end colors.
    """
    rgb = np.array([ManimColor(s).to_rgb() for s in stops])
    span = vmax - vmin if vmax > vmin else 1.0
    t = np.clip((np.asarray(values, dtype=float) - vmin) / span, 0.0, 1.0) * (len(stops) - 1)
    knots = np.arange(len(stops))
    return np.stack([np.interp(t, knots, rgb[:, i]) for i in range(3)], axis=-1)


def _colors(values: np.ndarray, vmin: float, vmax: float, stops: Sequence[str]) -> list[ManimColor]:
    return [ManimColor.from_rgb(c) for c in colormap(values, vmin, vmax, stops).reshape(-1, 3)]


def to_scene(axes: Axes, points: np.ndarray) -> np.ndarray:
    """Scene points ``(..., 3)`` of input-plane points ``(..., 2)`` under ``axes`` (an affine map)."""
    points = np.asarray(points, dtype=float)
    origin, ex, ey = (np.asarray(axes.c2p(*p), dtype=float) for p in ((0, 0), (1, 0), (0, 1)))
    return origin + points[..., :1] * (ex - origin) + points[..., 1:2] * (ey - origin)


def _nice_step(span: float, target: int = 5) -> float:
    """The 1, 2 or 5 times a power of ten nearest (in ratio) to ``span / target``."""
    raw = span / target
    power = 10 ** np.floor(np.log10(raw))
    return float(min((m * power for m in (1, 2, 5, 10)), key=lambda step: abs(np.log(step / raw))))


def _ticks(low: float, high: float, target: int = 5) -> np.ndarray:
    step = _nice_step(high - low, target)
    ticks = step * np.arange(np.ceil(low / step), np.floor(high / step) + 1)
    return np.round(ticks, 12) + 0.0  # no -0.0 or 1e-16 in labels


def domain_axes(
    domain: Domain,
    width: float,
    height: float,
    color: ManimColor | str,
    *,
    labels: tuple[str, str] = ("x", "y"),
    font_size: float = 22,
) -> Axes:
    """Axes for a map of ``domain`` at equal scale in x and y, fitting ``width`` x ``height``.

    Drawn like a plot frame: a box around the domain with tick numbers on its left and bottom
    edges and the axis names outside it (no lines crossing the map). Use ``axes.c2p`` or
    :func:`to_scene` to place things.
    """
    (xmin, xmax), (ymin, ymax) = domain
    unit = min(width / (xmax - xmin), height / (ymax - ymin))
    axes = Axes(
        x_range=[xmin, xmax, _nice_step(xmax - xmin)],
        y_range=[ymin, ymax, _nice_step(ymax - ymin)],
        x_length=unit * (xmax - xmin),
        y_length=unit * (ymax - ymin),
        tips=False,
        axis_config={"stroke_opacity": 0, "include_ticks": False},
    )
    corners = to_scene(axes, np.array([(xmin, ymin), (xmax, ymin), (xmax, ymax), (xmin, ymax)]))
    box = VMobject(stroke_color=color, stroke_width=1.5).set_points_as_corners([*corners, corners[0]])
    tick, numbers = 0.08, VGroup()
    for x in _ticks(xmin, xmax):
        bottom = axes.c2p(x, ymin)
        box.add(Line(bottom, bottom + tick * DOWN, stroke_color=color, stroke_width=1.5))
        numbers.add(_number(x, font_size, color).next_to(bottom + tick * DOWN, DOWN, buff=0.06))
    for y in _ticks(ymin, ymax):
        left = axes.c2p(xmin, y)
        box.add(Line(left, left + tick * LEFT, stroke_color=color, stroke_width=1.5))
        numbers.add(_number(y, font_size, color).next_to(left + tick * LEFT, LEFT, buff=0.06))
    x_name = MathTex(labels[0], font_size=font_size * 1.2, color=color)
    x_name.next_to(numbers, DOWN, buff=0.08).set_x(axes.c2p(0.5 * (xmin + xmax), ymin)[0])
    y_name = MathTex(labels[1], font_size=font_size * 1.2, color=color)
    y_name.next_to(numbers, LEFT, buff=0.12).set_y(axes.c2p(xmin, 0.5 * (ymin + ymax))[1])
    axes.add(box, numbers, x_name, y_name)
    return axes


MAP_CENTER = np.array([-2.8, 0.25, 0.0])
"""Where a scene's map (the input plane) sits: the left part of the frame."""
PANEL_LEFT = 1.3
"""Left edge of the text panel to the right of the map."""


def map_axes(
    domain: Domain, color: ManimColor | str, *, width: float = 6.6, height: float = 6.4, **kwargs: Any
) -> Axes:
    """:func:`domain_axes` with the domain's box centered on :data:`MAP_CENTER` (``kwargs`` go to it)."""
    axes = domain_axes(domain, width, height, color, **kwargs)
    center = to_scene(axes, np.mean(np.asarray(domain, dtype=float), axis=1))
    return axes.shift(MAP_CENTER - center)


def _number(value: float, font_size: float, color: ManimColor | str) -> DecimalNumber:
    decimals = 0 if float(value).is_integer() else len(f"{value:g}".split(".")[-1])
    return DecimalNumber(value, num_decimal_places=decimals, font_size=font_size, color=color)


def contour_map(
    axes: Axes,
    surface: Surface,
    levels: Sequence[float],
    colors: Sequence[ManimColor | str],
    *,
    domain: Domain | None = None,
    stroke_width: float = 2.0,
    resolution: int = 200,
) -> VGroup:
    """Level lines of ``surface`` from :func:`gradcore.level_sets`, one ``VGroup`` per level.

    ``colors`` gives one color per level (e.g. :func:`level_colors`, or one color repeated).
    Each level group keeps its :class:`~gradcore.levels.LevelSet` as ``group.level_set``.
    """
    if len(colors) != len(levels):
        raise ValueError(f"colors must give one color per level ({len(levels)}), got {len(colors)}")
    groups = VGroup()
    for level_set, color in zip(level_sets(surface, levels, domain=domain, resolution=resolution), colors):
        group = VGroup(
            *(
                VMobject(stroke_color=color, stroke_width=stroke_width).set_points_as_corners(to_scene(axes, line))
                for line in level_set.lines
                if len(line) > 1
            )
        )
        group.level_set = level_set
        groups.add(group)
    return groups


def level_arc(
    axes: Axes,
    surface: Surface,
    point: np.ndarray,
    color: ManimColor | str,
    *,
    radius: float = 1.0,
    stroke_width: float = 4.0,
) -> VMobject:
    """The piece of the level line through input-plane ``point`` within ``radius`` (scene units) of it.

    Traced by :func:`gradcore.level_sets` on a small box around the point, inside the axes' ranges.
    """
    point = np.asarray(point, dtype=float)
    unit = np.linalg.norm(to_scene(axes, np.array([1.0, 0.0])) - to_scene(axes, np.zeros(2)))
    r = 1.2 * radius / unit
    (x0, x1), (y0, y1) = axes.x_range[:2], axes.y_range[:2]
    box = ((max(x0, point[0] - r), min(x1, point[0] + r)), (max(y0, point[1] - r), min(y1, point[1] + r)))
    (level_set,) = level_sets(surface, [float(surface.value(point))], domain=box)
    lines = [to_scene(axes, line) for line in level_set.lines]
    at = to_scene(axes, point)
    line = min(lines, key=lambda p: np.min(np.linalg.norm(p - at, axis=1)))
    distance = np.linalg.norm(line - at, axis=1)
    i = int(np.argmin(distance))
    low, high = i, i
    while low > 0 and distance[low - 1] <= radius:
        low -= 1
    while high < len(line) - 1 and distance[high + 1] <= radius:
        high += 1
    return VMobject(stroke_color=color, stroke_width=stroke_width).set_points_as_corners(line[low : high + 1])


def round_levels(levels: Sequence[float]) -> np.ndarray:
    """About as many round numbers (1, 2 or 5 times a power of ten apart) over the range of ``levels``.

    Turns e.g. :func:`gradcore.default_levels` into levels whose labels read well.
    """
    levels = np.asarray(levels, dtype=float)
    return _ticks(levels.min(), levels.max(), len(levels))


def level_colors(levels: Sequence[float], stops: Sequence[str]) -> list[ManimColor]:
    """One color per level, spread over ``stops`` by the level's value."""
    levels = np.asarray(levels, dtype=float)
    return _colors(levels, levels.min(), levels.max(), stops)


def contour_labels(
    axes: Axes,
    contours: VGroup,
    background: ManimColor | str,
    *,
    font_size: float = 20,
    color: ManimColor | str | None = None,
    fmt: str = "{:.3g}",
    avoid: Sequence[np.ndarray] = (),
) -> VGroup:
    """Inline numbers on the level lines of :func:`contour_map`, like matplotlib's ``clabel``.

    Each line long enough gets at most one label, turned along the line where the line is
    nearly straight, on a box of ``background`` color that cuts a gap into it. A place is
    taken only if no other level's line, no earlier label and no polyline of ``avoid`` (scene
    points ``(n, 3)`` each, e.g. descent paths) comes under the box; among those, one with
    room to spare on the flattest stretch wins. Labels take their level's color unless
    ``color`` is given.
    """
    placed: list[np.ndarray] = []  # corner quads of labels placed so far
    others = [np.concatenate([_dense(line.points[::4, :2]) for line in g] or [np.empty((0, 2))]) for g in contours]
    box = _bounding_box(axes)
    labels = VGroup()
    for index, group in enumerate(contours):
        obstacles = np.concatenate([o for j, o in enumerate(others) if j != index] + [np.empty((0, 2))])
        obstacles = np.concatenate([obstacles, *(_dense(np.asarray(p, dtype=float)[:, :2]) for p in avoid)])
        for line in group:
            text = MathTex(fmt.format(group.level_set.level), font_size=font_size)
            text.set_color(color if color is not None else line.get_stroke_color())
            spot = _label_spot(line.points[::4, :2], text.width, text.height, obstacles, placed, box)
            if spot is None:
                continue
            center, angle, quad = spot
            placed.append(quad)
            label = VGroup(BackgroundRectangle(text, color=background, fill_opacity=1, buff=0.04), text)
            labels.add(label.rotate(angle).move_to([*center, 0.0]))
    return labels


def _dense(points: np.ndarray, spacing: float = 0.05) -> np.ndarray:
    """The polyline ``points`` resampled so consecutive points are at most ``spacing`` apart."""
    if len(points) < 2:
        return points
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))])
    s = np.linspace(0.0, arc[-1], max(2, int(arc[-1] / spacing) + 1))
    return np.stack([np.interp(s, arc, points[:, i]) for i in range(2)], axis=-1)


def _bounding_box(axes: Axes) -> np.ndarray:
    (x0, x1), (y0, y1) = (axes.x_range[:2], axes.y_range[:2])
    corners = to_scene(axes, np.array([(x0, y0), (x1, y1)]))[:, :2]
    return np.array([corners.min(axis=0), corners.max(axis=0)])


def _label_spot(
    points: np.ndarray,
    width: float,
    height: float,
    obstacles: np.ndarray,
    placed: list[np.ndarray],
    box: np.ndarray,
) -> tuple[np.ndarray, float, np.ndarray] | None:
    """Best (center, angle, corner quad) for a ``width`` x ``height`` label on a polyline, or None."""
    line = _dense(points)
    if len(line) < 3:
        return None
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(line, axis=0), axis=1))])
    if arc[-1] < 2.5 * width:
        return None
    margin, best, best_score = 0.06, None, (-np.inf, -np.inf)
    for s in np.arange(0.75 * width, arc[-1] - 0.75 * width, 0.25 * width):
        near = np.abs(arc - s) <= width / 2
        center = np.array([np.interp(s, arc, line[:, i]) for i in range(2)])
        chord = line[near][-1] - line[near][0]
        if np.linalg.norm(chord) < 1e-9:
            continue
        u = chord / np.linalg.norm(chord)
        n = np.array([-u[1], u[0]])
        if np.abs((line[near] - center) @ n).max() > 0.25 * height:  # too curved under the label
            continue
        half = np.array([width / 2 + margin, height / 2 + margin])
        quad = center + np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * half @ np.array([u, n])
        if np.any(quad < box[0] + margin) or np.any(quad > box[1] - margin):
            continue
        if any(_quads_overlap(quad, other) for other in placed):
            continue
        local = np.abs((obstacles - center) @ np.array([u, n]).T) - half
        room = np.max(local, axis=1).min() if len(local) else np.inf
        angle = np.arctan2(u[1], u[0])
        angle = angle - np.pi if angle > np.pi / 2 else angle + np.pi if angle <= -np.pi / 2 else angle
        score = (min(room, height), -abs(angle))  # enough room first, then the flattest
        if room > 0 and score > best_score:
            best, best_score = (center, angle, quad), score
    return best


def _quads_overlap(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two convex quadrilaterals ``(4, 2)`` overlap (separating axis test)."""
    for quad in (a, b):
        for edge in np.diff(np.vstack([quad, quad[:1]]), axis=0):
            axis = np.array([-edge[1], edge[0]])
            pa, pb = a @ axis, b @ axis
            if pa.max() < pb.min() or pb.max() < pa.min():
                return False
    return True


def vector_arrows(
    axes: Axes,
    tails: np.ndarray,
    vectors: np.ndarray,
    colors: ManimColor | str | Sequence[ManimColor | str],
    *,
    stroke_width: float = 3.0,
    tip_ratio: float = 0.35,
    tip_length: float = 0.2,
) -> VGroup:
    """Arrows from input-plane ``tails`` ``(n, 2)`` along ``vectors`` ``(n, 2)`` (input units).

    Zero vectors give no arrow. ``colors`` is one color or one per arrow. Tips are
    ``tip_length`` long (scene units), at most ``tip_ratio`` of the arrow.
    """
    tails, vectors = np.asarray(tails, dtype=float).reshape(-1, 2), np.asarray(vectors, dtype=float).reshape(-1, 2)
    if isinstance(colors, (str, ManimColor)):
        colors = [colors] * len(tails)
    starts, ends = to_scene(axes, tails), to_scene(axes, tails + vectors)
    return VGroup(
        *(
            Arrow(
                start,
                end,
                buff=0,
                color=color,
                stroke_width=stroke_width,
                tip_length=tip_length,
                max_tip_length_to_length_ratio=tip_ratio,
                max_stroke_width_to_length_ratio=20,
            )
            for start, end, vector, color in zip(starts, ends, vectors, colors)
            if np.any(vector != 0)
        )
    )


class ArrowField(VGroup):
    """The arrows of :func:`gradient_field`, with the numbers they were drawn from.

    Attributes
    ----------
    centers, gradients : ndarray, shape (n, 2)
        Grid points (arrow centers) and :math:`\\nabla f` there (from gradcore), one row
        per arrow (a zero gradient draws no arrow and is left out).
    magnitudes : ndarray, shape (n,)
        :math:`\\|\\nabla f\\|`.
    vectors : ndarray, shape (n, 2)
        The drawn arrows in input units (scaled, normalized or clipped).
    clipped : ndarray of bool, shape (n,)
        Arrows cut to the length of ``clip_magnitude``.
    length_scale : float or None
        The factor :math:`s` of the arrows :math:`s \\nabla f` (None when normalized).
    """


def gradient_field(
    axes: Axes,
    surface: Surface,
    domain: Domain,
    *,
    shape: tuple[int, int] = (15, 15),
    normalize: bool = False,
    clip_magnitude: float | None = None,
    color: ManimColor | str | None = None,
    stops: Sequence[str] | None = None,
    clip_color: ManimColor | str | None = None,
    stroke_width: float = 3.0,
) -> ArrowField:
    r"""Arrows of :math:`\nabla f` at the centers of a ``shape = (nx, ny)`` grid of cells over ``domain``.

    Each arrow is centered on its grid point, so it stays in its cell. Length:
    :math:`s\,\nabla f`, with :math:`s` chosen so an arrow of magnitude
    ``clip_magnitude`` (default: the largest) fills 0.9 of a cell; longer ones are cut to that
    length (:func:`gradcore.fields.clip_length`) and take ``clip_color`` if given. With
    ``normalize`` all arrows are 0.8 of a cell long. Color: ``color``, or ``stops`` colored
    by magnitude from 0 to the largest.

    Examples
    --------
    .. manim:: SaddleField

        from gradcore import get_surface
        from scenes.helpers import GradScene, gradient_field, map_axes

        class SaddleField(GradScene):
            def construct(self):
                surface = get_surface("saddle")
                axes = map_axes(surface.domain, self.theme.foreground)
                field = gradient_field(axes, surface, surface.domain, stops=self.theme.colormap)
                self.add(axes)
                self.play(LaggedStart(*(GrowArrow(a) for a in field), lag_ratio=0.02))
    """
    (xmin, xmax), (ymin, ymax) = domain
    nx, ny = shape
    cx, cy = (xmax - xmin) / nx, (ymax - ymin) / ny
    inner = ((xmin + cx / 2, xmax - cx / 2), (ymin + cy / 2, ymax - cy / 2))
    points = grid(inner, shape).reshape(-1, 2)
    gradients = surface.gradient(points)
    magnitudes = np.linalg.norm(gradients, axis=-1)
    cell = min(cx, cy)
    clipped = np.zeros(len(points), dtype=bool)
    if normalize:
        vectors, scale = normalized(gradients) * 0.8 * cell, None
    else:
        scale = 0.9 * cell / (magnitudes.max() if clip_magnitude is None else clip_magnitude)
        vectors = scale * gradients
        if clip_magnitude is not None:
            vectors, clipped = clip_length(vectors, scale * clip_magnitude)
    if stops is not None:
        colors = _colors(magnitudes, 0.0, magnitudes.max(), stops)
    else:
        colors = [color] * len(points)
    if clip_color is not None:
        colors = [clip_color if c else k for k, c in zip(colors, clipped)]
    keep = np.any(vectors != 0, axis=-1)  # a zero gradient draws no arrow
    colors = np.array(colors, dtype=object)[keep]
    tails = points[keep] - vectors[keep] / 2
    field = ArrowField(*vector_arrows(axes, tails, vectors[keep], colors, stroke_width=stroke_width))
    field.centers, field.gradients, field.magnitudes, field.vectors, field.clipped = (
        points[keep], gradients[keep], magnitudes[keep], vectors[keep], clipped[keep],
    )
    field.length_scale = scale
    return field


def color_bar(
    vmin: float,
    vmax: float,
    stops: Sequence[str],
    color: ManimColor | str,
    *,
    height: float = 4.0,
    width: float = 0.3,
    ticks: int = 5,
    decimals: int = 1,
    title: str | None = None,
    font_size: float = 24,
) -> VGroup:
    """A vertical color bar for ``vmin -> vmax`` over ``stops``, with ``ticks`` numbers.

    The numbers are :class:`~manim.DecimalNumber` at ``linspace(vmin, vmax, ticks)``; the
    top one shows ``vmax``. Returns ``VGroup(strip, numbers[, title])`` with
    ``bar.numbers`` for reading the values back.
    """
    slices = 64
    strip = VGroup(
        *(
            Rectangle(width=width, height=height / slices, stroke_width=0, fill_opacity=1, fill_color=c)
            for c in _colors(np.linspace(vmin, vmax, slices), vmin, vmax, stops)
        )
    ).arrange(UP, buff=0)
    strip.add(Rectangle(width=width, height=height, stroke_color=color, stroke_width=1.5))
    numbers = VGroup()
    for value in np.linspace(vmin, vmax, ticks):
        y = strip.get_bottom()[1] + (value - vmin) / (vmax - vmin) * height
        right = strip.get_right()[0]
        mark = Line([right, y, 0], [right + 0.1, y, 0], stroke_color=color, stroke_width=1.5)
        strip.add(mark)
        number = DecimalNumber(value, num_decimal_places=decimals, font_size=font_size, color=color)
        numbers.add(number.next_to(mark, buff=0.08))
    bar = VGroup(strip, numbers)
    if title is not None:
        bar.add(MathTex(title, font_size=font_size * 1.15, color=color).next_to(strip, UP, buff=0.2))
    bar.numbers = numbers
    return bar


def faded(stops: Sequence[str], background: ManimColor | str, opacity: float) -> tuple[str, ...]:
    """Color-map ``stops`` seen at ``opacity`` over ``background`` (for maps under arrows)."""
    back = np.asarray(ManimColor(background).to_rgb())
    rgb = [opacity * np.asarray(ManimColor(s).to_rgb()) + (1 - opacity) * back for s in stops]
    return tuple(ManimColor.from_rgb(c).to_hex() for c in rgb)


def height_map(
    axes: Axes,
    surface: Surface,
    domain: Domain,
    stops: Sequence[str],
    *,
    resolution: int = 160,
    bands: int = 32,
) -> VGroup:
    """``surface.value`` over ``domain`` as cells colored by ``stops``.

    The ``resolution`` columns of cells (square cells) are colored in ``bands`` steps from the
    lowest to the highest value, like a filled contour plot; each band is one ``VMobject``
    made of runs of cells, so the map draws fast. The value range is kept as
    ``shade.value_range`` (for a :func:`color_bar`). (Manim 0.22's ``ImageMobject`` does not
    render with Pillow >= 11.3 in the Cairo renderer.)
    """
    (xmin, xmax), (ymin, ymax) = domain
    nx, ny = resolution, max(1, round(resolution * (ymax - ymin) / (xmax - xmin)))
    xs, ys = np.linspace(xmin, xmax, nx + 1), np.linspace(ymin, ymax, ny + 1)
    centers = np.stack(np.meshgrid((xs[:-1] + xs[1:]) / 2, (ys[:-1] + ys[1:]) / 2), axis=-1)
    values = surface.value(centers)
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    band = np.clip(((values - low) / (high - low) * bands).astype(int), 0, bands - 1)
    rgb = colormap((np.arange(bands) + 0.5) / bands, 0, 1, stops)
    shade = VGroup()
    for k in range(bands):
        rows, starts, ends = _runs(band == k)
        if len(rows) == 0:
            continue
        corners = np.stack(
            [
                np.stack([xs[starts], ys[rows]], axis=-1),
                np.stack([xs[ends], ys[rows]], axis=-1),
                np.stack([xs[ends], ys[rows + 1]], axis=-1),
                np.stack([xs[starts], ys[rows + 1]], axis=-1),
            ],
            axis=1,
        )
        start = to_scene(axes, corners)  # (n, 4, 3)
        side = np.roll(start, -1, axis=1) - start
        t = np.array([0, 1 / 3, 2 / 3, 1])[:, None]
        segments = start[:, :, None, :] + t * side[:, :, None, :]  # (n, 4 sides, 4 Bezier points, 3)
        color = ManimColor.from_rgb(rgb[k])
        cells = VMobject(fill_color=color, fill_opacity=1, stroke_color=color, stroke_width=0.6)
        shade.add(cells.set_points(segments.reshape(-1, 3)))
    shade.value_range = (low, high)
    return shade


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, first column, end column) of every run of True in each row of a 2-D ``mask``."""
    padded = np.pad(mask.astype(np.int8), ((0, 0), (1, 1)))
    edges = np.diff(padded, axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)
    return rows, starts, ends


class Trail(VGroup):
    """A dot that walks along precomputed scene ``points`` ``(n, 3)``, drawing its path behind it.

    The position is ``tracker``'s value in steps (2.5 is halfway between ``points[2]`` and
    ``points[3]``); animate the tracker, e.g. ``tracker.animate.set_value(10)``. Several
    trails may share one tracker. Nothing is integrated per frame: the path is data.

    Examples
    --------
    .. manim:: AdamOnRosenbrock

        from gradcore import get_surface
        from gradcore.descent import descend
        from gradcore.optimizers import adam
        from scenes.helpers import GradScene, Trail, map_axes, to_scene

        class AdamOnRosenbrock(GradScene):
            def construct(self):
                surface = get_surface("rosenbrock")
                path = descend(surface, (-1.5, 2.0), adam(0.1), steps=500)
                axes = map_axes(surface.domain, self.theme.foreground)
                step = ValueTracker(0)
                self.add(axes, Trail(to_scene(axes, path.points), step, RED))
                self.play(step.animate.set_value(path.n_steps), run_time=4, rate_func=linear)
    """

    def __init__(
        self,
        points: np.ndarray,
        tracker: ValueTracker,
        color: ManimColor | str,
        *,
        stroke_width: float = 3.0,
        dot_radius: float = 0.07,
    ) -> None:
        super().__init__()
        self.path_points = np.asarray(points, dtype=float)
        self.tracker = tracker
        self.line = VMobject(stroke_color=color, stroke_width=stroke_width)
        self.dot = Dot(self.path_points[0], radius=dot_radius, color=color)
        self.add(self.line, self.dot)
        self.add_updater(lambda trail: trail.follow())
        self.follow()

    def position(self, t: float) -> np.ndarray:
        """The scene point at step ``t`` (linear between steps, held at the ends)."""
        last = len(self.path_points) - 1
        t = float(np.clip(t, 0, last))
        i = min(int(t), max(last - 1, 0))
        return self.path_points[i] + (t - i) * (self.path_points[min(i + 1, last)] - self.path_points[i])

    def follow(self) -> None:
        """Move the dot to the tracker's step and redraw the path up to it."""
        t = float(np.clip(self.tracker.get_value(), 0, len(self.path_points) - 1))
        here = self.position(t)
        self.line.set_points_as_corners([*self.path_points[: int(t) + 1], here])
        self.dot.move_to(here)


def step_arrows(
    axes: Axes,
    points: np.ndarray,
    color: ManimColor | str,
    *,
    shrink: float = 0.8,
    stroke_width: float = 3.0,
) -> VGroup:
    """Arrows from each point of a discrete path ``(n, 2)`` towards the next, ``shrink`` of the way."""
    points = np.asarray(points, dtype=float)
    steps = np.diff(points, axis=0)
    return vector_arrows(axes, points[:-1], shrink * steps, color, stroke_width=stroke_width, tip_ratio=0.4)


def formula(tex: str, color: ManimColor | str, background: ManimColor | str, *, font_size: float = 34) -> MathTex:
    """``MathTex`` on a translucent ``background`` box so it stays readable over a map."""
    label = MathTex(tex, font_size=font_size, color=color)
    return label.add_background_rectangle(color=background, opacity=0.85, buff=0.1)


def right_angle_mark(
    corner: np.ndarray,
    u: np.ndarray,
    v: np.ndarray,
    color: ManimColor | str,
    *,
    size: float = 0.18,
    stroke_width: float = 2.0,
) -> VMobject:
    """The small square corner at scene point ``corner`` between directions ``u`` and ``v``."""
    corner = np.asarray(corner, dtype=float)
    u, v = (size * np.asarray(w, dtype=float) / np.linalg.norm(w) for w in (u, v))
    return VMobject(stroke_color=color, stroke_width=stroke_width).set_points_as_corners(
        [corner + u, corner + u + v, corner + v]
    )


def cross_marker(
    point: np.ndarray, color: ManimColor | str, *, size: float = 0.14, stroke_width: float = 5.0
) -> VGroup:
    """An x-shaped marker centered at scene ``point`` (e.g. where a descent ended)."""
    point = np.asarray(point, dtype=float)
    d1, d2 = size * np.array([1, 1, 0]), size * np.array([1, -1, 0])
    return VGroup(
        Line(point - d1, point + d1, stroke_color=color, stroke_width=stroke_width),
        Line(point - d2, point + d2, stroke_color=color, stroke_width=stroke_width),
    )


# --- 3-D: graphs z = f(x, y) in ThreeDAxes -------------------------------------------------


def surface_axes(
    surface: Surface,
    domain: Domain | None = None,
    *,
    lengths: tuple[float, float, float] = (6.0, 6.0, 3.0),
    samples: int = 60,
) -> ThreeDAxes:
    """``ThreeDAxes`` over ``domain`` (default ``surface.domain``) whose z range holds the graph.

    The z range is the values' range on a ``samples``-grid, rounded out to a nice step.
    """
    (xmin, xmax), (ymin, ymax) = surface.domain if domain is None else domain
    values = surface.value(grid(((xmin, xmax), (ymin, ymax)), shape=(samples, samples)))
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    z_step = _nice_step(high - low, 4)
    z_range = (np.floor(low / z_step) * z_step, np.ceil(high / z_step) * z_step, z_step)
    x_length, y_length, z_length = lengths
    return ThreeDAxes(
        x_range=(xmin, xmax, _nice_step(xmax - xmin)),
        y_range=(ymin, ymax, _nice_step(ymax - ymin)),
        z_range=z_range,
        x_length=x_length,
        y_length=y_length,
        z_length=z_length,
        axis_config={"include_ticks": False, "stroke_width": 1.5},
    )


def shaded_surface(
    axes: ThreeDAxes,
    surface: Surface,
    stops: Sequence[str],
    mesh_color: ManimColor | str,
    *,
    resolution: int = 24,
) -> FastSurface | ManimSurface:
    """The graph of ``surface`` over ``axes``' box as a :class:`FastSurface`, each face colored
    by ``surface.value`` at its center on ``stops`` over the z range of ``axes``, with thin
    ``mesh_color`` lines; as Manim's ``Surface`` when ``GRADSCENES_STOCK_3D=1``."""
    mesh = FastSurface.from_surface(surface, axes, axes_domain(axes), resolution=resolution)
    centers = np.asarray(axes.point_to_coords(mesh.face_centers()))[:, :2]
    low, high = axes.z_range[:2]
    mesh.set_face_colors(colormap(surface.value(centers), low, high, stops))
    mesh.set_stroke(mesh_color, width=0.4, opacity=0.5)
    return mesh.to_stock() if stock_3d() else mesh


def surface_points(axes: ThreeDAxes, surface: Surface, points: np.ndarray, lift: float = 0.0) -> np.ndarray:
    r"""Scene points ``(..., 3)`` on the graph above input points ``(..., 2)``, moved ``lift``
    scene units along the graph's upward unit normal in the scene.

    With :math:`e_x, e_y, e_z` the scene vectors of one unit along each axis, the graph
    :math:`S(x, y) = O + x e_x + y e_y + f e_z` has the normal

    .. math:: n \propto (e_x + f_x e_z) \times (e_y + f_y e_z),

    so a ball of radius ``lift`` centered there touches the graph at :math:`S`.
    """
    points = np.asarray(points, dtype=float)
    origin = np.asarray(axes.c2p(0, 0, 0), dtype=float)
    ex, ey, ez = (np.asarray(axes.c2p(*e), dtype=float) - origin for e in np.eye(3))
    gradient = surface.gradient(points)
    on_graph = origin + points[..., :1] * ex + points[..., 1:2] * ey + surface.value(points)[..., None] * ez
    normal = np.cross(ex + gradient[..., :1] * ez, ey + gradient[..., 1:2] * ez)
    normal *= np.sign(normal @ ez)[..., None]
    return on_graph + lift * normal / np.linalg.norm(normal, axis=-1, keepdims=True)


def floor_points(axes: ThreeDAxes, points: np.ndarray) -> np.ndarray:
    """Scene points ``(..., 3)`` of input points ``(..., 2)`` on the floor (the lowest z of ``axes``)."""
    points = np.asarray(points, dtype=float)
    z = np.full(points.shape[:-1] + (1,), axes.z_range[0])
    return np.asarray(axes.c2p(np.concatenate([points, z], axis=-1)), dtype=float)


def surface_levels(
    axes: ThreeDAxes,
    surface: Surface,
    levels: Sequence[float],
    colors: Sequence[ManimColor | str],
    *,
    on_floor: bool = False,
    lift: float = 0.08,
    stroke_width: float = 2.0,
    piece: int = 1,
    resolution: int = 60,
) -> VGroup:
    """Level lines of ``surface`` at ``levels``, on the graph (``lift`` above it) or on the floor,
    traced on a ``resolution`` grid: a :class:`SurfaceLine` per line, depth-sorted among the
    graph's faces ``piece`` segments at a time, so the graph hides the parts behind it (with
    ``GRADSCENES_STOCK_3D=1``, the pieces as separate VMobjects for stock Manim).
    """
    lines = VGroup()
    for level_set, color in zip(level_sets(surface, levels, axes_domain(axes), resolution), colors, strict=True):
        for line in level_set.lines:
            scene = floor_points(axes, line) if on_floor else surface_points(axes, surface, line, lift)
            mob = SurfaceLine(scene, piece_curves=piece, stroke_color=color, stroke_width=stroke_width)
            lines.add(mob.to_stock() if stock_3d() else mob)
    return lines


def axes_domain(axes: ThreeDAxes) -> Domain:
    """The input-plane box ``((xmin, xmax), (ymin, ymax))`` of ``axes``."""
    return (tuple(axes.x_range[:2]), tuple(axes.y_range[:2]))


class BallTrail(VGroup):
    """A ball rolling on a graph along precomputed input points ``(n, 2)``, its path drawn on the graph.

    The ball (a ``Dot3D`` of ``radius``) has its center ``radius`` along the normal above the
    graph, so it touches the graph without sinking in; the trail is drawn ``trail_lift`` above
    it. ``tracker``'s value is the sample index (2.5: halfway between samples 2 and 3).
    """

    def __init__(
        self,
        axes: ThreeDAxes,
        surface: Surface,
        points: np.ndarray,
        tracker: ValueTracker,
        color: ManimColor | str,
        *,
        radius: float = 0.12,
        stroke_width: float = 3.0,
        trail_lift: float = 0.02,
    ) -> None:
        super().__init__()
        self.input_points = np.asarray(points, dtype=float)
        self.centers = surface_points(axes, surface, self.input_points, radius)
        self.trail_points = surface_points(axes, surface, self.input_points, trail_lift)
        self.tracker = tracker
        self.line = VMobject(stroke_color=color, stroke_width=stroke_width)
        self.ball = Dot3D(self.centers[0], radius=radius, color=color, resolution=(8, 8))
        self.add(self.line, self.ball)
        self.add_updater(lambda trail: trail.follow())
        self.follow()

    def _index(self) -> float:
        return float(np.clip(self.tracker.get_value(), 0, len(self.centers) - 1))

    def input_point(self) -> np.ndarray:
        """The input point ``(2,)`` at the tracker's index (linear between samples)."""
        return _along(self.input_points, self._index())

    def follow(self) -> None:
        """Move the ball to the tracker's index and redraw the trail up to it."""
        t = self._index()
        self.line.set_points_as_corners([*self.trail_points[: int(t) + 1], _along(self.trail_points, t)])
        self.ball.move_to(_along(self.centers, t))


def _along(points: np.ndarray, t: float) -> np.ndarray:
    """``points`` at fractional index ``t`` (linear between samples)."""
    i = min(int(t), max(len(points) - 2, 0))
    return points[i] + (t - i) * (points[min(i + 1, len(points) - 1)] - points[i])
