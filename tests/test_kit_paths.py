"""Paths as stock Manim builds them, with straight curves as lines: which curves are straight,
and where subpaths start and close."""

from __future__ import annotations

import numpy as np
from manim import Arc, Circle, Line, Square, VMobject

from scenes.kit.paths import straight_curves, subpaths


def test_a_curve_is_straight_when_both_handles_lie_on_the_segment_between_its_ends():
    corners = VMobject().set_points_as_corners([[0, 0, 0], [2, 1, 0], [2, 3, 0], [-1, 3, 0]])
    assert straight_curves(corners.points[:, :2]).all()
    assert not straight_curves(Circle().points[:, :2]).any()
    a, b = np.array([0.0, 0.0]), np.array([3.0, 0.0])
    bent = np.array([a, [1, 1e-3], [2, 0], b])  # a handle off the segment
    beyond = np.array([a, [-1, 0], [2, 0], b])  # on the line but before the start: the curve backs up
    still = np.array([a, a, a, a])  # no length: cairo draws it as a line too
    loop = np.array([a, [1, 1], [1, -1], a])  # back where it started, by a loop
    assert straight_curves(np.concatenate([bent, beyond, still, loop])).tolist() == [False, False, True, False]


def test_a_curve_in_space_is_straight_when_its_handles_lie_on_the_segment_in_space():
    corners = VMobject().set_points_as_corners([[0, 0, 0], [2, 1, 1], [2, 3, -2], [-1, 3, 0.5]])
    assert straight_curves(corners.points).all()
    assert not straight_curves(Circle().rotate(0.7, axis=[1, 1, 0]).points).any()
    a, b = np.array([0.0, 0.0, 0.0]), np.array([3.0, 0.0, 3.0])
    off = np.array([a, [1, 1e-3, 1], [2, 0, 2], b])  # a handle off the segment, out of its plane
    beyond = np.array([a, [-1, 0, -1], [2, 0, 2], b])
    assert straight_curves(np.concatenate([off, beyond, [a, a, a, a]])).tolist() == [False, False, True]


def test_subpaths_start_and_close_where_stocks_do():
    two = VMobject().set_points_as_corners([[0, 0, 0], [1, 0, 0], [1, 1, 0]])
    two.start_new_path(np.array([2.0, 2, 0]))
    two.add_points_as_corners([[3, 2, 0], [3, 3, 0], [2, 2, 0]])
    for mob in (two, Square(), Line(), Arc(angle=1.0), Circle()):
        ours = subpaths(mob.points[:, :2], mob.tolerance_for_point_equality)
        stock = mob.get_subpath_split_indices_from_points(mob.points, n_dims=2).tolist()
        assert [[start, end] for start, end, _ in ours] == stock
        closed = [mob.consider_points_equals_2d(mob.points[s], mob.points[e - 1]) for s, e in stock]
        assert [shut for _, _, shut in ours] == closed
    assert [shut for _, _, shut in subpaths(two.points[:, :2], 1e-6)] == [False, True]
