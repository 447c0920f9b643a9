"""Every scene that runs a descent for many steps shows its loss curves (one kit panel,
:class:`~scenes.kit.LossCurves`): what each curve draws is :math:`\\log_{10}(f(x_k) - f^*)` of the
very path on the map, step by step, with :math:`f^*` the surface's known minimum; in the rendered
last frame each curve is drawn where its last gaps are; the panel stays inside the frame and
clear of the map.

A scene with a panel keeps it as ``scene.loss_curves`` and the paths it draws, in curve order and
one start each, as ``scene.loss_paths``.
"""

from __future__ import annotations

import numpy as np
import pytest
from scene_render import line_at, to_pixel

from scenes import scene_module_names, scenes_in
from scenes.kit import known_minimum, log_gaps, to_scene

WITH_LOSS_PANEL = [
    "BowlDescent",
    "FlowVsSteps",
    "GaussianDescent",
    "InsideOneStep",
    "InsideOneStepAdam",
    "LagrangeMultipliers",
    "LearningRateSchedules",
    "LearningRates",
    "LineSearch",
    "NewtonVsGradient",
    "OptimizerRace",
    "OptimizerRaceSaddle",
    "OptimizerRaceValley",
    "SteepestVsConjugate",
    "StochasticGradient",
]
CONSTRAINED = {"LagrangeMultipliers": lambda scene: min(p.value for _, p in scene.plan.stops if p.kind == "minimum")}
SCENES = {cls.__name__: cls for module in scene_module_names() for cls in scenes_in(module)}


@pytest.mark.render
@pytest.mark.parametrize("name", WITH_LOSS_PANEL)
def test_loss_curves_draw_the_log_gap_of_each_path_on_the_map(rendered, name):
    scene = rendered(SCENES[name]).scene
    panel, paths = scene.loss_curves, scene.loss_paths
    assert len(paths) == len(panel.curves) > 0
    known = known_minimum(scene.surface())
    if name in CONSTRAINED:  # the minimum on the constraint, not the surface's own
        assert (panel.f_star, panel.f_star_known) == (CONSTRAINED[name](scene), True)
    elif known is not None and all(np.min(p.values[: p.n_steps + 1]) >= known - 1e-9 for p in paths):
        assert (panel.f_star, panel.f_star_known) == (known, True)
    low, high = panel.axes.y_range[:2]
    for path, curve in zip(paths, panel.curves):
        assert path.points.ndim == 2, "loss_paths holds one start per curve"
        values = path.values[: path.n_steps + 1]
        logs, _ = log_gaps(values, panel.f_star)
        expected = to_scene(panel.axes, np.stack([np.arange(len(values)), np.clip(logs, low, high)], axis=-1))
        drawn = np.vstack([curve.points[::4], curve.points[-1:]])
        np.testing.assert_allclose(drawn[: len(values)], expected, atol=1e-9)


@pytest.mark.render
@pytest.mark.parametrize("name", WITH_LOSS_PANEL)
def test_rendered_loss_curves_end_at_their_last_gaps_inside_the_frame(rendered, name):
    result = rendered(SCENES[name])
    scene, frame = result.scene, result.last_frame
    panel = scene.loss_curves
    box = np.array([panel.get_corner(corner) for corner in ((-1, -1, 0), (1, 1, 0))])
    half = np.array([scene.camera.frame_width, scene.camera.frame_height]) / 2
    assert np.all(np.abs(box[:, :2]) <= half + 1e-6), f"{name}'s loss panel is cut off"
    pixels = []
    for i, curve in enumerate(panel.curves):
        corners = panel.scene_points(i)
        if len(corners) >= 2:  # the middle of its last segment
            pixels.append((curve, to_pixel(scene, (corners[-1] + corners[-2]) / 2)))
    checked = 0
    for i, (curve, pixel) in enumerate(pixels):
        if all(np.linalg.norm(pixel - other) > 3 for _, other in pixels[:i] + pixels[i + 1 :]):  # not drawn over
            assert line_at(frame, pixel, curve.get_stroke_color()), f"{name}: curve {i} is not drawn at its last gap"
            checked += 1
    assert checked >= 1, f"{name}: every curve's end lies under another's"
