"""Level sets :math:`\\{p : f(p) = c\\}` as polylines (via contourpy), and their tangents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import contourpy
import numpy as np

from gradcore.fields import grid, normalized
from gradcore.surface import Surface, check_domain, check_finite

__all__ = [
    "MAX_DECADES",
    "MAX_LEVELS",
    "LevelSet",
    "PartialDerivative",
    "default_levels",
    "finite_range",
    "level_sets",
    "level_tangent",
    "map_levels",
    "spaced_levels",
    "zero_set",
]

MAX_RESOLUTION = 2000
"""Largest grid side of :func:`level_sets`: 2000 x 2000 values are about 100 MB of work arrays."""

MAX_LEVELS = 1000
"""Most levels :func:`default_levels` makes (a contour map draws about ten to thirty)."""

_CLOSEPOLY = 79  # contourpy's (and matplotlib's) code of a closing vertex


@dataclass(frozen=True, eq=False)
class LevelSet:
    """The polylines (each ``(m, 2)``) of one level; ``closed[i]`` tells whether ``lines[i]`` is a loop.

    A closed line repeats its first point at the end.
    """

    level: float
    lines: tuple[np.ndarray, ...]
    closed: tuple[bool, ...]


def level_sets(
    surface: Surface,
    levels: float | Iterable[float],
    domain: Any = None,
    resolution: int = 200,
    drop_jumps: bool = True,
) -> list[LevelSet]:
    r"""The level sets of ``surface`` at ``levels`` (one number or several) over ``domain``
    (default: the surface's), one :class:`LevelSet` per level.

    ``resolution`` is the side of the sampling grid, from 2 to :data:`MAX_RESOLUTION`. Where
    the surface is not finite (``log(x)`` for x <= 0) there are no lines.

    contourpy traces them on a ``resolution x resolution`` grid; each vertex is
    then moved onto the exact level set by Newton steps along the gradient,

    .. math:: p \leftarrow p - \frac{f(p) - c}{|\nabla f(p)|^2} \nabla f(p),

    unless such a step would be longer than a grid cell (near critical points).

    Across a jump (the sign change of :math:`1/(x - y)` across its singular line x = y) contourpy
    traces false lines, which no Newton step brings onto the level. With ``drop_jumps`` (the
    default) the vertices where the surface is not finite, or is off its level :math:`c` by
    more than a tenth of the gap to the nearest other of ``levels``,

    .. math:: |f(p) - c| > 0.1 \min_{c' \ne c} |c' - c|,

    are cut out, splitting their lines (a single level: only the vertices that are not
    finite). On a continuous surface the Newton steps bring every vertex onto its level and
    nothing is cut, but on a coarse grid, where a vertex near a critical point is left off its
    level and the levels lie close together (log-spaced above a minimum), the cut can take it
    too: pass ``drop_jumps=False`` there.
    """
    domain = check_domain(surface.domain if domain is None else domain)
    if not (isinstance(resolution, (int, np.integer)) and 2 <= resolution <= MAX_RESOLUTION):
        raise ValueError(f"resolution must be an integer from 2 to {MAX_RESOLUTION}, got {resolution!r}")
    levels = check_finite(levels, "levels").reshape(-1)
    points = grid(domain, (resolution, resolution))
    z = np.ma.masked_invalid(surface.value(points))
    generator = contourpy.contour_generator(points[0, :, 0], points[:, 0, 1], z, line_type="SeparateCode")
    cell = np.hypot(*np.subtract(points[1, 1], points[0, 0]))
    result = []
    for level in levels.tolist():
        lines, codes = generator.lines(level)
        level_set = LevelSet(
            level,
            tuple(_project(surface, line, level, cell) for line in lines),
            tuple(bool(code[-1] == _CLOSEPOLY) for code in codes),
        )
        result.append(_without_jumps(surface, level_set, levels) if drop_jumps else level_set)
    return result


def _without_jumps(surface: Surface, level_set: LevelSet, levels: np.ndarray) -> LevelSet:
    """``level_set`` without its vertices where ``surface`` is not finite, or is off the level
    by more than a tenth of the gap to the nearest other of ``levels``; lines split there."""
    others = np.abs(levels - level_set.level)
    others = others[others > 0]
    tolerance = 0.1 * others.min() if others.size else np.inf
    lines, closed = [], []
    for line, loop in zip(level_set.lines, level_set.closed):
        with np.errstate(all="ignore"):
            keep = np.abs(surface.value(line) - level_set.level) <= tolerance  # False where not finite
        if keep.all():
            lines.append(line), closed.append(loop)
            continue
        edges = np.flatnonzero(np.diff(np.concatenate([[0], keep.astype(int), [0]])))
        runs = [(first, end) for first, end in zip(edges[::2], edges[1::2]) if end - first > 1]
        lines.extend(line[first:end] for first, end in runs)
        closed.extend(False for _ in runs)
    return LevelSet(level_set.level, tuple(lines), tuple(closed))


def _project(surface: Surface, line: np.ndarray, level: float, max_step: float) -> np.ndarray:
    for _ in range(3):
        gradient = surface.gradient(line)
        with np.errstate(all="ignore"):
            step = ((surface.value(line) - level) / np.sum(gradient * gradient, axis=-1))[:, None] * gradient
        ok = np.all(np.isfinite(step), axis=-1) & (np.linalg.norm(step, axis=-1) <= max_step)
        line = np.where(ok[:, None], line - step, line)
    return line


@dataclass(frozen=True)
class PartialDerivative:
    r"""The partial derivative :math:`\partial f / \partial x_i` of ``surface`` (``component``
    :math:`i`: 0 for x, 1 for y) as a surface, where :math:`f` is finite (NaN elsewhere), to
    trace its zero set with :func:`level_sets` (see :func:`zero_set`).

    .. math:: g(p) = \partial_i f(p), \qquad \nabla g(p) = (\nabla^2 f(p))_{i,:}.
    """

    surface: Surface
    component: int = 1

    @property
    def domain(self) -> Any:
        """The domain of ``surface``."""
        return self.surface.domain

    def value(self, p: Any) -> np.ndarray:
        r""":math:`\partial_i f` at ``p`` ``(..., 2)``, NaN where :math:`f` is not finite."""
        with np.errstate(all="ignore"):
            finite = np.isfinite(self.surface.value(p))
            return np.where(finite, self.surface.gradient(p)[..., self.component], np.nan)

    def gradient(self, p: Any) -> np.ndarray:
        """Row ``component`` of the Hessian of ``surface`` at ``p``."""
        return self.surface.hessian(p)[..., self.component, :]


def zero_set(
    surface: Surface, component: int = 1, domain: Any = None, resolution: int = 200
) -> list[np.ndarray] | None:
    r"""Polylines ``(m, 2)`` over ``domain`` (default the surface's) where the partial derivative
    :math:`\partial f / \partial x_i` vanishes and the other does not: with ``component`` 1,
    where :math:`\partial f/\partial y = 0`, the gradient is horizontal; with 0, vertical.

    Traced as the level 0 of :class:`PartialDerivative` by :func:`level_sets` on a
    ``resolution`` grid; lines on which the other partial derivative vanishes too (lines of
    stationary points) are left out. None where :math:`\partial_i f` vanishes (to 1e-12) all over
    the domain (sampled on a 60 x 60 grid), so that every gradient is horizontal (vertical).

    Raises
    ------
    ValueError
        If ``component`` is not 0 or 1, or ``domain`` or ``resolution`` is not valid.

    Examples
    --------
    >>> from gradcore.quadratic import bowl
    >>> (line,) = zero_set(bowl())  # df/dy = 2 y: the line y = 0
    >>> float(abs(line[:, 1]).max())
    0.0
    >>> zero_set(bowl(), domain=((-1, 1), (2, 3)))  # no zero in the box
    []
    """
    if isinstance(component, bool) or not isinstance(component, (int, np.integer)) or component not in (0, 1):
        raise ValueError(f"component must be 0 (x) or 1 (y), got {component!r}")
    domain = check_domain(surface.domain if domain is None else domain)
    partial = PartialDerivative(surface, component)
    with np.errstate(all="ignore"):
        samples = partial.value(grid(domain, (60, 60)))
    if not np.any(np.abs(samples[np.isfinite(samples)]) > 1e-12):
        return None
    (level,) = level_sets(partial, [0.0], domain=domain, resolution=resolution)
    other = 1 - component
    return [line for line in level.lines if len(line) > 1 and np.any(np.abs(surface.gradient(line)[:, other]) > 0)]


def level_tangent(surface: Surface, p: Any) -> np.ndarray:
    r"""Unit tangent of the level set through ``p``: the gradient turned by +90 degrees.

    .. math:: t = (-f_y, f_x) / |\nabla f|,

    zero where the gradient vanishes (for right-angle marks against the gradient).
    """
    gradient = surface.gradient(p)
    return normalized(np.stack([-gradient[..., 1], gradient[..., 0]], axis=-1))


def default_levels(
    surface: Surface, n: int, domain: Any = None, spacing: str = "linear", decades: float = 2.0
) -> np.ndarray:
    r"""``n`` levels strictly between the surface's lowest and highest value on ``domain``.

    The range is sampled on a 100 x 100 grid, widened by the known stationary values. Only
    finite values count; where the surface is not finite somewhere on the grid (a singular
    line such as that of :math:`1/(x - y)`, or :math:`\log x` for :math:`x \le 0`), the range
    is that of the 2nd to 98th percentile of its finite values, so that the values next to a
    singularity do not take all the levels. A surface constant on the domain has no level
    sets: the result is empty.

    The levels are spaced over that range by :func:`spaced_levels`: ``"linear"`` evenly,
    ``"log"`` geometrically above the minimum over ``decades`` decades, dense near the bottom,
    as for a bowl or a surface whose values span orders of magnitude (Beale's reach
    :math:`10^5`).

    Raises
    ------
    ValueError
        If ``n`` is not an integer from 1 to :data:`MAX_LEVELS`, ``spacing`` is unknown,
        ``decades`` is out of range for ``"log"``, or the surface is not finite anywhere on
        the grid.
    """
    _check_count_and_spacing(n, spacing)
    (xmin, xmax), (ymin, ymax) = domain = check_domain(surface.domain if domain is None else domain)
    known = [c.value for c in surface.critical_points if xmin <= c.point[0] <= xmax and ymin <= c.point[1] <= ymax]
    sampled = surface.value(grid(domain, (100, 100))).ravel()
    finite = sampled[np.isfinite(sampled)]
    if finite.size == 0:
        raise ValueError(f"{surface.name or 'the surface'} is not finite anywhere on the domain {domain}")
    if finite.size < sampled.size:
        low, high = np.percentile(finite, [2, 98])
    else:
        values = np.concatenate([finite, known])
        low, high = np.min(values), np.max(values)
    return spaced_levels(low, high, n, spacing, decades)


MAX_DECADES = 300.0
"""Most ``decades`` of log-spaced levels: :math:`10^{-300}` is still a normal float."""


def spaced_levels(low: float, high: float, n: int, spacing: str = "linear", decades: float = 2.0) -> np.ndarray:
    r"""``n`` levels strictly between ``low`` and ``high``, spaced as contour maps space them.

    ``"linear"``: evenly, :math:`\mathrm{low} + \Delta \, (k + 1) / (n + 1)`; ``"log"``:
    :math:`\mathrm{low} + \Delta \cdot 10^{-d (1 - k/n)}`, :math:`k = 0..n-1`, with
    :math:`\Delta = \mathrm{high} - \mathrm{low}` and :math:`d` = ``decades`` (> 0, at most
    :data:`MAX_DECADES`; ignored by ``"linear"``): geometric above ``low`` over :math:`d`
    decades, dense near the bottom. An empty range (``high <= low``) has no levels.
    :func:`default_levels` spaces levels so over a surface's range of values.

    Raises
    ------
    ValueError
        If ``low`` or ``high`` is not a finite number, ``n`` is not an integer from 1 to
        :data:`MAX_LEVELS`, ``spacing`` is unknown, or ``decades`` is out of range.

    Examples
    --------
    >>> spaced_levels(0.0, 4.0, 3)
    array([1., 2., 3.])
    >>> spaced_levels(1.0, 101.0, 2, spacing="log")
    array([ 2., 11.])
    """
    _check_count_and_spacing(n, spacing)
    ends = check_finite((low, high), "low and high")
    if ends.shape != (2,):
        raise ValueError(f"low and high must be two numbers, got {low!r} and {high!r}")
    low, high = ends.tolist()
    if not high > low:
        return np.empty(0)
    if spacing == "linear":
        return np.linspace(low, high, n + 2)[1:-1]
    return _log_spaced(low, high, n, decades)


def _check_count_and_spacing(n: Any, spacing: Any) -> None:
    """Validate ``n`` (an integer from 1 to :data:`MAX_LEVELS`) and ``spacing`` (``"linear"`` or ``"log"``)."""
    if not (isinstance(n, (int, np.integer)) and 1 <= n <= MAX_LEVELS):
        raise ValueError(f"n must be a positive integer, at most {MAX_LEVELS} (MAX_LEVELS), got {n!r}")
    if spacing not in ("linear", "log"):
        raise ValueError(f"spacing must be 'linear' or 'log', got {spacing!r}")


def _log_spaced(low: float, high: float, n: int, decades: float) -> np.ndarray:
    r""":math:`\mathrm{low} + \Delta \cdot 10^{-d (1 - k/n)}`, :math:`k = 0..n-1`, with
    :math:`\Delta = \mathrm{high} - \mathrm{low}` and :math:`d` = ``decades``, checked."""
    try:
        d = float(decades)
    except (TypeError, ValueError):
        d = np.nan
    if not 0 < d <= MAX_DECADES:
        raise ValueError(f"decades must be a number > 0 and at most {MAX_DECADES:g}, got {decades!r}")
    span = high - low
    first = 10.0**-d * span
    if first > 0:  # the same numbers as 1e-2 * span for d = 2
        return low + np.geomspace(first, span, n + 1)[:-1]
    return low + span * np.geomspace(10.0**-d, 1.0, n + 1)[:-1]  # 10^-d * span underflows


def finite_range(values: np.ndarray, tail: float = 1.0) -> tuple[float, float] | None:
    """``(low, high)`` of the finite ``values``, or None when none is finite.

    Where a few values near a singularity stretch an end far beyond the bulk (more than twice
    the spread between the ``tail`` and ``100 - tail`` percentiles beyond that percentile),
    that end is the percentile instead, so the rest still reads.

    Examples
    --------
    >>> finite_range(np.array([0.0, 1.0, np.nan, 2.0]))
    (0.0, 2.0)
    >>> low, high = finite_range(np.concatenate([np.linspace(0, 1, 1000), [1e9, np.inf]]))
    >>> bool(high < 1.1)
    True
    """
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return None
    low, high = float(finite.min()), float(finite.max())
    p_low, p_high = (float(p) for p in np.percentile(finite, [tail, 100 - tail]))
    bulk = p_high - p_low
    if bulk > 0:
        low = p_low if p_low - low > 2 * bulk else low
        high = p_high if high - p_high > 2 * bulk else high
    return low, high


def map_levels(surface: Surface, n: int, domain: Any = None, spacing: str = "linear") -> np.ndarray:
    """``n`` levels for a map of ``surface`` on ``domain``: :func:`gradcore.default_levels`, unless a
    few huge values near a singularity would take the levels (:func:`finite_range` clips them),
    then the same spacing (:func:`spaced_levels`) over the clipped range; none for a constant
    surface.

    Examples
    --------
    >>> from gradcore import from_expression
    >>> map_levels(from_expression("3"), 5).size
    0
    >>> float(map_levels(from_expression("1/(x**2 + y**2 - 1)"), 3).max()) < 10
    True
    """
    domain = surface.domain if domain is None else domain
    with np.errstate(all="ignore"):
        values = np.asarray(surface.value(grid(domain, (100, 100))), dtype=float)
    finite = values[np.isfinite(values)]
    span = finite_range(finite)
    if span is None or span == (finite.min(), finite.max()):  # nothing clipped: gradcore's levels
        return default_levels(surface, n, domain=domain, spacing=spacing) if span is not None else np.empty(0)
    return spaced_levels(*span, n, spacing)
