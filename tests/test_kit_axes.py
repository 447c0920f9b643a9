"""Tick choice of the kit's axes: round steps, ticks inside the range, and sensible answers for a
span of zero or a tiny one (a constant surface)."""

from __future__ import annotations

import numpy as np
import pytest

from gradcore import from_expression
from scenes.kit import fit_points, map_axes, nice_step, nice_ticks, surface_axes, to_scene


@pytest.mark.parametrize(
    ("span", "step"), [(10.0, 2.0), (6.0, 1.0), (100.0, 20.0), (0.3, 0.05), (7.0, 1.0), (2e-6, 5e-7)]
)
def test_nice_step_is_one_two_or_five_times_a_power_of_ten_near_a_fifth_of_the_span(span, step):
    assert nice_step(span) == pytest.approx(step)


@pytest.mark.parametrize("span", [1e-300, 1e-9, 0.37, 3.0, 42.0, 1e12])
def test_nice_step_mantissa_is_one_two_or_five_and_within_a_factor_of_the_target(span):
    step = nice_step(span)
    mantissa = step / 10 ** np.floor(np.log10(step) + 1e-9)
    assert min(abs(mantissa - m) for m in (1, 2, 5, 10)) < 1e-6
    assert 0.5 < step / (span / 5) < 2.3


@pytest.mark.parametrize("span", [0.0, -1.0, np.inf, np.nan])
def test_nice_step_of_an_empty_or_undefined_span_is_one(span):
    assert nice_step(span) == 1.0


@pytest.mark.parametrize(("low", "high"), [(-3, 3), (-50, 50), (0.01, 0.07), (-4.5, 4.5), (1e-12, 3e-12)])
def test_ticks_are_round_multiples_of_the_step_inside_the_range(low, high):
    ticks = nice_ticks(low, high)
    step = nice_step(high - low)
    assert 3 <= len(ticks) <= 11
    assert np.all((ticks >= low - 1e-12 * abs(low)) & (ticks <= high + 1e-12 * abs(high)))
    np.testing.assert_allclose(ticks / step, np.round(ticks / step), atol=1e-9)
    assert not np.any(np.signbit(ticks) & (ticks == 0))  # no -0 in a label


def test_ticks_of_a_zero_span_are_the_one_value():
    np.testing.assert_array_equal(nice_ticks(0.5, 0.5), [0.5])
    np.testing.assert_array_equal(nice_ticks(0.0, 0.0), [0.0])


def test_surface_axes_of_a_constant_surface_have_a_z_range():
    axes = surface_axes(from_expression("2 + 0*x"))
    low, high, step = axes.z_range
    assert step > 0 and low <= 2 <= high and high > low


def test_to_scene_is_the_affine_map_of_the_axes():
    axes = map_axes(((-3, 3), (-2, 2)), "#ffffff")
    points = np.array([(0.0, 0.0), (1.5, -2.0), (-3.0, 2.0)])
    expected = np.array([axes.c2p(*p) for p in points])
    np.testing.assert_allclose(to_scene(axes, points), expected, atol=1e-12)


# --- points and panels that follow the surface --------------------------------------------------

ELONGATED_HOME = ((-50.0, 50.0), (-50.0, 50.0))


def test_fit_points_keeps_points_inside_where_the_surface_is_finite():
    surface = from_expression("x**2 + 3*y**2", domain=((-60, 60), (-60, 60)))
    points = np.array([(-20.0, 10.0), (25.0, -15.0)])
    np.testing.assert_array_equal(fit_points(points, ELONGATED_HOME, surface), points)


def test_fit_points_moves_points_outside_the_domain_to_the_same_relative_place():
    surface = from_expression("x**2 + 3*y**2")  # on [-3, 3]^2
    moved = fit_points(np.array([(-20.0, 10.0), (25.0, -15.0)]), ELONGATED_HOME, surface)
    np.testing.assert_allclose(moved, [(-1.2, 0.6), (1.5, -0.9)])


@pytest.mark.parametrize("formula", ["sqrt(x) + y**2", "log(x)", "1/(x - y)"])
def test_fit_points_moves_points_to_where_value_and_gradient_are_finite_and_keeps_them_apart(formula):
    surface = from_expression(formula)
    moved = fit_points(np.array([(-1.2, 1.0), (-2.0, 1.0), (0.8, 1.31)]), ((-3, 3), (-3, 3)), surface)
    assert np.all(np.isfinite(surface.value(moved))) and np.all(np.isfinite(surface.gradient(moved)))
    assert np.all(np.abs(moved) <= 3)
    assert len({tuple(p) for p in np.round(moved, 6)}) == 3

