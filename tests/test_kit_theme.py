"""The kit's colors: WCAG contrast, colors fitted to a background keeping their hue, the theme's
palette and roles on any background, and the color maps."""

from __future__ import annotations

import colorsys
import itertools

import numpy as np
import pytest
from manim import ManimColor

from scenes.kit import (
    GRAPHICS_CONTRAST,
    TEXT_CONTRAST,
    VIRIDIS,
    Theme,
    colormap,
    contrast_ratio,
    faded,
    level_colors,
    luminance,
    with_contrast,
)

# The default dark background, white (light.cfg), and two of a user's own: a dark slate and wheat.
BACKGROUNDS = ["#0f1117", "#ffffff", "#3b4252", "#f5deb3"]
# Harder ones: mid greys (where black and white contrast about equally) and saturated colors.
ANY_BACKGROUNDS = BACKGROUNDS + ["#000000", "#777777", "#808080", "#6f7079", "#ff0000", "#0000ff", "#00ff00"]


def oklab(color) -> np.ndarray:
    """OKLab coordinates (Björn Ottosson's), where distance is about perceived difference."""
    rgb = np.asarray(ManimColor(color).to_rgb())
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    lms = np.cbrt(
        np.array([[0.4122214708, 0.5363325363, 0.0514459929],
                  [0.2119034982, 0.6806995451, 0.1073969566],
                  [0.0883024619, 0.2817188376, 0.6299787005]]) @ linear
    )  # fmt: skip
    return np.array([[0.2104542553, 0.7936177850, -0.0040720468],
                     [1.9779984951, -2.4285922050, 0.4505937099],
                     [0.0259040371, 0.7827717662, -0.8086757660]]) @ lms  # fmt: skip


def hue(color) -> float:
    return colorsys.rgb_to_hls(*ManimColor(color).to_rgb())[0]


def test_contrast_ratio_spans_one_to_twenty_one_and_is_symmetric():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#ffffff", "#000000") == pytest.approx(21.0)
    assert contrast_ratio("#3b4252", "#3b4252") == pytest.approx(1.0)
    assert contrast_ratio("#ff6b6b", "#0f1117") == pytest.approx(contrast_ratio("#0f1117", "#ff6b6b"))


def test_contrast_ratio_matches_wcag_reference_values():
    # WCAG's own examples: #767676 on white is the lightest grey with 4.5:1 (4.54).
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert luminance("#ffffff") == pytest.approx(1.0) and luminance("#000000") == 0.0


@pytest.mark.parametrize("background", ANY_BACKGROUNDS)
@pytest.mark.parametrize("ratio", [GRAPHICS_CONTRAST, TEXT_CONTRAST])
def test_with_contrast_reaches_the_ratio_keeping_the_hue(background, ratio):
    for color in ["#ff6b6b", "#4dabf7", "#ffd43b", "#69db7c", "#da77f2", "#e8e8ee", "#1b1b1f"]:
        fitted = with_contrast(color, background, ratio)
        assert contrast_ratio(fitted, background) >= ratio - 1e-9, (color, background)
        saturated = colorsys.rgb_to_hls(*ManimColor(color).to_rgb())[2] > 0.1
        extreme = luminance(fitted) in (0.0, 1.0)
        if saturated and not extreme:
            assert abs(hue(fitted) - hue(color)) < 0.02, (color, background, fitted.to_hex())


def test_with_contrast_leaves_a_color_that_already_contrasts_unchanged():
    assert with_contrast("#ffd43b", "#0f1117", 3.0).to_hex() == "#FFD43B"
    assert with_contrast("#1b1b1f", "#ffffff", 4.5).to_hex() == "#1B1B1F"


def test_with_contrast_changes_as_little_as_needed():
    fitted = with_contrast("#ffd43b", "#ffffff", 3.0)  # yellow on white: darkened just enough
    assert contrast_ratio(fitted, "#ffffff") == pytest.approx(3.0, abs=0.01)


def test_with_contrast_beyond_what_the_background_allows_gives_black_or_white():
    assert with_contrast("#777777", "#777777", 10.0).to_hex() in ("#000000", "#FFFFFF")


def test_theme_from_background_keeps_its_colors():
    dark = Theme.from_background("#0f1117")
    assert (dark.foreground.to_hex(), dark.muted.to_hex()) == ("#E8E8EE", "#8A8D99")
    assert dark.colormap[1:] == tuple(s.upper() for s in VIRIDIS[3:])  # only viridis' darkest stop left is lightened
    light = Theme.from_background("#ffffff")
    assert (light.foreground.to_hex(), light.muted.to_hex()) == ("#1B1B1F", "#6F7079")
    assert light.colormap[:6] == tuple(s.upper() for s in VIRIDIS[:6])  # only viridis' lightest stops left are darkened


@pytest.mark.parametrize("background", ANY_BACKGROUNDS)
def test_every_color_of_the_color_map_contrasts_with_any_background(background):
    theme = Theme.from_background(background)
    for rgb in colormap(np.linspace(0.0, 1.0, 501), 0.0, 1.0, theme.colormap):
        assert contrast_ratio(ManimColor.from_rgb(rgb), background) >= GRAPHICS_CONTRAST - 1e-9, background
    for color in level_colors(np.arange(10.0), theme.colormap):
        assert contrast_ratio(color, background) >= GRAPHICS_CONTRAST - 1e-9, background
    assert contrast_ratio(theme.foreground, background) >= TEXT_CONTRAST - 1e-9
    assert contrast_ratio(theme.muted, background) >= GRAPHICS_CONTRAST - 1e-9


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_color_map_still_runs_from_dark_to_light_or_back(background):
    lum = [luminance(stop) for stop in Theme.from_background(background).colormap]
    assert lum[-1] > lum[0]  # the high end is the bright yellow end on every common background


@pytest.mark.parametrize("side", ["lighter", "darker"])
@pytest.mark.parametrize("background", ["#777777", "#3b4252", "#f5deb3"])
def test_with_contrast_moves_to_the_side_asked_for_where_it_can(background, side):
    for color in ["#1b1b1f", "#e8e8ee", "#4dabf7"]:
        fitted = with_contrast(color, background, GRAPHICS_CONTRAST, side=side)
        assert contrast_ratio(fitted, background) >= GRAPHICS_CONTRAST - 1e-9
        room = 1.05 / (luminance(background) + 0.05) if side == "lighter" else (luminance(background) + 0.05) / 0.05
        if room >= GRAPHICS_CONTRAST:
            assert (luminance(fitted) > luminance(background)) == (side == "lighter"), (color, background)


@pytest.mark.parametrize("background", ANY_BACKGROUNDS)
def test_palette_and_roles_contrast_with_any_background(background):
    theme = Theme.from_background(background)
    roles = [theme.accent, theme.highlight, theme.warning, theme.positive, theme.negative]
    assert len(theme.palette) >= 8
    for color in [*theme.palette, *roles]:
        assert contrast_ratio(color, background) >= GRAPHICS_CONTRAST - 1e-9, (background, color.to_hex())


@pytest.mark.parametrize("background", BACKGROUNDS)
def test_palette_colors_are_distinct_on_common_backgrounds(background):
    palette = Theme.from_background(background).palette
    closest = min(np.linalg.norm(oklab(a) - oklab(b)) for a, b in itertools.combinations(palette, 2))
    assert closest > 0.07  # several just-noticeable differences (about 0.02) apart


@pytest.mark.parametrize("background", ANY_BACKGROUNDS)
def test_readable_gives_text_contrast_on_any_background(background):
    theme = Theme.from_background(background)
    for color in ["#ffd43b", "#4dabf7", theme.muted, *theme.palette]:
        assert contrast_ratio(theme.readable(color), background) >= TEXT_CONTRAST - 1e-9


def test_roles_are_the_dark_themes_colors_on_the_default_background():
    theme = Theme.from_background("#0f1117")
    assert theme.negative.to_hex() == "#FF6B6B" and theme.accent.to_hex() == "#4DABF7"


def test_colormap_runs_from_first_to_last_stop_and_clips_outside():
    rgb = colormap(np.array([-1.0, 0.0, 1.0, 2.0]), 0.0, 1.0, VIRIDIS)
    np.testing.assert_allclose(rgb[[0, 1]], [ManimColor(VIRIDIS[0]).to_rgb()] * 2)
    np.testing.assert_allclose(rgb[[2, 3]], [ManimColor(VIRIDIS[-1]).to_rgb()] * 2)


def test_colormap_of_an_empty_range_takes_the_first_stop():
    np.testing.assert_allclose(colormap(np.array([3.0]), 3.0, 3.0, VIRIDIS)[0], ManimColor(VIRIDIS[0]).to_rgb())


def test_level_colors_follow_the_levels_values_not_their_order():
    low, high = ManimColor(VIRIDIS[0]).to_hex(), ManimColor(VIRIDIS[-1]).to_hex()
    colors = [c.to_hex() for c in level_colors([5.0, 1.0, 3.0], VIRIDIS)]
    assert colors[0] == high and colors[1] == low and colors[2] not in (low, high)


def test_faded_stops_lie_between_stop_and_background():
    (mixed,) = faded(["#ffffff"], "#000000", 0.25)
    np.testing.assert_allclose(ManimColor(mixed).to_rgb(), [0.25] * 3, atol=1 / 255)
