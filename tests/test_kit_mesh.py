"""How the fast 3-D camera draws a surface's mesh: each side shared by two faces stroked once,
by the face drawn later; faces inside a surface filled without anti-aliasing, tiling exactly;
and the frames still stock Manim's pictures."""

from __future__ import annotations

import cairo
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scene_render import render_scene
from test_fast_surface import FastColorscaleScene, StockColorscaleScene, assert_same_pictures

import scenes.kit.camera3d as camera3d
from scenes.kit import FastSurface
from scenes.kit.camera3d import _mesh_sides, _premix_inner_strokes, _side_runs


def grid(nu: int, nv: int) -> FastSurface:
    return FastSurface(lambda u, v: (u, v, 0.0), u_range=(0, nu), v_range=(0, nv), resolution=(nu, nv))


@pytest.mark.parametrize("resolution", [(1, 1), (3, 4), (5, 2)])
def test_the_face_across_a_side_is_the_one_with_that_side_backwards(resolution):
    surface = grid(*resolution)
    corners, neighbours = surface.face_corners, surface.face_neighbours()
    for face, side in np.ndindex(surface.n_faces, 4):
        ends = corners[face, [side, (side + 1) % 4]]
        others = [g for g in range(surface.n_faces) if g != face and set(ends) <= set(corners[g])]
        assert others == ([] if neighbours[face, side] < 0 else [neighbours[face, side]])
        for other in others:
            k = list(corners[other]).index(ends[1])
            np.testing.assert_array_equal(corners[other, [k, (k + 1) % 4]], ends[::-1])


def sides(masks: np.ndarray) -> np.ndarray:
    """Masks (n,) as booleans (n, 4)."""
    return (np.asarray(masks, dtype=int)[:, None] >> np.arange(4) & 1).astype(bool)


@settings(max_examples=40, deadline=None)
@given(
    nu=st.integers(1, 5),
    nv=st.integers(1, 5),
    seed=st.integers(0, 2**32 - 1),
)
def test_each_side_is_stroked_once_by_the_later_face_and_inner_faces_are_crisp(nu, nv, seed):
    rng = np.random.default_rng(seed)
    surface = grid(nu, nv)
    turn = rng.normal(size=(2, 2)) + 2 * np.eye(2)  # any view that keeps the faces' turn
    xy = surface.points[surface.face_corners][..., :2] @ turn.T
    neighbours = surface.face_neighbours()
    order = rng.permutation(surface.n_faces)
    rank = np.argsort(order)
    smooth, shared, alone = _mesh_sides(xy, neighbours, order, np.ones(surface.n_faces, bool), 0.0)
    shared, alone = sides(shared), sides(alone)
    assert not (shared & alone).any()
    for face, side in np.ndindex(surface.n_faces, 4):
        other = neighbours[face, side]
        if other < 0:
            assert alone[face, side] and not shared[face, side]
            continue
        back = list(neighbours[other]).index(face)
        assert not alone[face, side]
        assert shared[face, side] != shared[other, back]  # once
        assert shared[face, side] == (rank[face] > rank[other])  # by the later face
    np.testing.assert_array_equal(smooth, (neighbours < 0).any(axis=1))


def test_faces_at_a_fold_or_too_small_are_anti_aliased():
    surface = grid(4, 4)
    xy = surface.points[surface.face_corners][..., :2] * 10
    neighbours = surface.face_neighbours()
    order = np.arange(surface.n_faces)
    inner = [5, 6, 9, 10]
    smooth, _, _ = _mesh_sides(xy, neighbours, order, np.ones(16, bool), 0.0)
    assert not smooth[inner].any()
    folded = xy.copy()
    folded[5] = folded[5][::-1]  # turned away from the viewer: a silhouette runs around it
    smooth, _, _ = _mesh_sides(folded, neighbours, order, np.ones(16, bool), 0.0)
    assert smooth[[5, 6, 9]].all() and not smooth[10]
    smooth, _, _ = _mesh_sides(xy, neighbours, order, np.ones(16, bool), 10.5)  # faces are 10 tall
    assert smooth.all()


def test_a_face_not_stroked_neither_strokes_nor_leaves_its_sides_to_others():
    surface = grid(2, 1)  # faces 0 and 1 share side 1 of face 0
    xy = surface.points[surface.face_corners][..., :2]
    _, shared, alone = _mesh_sides(xy, surface.face_neighbours(), np.array([0, 1]), np.array([True, False]), 0.0)
    assert shared.tolist() == [0, 0]
    assert alone.tolist() == [15, 0]  # face 0 strokes the side it shares with an unstroked face


def stroked_over_fill(fill: tuple, stroke: tuple, antialias: cairo.Antialias) -> np.ndarray:
    """A 40x40 frame: a square filled opaque in ``fill`` (without anti-aliasing), a slanted thin
    line across it stroked in ``stroke`` (r, g, b, a), as the 3-D camera strokes a mesh side."""
    pixels = np.zeros((40, 40, 4), dtype=np.uint8)
    ctx = cairo.Context(cairo.ImageSurface.create_for_data(pixels.data, cairo.FORMAT_ARGB32, 40, 40))
    ctx.set_antialias(antialias)
    ctx.rectangle(0, 0, 40, 40)
    ctx.set_source_rgba(*fill)
    ctx.fill()
    ctx.set_antialias(cairo.Antialias.DEFAULT)
    ctx.move_to(5.3, 7.1)
    ctx.line_to(33.8, 29.4)
    ctx.set_line_width(0.54)
    ctx.set_source_rgba(*stroke)
    ctx.stroke()
    return pixels


@settings(max_examples=30, deadline=None)
@given(
    fill=st.tuples(*[st.floats(0, 1.3)] * 3),
    stroke=st.tuples(*[st.floats(0, 1.3)] * 3),
    alpha=st.floats(0.05, 0.95),
)
def test_a_premixed_opaque_stroke_gives_the_translucent_strokes_pixels_over_the_fill(fill, stroke, alpha):
    fills, strokes = np.array([[*fill, 1.0]]), np.array([[*stroke, alpha]])
    shared_alpha = np.array([alpha])
    _premix_inner_strokes(fills, strokes, shared_alpha, np.array([True]))
    assert shared_alpha[0] == 1.0
    premixed = stroked_over_fill(tuple(fills[0]), (*strokes[0, :3], 1.0), cairo.Antialias.NONE)
    translucent = stroked_over_fill((*fill, 1.0), (*stroke, alpha), cairo.Antialias.NONE)
    assert np.abs(premixed.astype(int) - translucent.astype(int)).max() <= 2  # cairo's 8-bit rounding, twice


def test_the_pixel_comparison_sees_the_line():
    fill = stroked_over_fill((0.2, 0.4, 0.6, 1), (0, 0, 0, 0), cairo.Antialias.NONE)
    line = stroked_over_fill((0.2, 0.4, 0.6, 1), (1, 1, 1, 0.5), cairo.Antialias.NONE)
    assert 25 < np.count_nonzero(np.any(fill != line, axis=-1)) < 200  # a thin line across the square


def test_only_opaque_inner_faces_with_translucent_strokes_are_premixed():
    fills = np.array([[0.2, 0.4, 0.6, 1.0], [0.2, 0.4, 0.6, 0.6], [0.2, 0.4, 0.6, 1.0], [0.2, 0.4, 0.6, 1.0]])
    strokes = np.array([[1.0, 1.0, 1.0, 0.5], [1.0, 1.0, 1.0, 0.5], [1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 0.5]])
    shared_alpha = 1 - (1 - strokes[:, 3]) ** 2
    inner = np.array([True, True, True, False])  # the caller's: crisp, opaque, no side alone
    before = strokes.copy()
    _premix_inner_strokes(fills, strokes, shared_alpha, inner & (fills[:, 3] == 1))
    np.testing.assert_allclose(strokes[0], [0.8, 0.85, 0.9, 0.5])  # 0.75 white over the fill
    np.testing.assert_array_equal(shared_alpha, [1.0, 0.75, 1.0, 0.75])
    np.testing.assert_array_equal(strokes[1:], before[1:])


@pytest.mark.parametrize("mask", range(1, 16))
def test_side_runs_cover_the_sides_of_the_mask_in_runs_of_consecutive_corners(mask):
    runs = _side_runs(mask)
    if mask == 15:
        assert runs is None
        return
    covered = []
    for run in runs:
        corners = [(offset - 9) // 2 for offset in run]
        assert all((b - a) % 4 == 1 for a, b in zip(corners, corners[1:]))
        covered += corners[:-1]
    assert sorted(covered) == [k for k in range(4) if mask >> k & 1]


@pytest.mark.render
def test_crisp_inner_faces_are_still_stock_pictures(rendered, monkeypatch):
    """At 768x432 the translucent saddle's inner faces are tall enough to be filled crisply:
    the frames differ from all-anti-aliased ones, and both are stock Manim's pictures."""
    size = {"width": 768, "height": 432, "fps": 4}
    fast = rendered(FastColorscaleScene, **size)
    monkeypatch.setattr(camera3d, "CRISP_FACE_PIXELS", 10**6)
    smooth = render_scene(FastColorscaleScene, **size)
    assert any(np.any(a != b) for a, b in zip(fast.frames, smooth.frames))
    assert_same_pictures(smooth, fast)
    assert_same_pictures(rendered(StockColorscaleScene, **size), fast)
