r"""Graphs :math:`z = f(x, y)` of gradcore surfaces in ``ThreeDAxes``: the axes, the shaded graph,
points on it and on the floor below, and level lines on either.

The graph is drawn where it can be: :func:`graph_range` picks the heights (finite values, a
pole cut short, a constant given room) and :func:`shaded_surface` leaves out the faces beyond
them; :func:`on_graph` and :func:`drawn_part` tell which points of a path lie on what is drawn.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from manim import ManimColor, ThreeDAxes, VGroup

from gradcore.fields import grid
from gradcore.levels import level_sets, spaced_levels
from gradcore.outcome import RAN_OUT, status_words
from gradcore.surface import Domain, Surface
from scenes.kit.axes import nice_step
from scenes.kit.scene3d import three_d_mode
from scenes.kit.surface3d import FastSurface, SurfaceLine
from scenes.kit.theme import colormap

if TYPE_CHECKING:
    from manim import Surface as ManimSurface

__all__ = [
    "axes_domain",
    "drawn_part",
    "ending",
    "floor_points",
    "graph_levels",
    "graph_range",
    "on_graph",
    "shaded_surface",
    "surface_axes",
    "surface_levels",
    "surface_points",
]


def surface_axes(
    surface: Surface,
    domain: Domain | None = None,
    *,
    color: ManimColor | str = "#8a8d99",
    lengths: tuple[float, float, float] = (6.0, 6.0, 3.0),
    samples: int = 50,
) -> ThreeDAxes:
    """``ThreeDAxes`` in ``color`` (all of it: no sheen) over ``domain`` (default
    ``surface.domain``) whose z range holds the graph where it can be drawn.

    The z range is :func:`graph_range` (on a ``samples`` grid): the graph fills the height
    ``lengths[2]``, and is cut where it leaves that range (:func:`shaded_surface`).
    """
    (xmin, xmax), (ymin, ymax) = surface.domain if domain is None else domain
    low, high = graph_range(surface, ((xmin, xmax), (ymin, ymax)), samples)
    x_length, y_length, z_length = lengths
    axes = ThreeDAxes(
        x_range=(xmin, xmax, nice_step(xmax - xmin)),
        y_range=(ymin, ymax, nice_step(ymax - ymin)),
        z_range=(low, high, nice_step(high - low, 4)),
        x_length=x_length,
        y_length=y_length,
        z_length=z_length,
        axis_config={"include_ticks": False, "stroke_width": 1.5, "color": color},
    )
    return axes.set_sheen(0).set_color(color)  # not lightened at one end, which could fade out


def graph_range(surface: Surface, domain: Domain, samples: int = 50) -> tuple[float, float]:
    """``(low, high)``: the heights of the graph of ``surface`` worth drawing over ``domain``.

    The range of the finite values on a grid 4 times finer than ``samples`` x ``samples``,
    except at an end that runs away as the grid gets finer (it reaches more than half the
    coarse grid's range beyond it: a pole, as of :math:`1/(x - y)` at :math:`x = y`); that end
    is cut to the 5th or 95th percentile, so the rest still reads. A constant :math:`c` (or a
    range too narrow to show) gets :math:`c \\pm \\max(1, |c|) / 2`.

    Examples
    --------
    >>> from gradcore import from_expression
    >>> graph_range(from_expression("3"), ((-1, 1), (-1, 1)))
    (1.5, 4.5)
    >>> low, high = graph_range(from_expression("1/(x - y)"), ((-3, 3), (-3, 3)))
    >>> bool(-5 < low < -2 and 2 < high < 5)  # not the 33 next to x = y on the fine grid
    True
    """
    coarse, fine = (_finite_values(surface, domain, n) for n in (samples, 4 * samples))
    if fine.size == 0:
        return (-0.5, 0.5)
    low, high = float(fine.min()), float(fine.max())
    if coarse.size:
        spread = coarse.max() - coarse.min()
        p5, p95 = np.percentile(fine, [5, 95])  # where the bulk ends
        if high - coarse.max() > spread / 2:
            high = float(p95)
        if coarse.min() - low > spread / 2:
            low = float(p5)
    middle = (low + high) / 2
    if high - low <= 1e-9 * max(1.0, abs(middle)):
        half = max(1.0, abs(middle)) / 2
        low, high = middle - half, middle + half
    return low, high


def _finite_values(surface: Surface, domain: Domain, samples: int) -> np.ndarray:
    with np.errstate(all="ignore"):
        values = np.asarray(surface.value(grid(domain, shape=(samples, samples))), dtype=float).ravel()
    return values[np.isfinite(values)]


def graph_levels(axes: ThreeDAxes, n: int, spacing: str = "linear") -> np.ndarray:
    """``n`` levels strictly inside the z range of ``axes`` (the drawn heights,
    :func:`graph_range`), spaced ``"linear"`` or ``"log"`` as :func:`gradcore.default_levels`
    spaces them over a surface's range (:func:`gradcore.spaced_levels`)."""
    return spaced_levels(*axes.z_range[:2], n, spacing)


def axes_domain(axes: ThreeDAxes) -> Domain:
    """The input-plane box ``((xmin, xmax), (ymin, ymax))`` of ``axes``."""
    return (tuple(axes.x_range[:2]), tuple(axes.y_range[:2]))


def shaded_surface(
    axes: ThreeDAxes,
    surface: Surface,
    stops: Sequence[str],
    mesh_color: ManimColor | str,
    *,
    resolution: int = 24,
) -> FastSurface | ManimSurface:
    """The graph of ``surface`` over ``axes``' box as a :class:`~scenes.kit.surface3d.FastSurface`,
    each face colored by ``surface.value`` at its center on ``stops`` over the z range of
    ``axes``, with thin ``mesh_color`` lines, left out where it is not finite or leaves the
    z range of ``axes`` (:meth:`~scenes.kit.surface3d.FastSurface.from_surface`); as Manim's
    ``Surface`` when ``GRADSCENES_STOCK_3D=1`` (:func:`~scenes.kit.scene3d.three_d_mode`)."""
    mesh = FastSurface.from_surface(surface, axes, axes_domain(axes), resolution=resolution)
    centers = np.asarray(axes.point_to_coords(mesh.face_centers()))[:, :2]
    low, high = axes.z_range[:2]
    with np.errstate(all="ignore"):
        values = np.nan_to_num(surface.value(centers), nan=low)  # faces left out where not finite
    mesh.set_face_colors(colormap(values, low, high, stops))
    mesh.set_stroke(mesh_color, width=0.4, opacity=0.5)
    return three_d_mode().surface(mesh)


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


def ending(status: str, points: np.ndarray, drawn: np.ndarray) -> str:
    """What to say on screen about a path that ended with ``status`` (of
    :func:`gradcore.descend`, :func:`gradcore.roll`...), of which ``drawn`` (the leading part of
    ``points``, see :func:`drawn_part`) is shown: ``"left the drawn graph"`` where it was cut
    short (unless it diverged), else gradcore's words for ``status``
    (:func:`gradcore.outcome.status_words`), nothing (``""``) for a run that merely used up its
    steps or time (:data:`gradcore.outcome.RAN_OUT`)."""
    if len(drawn) < len(points) and status != "diverged":
        return "left the drawn graph"
    return status_words(status, quiet=RAN_OUT)


def on_graph(axes: ThreeDAxes, surface: Surface, points: np.ndarray) -> np.ndarray:
    """Whether each input point ``(..., 2)`` lies on the drawn graph: inside the box of
    ``axes``, where :math:`f` and its gradient are finite and :math:`f` is within the z range
    (up to 1% of it)."""
    points = np.asarray(points, dtype=float)
    (xmin, xmax), (ymin, ymax) = axes_domain(axes)
    low, high = axes.z_range[:2]
    slack = 0.01 * (high - low)
    with np.errstate(all="ignore"):
        values = np.asarray(surface.value(points), dtype=float)
        finite = np.isfinite(values) & np.all(np.isfinite(surface.gradient(points)), axis=-1)
    x, y = points[..., 0], points[..., 1]
    inside = (xmin <= x) & (x <= xmax) & (ymin <= y) & (y <= ymax)
    return finite & inside & (values >= low - slack) & (values <= high + slack)


def drawn_part(axes: ThreeDAxes, surface: Surface, points: np.ndarray) -> np.ndarray:
    """The leading input points ``(k, 2)`` of a path ``(n, 2)`` that lie on the drawn graph
    (:func:`on_graph`); at least the first point (a start is chosen where the graph is drawn)."""
    points = np.asarray(points, dtype=float)
    drawn = on_graph(axes, surface, points)
    return points[: len(points) if drawn.all() else max(1, int(np.argmin(drawn)))]


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
    traced on a ``resolution`` grid where the surface is finite: a
    :class:`~scenes.kit.surface3d.SurfaceLine` per line (cut where a point is not finite),
    depth-sorted among the graph's faces ``piece`` segments at a time, so the graph hides the
    parts behind it; lines on the floor are ``beneath`` the graph, drawn before it whole when
    seen from above (with ``GRADSCENES_STOCK_3D=1``, the pieces as separate VMobjects for stock
    Manim).
    """
    mode = three_d_mode()
    lines = VGroup()
    origin = np.asarray(axes.c2p(0, 0, 0), dtype=float)
    up = np.asarray(axes.c2p(0, 0, 1), dtype=float) - origin
    beneath = up / np.linalg.norm(up) if on_floor else None  # the floor is under the graph
    # drop_jumps=False: on this coarse grid the cut would take vertices near a minimum too (_finite_runs cuts)
    traced = level_sets(surface, levels, axes_domain(axes), resolution, drop_jumps=False)
    for level_set, color in zip(traced, colors, strict=True):
        for line in level_set.lines:
            with np.errstate(all="ignore"):
                scene = floor_points(axes, line) if on_floor else surface_points(axes, surface, line, lift)
            for part in _finite_runs(scene):
                line = SurfaceLine(part, piece_curves=piece, beneath=beneath, stroke_color=color, stroke_width=stroke_width)
                lines.add(mode.line(line))
    return lines


def _finite_runs(points: np.ndarray) -> list[np.ndarray]:
    """The runs of at least 2 consecutive finite rows of ``points`` ``(n, 3)``."""
    finite = np.all(np.isfinite(points), axis=-1)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], finite.astype(int), [0]])))
    return [points[start:end] for start, end in zip(edges[::2], edges[1::2]) if end - start >= 2]
