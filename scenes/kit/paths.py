"""Cairo paths of vectorized mobjects as stock Manim builds them, with straight curves as lines.

Manim holds every line as cubic Bézier curves, a straight segment too (``set_points_as_corners``
puts its handles at a third and two thirds of the way). Cairo strokes a curve by cutting it into
segments first, which makes a polyline of straight cubics about four times as slow to stroke as
the same polyline of lines (500 segments at 1080p: 9 against 2.2 ms). A curve whose handles lie
on the segment between its ends is that segment: :func:`add_subpaths` draws it with ``line_to``,
which inks the same pixels (up to rounding of anti-aliasing, a few units in 255 on a few pixels
in 10,000). Subpaths start and close where stock Manim's do.
"""

from __future__ import annotations

import cairo
import numpy as np

__all__ = ["add_curves", "add_subpaths", "straight_curves", "subpath_bounds", "subpaths"]

_RTOL = 1.0e-5  # numpy's isclose default, as Manim's point comparisons use
STRAIGHT_TOLERANCE = 1e-6
"""How far (scene units; a pixel of a 1080p frame is 0.0074) a handle may lie off the segment
between its curve's ends for the curve to be drawn as that segment."""


def straight_curves(xy: np.ndarray) -> np.ndarray:
    """Whether each cubic curve of the points ``xy`` ``(4 k, 2)`` (or ``(4 k, 3)``, in space) is
    a straight segment from its first point to its last: both handles on that segment, shape
    ``(k,)``."""
    a, h1, h2, b = (xy[i::4] for i in range(4))
    d = b - a
    length2 = np.einsum("ij,ij->i", d, d)
    straight = np.ones(len(a), dtype=bool)
    safe = np.where(length2 > 0, length2, 1.0)
    for h in (h1, h2):
        v = h - a
        along = np.einsum("ij,ij->i", v, d) / safe
        if xy.shape[1] == 2:
            off = np.abs(d[:, 0] * v[:, 1] - d[:, 1] * v[:, 0]) / np.sqrt(safe)
        else:  # the distance from the line through the ends
            off = np.linalg.norm(v - along[:, None] * d, axis=1)
        straight &= (off <= STRAIGHT_TOLERANCE) & (along >= 0) & (along <= 1)
    still = (length2 == 0) & np.all(h1 == a, axis=1) & np.all(h2 == a, axis=1)  # cairo makes it a line too
    return np.where(length2 > 0, straight, still)


def subpaths(xy: np.ndarray, atol: float) -> list[tuple[int, int, bool]]:
    """Stock Manim's subpaths of the 2-D points ``xy`` ``(4 k, 2)``: ``(start, end, closed)``
    point ranges (see :func:`subpath_bounds`)."""
    return list(zip(*(bounds.tolist() for bounds in subpath_bounds(xy, atol))))


def subpath_bounds(xy: np.ndarray, atol: float | np.ndarray, starts: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The first points, ends (exclusive) and closedness of stock Manim's subpaths of the 2-D
    points ``xy`` ``(4 k, 2)``: a new one at each of ``starts`` (point indices of curve starts;
    several mobjects' points one after the other) and where a curve does not start at the end of
    the one before; closed where it ends at its start (``np.isclose`` with ``atol``, one for all
    points or one per point)."""
    tol = np.broadcast_to(np.asarray(atol, dtype=float), (len(xy),))
    ends, begins = xy[3:-1:4], xy[4::4]
    gap = ~np.all(np.abs(ends - begins) <= tol[4::4, None] + _RTOL * np.abs(begins), axis=1)
    firsts = np.union1d([0] if starts is None else starts, 4 + 4 * np.flatnonzero(gap))
    lasts = np.append(firsts[1:], len(xy))
    closed = np.all(np.abs(xy[firsts] - xy[lasts - 1]) <= tol[firsts, None] + _RTOL * np.abs(xy[lasts - 1]), axis=1)
    return firsts, lasts, closed


def add_subpaths(ctx: cairo.Context, flat: list[float], straight: list[bool], parts: list[tuple[int, int, bool]]) -> None:
    """Add to ``ctx``'s path the subpaths ``parts`` (point ranges, see :func:`subpaths`) of the
    points whose 2-D coordinates are ``flat`` (x0, y0, x1, y1, ...), each straight curve (flags
    ``straight``, one per curve) as a line."""
    for start, end, closed in parts:
        ctx.new_sub_path()
        ctx.move_to(flat[2 * start], flat[2 * start + 1])
        add_curves(ctx, flat, straight, start // 4, end // 4)
        if closed:
            ctx.close_path()


def add_curves(ctx: cairo.Context, flat: list[float], straight: list[bool], first: int, last: int) -> None:
    """Continue ``ctx``'s path with curves ``first`` to ``last - 1`` of the points ``flat``
    (see :func:`add_subpaths`), each straight one as a line."""
    line_to, curve_to = ctx.line_to, ctx.curve_to
    for c in range(first, last):
        b = 8 * c
        if straight[c]:
            line_to(flat[b + 6], flat[b + 7])
        else:
            curve_to(flat[b + 2], flat[b + 3], flat[b + 4], flat[b + 5], flat[b + 6], flat[b + 7])
