r"""Graphs :math:`z = f(x, y)` of gradcore surfaces in ``ThreeDAxes``: the axes, the shaded graph,
points on it and on the floor below, and level lines on either."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np
from manim import ManimColor, ThreeDAxes, VGroup

from gradcore.fields import grid
from gradcore.levels import level_sets
from gradcore.surface import Domain, Surface
from scenes.kit.axes import nice_step
from scenes.kit.scene3d import three_d_mode
from scenes.kit.surface3d import FastSurface, SurfaceLine
from scenes.kit.theme import colormap

if TYPE_CHECKING:
    from manim import Surface as ManimSurface

__all__ = ["axes_domain", "floor_points", "shaded_surface", "surface_axes", "surface_levels", "surface_points"]


def surface_axes(
    surface: Surface,
    domain: Domain | None = None,
    *,
    lengths: tuple[float, float, float] = (6.0, 6.0, 3.0),
    samples: int = 60,
) -> ThreeDAxes:
    """``ThreeDAxes`` over ``domain`` (default ``surface.domain``) whose z range holds the graph.

    The z range is the values' range on a ``samples``-grid, rounded out to a nice step; a
    constant surface gets a range of one step around its value.
    """
    (xmin, xmax), (ymin, ymax) = surface.domain if domain is None else domain
    values = surface.value(grid(((xmin, xmax), (ymin, ymax)), shape=(samples, samples)))
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    z_step = nice_step(high - low, 4)
    z_low, z_high = np.floor(low / z_step) * z_step, np.ceil(high / z_step) * z_step
    if z_high == z_low:
        z_high = z_low + z_step
    x_length, y_length, z_length = lengths
    return ThreeDAxes(
        x_range=(xmin, xmax, nice_step(xmax - xmin)),
        y_range=(ymin, ymax, nice_step(ymax - ymin)),
        z_range=(z_low, z_high, z_step),
        x_length=x_length,
        y_length=y_length,
        z_length=z_length,
        axis_config={"include_ticks": False, "stroke_width": 1.5},
    )


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
    ``axes``, with thin ``mesh_color`` lines; as Manim's ``Surface`` when
    ``GRADSCENES_STOCK_3D=1`` (:func:`~scenes.kit.scene3d.three_d_mode`)."""
    mesh = FastSurface.from_surface(surface, axes, axes_domain(axes), resolution=resolution)
    centers = np.asarray(axes.point_to_coords(mesh.face_centers()))[:, :2]
    low, high = axes.z_range[:2]
    mesh.set_face_colors(colormap(surface.value(centers), low, high, stops))
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
    traced on a ``resolution`` grid: a :class:`~scenes.kit.surface3d.SurfaceLine` per line,
    depth-sorted among the graph's faces ``piece`` segments at a time, so the graph hides the
    parts behind it (with ``GRADSCENES_STOCK_3D=1``, the pieces as separate VMobjects for stock
    Manim).
    """
    mode = three_d_mode()
    lines = VGroup()
    for level_set, color in zip(level_sets(surface, levels, axes_domain(axes), resolution), colors, strict=True):
        for line in level_set.lines:
            scene = floor_points(axes, line) if on_floor else surface_points(axes, surface, line, lift)
            lines.add(mode.line(SurfaceLine(scene, piece_curves=piece, stroke_color=color, stroke_width=stroke_width)))
    return lines
