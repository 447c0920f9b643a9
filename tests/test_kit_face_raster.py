"""The numba rasterizer of the 3-D camera's faces and line pieces: exact area coverage, crisp
faces that tile, the pictures cairo draws, and layers that keep the drawing order wherever two
things meet."""

from __future__ import annotations

import cairo
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from scenes.kit.face_raster import draw_items, layer_steps


def draw(size, quads, fills, smooth, *, strokes=None, widths=None, shared=None, pieces=None):
    """Faces (and pieces: curves, straight, bounds, colors, halves, rounded) drawn by
    ``draw_items`` on a transparent (rows, cols) layer at the frame's origin, in order."""
    n = len(quads)
    quads = np.asarray(quads, dtype=float).reshape(n, 4, 2)
    strokes = np.zeros((n, 4)) if strokes is None else np.asarray(strokes, dtype=float)
    widths = np.zeros(n) if widths is None else np.asarray(widths, dtype=float)
    shared = np.zeros(n, np.int64) if shared is None else np.asarray(shared, np.int64)
    curves, straight, bounds, colors, halves, rounded = pieces or (
        np.zeros((0, 8)), np.zeros(0, bool), np.zeros((0, 2), np.int64), np.zeros((0, 4)), np.zeros(0), np.zeros(0, bool)
    )
    items = np.arange(n + len(bounds))
    pixels = np.zeros((*size, 4), np.uint8)
    draw_items(
        pixels, 0, 0, items, quads, quads, np.asarray(fills, dtype=float).reshape(n, 4), strokes, np.asarray(smooth, bool), np.zeros(n, bool),
        widths, shared, np.zeros(n, np.int64), strokes[:, 3].copy(), curves, straight, bounds, colors, halves, rounded,
    )  # fmt: skip
    return pixels


def cairo_draw(size, paths, antialias=cairo.Antialias.DEFAULT):
    """``paths`` (points, rgba, stroke width or 0 to fill, round) drawn by cairo on a transparent layer."""
    pixels = np.zeros((*size, 4), np.uint8)
    ctx = cairo.Context(cairo.ImageSurface.create_for_data(pixels.data, cairo.FORMAT_ARGB32, size[1], size[0]))
    ctx.set_antialias(antialias)
    for points, (r, g, b, a), width, round_ends in paths:
        ctx.move_to(*points[0])
        for point in points[1:]:
            ctx.line_to(*point)
        ctx.set_source_rgba(b, g, r, a)  # the memory order draw_items writes: r, g, b, a
        if width:
            ctx.set_line_width(width)
            ctx.set_line_cap(cairo.LineCap.ROUND if round_ends else cairo.LineCap.BUTT)
            ctx.set_line_join(cairo.LineJoin.ROUND if round_ends else cairo.LineJoin.MITER)
            ctx.stroke()
        else:
            ctx.close_path()
            ctx.fill()
    return pixels


convex_quads = st.tuples(
    st.floats(14, 26), st.floats(14, 26), st.floats(2, 9), st.floats(2, 9), st.floats(0, np.pi / 2)
).map(lambda p: p[:2] + np.array([[-p[2], -p[3]], [p[2], -p[3]], [p[2], p[3]], [-p[2], p[3]]]) @ np.array(
    [[np.cos(p[4]), np.sin(p[4])], [-np.sin(p[4]), np.cos(p[4])]]
))  # fmt: skip


def area(quad):
    x, y = quad[:, 0], quad[:, 1]
    return abs(np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y)) / 2


@settings(max_examples=40, deadline=None)
@given(quad=convex_quads)
def test_an_anti_aliased_fill_covers_each_pixel_by_the_area_inside_it(quad):
    pixels = draw((40, 40), [quad], [[1, 1, 1, 1]], [True])
    inside = np.clip(quad, 0, 40)  # the quads lie in the layer
    assert np.allclose(inside, quad)
    coverage = pixels[..., 3].astype(float) / 255
    assert abs(coverage.sum() - area(quad)) <= 0.5 / 255 * np.count_nonzero(coverage) + 1e-9  # rounding to 8 bits
    assert np.all(pixels[..., :3] == pixels[..., 3:])  # white, premultiplied


def test_crisp_faces_that_share_sides_cover_each_pixel_center_once():
    grid = np.array([[(x, y) for x in np.linspace(1.3, 38.6, 6)] for y in np.linspace(2.7, 37.9, 5)])
    grid = np.clip(grid + np.random.default_rng(3).normal(scale=1.5, size=grid.shape), 0.5, 39.5)
    quads = [grid[[j, j, j + 1, j + 1], [i, i + 1, i + 1, i]] for j in range(4) for i in range(5)]
    pixels = draw((40, 40), quads, [[1, 1, 1, 0.5]] * len(quads), [False] * len(quads))
    alpha = pixels[..., 3]
    assert set(np.unique(alpha)) == {0, 128}  # never twice (0.75), never a gap inside
    outline = np.concatenate([grid[0, :], grid[1:, -1], grid[-1, -2::-1], grid[-2:0:-1, 0]])
    x, y = np.meshgrid(np.arange(40) + 0.5, np.arange(40) + 0.5)
    crossings = np.zeros(x.shape, int)  # even-odd ray casting to the right of each pixel center
    for (ax, ay), (bx, by) in zip(outline, np.roll(outline, -1, axis=0)):
        spans = (ay <= y) != (by <= y)
        crossings += spans & (x < ax + (y - ay) * (bx - ax) / np.where(by == ay, 1, by - ay))
    assert np.array_equal(alpha == 128, crossings % 2 == 1)


def test_faces_and_mesh_sides_are_cairos_pictures():
    rng = np.random.default_rng(7)
    quads = [q + rng.uniform(-1, 1, (4, 2)) for q in (np.array([[5, 5], [30, 6], [33, 28], [6, 31]]), np.array([[20, 12], [60, 10], [58, 44], [24, 50]]))]
    fills = [[0.9, 0.4, 0.1, 0.6], [0.1, 0.5, 0.9, 1.0]]
    strokes = [[0.1, 0.1, 0.1, 0.5], [1.0, 1.0, 1.0, 0.75]]
    ours = draw((64, 64), quads, fills, [True, True], strokes=strokes, widths=[0.54, 2.0], shared=[15, 15])
    theirs = cairo_draw((64, 64), [
        (quads[0], fills[0], 0, False), (np.vstack([quads[0], quads[0][:1]]), strokes[0], 0.54, False),
        (quads[1], fills[1], 0, False), (np.vstack([quads[1], quads[1][:1]]), strokes[1], 2.0, False),
    ])  # fmt: skip
    difference = np.abs(ours.astype(int) - theirs.astype(int))
    assert difference.mean() < 0.5  # of 255: anti-aliasing and rounding
    assert np.percentile(difference, 99.5) <= 24  # corners: cairo's miters, our butt ends


def test_a_piece_of_a_line_is_cairos_round_stroke():
    points = np.array([[5.0, 30.0], [20.0, 8.0], [34.0, 30.0], [50.0, 12.0]])
    curves = np.array([[*a, *(a + (b - a) / 3), *(a + 2 * (b - a) / 3), *b] for a, b in zip(points[:-1], points[1:])])
    color = [0.2, 0.8, 0.4, 1.0]
    pieces = (curves, np.ones(3, bool), np.array([[0, 3]]), np.array([color]), np.array([1.5]), np.ones(1, bool))
    ours = draw((40, 56), [], np.zeros((0, 4)), [], pieces=pieces)
    theirs = cairo_draw((40, 56), [(points, color, 3.0, True)])
    difference = np.abs(ours.astype(int) - theirs.astype(int))
    assert np.count_nonzero(theirs[..., 3]) > 100
    assert difference.mean() < 0.5
    assert np.percentile(difference, 99.5) <= 16
    assert difference.max() <= 100  # a pixel both a disc and a rectangle cover in part gets the sum


def test_a_straight_stroke_with_butt_ends_is_cairos_stroke():
    """Axis pieces: one straight segment each, butt ends, at any angle and width."""
    segments = np.array([[4.0, 6.0, 50.0, 9.5], [6.0, 34.0, 30.0, 14.0], [40.0, 36.0, 41.0, 18.0], [10.0, 24.0, 48.0, 24.3]])
    widths = [1.5, 3.0, 2.25, 0.8]
    colors = [[0.9, 0.3, 0.1, 1.0], [0.2, 0.8, 0.4, 0.7], [1.0, 1.0, 1.0, 1.0], [0.5, 0.5, 0.9, 0.9]]
    curves = np.array([[a, b, a + (c - a) / 3, b + (d - b) / 3, a + 2 * (c - a) / 3, b + 2 * (d - b) / 3, c, d] for a, b, c, d in segments])
    bounds = np.stack([np.arange(4), np.arange(1, 5)], axis=1)
    pieces = (curves, np.ones(4, bool), bounds, np.array(colors), np.array(widths) / 2, np.zeros(4, bool))
    ours = draw((40, 56), [], np.zeros((0, 4)), [], pieces=pieces)
    theirs = cairo_draw((40, 56), [(s.reshape(2, 2), c, w, False) for s, c, w in zip(segments, colors, widths)])
    difference = np.abs(ours.astype(int) - theirs.astype(int))
    assert np.count_nonzero(theirs[..., 3]) > 150
    assert difference.mean() < 0.4  # round ends instead: 1.3
    assert np.percentile(difference, 99.5) <= 10
    assert difference.max() <= 24  # anti-aliasing at the ends and where two strokes cross


boxes = st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(1, 10), st.integers(1, 10)).map(
    lambda b: (b[0], b[1], b[0] + b[2], b[1] + b[3])
)


@settings(max_examples=200, deadline=None)
@given(items=st.lists(st.tuples(st.booleans(), boxes), min_size=1, max_size=30))
def test_layer_steps_keep_the_order_of_everything_that_meets_and_put_the_rest_first(items):
    is_face = np.array([face for face, _ in items])
    box = np.array([b for _, b in items], dtype=float)
    steps = layer_steps(is_face, box)
    drawn = sorted(range(len(items)), key=lambda i: (steps[i], not is_face[i], i))  # a step: its layer, then the rest
    position = {item: k for k, item in enumerate(drawn)}
    meets = lambda i, j: box[i, 0] < box[j, 2] and box[j, 0] < box[i, 2] and box[i, 1] < box[j, 3] and box[j, 1] < box[i, 3]  # noqa: E731
    for i in range(len(items)):
        for j in range(i + 1, len(items)):
            if meets(i, j) or (not is_face[i] and not is_face[j]):
                assert position[i] < position[j]
    first_other = min([i for i in range(len(items)) if not is_face[i]], default=len(items))
    assert all(steps[i] == 0 for i in range(first_other))  # faces before any other item: the first layer
