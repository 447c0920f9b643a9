r"""The faces of a 3-D frame rasterized in bulk with numba: fills and mesh sides of thousands of
small quads in one call, where cairo costs a call per fill and per stroke and, for a translucent
stroke, a compositing call per pixel row of line.

:func:`draw_faces` draws quads in order, OVER premultiplied 8-bit pixels (a transparent layer
the camera then paints into its frame, see :class:`~scenes.kit.camera3d.FastThreeDCamera`):

- an anti-aliased fill covers each pixel by the exact area of the polygon inside it (the
  signed-area accumulation of font rasterizers), where cairo samples a 256 x 15 grid;
- a fill without anti-aliasing covers the pixels whose centers are inside (nonzero winding),
  so faces that share sides tile without gaps or overlaps, as cairo's does;
- a mesh side of width :math:`w` is the rectangle of its stroke with butt ends, anti-aliased.

A pixel covered by :math:`k` of a color :math:`c` with opacity :math:`a` becomes
:math:`k a c + (1 - k a) p`, rounded to 8 bits.
"""

from __future__ import annotations

import numpy as np
from numba import njit

__all__ = ["draw_faces", "layer_steps"]


@njit(cache=True, nogil=True)
def _accumulate(acc, lo, hi, xs, ys, width, height):  # pragma: no cover - compiled
    """Add the signed area of the closed polygon ``xs, ys`` (pixels, clamped to the box) to
    ``acc`` (rows of cells: the coverage of a pixel is the running sum up to it), widening each
    row's touched range ``[lo, hi)``."""
    n = len(xs)
    for k in range(n):
        ax, ay = xs[k], ys[k]
        bx, by = xs[(k + 1) % n], ys[(k + 1) % n]
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
def _fill_smooth(pixels, acc, lo, hi, xs, ys, color):  # pragma: no cover - compiled
    """Fill the polygon ``xs, ys`` anti-aliased with the premultiplied ``color`` (0-255)."""
    rows, cols = pixels.shape[0], pixels.shape[1]
    left = max(int(np.floor(xs.min())), 0)
    top = max(int(np.floor(ys.min())), 0)
    right = min(int(np.ceil(xs.max())) + 1, cols)
    bottom = min(int(np.ceil(ys.max())) + 1, rows)
    if right <= left or bottom <= top:
        return
    width, height = right - left, bottom - top
    lo[:height] = width + 2
    hi[:height] = 0
    _accumulate(acc, lo, hi, np.minimum(np.maximum(xs, left), right) - left, ys - top, width, height)
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
def _fill_crisp(pixels, xs, ys, color):  # pragma: no cover - compiled
    """Fill the pixels whose centers are inside the polygon ``xs, ys`` (nonzero winding) with
    the premultiplied ``color`` (0-255)."""
    rows, cols = pixels.shape[0], pixels.shape[1]
    n = len(xs)
    crossings = np.empty(n)
    windings = np.empty(n)
    keep = 1.0 - color[3] / 255.0
    for y in range(max(int(np.ceil(ys.min() - 0.5)), 0), min(int(np.ceil(ys.max() - 0.5)), rows)):
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
def draw_faces(pixels, quads, outer, fills, strokes, smooth, banded, widths, shared, alone, shared_alpha):  # pragma: no cover - compiled
    """Draw faces in order OVER ``pixels`` (rows, cols, 4) uint8, premultiplied.

    ``quads`` (n, 4, 2): corners in pixels; ``fills``, ``strokes`` (n, 4): colors with opacity
    in 0-1, in the pixels' channel order; ``smooth``: the fill anti-aliased; ``banded``: an
    opaque face with an opaque stroke, drawn as its ``outer`` quad in the stroke color, then
    its quad in the fill color (both anti-aliased); ``widths``: mesh line widths in pixels;
    ``shared``, ``alone``: masks of the sides stroked (bit k: corner k to k + 1) at
    ``shared_alpha`` and at the stroke's opacity.
    """
    n = quads.shape[0]
    span_x, span_y = 0.0, 0.0
    for i in range(n):
        box = outer[i] if banded[i] else quads[i]
        span_x = max(span_x, box[:, 0].max() - box[:, 0].min() + widths[i])
        span_y = max(span_y, box[:, 1].max() - box[:, 1].min() + widths[i])
    span_x, span_y = min(span_x, pixels.shape[1]), min(span_y, pixels.shape[0])
    acc = np.zeros((int(span_y) + 4, int(span_x) + 8))
    lo = np.empty(int(span_y) + 4, np.int64)
    hi = np.empty(int(span_y) + 4, np.int64)
    color = np.empty(4)
    side_x, side_y = np.empty(4), np.empty(4)
    for i in range(n):
        xs, ys = quads[i, :, 0].copy(), quads[i, :, 1].copy()
        if banded[i]:
            color[:] = np.minimum(np.maximum(strokes[i], 0.0), 1.0) * 255.0
            color[:3] *= color[3] / 255.0
            _fill_smooth(pixels, acc, lo, hi, outer[i, :, 0].copy(), outer[i, :, 1].copy(), color)
        color[:] = np.minimum(np.maximum(fills[i], 0.0), 1.0) * 255.0
        color[:3] *= color[3] / 255.0
        if color[3] > 0.0:
            if smooth[i] or banded[i]:
                _fill_smooth(pixels, acc, lo, hi, xs, ys, color)
            else:
                _fill_crisp(pixels, xs, ys, color)
        half = widths[i] / 2
        if half <= 0.0:
            continue
        for mask, opacity in ((shared[i], shared_alpha[i]), (alone[i], strokes[i, 3])):
            if mask == 0 or opacity <= 0.0:
                continue
            color[:] = np.minimum(np.maximum(strokes[i], 0.0), 1.0) * 255.0
            color[3] = min(max(opacity, 0.0), 1.0) * 255.0
            color[:3] *= color[3] / 255.0
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
def layer_steps(is_face, boxes):  # pragma: no cover - compiled
    """Group items drawn in order (faces and others, with boxes ``(x0, y0, x1, y1)``) into
    steps, each drawn as its faces in one layer, then its other items in order: an item that is
    not a face waits, in its step, for the faces after it that do not meet its box; the first
    face that does starts the next step. Returns each item's step (nondecreasing)."""
    n = len(is_face)
    steps = np.empty(n, np.int64)
    waiting = np.empty(n, np.int64)
    count, step = 0, 0
    for i in range(n):
        if is_face[i]:
            for k in range(count):
                j = waiting[k]
                if boxes[i, 0] < boxes[j, 2] and boxes[j, 0] < boxes[i, 2] and boxes[i, 1] < boxes[j, 3] and boxes[j, 1] < boxes[i, 3]:
                    step += 1
                    count = 0
                    break
        else:
            waiting[count] = i
            count += 1
        steps[i] = step
    return steps
