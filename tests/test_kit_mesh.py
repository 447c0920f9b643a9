"""How the fast 3-D camera draws a surface's mesh: each side shared by two faces stroked once,
by the face drawn later; faces inside a surface filled without anti-aliasing, tiling exactly;
and the frames still stock Manim's pictures."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scene_render import render_scene
from test_fast_surface import FastColorscaleScene, StockColorscaleScene, assert_same_pictures

import scenes.kit.camera3d as camera3d
from scenes.kit import FastSurface
from scenes.kit.camera3d import _mesh_sides


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
