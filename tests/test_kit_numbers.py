"""Readout draws the glyphs DecimalNumber draws, in the same places, as its value changes."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from manim import DOWN, LEFT, RIGHT, UP, DecimalNumber

from scenes.kit import Readout


def assert_same_drawing(readout: Readout, stock: DecimalNumber) -> None:
    """The same glyph points in the same order, and the same style on each glyph."""
    ours, theirs = readout.family_members_with_points(), stock.family_members_with_points()
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.points, b.points, atol=1e-9)
        np.testing.assert_array_equal(a.fill_rgbas, b.fill_rgbas)
        assert a.stroke_width == b.stroke_width
    assert readout.height == pytest.approx(stock.height, abs=1e-9)
    assert readout.font_size == pytest.approx(stock.font_size, rel=1e-9)


values = st.floats(-1e6, 1e6, allow_nan=False) | st.integers(-10**7, 10**7).map(float)


@settings(max_examples=30, deadline=None)
@given(st.lists(values, min_size=1, max_size=6), st.integers(0, 4))
def test_a_readout_follows_its_values_as_a_decimal_number_does(numbers, decimals):
    kwargs = {"num_decimal_places": decimals, "font_size": 30, "color": "#ffcc00"}
    readout, stock = Readout(numbers[0], **kwargs), DecimalNumber(numbers[0], **kwargs)
    assert_same_drawing(readout, stock)
    for number in numbers[1:]:
        readout.set_value(number)
        stock.set_value(number)
        assert_same_drawing(readout, stock)


@pytest.mark.parametrize("edge", [LEFT, RIGHT, UP, DOWN])
def test_a_moved_scaled_and_recolored_readout_keeps_its_place_size_and_color(edge):
    readout, stock = (cls(-12.5, num_decimal_places=2, edge_to_fix=edge) for cls in (Readout, DecimalNumber))
    for mob in (readout, stock):
        mob.scale(1.7).shift(2 * RIGHT + UP).set_color("#33aaff")
    for number in (3.25, -1000.0, 0.5, 0.5, 7.0):
        readout.set_value(number)
        stock.set_value(number)
        assert_same_drawing(readout, stock)


@pytest.mark.parametrize("options", [{"include_sign": True}, {"show_ellipsis": True}, {"unit": r"\%"}])
def test_signs_ellipses_and_units_are_drawn_as_decimal_number_draws_them(options):
    readout, stock = Readout(2.5, **options), DecimalNumber(2.5, **options)
    for number in (-3.75, 41.0, 41.0001, 0.0):
        readout.set_value(number)
        stock.set_value(number)
        assert_same_drawing(readout, stock)
