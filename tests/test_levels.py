from __future__ import annotations

import numpy as np
import pytest

from gradcore import SURFACES, default_levels, from_expression, get_surface, level_sets, level_tangent, zero_set

NAMES = sorted(SURFACES)


@pytest.mark.parametrize("name", NAMES)
def test_level_set_points_have_the_level_value(name):
    surface = get_surface(name)
    levels = default_levels(surface, 6)
    scale = np.ptp(levels) + np.abs(levels).max()
    sets = level_sets(surface, levels)
    assert [s.level for s in sets] == levels.tolist()
    assert sum(len(s.lines) for s in sets) > 0
    for s in sets:
        for line in s.lines:
            np.testing.assert_allclose(surface.value(line), s.level, atol=1e-8 * scale)


@pytest.mark.parametrize("name", NAMES)
def test_gradient_is_orthogonal_to_level_set_polylines(name):
    surface = get_surface(name)
    for s in level_sets(surface, default_levels(surface, 6)):
        for line in s.lines:
            direction = np.diff(line, axis=0)
            gradient = surface.gradient((line[1:] + line[:-1]) / 2)
            lengths = np.linalg.norm(direction, axis=-1) * np.linalg.norm(gradient, axis=-1)
            keep = lengths > 1e-12
            cos = np.abs(np.sum(direction * gradient, axis=-1))[keep] / lengths[keep]
            assert np.all(cos < 1e-2)


def test_bowl_level_sets_are_closed_circles():
    (circle,) = level_sets(get_surface("bowl"), [4.0])
    assert circle.closed == (True,)
    (line,) = circle.lines
    np.testing.assert_allclose(np.linalg.norm(line, axis=-1), 2.0, rtol=1e-12)
    np.testing.assert_array_equal(line[0], line[-1])


def test_open_lines_end_on_the_domain_boundary():
    saddle = get_surface("saddle")
    (s,) = level_sets(saddle, [0.25])
    assert len(s.lines) == 2 and s.closed == (False, False)
    for line in s.lines:
        assert np.all(np.isclose(np.abs(line[[0, -1]]), 1.0).any(axis=-1))


def test_a_level_outside_the_range_has_no_lines():
    (s,) = level_sets(get_surface("bowl"), [-1.0])
    assert s.lines == () and s.closed == ()


def test_level_sets_use_the_given_domain():
    (s,) = level_sets(get_surface("bowl"), [1.0], domain=((0, 2), (0, 2)))
    (line,) = s.lines
    assert np.all(line >= -1e-12) and s.closed == (False,)


def _crossings_of_the_diagonal(sets):
    """How many segments of the lines of ``sets`` cross the line x = y."""
    sides = [np.sign(line[:, 0] - line[:, 1]) for s in sets for line in s.lines]
    return sum(int(np.sum(side[1:] != side[:-1])) for side in sides)


@pytest.mark.parametrize("levels", [[-1.0, 1.0], "default"])
def test_no_level_line_crosses_the_singular_line_of_one_over_x_minus_y(levels):
    # on this box the grid misses the line x = y, and contourpy traces the jump from +inf to -inf
    surface = from_expression("1/(x - y)", domain=((-3, 3), (-2.5, 2.5)))
    levels = default_levels(surface, 6) if levels == "default" else levels
    assert _crossings_of_the_diagonal(level_sets(surface, levels, drop_jumps=False)) > 0  # the false lines
    kept = level_sets(surface, levels)
    assert _crossings_of_the_diagonal(kept) == 0
    assert sum(len(s.lines) for s in kept) > 0
    gap = np.diff(np.sort(levels)).min()
    for s in kept:
        for line in s.lines:
            assert np.all(np.abs(1 / (line[:, 0] - line[:, 1]) - s.level) <= 0.1 * gap)  # near its level


@pytest.mark.parametrize("name", NAMES)
def test_level_sets_of_a_smooth_surface_lose_nothing_to_the_jump_filter(name):
    surface = get_surface(name)
    levels = default_levels(surface, 8)
    for kept, traced in zip(level_sets(surface, levels), level_sets(surface, levels, drop_jumps=False), strict=True):
        assert kept.closed == traced.closed
        assert len(kept.lines) == len(traced.lines)
        for a, b in zip(kept.lines, traced.lines):
            np.testing.assert_array_equal(a, b)


def test_zero_set_of_dfdy_on_the_elongated_quadratic_is_the_line_y_equals_x():
    surface = get_surface("elongated_quadratic")  # df/dy = y - x
    (line,) = zero_set(surface)
    np.testing.assert_allclose(line[:, 1], line[:, 0], atol=1e-9)
    (xmin, xmax), _ = surface.domain
    np.testing.assert_allclose(sorted(line[[0, -1], 0]), [xmin, xmax])  # across the whole map
    assert np.all(np.abs(surface.gradient(line)[:, 1]) < 1e-9)  # the gradient is horizontal there


@pytest.mark.parametrize("component, axis", [(1, 1), (0, 0)])
def test_zero_set_of_a_partial_derivative_of_the_bowl_is_an_axis(component, axis):
    bowl = get_surface("bowl")  # grad = 2 (x, y): df/dy = 0 on y = 0, df/dx = 0 on x = 0
    (line,) = zero_set(bowl, component)
    np.testing.assert_allclose(line[:, axis], 0.0, atol=1e-12)
    assert np.ptp(line[:, 1 - axis]) == pytest.approx(6.0)


def test_zero_set_is_none_where_the_partial_derivative_vanishes_everywhere():
    assert zero_set(from_expression("x**2")) is None  # df/dy = 0: every gradient is horizontal
    assert zero_set(get_surface("bowl"), domain=((-1, 1), (1, 2))) == []  # y > 0: nowhere


def test_zero_set_leaves_out_lines_of_stationary_points():
    assert zero_set(from_expression("y**2")) == []  # df/dy = 0 on y = 0, but so is df/dx


def test_level_tangent_is_a_unit_vector_perpendicular_to_the_gradient():
    surface = get_surface("gaussian_difference")
    p = np.random.default_rng(0).uniform(-2, 2, (50, 2))
    tangent, gradient = level_tangent(surface, p), surface.gradient(p)
    np.testing.assert_allclose(np.linalg.norm(tangent, axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(np.sum(tangent * gradient, axis=-1), 0.0, atol=1e-12)
    turn = gradient[:, 0] * tangent[:, 1] - gradient[:, 1] * tangent[:, 0]
    np.testing.assert_allclose(turn, np.linalg.norm(gradient, axis=-1), rtol=1e-12)


def test_level_tangent_at_a_stationary_point_is_zero():
    np.testing.assert_array_equal(level_tangent(get_surface("bowl"), (0.0, 0.0)), [0.0, 0.0])


@pytest.mark.parametrize("spacing", ["linear", "log"])
def test_default_levels_lie_strictly_inside_the_range_increasing(spacing):
    bowl = get_surface("bowl")
    levels = default_levels(bowl, 7, spacing=spacing)
    assert len(levels) == 7 and np.all(np.diff(levels) > 0)
    assert levels[0] > 0 and levels[-1] < 18


def test_log_levels_are_geometric_above_the_minimum():
    levels = default_levels(get_surface("bowl"), 5, spacing="log")
    ratios = levels[1:] / levels[:-1]
    np.testing.assert_allclose(ratios, ratios[0])
    np.testing.assert_allclose(levels[0], 0.18)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda s: level_sets(s, [1.0], resolution=1), "resolution must be"),
        (lambda s: level_sets(s, [np.nan]), "levels must be finite"),
        (lambda s: level_sets(s, [1.0], domain=((0, 0), (0, 1))), "domain x-interval"),
        (lambda s: default_levels(s, 0), "n must be a positive integer"),
        (lambda s: default_levels(s, 10**9), r"n must be .* at most 1000 \(MAX_LEVELS\)"),
        (lambda s: level_sets(s, [1.0], resolution=10**5), "resolution must be an integer from 2 to 2000"),
        (lambda s: default_levels(s, 3, spacing="cubic"), "spacing must be"),
        (lambda s: zero_set(s, 2), "component must be 0 .x. or 1 .y."),
    ],
)
def test_bad_arguments_raise_value_error_naming_them(call, message):
    with pytest.raises(ValueError, match=message):
        call(get_surface("bowl"))
