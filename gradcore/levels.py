"""Level sets :math:`\\{p : f(p) = c\\}` as polylines (via contourpy), and their tangents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import contourpy
import numpy as np

from gradcore.fields import grid, normalized
from gradcore.surface import Surface, check_domain, check_finite

__all__ = ["LevelSet", "default_levels", "level_sets", "level_tangent"]

_CLOSEPOLY = 79  # contourpy's (and matplotlib's) code of a closing vertex


@dataclass(frozen=True, eq=False)
class LevelSet:
    """The polylines (each ``(m, 2)``) of one level; ``closed[i]`` tells whether ``lines[i]`` is a loop.

    A closed line repeats its first point at the end.
    """

    level: float
    lines: tuple[np.ndarray, ...]
    closed: tuple[bool, ...]


def level_sets(surface: Surface, levels: Iterable[float], domain: Any = None, resolution: int = 200) -> list[LevelSet]:
    r"""The level sets of ``surface`` at ``levels`` over ``domain`` (default: the surface's).

    contourpy traces them on a ``resolution x resolution`` grid; each vertex is
    then moved onto the exact level set by Newton steps along the gradient,

    .. math:: p \leftarrow p - \frac{f(p) - c}{|\nabla f(p)|^2} \nabla f(p),

    unless such a step would be longer than a grid cell (near critical points).
    """
    domain = check_domain(surface.domain if domain is None else domain)
    if not (isinstance(resolution, (int, np.integer)) and resolution >= 2):
        raise ValueError(f"resolution must be an integer of at least 2, got {resolution!r}")
    levels = check_finite(list(levels), "levels")
    points = grid(domain, (resolution, resolution))
    z = np.ma.masked_invalid(surface.value(points))
    generator = contourpy.contour_generator(points[0, :, 0], points[:, 0, 1], z, line_type="SeparateCode")
    cell = np.hypot(*np.subtract(points[1, 1], points[0, 0]))
    result = []
    for level in levels.tolist():
        lines, codes = generator.lines(level)
        result.append(
            LevelSet(
                level,
                tuple(_project(surface, line, level, cell) for line in lines),
                tuple(bool(code[-1] == _CLOSEPOLY) for code in codes),
            )
        )
    return result


def _project(surface: Surface, line: np.ndarray, level: float, max_step: float) -> np.ndarray:
    for _ in range(3):
        gradient = surface.gradient(line)
        with np.errstate(all="ignore"):
            step = ((surface.value(line) - level) / np.sum(gradient * gradient, axis=-1))[:, None] * gradient
        ok = np.all(np.isfinite(step), axis=-1) & (np.linalg.norm(step, axis=-1) <= max_step)
        line = np.where(ok[:, None], line - step, line)
    return line


def level_tangent(surface: Surface, p: Any) -> np.ndarray:
    r"""Unit tangent of the level set through ``p``: the gradient turned by +90 degrees.

    .. math:: t = (-f_y, f_x) / |\nabla f|,

    zero where the gradient vanishes (for right-angle marks against the gradient).
    """
    gradient = surface.gradient(p)
    return normalized(np.stack([-gradient[..., 1], gradient[..., 0]], axis=-1))


def default_levels(surface: Surface, n: int, domain: Any = None, spacing: str = "linear") -> np.ndarray:
    r"""``n`` levels strictly between the surface's lowest and highest value on ``domain``.

    The range is sampled on a 100 x 100 grid, widened by the known stationary values.

    ``"linear"``: evenly spaced; ``"log"``: :math:`f_{min} + \Delta \cdot 10^{-2 + 2k/n}`,
    :math:`k = 0..n-1`, with :math:`\Delta = f_{max} - f_{min}` (dense near the bottom, as for a bowl).
    """
    if not (isinstance(n, (int, np.integer)) and n >= 1):
        raise ValueError(f"n must be a positive integer, got {n!r}")
    if spacing not in ("linear", "log"):
        raise ValueError(f"spacing must be 'linear' or 'log', got {spacing!r}")
    (xmin, xmax), (ymin, ymax) = domain = check_domain(surface.domain if domain is None else domain)
    known = [c.value for c in surface.critical_points if xmin <= c.point[0] <= xmax and ymin <= c.point[1] <= ymax]
    values = np.concatenate([surface.value(grid(domain, (100, 100))).ravel(), known])
    low, high = np.nanmin(values), np.nanmax(values)
    if spacing == "linear":
        return np.linspace(low, high, n + 2)[1:-1]
    return low + np.geomspace(1e-2 * (high - low), high - low, n + 1)[:-1]
