"""Pixel checks of the 2-D scenes: what is drawn lies where gradcore says it does.

Each scene is rendered once per session at 256x144, 5 fps (the ``rendered`` fixture, shared
with the reference-frame test); the checks read the frames' pixels at the places gradcore's
numbers map to through the scene's axes.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import Line, ManimColor, config
from scene_render import to_pixel

from gradcore.descent import descend
from gradcore.fields import clip_length
from gradcore.levels import level_tangent
from gradcore.optimizers import sgd
from gradcore.registry import CURVES, get_surface
from scenes.bowl import BowlDescent
from scenes.gaussian_descent import GaussianDescent
from scenes.gradient_maps import GradientMap1D, GradientMap2D
from scenes.kit import Theme, map_axes, to_scene
from scenes.level_sets import GradientOrthogonalToLevelSets

pytestmark = pytest.mark.render


def _theme(result) -> Theme:
    return Theme.from_background(result.scene.camera.background_color)


def _rgb(color) -> np.ndarray:
    return 255 * np.asarray(ManimColor(color).to_rgb())


def _near(frame: np.ndarray, color, tolerance: float) -> np.ndarray:
    """Mask of pixels within ``tolerance`` (RGB distance, 0-255 scale) of ``color``."""
    return np.linalg.norm(frame[..., :3].astype(float) - _rgb(color), axis=-1) < tolerance


def _covered(frame: np.ndarray, color, least: float = 0.3) -> np.ndarray:
    """Mask of pixels that are at least ``least`` of ``color`` blended over the background.

    Thin anti-aliased lines cover only part of a pixel: a pixel ``b + a (c - b)`` between the
    background ``b`` (the top-left pixel) and ``color`` ``c`` counts when ``a >= least``.
    """
    rgb = frame[..., :3].astype(float)
    background, span = rgb[0, 0], _rgb(color) - rgb[0, 0]
    alpha = (rgb - background) @ span / (span @ span)
    residual = np.linalg.norm(rgb - background - alpha[..., None] * span, axis=-1)
    return (alpha >= least) & (residual < 25)


def _at(frame: np.ndarray, pixel: np.ndarray) -> np.ndarray:
    """RGB of the pixel containing sub-pixel position ``(column, row)``."""
    column, row = np.floor(pixel).astype(int)
    return frame[row, column, :3].astype(float)


def _window(mask: np.ndarray, pixel: np.ndarray) -> np.ndarray:
    """The 3x3 pixels of ``mask`` around sub-pixel position ``(column, row)``."""
    column, row = np.floor(pixel).astype(int)
    return mask[row - 1 : row + 2, column - 1 : column + 2]


def _nearest(rgb: np.ndarray, colors: dict) -> str:
    """Name of the color in ``colors`` nearest to ``rgb``."""
    return min(colors, key=lambda name: np.linalg.norm(rgb - _rgb(colors[name])))


def _pixels_per_unit(frame: np.ndarray) -> float:
    return frame.shape[1] / config.frame_width


def _ring(mask: np.ndarray, center: np.ndarray, inner: float, outer: float) -> np.ndarray:
    """Offsets ``(n, 2)`` from ``center`` of the masked pixels between radii ``inner`` and ``outer``."""
    rows, columns = np.nonzero(mask)
    offsets = np.stack([columns + 0.5 - center[0], rows + 0.5 - center[1]], axis=-1)
    distance = np.hypot(*offsets.T)
    return offsets[(distance >= inner) & (distance <= outer)]


def _principal(offsets: np.ndarray) -> np.ndarray:
    """Principal direction of a cloud of pixel offsets (a line through the center)."""
    return np.linalg.eigh(offsets.T @ offsets)[1][:, 1]


def _angle(u: np.ndarray, v: np.ndarray) -> float:
    """Angle in degrees between two 2-D directions."""
    cosine = u @ v / (np.linalg.norm(u) * np.linalg.norm(v))
    return float(np.degrees(np.arccos(np.clip(cosine, -1, 1))))


def _on_screen(scene, axes, point: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Direction on screen ``(column, row)`` of an input-plane ``vector`` at ``point``."""
    ends = to_pixel(scene, to_scene(axes, np.array([point, point + 1e-3 * vector / np.linalg.norm(vector)])))
    return ends[1] - ends[0]


def _cell_centers(domain, shape) -> np.ndarray:
    """Centers ``(n, 2)`` of a ``shape = (nx, ny)`` grid of cells over ``domain``."""
    (xmin, xmax), (ymin, ymax) = domain
    xs = xmin + (np.arange(shape[0]) + 0.5) * (xmax - xmin) / shape[0]
    ys = ymin + (np.arange(shape[1]) + 0.5) * (ymax - ymin) / shape[1]
    return np.stack(np.meshgrid(xs, ys), axis=-1).reshape(-1, 2)


def test_gradient_arrow_orthogonal_to_rendered_level_line(rendered):
    scene_class = GradientOrthogonalToLevelSets
    result = rendered(scene_class)
    surface = get_surface(scene_class.surface_name)
    # The first view's axes, rebuilt as the scene builds them (it zooms out later).
    foreground = _theme(result).foreground
    axes = map_axes(surface.domain, foreground)
    unit = _pixels_per_unit(result.frames[0])
    measured = 0
    for point in map(np.array, scene_class.points):
        center = to_pixel(result.scene, to_scene(axes, point))
        uphill = _on_screen(result.scene, axes, point, surface.gradient(point))
        along = _on_screen(result.scene, axes, point, level_tangent(surface, point))
        for frame in result.frames:
            # A ring around the point leaves out the dot and the right-angle mark; the level arc
            # is drawn in the theme's foreground, the level lines of the map in other colors.
            arrow = _ring(_near(frame, result.scene.gradient_color, 90), center, 0.3 * unit, 0.9 * unit)
            line = _ring(_covered(frame, foreground, 0.4), center, 0.3 * unit, 0.9 * unit)
            if len(arrow) < 4 or len(line) < 4:
                continue
            measured += 1
            assert abs(_angle(_principal(arrow), _principal(line)) - 90) < 4, f"not at right angles at {point}"
            assert _angle(arrow.mean(axis=0), uphill) < 6, f"arrow not along the gradient at {point}"
            assert min(_angle(_principal(line), along), _angle(-_principal(line), along)) < 6, f"line at {point}"
    assert measured >= 3 * len(scene_class.points) // 2, "too few frames show an arrow and its level line"


def test_far_point_gradient_is_horizontal_on_screen(rendered):
    scene_class = GradientOrthogonalToLevelSets
    result = rendered(scene_class)
    surface = get_surface(scene_class.surface_name)
    point = result.scene.far_point  # found on the line where df/dy = 0, 80% of the way to the edge
    np.testing.assert_allclose(point, [80.0, 80.0], atol=1e-9)
    gradient = surface.gradient(point)
    np.testing.assert_allclose(gradient, [79.0, 0.0], atol=1e-9)  # the seed's numbers
    frame, axes = result.last_frame, result.scene.axes
    center = to_pixel(result.scene, to_scene(axes, point))
    assert result.scene.gradient_scale == 0.2  # the round scale the scene chose, the seed's
    tip = to_pixel(result.scene, to_scene(axes, point + result.scene.gradient_scale * gradient))
    assert abs(tip[1] - center[1]) < 0.5
    palette = {"arrow": result.scene.gradient_color, "background": _theme(result).background}
    assert all(_nearest(_at(frame, center + t * (tip - center)), palette) == "arrow" for t in (0.4, 0.6, 0.8))
    above = center + np.array([0.5 * (tip - center)[0], -4.0])
    assert _nearest(_at(frame, above), palette) == "background"


def test_1d_map_arrows_and_their_clipping_follow_the_derivative(rendered):
    scene_class = GradientMap1D
    result = rendered(scene_class, width=960, height=540)  # arrows 3 pixels wide, their centers fully inked
    scene, frame, theme = result.scene, result.last_frame, _theme(result)
    curve = CURVES[scene_class.curve_name]()
    low, high = curve.domain
    tails = np.arange(low, high + scene_class.spacing / 2, scene_class.spacing)
    slopes = scene_class.arrow_scale * curve.derivative(tails)
    vectors, clipped = clip_length(np.stack([slopes, 0 * slopes], axis=-1), scene_class.max_length)
    palette = {  # the colors the scene drew with (its knobs fitted to the theme)
        "plain": scene.arrow_color,
        "clipped": scene.clip_color,
        "axis": theme.muted,
        "none": theme.background,
    }
    checked = 0
    for tail, vector, cut in zip(tails, vectors[:, 0], clipped):
        start, end = (to_pixel(scene, scene.input_axis.c2p(x, 0)) for x in (tail, tail + vector))
        if abs(end[0] - start[0]) < 3:  # too short to sample
            continue
        assert _nearest(_at(frame, (start + end) / 2), palette) == ("clipped" if cut else "plain"), f"x = {tail}"
        checked += 1
    assert checked >= 8 and clipped.any() and not clipped.all()


def test_1d_graph_passes_through_the_curve_values(rendered):
    result = rendered(GradientMap1D)
    curve = CURVES[GradientMap1D.curve_name]()
    drawn = _covered(result.last_frame, result.scene.curve_color)
    for x in np.linspace(*curve.domain, 9)[1:-1]:
        pixel = to_pixel(result.scene, result.scene.axes.c2p(x, float(curve.value(x))))
        assert _window(drawn, pixel).any(), f"no graph pixel at x = {x}"


def test_2d_map_probe_arrow_points_along_the_gradient(rendered):
    scene_class = GradientMap2D
    result = rendered(scene_class)
    surface = get_surface(scene_class.surface_name)
    probe, axes = np.array(scene_class.probe), result.scene.axes
    center = to_pixel(result.scene, to_scene(axes, probe))
    unit = _pixels_per_unit(result.last_frame)
    pixels = _ring(_near(result.last_frame, result.scene.probe_color, 45), center, 0.05 * unit, 0.6 * unit)
    assert len(pixels) >= 4
    assert _angle(pixels.mean(axis=0), _on_screen(result.scene, axes, probe, surface.gradient(probe))) < 8


def test_2d_map_clips_exactly_the_steep_arrows(rendered):
    scene_class = GradientMap2D
    result = rendered(scene_class, width=960, height=540)  # arrows 2 pixels wide, to sample over the map
    surface = get_surface(scene_class.surface_name)
    centers = _cell_centers(surface.domain, scene_class.field_shape)
    magnitudes = np.linalg.norm(surface.gradient(centers), axis=-1)
    clip = result.scene.clip
    assert clip == 2.0  # the seed's clip: the round number nearest the median magnitude
    steep = magnitudes > clip
    palette = {"plain": result.scene.arrow_color, "clipped": result.scene.clip_color}
    checked = 0
    for center, magnitude, is_steep in zip(centers, magnitudes, steep):
        if np.linalg.norm(center - scene_class.probe) < 0.8 or magnitude < 0.5 * clip:
            continue  # the highlighted probe arrow, or too short to sample
        # Arrows are centered on their grid points: the pixels there are on the shaft.
        pixel = to_pixel(result.scene, to_scene(result.scene.axes, center))
        window = _window(result.last_frame[..., :3], pixel).reshape(-1, 3).astype(float)
        distance = {name: np.linalg.norm(window - _rgb(color), axis=-1).min() for name, color in palette.items()}
        drawn = min(distance, key=distance.get)
        assert distance[drawn] < 40, f"no arrow at {center}"
        assert drawn == ("clipped" if is_steep else "plain"), f"arrow at {center}"
        checked += 1
    assert checked >= 40 and steep.any() and not steep.all()


def _gaussian_path(scene_class):
    surface = get_surface(scene_class.surface_name)
    starts, lr = scene_class.starts, scene_class.learning_rate
    path = descend(surface, starts, sgd(lr), steps=scene_class.steps, domain=surface.domain)
    return path, path.points[path.n_steps, np.arange(len(starts))]


def test_descent_end_markers_sit_at_gradcore_end_points(rendered):
    scene_class = GaussianDescent
    result = rendered(scene_class)
    path, ends = _gaussian_path(scene_class)
    pixels = to_pixel(result.scene, to_scene(result.scene.axes, ends))
    colors = result.scene.colors  # the theme's palette, one per start
    for i, pixel in enumerate(pixels):
        # Starts ending at the same place share a marker: the one drawn last shows.
        sharing = [c for c, p in zip(colors, pixels) if np.linalg.norm(p - pixel) < 2]
        palette = {c: c for c in sharing} | {"background": _theme(result).background}
        assert _nearest(_at(result.last_frame, pixel), palette) in sharing, f"no end marker for start {i}"
    # The seed's starts end in different places: two in the minimum, one off the map, one on the plateau.
    assert sorted(path.status) == ["left_domain", "max_steps", "max_steps", "max_steps"]
    np.testing.assert_allclose(ends[0], ends[2], atol=1e-2)
    assert np.linalg.norm(ends[3] - ends[0]) > 1


def test_descent_trails_pass_through_gradcore_points(rendered):
    scene_class = GaussianDescent
    result = rendered(scene_class)
    path, _ = _gaussian_path(scene_class)
    for i, color in enumerate(result.scene.colors):
        middle = path.points[path.n_steps[i] // 2, i]
        pixel = to_pixel(result.scene, to_scene(result.scene.axes, middle))
        assert _window(_covered(result.last_frame, color), pixel).any(), f"trail {i} misses its middle point"


class OneEscapingStart(GaussianDescent):
    starts = [(0.8, 1.41)]
    colors = ("#00ff00",)
    steps = 30


def test_subclass_attributes_change_the_rendered_descent(rendered):
    result = rendered(OneEscapingStart)
    _, (end,) = _gaussian_path(OneEscapingStart)
    frame = result.last_frame
    assert _window(_near(frame, "#00ff00", 80), to_pixel(result.scene, to_scene(result.scene.axes, end))).any()
    for color in _theme(result).palette[:4]:  # none of the default starts' trails is drawn
        assert not _near(frame, color, 40).any()


def test_bowl_path_pixels_lie_on_gradcore_trajectory(rendered):
    scene_class = BowlDescent
    result = rendered(scene_class)
    surface = get_surface(scene_class.surface_name)
    path = descend(
        surface, scene_class.start, sgd(scene_class.learning_rate), steps=scene_class.steps, tol=scene_class.tol
    )
    frame, scene, theme = result.last_frame, result.scene, _theme(result)
    pixels = to_pixel(scene, to_scene(scene.axes, path.points))
    minimum = to_pixel(scene, to_scene(scene.axes, np.zeros(2)))
    palette = {
        "path": scene_class.path_color,
        "step": scene_class.step_color,
        "background": theme.background,
        "line": theme.muted,
    }
    checked = 0
    for k, pixel in enumerate(pixels[1:], start=1):
        if np.linalg.norm(pixel - minimum) < 5:  # under the minimum's marker
            continue
        assert _nearest(_at(frame, pixel), palette) == "path", f"no path dot at step {k}"
        checked += 1
    assert checked >= 8
    # Off the path, between two far-apart steps, there is no path color.
    assert _nearest(_at(frame, (pixels[0] + pixels[1]) / 2 + np.array([0, 6])), palette) != "path"


def test_bowl_color_bar_top_label_is_the_field_maximum(rendered):
    scene_class = BowlDescent
    result = rendered(scene_class)
    surface = get_surface(scene_class.surface_name)
    centers = _cell_centers(surface.domain, scene_class.field_shape)
    largest = np.linalg.norm(surface.gradient(centers), axis=-1).max()
    numbers = result.scene.color_bar.numbers
    np.testing.assert_allclose(numbers[-1].number, largest, rtol=1e-12)
    np.testing.assert_allclose(numbers[0].number, 0.0)
    assert numbers[-1].get_center()[1] > numbers[0].get_center()[1]


def test_bowl_start_moves_where_f_is_defined_and_a_far_start_is_refused():
    on_sqrt = type("BowlDescent", (BowlDescent,), {"formula": "sqrt(x) + y**2"})
    x, y = on_sqrt.__new__(on_sqrt).fitted_points("start")  # the seed's (-3, 4): sqrt(-3) is undefined
    assert 0 < x <= 3 and -3 <= y <= 3
    with pytest.raises(ValueError, match=r"start \(-1000000.0, 0\) is outside the domain .* by more than half"):
        type("BowlDescent", (BowlDescent,), {"start": (-1e6, 0)}).validate()
    with pytest.raises(ValueError, match=r"start \(-1, 0\) is where f or its gradient is not finite"):
        type("BowlDescent", (BowlDescent,), {"formula": "sqrt(x) + y**2", "start": (-1, 0)}).validate()


class BowlDescentOffTheMap(BowlDescent):
    formula = "x**3 - x"  # unbounded below: the descent runs away


def test_bowl_path_that_runs_away_is_cut_at_the_map_and_said_so(rendered):
    scene = rendered(BowlDescentOffTheMap).scene
    (xmin, xmax), (ymin, ymax) = scene.axes.x_range[:2], scene.axes.y_range[:2]
    drawn = [m for m in scene.mobjects if isinstance(m, Line)]
    ends = np.array([scene.axes.p2c(m.get_end()) for m in drawn])
    assert len(drawn) >= 1 and np.all((xmin <= ends[:, 0]) & (ends[:, 0] <= xmax))
    said = [m.tex_string for top in scene.mobjects for m in top.get_family() if hasattr(m, "tex_string")]
    assert any("ran off the map" in text for text in said)
