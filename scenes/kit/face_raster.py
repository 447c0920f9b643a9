r"""The faces and on-graph lines of a 3-D frame rasterized in bulk with numba: fills and mesh
sides of thousands of small quads, and pieces of lines among them, in one call, where cairo
costs a call per fill and per stroke and, for a translucent stroke, a compositing call per
pixel row of line.

:func:`draw_items` draws them in order, OVER premultiplied 8-bit pixels (a transparent layer
the camera then paints into its frame, see :class:`~scenes.kit.camera3d.FastThreeDCamera`):

- an anti-aliased fill covers each pixel by the exact area of the polygon inside it (the
  signed-area accumulation of font rasterizers), where cairo samples a 256 x 15 grid;
- a fill without anti-aliasing covers the pixels whose centers are inside (nonzero winding),
  so faces that share sides tile without gaps or overlaps, as cairo's does;
- a mesh side of width :math:`w` is the rectangle of its stroke with butt ends, anti-aliased;
- a piece of a line is the union of a rectangle per segment and a 16-sided disc (of the
  circle's area) at each end and each turn (round caps and joins), a curve flattened into 8
  segments; a straight stroke with butt ends (an axis piece) is its rectangle alone.

A pixel covered by :math:`k` of a color :math:`c` with opacity :math:`a` becomes
:math:`k a c + (1 - k a) p`, rounded to 8 bits. :func:`layer_steps` groups what is drawn so
that the items cairo draws (axis pieces, arrows) split the layers as little as they can.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["draw_items", "empty_items", "layer_steps", "load_compiled"]


@njit(cache=True, nogil=True)
def _accumulate(acc, lo, hi, xs, ys, left, top, width, height):  # pragma: no cover - compiled
    """Add the signed area of the closed polygon ``xs, ys`` (pixels, from ``left, top``, x
    clamped to the box's ``width``) to ``acc`` (rows of cells: the coverage of a pixel is the
    running sum up to it), widening each row's touched range ``[lo, hi)``."""
    n = len(xs)
    for k in range(n):
        ax, ay = min(max(xs[k] - left, 0.0), width), ys[k] - top
        bx, by = min(max(xs[(k + 1) % n] - left, 0.0), width), ys[(k + 1) % n] - top
        if ay == by:
            continue
        if ay < by:
            d, px, py, qx, qy = 1.0, ax, ay, bx, by
        else:
            d, px, py, qx, qy = -1.0, bx, by, ax, ay
        dxdy = (qx - px) / (qy - py)
        x = px
        first = int(np.floor(py))
        if first < 0:
            x -= py * dxdy
            first = 0
        for y in range(first, min(height, int(np.ceil(qy)))):
            dy = min(y + 1.0, qy) - max(float(y), py)
            xnext = x + dxdy * dy
            dd = dy * d
            x0, x1 = (x, xnext) if x < xnext else (xnext, x)
            x0f = np.floor(x0)
            x0i = int(x0f)
            x1c = np.ceil(x1)
            x1i = int(x1c)
            lo[y] = min(lo[y], x0i)
            hi[y] = max(hi[y], max(x1i, x0i + 1) + 1)
            if x1i <= x0i + 1:
                xm = 0.5 * (x + xnext) - x0f
                acc[y, x0i] += dd - dd * xm
                acc[y, x0i + 1] += dd * xm
            else:
                s = 1.0 / (x1 - x0)
                f0 = x0 - x0f
                a0 = 0.5 * s * (1.0 - f0) * (1.0 - f0)
                f1 = x1 - x1c + 1.0
                am = 0.5 * s * f1 * f1
                acc[y, x0i] += dd * a0
                if x1i == x0i + 2:
                    acc[y, x0i + 1] += dd * (1.0 - a0 - am)
                else:
                    a1 = s * (1.5 - f0)
                    acc[y, x0i + 1] += dd * (a1 - a0)
                    for xi in range(x0i + 2, x1i - 1):
                        acc[y, xi] += dd * s
                    a2 = a1 + (x1i - x0i - 3) * s
                    acc[y, x1i - 1] += dd * (1.0 - a2 - am)
                acc[y, x1i] += dd * am
            x = xnext


@njit(cache=True, nogil=True)
def _open_box(pixels, lo, hi, x0, y0, x1, y1):  # pragma: no cover - compiled
    """The pixel box ``(left, top, width, height)`` of ``[x0, x1] x [y0, y1]`` in ``pixels``,
    its rows' touched ranges reset (width 0 if nothing of it is inside)."""
    left, top = max(int(np.floor(x0)), 0), max(int(np.floor(y0)), 0)
    right = min(int(np.ceil(x1)) + 1, pixels.shape[1])
    bottom = min(int(np.ceil(y1)) + 1, pixels.shape[0])
    if right <= left or bottom <= top:
        return left, top, 0, 0
    for y in range(bottom - top):
        lo[y] = right - left + 2
        hi[y] = 0
    return left, top, right - left, bottom - top


@njit(cache=True, nogil=True)
def _blend(pixels, acc, lo, hi, left, top, width, height, color):  # pragma: no cover - compiled
    """Blend the premultiplied ``color`` (0-255) into ``pixels`` at the coverage accumulated in
    the box, clearing the cells read."""
    alpha = color[3] / 255.0
    for y in range(height):
        total = 0.0
        row = pixels[top + y]
        for x in range(lo[y], hi[y]):
            total += acc[y, x]
            acc[y, x] = 0.0
            cover = min(abs(total), 1.0)
            if cover <= 0.0 or x >= width:
                continue
            keep = 1.0 - alpha * cover
            pixel = row[left + x]
            for c in range(4):
                pixel[c] = np.uint8(color[c] * cover + pixel[c] * keep + 0.5)


@njit(cache=True, nogil=True)
def _fill_smooth(pixels, acc, lo, hi, xs, ys, color):  # pragma: no cover - compiled
    """Fill the polygon ``xs, ys`` anti-aliased with the premultiplied ``color`` (0-255)."""
    x0, y0, x1, y1 = xs[0], ys[0], xs[0], ys[0]
    for k in range(1, len(xs)):
        x0, x1 = min(x0, xs[k]), max(x1, xs[k])
        y0, y1 = min(y0, ys[k]), max(y1, ys[k])
    left, top, width, height = _open_box(pixels, lo, hi, x0, y0, x1, y1)
    if width:
        _accumulate(acc, lo, hi, xs, ys, float(left), float(top), width, height)
        _blend(pixels, acc, lo, hi, left, top, width, height, color)


@njit(cache=True, nogil=True)
def _fill_crisp(pixels, xs, ys, color, crossings, windings):  # pragma: no cover - compiled
    """Fill the pixels whose centers are inside the polygon ``xs, ys`` (nonzero winding) with
    the premultiplied ``color`` (0-255); ``crossings``, ``windings``: scratch, one per side."""
    rows, cols = pixels.shape[0], pixels.shape[1]
    n = len(xs)
    keep = 1.0 - color[3] / 255.0
    y0, y1 = ys[0], ys[0]
    for k in range(1, n):
        y0, y1 = min(y0, ys[k]), max(y1, ys[k])
    for y in range(max(int(np.ceil(y0 - 0.5)), 0), min(int(np.ceil(y1 - 0.5)), rows)):
        center = y + 0.5
        m = 0
        for k in range(n):
            ay, by = ys[k], ys[(k + 1) % n]
            if (ay <= center < by) or (by <= center < ay):
                ax, bx = xs[k], xs[(k + 1) % n]
                x = ax + (center - ay) * (bx - ax) / (by - ay)
                w = 1.0 if by > ay else -1.0
                j = m
                while j > 0 and crossings[j - 1] > x:  # insertion: a few crossings a row
                    crossings[j], windings[j] = crossings[j - 1], windings[j - 1]
                    j -= 1
                crossings[j], windings[j] = x, w
                m += 1
        winding = 0.0
        row = pixels[y]
        for i in range(m - 1):
            winding += windings[i]
            if winding == 0.0:
                continue
            for x in range(max(int(np.ceil(crossings[i] - 0.5)), 0), min(int(np.ceil(crossings[i + 1] - 0.5)), cols)):
                pixel = row[x]
                for c in range(4):
                    pixel[c] = np.uint8(color[c] + pixel[c] * keep + 0.5)


@njit(cache=True, nogil=True)
def _premultiplied(color, rgba, opacity):  # pragma: no cover - compiled
    """Set ``color`` to ``rgba`` clamped to 0-1 (as cairo does) at ``opacity``, premultiplied, 0-255."""
    alpha = min(max(opacity, 0.0), 1.0)
    for c in range(3):
        color[c] = min(max(rgba[c], 0.0), 1.0) * alpha * 255.0
    color[3] = alpha * 255.0


@njit(cache=True, nogil=True)
def _curve_points(curve, straight, steps, xs, ys):  # pragma: no cover - compiled
    """The points after the start of a cubic ``curve`` (x0, y0, ..., x3, y3) flattened into
    ``steps`` segments (its end alone if ``straight``), into ``xs, ys``; returns how many."""
    if straight:
        xs[0], ys[0] = curve[6], curve[7]
        return 1
    for k in range(steps):
        t = (k + 1) / steps
        u = 1.0 - t
        a, b, c, d = u * u * u, 3 * u * u * t, 3 * u * t * t, t * t * t
        xs[k] = a * curve[0] + b * curve[2] + c * curve[4] + d * curve[6]
        ys[k] = a * curve[1] + b * curve[3] + c * curve[5] + d * curve[7]
    return steps


_ROUND = 16  # sides of the polygon a round join or cap is drawn as, of the circle's area
_CURVE_STEPS = 8  # segments a curved piece of a line is drawn as, per curve


@njit(cache=True, nogil=True)
def _disc(acc, lo, hi, x, y, radius, circle, px, py, left, top, width, height):  # pragma: no cover - compiled
    """Accumulate the polygon ``circle`` (unit cosines and sines) of ``radius`` around ``x, y``."""
    for k in range(circle.shape[1]):
        px[k], py[k] = x + radius * circle[0, k], y + radius * circle[1, k]
    _accumulate(acc, lo, hi, px, py, left, top, width, height)


@njit(cache=True, nogil=True)
def _draw_piece(pixels, acc, lo, hi, curves, straight, first, last, half, rounded, color, circle, scratch, origin_x, origin_y):  # pragma: no cover - compiled
    """Stroke the curves ``first`` to ``last`` of a line (pixels, x0, y0, ..., x3, y3 each)
    ``half`` wide on each side in the premultiplied ``color``: the union of a rectangle per
    segment and, if ``rounded`` (round joins and caps), a disc (``circle``) at each end and where
    the line turns by more than 15 degrees (their coverage summed, at most 1: a pixel that both
    cover in part is covered a little more than cairo's); not ``rounded``, the rectangles alone
    (butt ends: a straight segment's stroke). ``scratch``: (4, at least the circle's sides);
    ``origin_x, origin_y``: where ``pixels`` start in the curves' coordinates."""
    x0, y0, x1, y1 = curves[first, 0], curves[first, 1], curves[first, 0], curves[first, 1]
    for i in range(first, last):
        for k in range(0, 8, 2):
            x0, x1 = min(x0, curves[i, k]), max(x1, curves[i, k])
            y0, y1 = min(y0, curves[i, k + 1]), max(y1, curves[i, k + 1])
    reach_x, reach_y = origin_x + half + 1, origin_y + half + 1
    left, top, width, height = _open_box(pixels, lo, hi, x0 - reach_x, y0 - reach_y, x1 + half + 1 - origin_x, y1 + half + 1 - origin_y)
    if not width:
        return
    fl, ft = float(left + origin_x), float(top + origin_y)  # the box in the curves' coordinates
    xs, ys, px, py = scratch[0], scratch[1], scratch[2], scratch[3]
    sides = circle.shape[1]
    radius = half * np.sqrt(np.pi / sides / (np.sin(np.pi / sides) * np.cos(np.pi / sides)))  # the disc's area
    ax, ay = curves[first, 0], curves[first, 1]
    if rounded:
        _disc(acc, lo, hi, ax, ay, radius, circle, px[:sides], py[:sides], fl, ft, width, height)
    ux, uy, drawn = 0.0, 0.0, False
    for i in range(first, last):
        for k in range(_curve_points(curves[i], straight[i], _CURVE_STEPS, xs, ys)):
            bx, by = xs[k], ys[k]
            dx, dy = bx - ax, by - ay
            length = np.sqrt(dx * dx + dy * dy)
            if length == 0.0:
                continue
            dx, dy = dx / length, dy / length
            if rounded and drawn and dx * ux + dy * uy < 0.966:  # a turn: a round join
                _disc(acc, lo, hi, ax, ay, radius, circle, px[:sides], py[:sides], fl, ft, width, height)
            nx, ny = -dy * half, dx * half
            px[0], px[1], px[2], px[3] = ax + nx, bx + nx, bx - nx, ax - nx
            py[0], py[1], py[2], py[3] = ay + ny, by + ny, by - ny, ay - ny
            _accumulate(acc, lo, hi, px[:4], py[:4], fl, ft, width, height)
            ax, ay, ux, uy, drawn = bx, by, dx, dy, True
    if rounded:
        _disc(acc, lo, hi, ax, ay, radius, circle, px[:sides], py[:sides], fl, ft, width, height)
    _blend(pixels, acc, lo, hi, left, top, width, height, color)


@njit(cache=True, nogil=True)
def draw_items(
    pixels, left, top, items, quads, outer, fills, strokes, smooth, banded, widths, shared, alone, shared_alpha,
    curves, straight, pieces, colors, halves, rounded,
):  # pragma: no cover - compiled  # fmt: skip
    """Draw ``items`` in order OVER ``pixels`` (rows, cols, 4) uint8, premultiplied, whose first
    pixel is at ``left, top`` of the frame: item ``i`` is face ``i`` if ``i < n`` (the faces'
    count), else piece of line ``i - n``.

    Faces: ``quads`` (n, 4, 2): corners in frame pixels; ``fills``, ``strokes`` (n, 4): colors
    with opacity in 0-1, in the pixels' channel order; ``smooth``: the fill anti-aliased;
    ``banded``: an opaque face with an opaque stroke, drawn as its ``outer`` quad in the stroke
    color, then its quad in the fill color (both anti-aliased); ``widths``: mesh line widths in
    pixels; ``shared``, ``alone``: masks of the sides stroked (bit k: corner k to k + 1) at
    ``shared_alpha`` and at the stroke's opacity.

    Pieces of lines: the ``curves`` (m, 8) (frame pixels) ``pieces[j, 0]`` to ``pieces[j, 1]``,
    each drawn as a line if ``straight``, stroked ``halves[j]`` wide on each side in
    ``colors[j]`` (0-1, the pixels' channel order) with round joins and caps if
    ``rounded[j]``, else as rectangles with butt ends (for straight one-segment strokes).
    """
    n = quads.shape[0]
    span_x, span_y = 0.0, 0.0
    for i in items:
        if i < n:
            box = outer[i] if banded[i] else quads[i]
            span_x = max(span_x, box[:, 0].max() - box[:, 0].min() + widths[i])
            span_y = max(span_y, box[:, 1].max() - box[:, 1].min() + widths[i])
    for i in items:
        if i >= n:
            j = i - n
            ax, bx = curves[pieces[j, 0], 0], curves[pieces[j, 0], 0]
            ay, by = curves[pieces[j, 0], 1], curves[pieces[j, 0], 1]
            for k in range(pieces[j, 0], pieces[j, 1]):
                for c in range(0, 8, 2):
                    ax, bx = min(ax, curves[k, c]), max(bx, curves[k, c])
                    ay, by = min(ay, curves[k, c + 1]), max(by, curves[k, c + 1])
            span_x = max(span_x, bx - ax + 2 * halves[j] + 2)
            span_y = max(span_y, by - ay + 2 * halves[j] + 2)
    span_x, span_y = min(span_x, pixels.shape[1]), min(span_y, pixels.shape[0])
    acc = np.zeros((int(span_y) + 4, int(span_x) + 8))
    lo = np.empty(int(span_y) + 4, np.int64)
    hi = np.empty(int(span_y) + 4, np.int64)
    color = np.empty(4)
    crossings, windings = np.empty(4), np.empty(4)
    xs, ys, side_x, side_y = np.empty(4), np.empty(4), np.empty(4), np.empty(4)
    turns = -2 * np.pi * np.arange(_ROUND) / _ROUND  # clockwise, as the rectangles go
    circle = np.stack((np.cos(turns), np.sin(turns)))
    scratch = np.empty((4, max(_ROUND, _CURVE_STEPS)))
    for i in items:
        if i >= n:
            j = i - n
            _premultiplied(color, colors[j], colors[j, 3])
            _draw_piece(pixels, acc, lo, hi, curves, straight, pieces[j, 0], pieces[j, 1], halves[j], rounded[j], color, circle, scratch, left, top)
            continue
        if banded[i]:
            for k in range(4):
                xs[k], ys[k] = outer[i, k, 0] - left, outer[i, k, 1] - top
            _premultiplied(color, strokes[i], strokes[i, 3])
            _fill_smooth(pixels, acc, lo, hi, xs, ys, color)
        for k in range(4):
            xs[k], ys[k] = quads[i, k, 0] - left, quads[i, k, 1] - top
        _premultiplied(color, fills[i], fills[i, 3])
        if color[3] > 0.0:
            if smooth[i] or banded[i]:
                _fill_smooth(pixels, acc, lo, hi, xs, ys, color)
            else:
                _fill_crisp(pixels, xs, ys, color, crossings, windings)
        half = widths[i] / 2
        if half <= 0.0:
            continue
        for mask, opacity in ((shared[i], shared_alpha[i]), (alone[i], strokes[i, 3])):
            if mask == 0 or opacity <= 0.0:
                continue
            _premultiplied(color, strokes[i], opacity)
            for k in range(4):
                if mask >> k & 1:
                    j = (k + 1) % 4
                    dx, dy = xs[j] - xs[k], ys[j] - ys[k]
                    length = np.sqrt(dx * dx + dy * dy)
                    if length == 0.0:
                        continue
                    nx, ny = -dy / length * half, dx / length * half
                    side_x[0], side_x[1], side_x[2], side_x[3] = xs[k] + nx, xs[j] + nx, xs[j] - nx, xs[k] - nx
                    side_y[0], side_y[1], side_y[2], side_y[3] = ys[k] + ny, ys[j] + ny, ys[j] - ny, ys[k] - ny
                    _fill_smooth(pixels, acc, lo, hi, side_x, side_y, color)


@njit(cache=True, nogil=True)
def layer_steps(in_layer, boxes, cell=16.0):  # pragma: no cover - compiled
    """Steps for items drawn in order (those drawn in layers, and others, with boxes
    ``(x0, y0, x1, y1)`` on screen, infinite for an unknown one): step by step, the step's
    layer, then its other items in order. An item is drawn after every earlier item whose box
    shares a ``cell`` (a square of the screen) with its own, and the other items keep their
    order: each item takes the first step that allows, so the faces no other item comes near
    all go in the first layer and the later layers hold only what must wait."""
    n = len(in_layer)
    steps = np.zeros(n, np.int64)
    if n == 0:
        return steps
    x_lo, y_lo, x_hi, y_hi = np.inf, np.inf, -np.inf, -np.inf
    for i in range(n):
        for k in range(4):
            if np.isfinite(boxes[i, k]):
                if k % 2 == 0:
                    x_lo, x_hi = min(x_lo, boxes[i, k]), max(x_hi, boxes[i, k])
                else:
                    y_lo, y_hi = min(y_lo, boxes[i, k]), max(y_hi, boxes[i, k])
    if not (np.isfinite(x_lo) and np.isfinite(y_lo)):
        x_lo, x_hi, y_lo, y_hi = 0.0, 0.0, 0.0, 0.0
    width, height = int((x_hi - x_lo) / cell) + 1, int((y_hi - y_lo) / cell) + 1
    in_layers = np.zeros((height, width), np.int64)  # the latest step of a layer item in each cell
    others = np.full((height, width), -1, np.int64)  # ... and of another item
    last_other = 0
    for i in range(n):
        c0 = int(min(max((boxes[i, 0] - x_lo) / cell, 0.0), width - 1.0))
        c1 = int(min(max((boxes[i, 2] - x_lo) / cell, 0.0), width - 1.0))
        r0 = int(min(max((boxes[i, 1] - y_lo) / cell, 0.0), height - 1.0))
        r1 = int(min(max((boxes[i, 3] - y_lo) / cell, 0.0), height - 1.0))
        layered = in_layer[i]
        step = 0 if layered else last_other
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                step = max(step, in_layers[r, c], others[r, c] + 1 if layered else others[r, c])
        steps[i] = step
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                if layered:
                    in_layers[r, c] = max(in_layers[r, c], step)
                else:
                    others[r, c] = max(others[r, c], step)
        if not layered:
            last_other = step
    return steps


def empty_items() -> tuple:
    """Arguments of :func:`draw_items` that draw nothing, of the types the 3-D camera passes."""
    f, i, b = np.float64, np.int64, np.bool_
    return (
        np.zeros((1, 1, 4), np.uint8), 0, 0, np.zeros(0, i),
        np.zeros((0, 4, 2), f), np.zeros((0, 4, 2), f), np.zeros((0, 4), f), np.zeros((0, 4), f), np.zeros(0, b), np.zeros(0, b),
        np.zeros(0, f), np.zeros(0, i), np.zeros(0, i), np.zeros(0, f),
        np.zeros((0, 8), f), np.zeros(0, b), np.zeros((0, 2), i), np.zeros((0, 4), f), np.zeros(0, f), np.zeros(0, b),
    )  # fmt: skip


def load_compiled() -> None:
    """Load the compiled code of :func:`draw_items` and :func:`layer_steps` for the argument
    types the 3-D camera passes them (from numba's cache, or compiled once), by calling each on
    nothing: about a second, which the camera spends on a thread of its own while the scene is
    built instead of at its first frame."""
    draw_items(*empty_items())
    layer_steps(np.zeros(0, np.bool_), np.zeros((0, 4)))
