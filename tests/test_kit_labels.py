"""Contour label placement (scenes.kit.labels), in plain numpy on scene coordinates: labels sit on
straight stretches, read left to right, stay inside the map, clear of obstacles and of each other."""

from __future__ import annotations

import numpy as np
import pytest

from scenes.kit.labels import LabelPlacer, quads_overlap, resample

BOX = np.array([[-5.0, -5.0], [5.0, 5.0]])
WIDTH, HEIGHT = 0.6, 0.3
NOTHING = np.empty((0, 2))


def line(start, end, n=50) -> np.ndarray:
    return np.linspace(start, end, n)


def inside(quad: np.ndarray, box: np.ndarray) -> bool:
    return bool(np.all(quad >= box[0]) and np.all(quad <= box[1]))


def test_label_on_a_straight_line_lies_on_it_turned_along_it():
    placer = LabelPlacer(BOX)
    spot = placer.place(line((-3, -1), (3, 2)), WIDTH, HEIGHT, NOTHING)
    assert spot is not None
    direction = np.array([6.0, 3.0]) / np.hypot(6, 3)
    offset = spot.center - np.array([-3.0, -1.0])
    assert abs(offset @ np.array([-direction[1], direction[0]])) < 1e-9  # on the line
    assert spot.angle == pytest.approx(np.arctan2(3, 6))
    assert placer.placed == [spot.quad]


@pytest.mark.parametrize("end", [(-3, 0), (0, -3), (-3, -3), (3, -3)])
def test_labels_never_read_upside_down(end):
    spot = LabelPlacer(BOX).place(line((0, 0), end), WIDTH, HEIGHT, NOTHING)
    assert spot is not None
    assert -np.pi / 2 < spot.angle <= np.pi / 2


def test_a_line_shorter_than_two_and_a_half_labels_gets_none():
    assert LabelPlacer(BOX).place(line((0, 0), (2.4 * WIDTH, 0)), WIDTH, HEIGHT, NOTHING) is None
    assert LabelPlacer(BOX).place(line((0, 0), (2.6 * WIDTH, 0)), WIDTH, HEIGHT, NOTHING) is not None


def test_a_tight_circle_gets_no_label():
    angles = np.linspace(0, 2 * np.pi, 200)
    circle = 0.3 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    assert LabelPlacer(BOX).place(circle, WIDTH, HEIGHT, NOTHING) is None


def test_labels_stay_inside_the_box_with_their_margin():
    placer = LabelPlacer(BOX, margin=0.06)
    spot = placer.place(line((-4.9, 4.95), (4.9, 4.95)), WIDTH, HEIGHT, NOTHING)  # along the top edge
    assert spot is None
    spot = placer.place(line((-4.9, 0), (4.9, 0)), WIDTH, HEIGHT, NOTHING)
    assert spot is not None and inside(spot.quad, BOX + [[0.06, 0.06], [-0.06, -0.06]])


def test_a_second_label_does_not_overlap_the_first():
    placer = LabelPlacer(BOX)
    first = placer.place(line((-3, 0), (3, 0)), WIDTH, HEIGHT, NOTHING)
    second = placer.place(line((-3, 0.05), (3, 0.05)), WIDTH, HEIGHT, NOTHING)
    assert first is not None and second is not None
    assert not quads_overlap(first.quad, second.quad)


def test_no_obstacle_point_comes_under_a_label():
    obstacles = resample(np.array([(-3.0, 0.1), (0.5, 0.1)]))  # a path over the left part of the line
    spot = LabelPlacer(BOX).place(line((-3, 0), (3, 0)), WIDTH, HEIGHT, obstacles)
    assert spot is not None
    low, high = spot.quad.min(axis=0), spot.quad.max(axis=0)
    under = np.all((obstacles >= low) & (obstacles <= high), axis=1)
    assert not under.any() and spot.center[0] > 0.5


def test_a_line_covered_by_obstacles_gets_no_label():
    obstacles = resample(np.array([(-3.0, 0.05), (3.0, 0.05)]))
    assert LabelPlacer(BOX).place(line((-3, 0), (3, 0)), WIDTH, HEIGHT, obstacles) is None


def test_flattest_stretch_wins_when_room_is_equal():
    # A line with a steep straight part and a flat straight part, far apart from everything.
    polyline = np.concatenate([line((-4, -4), (-1, 0)), line((-1, 0), (4, 0))[1:]])
    spot = LabelPlacer(BOX).place(polyline, WIDTH, HEIGHT, NOTHING)
    assert spot is not None and spot.angle == pytest.approx(0.0) and spot.center[0] > -1


def test_quads_overlap_by_separating_axes():
    square = np.array([(0, 0), (1, 0), (1, 1), (0, 1)], dtype=float)
    assert quads_overlap(square, square + 0.5)
    assert not quads_overlap(square, square + [1.5, 0])
    # Bounding boxes overlap, but the diamond's edge x + y = 2.1 separates it from the corner (1, 1).
    diamond = np.array([(0.8, 1.3), (1.3, 0.8), (1.8, 1.3), (1.3, 1.8)])
    assert not quads_overlap(square, diamond)
    assert quads_overlap(square, diamond - 0.1)


def test_resample_keeps_the_ends_and_spaces_points_evenly():
    points = resample(np.array([(0.0, 0.0), (1.0, 0.0), (1.0, 1.0)]), spacing=0.05)
    np.testing.assert_allclose(points[[0, -1]], [(0, 0), (1, 1)])
    steps = np.linalg.norm(np.diff(points, axis=0), axis=1)
    assert steps.max() <= 0.05 + 1e-12
