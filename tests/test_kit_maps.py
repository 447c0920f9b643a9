"""Maps of any surface: the range of values shown (clipped near singularities), the levels of a
map, false level lines along a jump, arrow fields and color bars of constant, singular or
partly undefined surfaces."""

from __future__ import annotations

import numpy as np
import pytest

from gradcore import default_levels, from_expression, get_surface
from scenes.kit import ArrowField, ColorBar, ContourMap, HeightMap, finite_range, map_axes, map_levels


def test_finite_range_ignores_non_finite_values_and_clips_a_singular_tail():
    assert finite_range(np.array([np.nan, np.inf])) is None
    assert finite_range(np.array([0.0, 1.0, np.nan, 2.0])) == (0.0, 2.0)
    low, high = finite_range(np.concatenate([np.linspace(-1, 1, 1000), [-1e12, 1e9]]))
    assert -1.1 < low < -0.9 and 0.9 < high < 1.1


def test_map_levels_are_gradcores_for_a_tame_surface():
    surface = get_surface("bowl")
    np.testing.assert_array_equal(map_levels(surface, 6, spacing="log"), default_levels(surface, 6, spacing="log"))


@pytest.mark.parametrize("formula", ["1/(x - y)", "1/(x**2 + y**2 - 1)", "log(x)", "sqrt(x) + y**2"])
def test_map_levels_of_a_singular_surface_are_finite_and_spread_over_its_bulk(formula):
    surface = from_expression(formula, domain=((-3, 3), (-2.5, 2.5)))
    levels = map_levels(surface, 8)
    assert len(levels) == 8 and np.all(np.isfinite(levels)) and np.all(np.diff(levels) > 0)
    values = surface.value(np.random.default_rng(0).uniform((-3, -2.5), (3, 2.5), (4000, 2)))
    values = values[np.isfinite(values)]
    inside = np.mean((values > levels[0]) & (values < levels[-1]))
    assert inside > 0.5  # most of the map lies between the first and the last level


def test_a_constant_surface_has_no_levels_and_an_empty_contour_map():
    surface = from_expression("3")
    levels = map_levels(surface, 5)
    assert levels.size == 0
    assert len(ContourMap(map_axes(surface.domain, "#ffffff"), surface, levels, [])) == 0


def test_contour_map_draws_no_false_line_along_the_jump_of_a_singular_line():
    surface = from_expression("1/(x - y)", domain=((-3, 3), (-2.5, 2.5)))
    axes = map_axes(surface.domain, "#ffffff")
    levels = map_levels(surface, 6)
    contours = ContourMap(axes, surface, levels, ["#ffffff"] * len(levels))
    for group in contours:
        for line in group.level_set.lines:
            np.testing.assert_allclose(surface.value(line), group.level, rtol=1e-3, atol=1e-3)


@pytest.mark.parametrize("formula", ["log(x)", "sqrt(x) + y**2", "1/(x - y)"])
def test_arrow_field_leaves_out_points_where_the_surface_is_not_finite(formula):
    surface = from_expression(formula)
    field = ArrowField(map_axes(surface.domain, "#ffffff"), surface, shape=(12, 12), color="#ffffff")
    assert len(field) > 0
    assert np.all(np.isfinite(surface.value(field.centers))) and np.all(np.isfinite(field.vectors))
    cell = 6 / 12
    assert np.all(np.linalg.norm(field.vectors, axis=1) <= 0.9 * cell * (1 + 1e-6))  # clipped, not huge


def test_arrow_field_of_a_constant_surface_is_empty():
    surface = from_expression("3")
    assert len(ArrowField(map_axes(surface.domain, "#ffffff"), surface, color="#ffffff")) == 0


def test_height_map_leaves_out_cells_where_the_surface_is_not_finite_and_has_a_finite_range():
    surface = from_expression("log(x)")
    shade = HeightMap(map_axes(surface.domain, "#ffffff"), surface, ["#000000", "#ffffff"], resolution=40)
    assert np.all(np.isfinite(shade.value_range))
    left = min(mob.get_left()[0] for mob in shade)
    assert left >= map_axes(surface.domain, "#ffffff").c2p(0, 0)[0] - 0.2  # nothing drawn where x < 0


def test_color_bar_of_a_constant_shows_one_number_and_picks_decimals_itself():
    bar = ColorBar(3.0, 3.0, ["#000000", "#ffffff"], "#ffffff", decimals=None)
    assert len(bar.numbers) == 1 and bar.numbers[0].number == 3.0
    bar = ColorBar(0.0, 0.2, ["#000000", "#ffffff"], "#ffffff", decimals=None)
    shown = {f"{n.number:.{n.num_decimal_places}f}" for n in bar.numbers}
    assert len(shown) == len(bar.numbers) == 5
    with pytest.raises(ValueError, match="finite ends"):
        ColorBar(0.0, np.inf, ["#000000"], "#ffffff")
