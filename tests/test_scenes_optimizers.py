"""Pixel and number checks of the optimizer scenes: what is drawn and printed comes from gradcore.

Scenes render once per session at 256x144, 5 fps (the shared ``rendered`` fixture); heads of
trails are found by their color at the pixels where gradcore's trajectories end, and the
numbers on screen are read from the scene's mobjects at the end of the render.
"""

from __future__ import annotations

import numpy as np
import pytest
from scene_render import dot_at, line_at, rgb_of, to_pixel

from gradcore.curvature import typical_curvature
from gradcore.descent import conjugate_gradient, descend, steepest_descent_exact
from gradcore.flow import gradient_flow
from gradcore.levels import default_levels
from gradcore.outcome import describe
from gradcore.optimizers import OPTIMIZERS
from gradcore.quadratic import Quadratic
from gradcore.registry import get_surface
from gradcore.tuning import tune_learning_rate
from scenes.conjugate_gradient import SteepestVsConjugate
from gradcore.flow import level_crossings
from scenes.gradient_flow import FlowVsSteps
from scenes.inside_one_step import InsideOneStep, InsideOneStepAdam
from scenes.kit import Theme, to_scene
from scenes.learning_rates import LearningRates
from scenes.optimizers import OptimizerRace, OptimizerRaceSaddle, OptimizerRaceValley

pytestmark = pytest.mark.render


class BowlRace(OptimizerRace):
    """A subclass with another surface, start, optimizer list and step count."""

    surface_name, start, steps = "bowl", (-2.5, 2.0), 8
    learning_rates = {"sgd": 0.05, "adam": 0.3}


def _registered_surface(scene_class):
    """The scene's surface, rebuilt from its class attributes with gradcore's registry."""
    domain = {} if scene_class.domain is None else {"domain": scene_class.domain}
    return get_surface(scene_class.surface_name, **scene_class.surface_params, **domain)


def _race_surface(scene_class):
    """A race's surface on the box it runs on: its ``view`` where it set one with its surface."""
    own_view = scene_class.view is not None and "view" in vars(scene_class) and "surface_name" in vars(scene_class)
    if own_view:
        return get_surface(scene_class.surface_name, **scene_class.surface_params, domain=scene_class.view)
    return _registered_surface(scene_class)


def _expected_rates(scene_class) -> dict:
    """The race's rates: the given ones, and each None tuned with gradcore for its surface, start and steps."""
    surface = _race_surface(scene_class)
    return {
        name: lr if lr is not None else tune_learning_rate(surface, scene_class.start, name, scene_class.steps)
        for name, lr in scene_class.learning_rates.items()
    }


def _expected_paths(scene_class) -> dict:
    surface = _race_surface(scene_class)
    return {
        name: descend(
            surface,
            scene_class.start,
            OPTIMIZERS[name]() if lr is None else OPTIMIZERS[name](lr),
            steps=scene_class.steps,
            domain=surface.domain,
        )
        for name, lr in _expected_rates(scene_class).items()
    }


@pytest.mark.parametrize(
    "scene_class", [OptimizerRace, OptimizerRaceSaddle, OptimizerRaceValley, BowlRace], ids=lambda c: c.__name__
)
def test_race_heads_end_where_gradcore_trajectories_end(rendered, scene_class):
    result = rendered(scene_class)
    scene = result.scene
    ends = {name: path.points[path.n_steps] for name, path in _expected_paths(scene_class).items()}
    pixels = {name: to_pixel(scene, to_scene(scene.axes, end)) for name, end in ends.items()}
    radius = scene.trails["sgd"].dot.width / 2 * scene.camera.pixel_width / scene.camera.frame_width
    names = list(ends)
    for i, name in enumerate(names):
        np.testing.assert_allclose(scene.trails[name].dot.get_center(), to_scene(scene.axes, ends[name]), atol=1e-9)
        # heads drawn later cover this one where they overlap it: the last of them shows here
        covering = [other for other in names[i:] if np.linalg.norm(pixels[other] - pixels[name]) < 2 * radius]
        on_top = covering[-1]
        if np.linalg.norm(pixels[on_top] - pixels[name]) < 0.5:
            color = scene.trails[on_top].dot.get_color()
            assert dot_at(result.last_frame, pixels[name], color), f"{name}'s head is not at gradcore's end"
        start = to_pixel(scene, to_scene(scene.axes, np.asarray(scene_class.start)))
        assert np.linalg.norm(pixels[name] - start) > 2, f"{name} did not move on screen"


def test_fair_race_gives_every_rule_its_tuned_rate_in_the_legend(rendered):
    scene = rendered(OptimizerRace).scene
    assert list(scene.trails) == list(OPTIMIZERS)  # every rule, Adadelta included
    rates = _expected_rates(OptimizerRace)
    assert rates["adam"] == pytest.approx(0.398, rel=1e-3) and all(lr is not None for lr in rates.values())
    assert scene.rates() == rates
    for name, lr in rates.items():
        shown = scene.rate_labels[name].tex_string
        assert shown == (r"\text{none}" if lr is None else rf"\eta = {lr:.3g}"), shown


def test_fair_race_every_tuned_rule_reaches_beales_minimum(rendered):
    """From (1, 1) in 200 steps, each rule with its tuned rate ends within 0.05 of Beale's minimum
    (3, 0.5); read from the frame: a head of one of them is drawn on the minimum's pixel, and the
    legend says so."""
    result = rendered(OptimizerRace)
    scene, frame = result.scene, result.last_frame
    minimum = np.array([3.0, 0.5])
    arrived = {
        name
        for name, path in _expected_paths(OptimizerRace).items()
        if np.linalg.norm(path.points[path.n_steps] - minimum) < 0.05
    }
    assert arrived == set(OPTIMIZERS)
    for name in OPTIMIZERS:
        assert scene.outcomes[name] == "at the minimum"
    pixel = to_pixel(scene, to_scene(scene.axes, minimum))
    assert any(dot_at(frame, pixel, scene.trails[name].dot.get_color()) for name in arrived)


def test_race_loss_panel_draws_each_rules_gap_to_beales_minimum(rendered):
    scene = rendered(OptimizerRace).scene
    panel = scene.loss_curves
    assert panel.f_star == 0.0 and panel.f_star_known
    low, high = panel.axes.y_range[:2]
    for i, path in enumerate(scene.paths.values()):
        k = np.arange(path.n_steps + 1)
        expected = np.array([panel.axes.c2p(j, np.clip(np.log10(path.values[j]), low, high)) for j in k])
        points = panel.curves[i].points
        np.testing.assert_allclose(np.vstack([points[::4], points[-1:]])[: len(k)], expected, atol=1e-9)


@pytest.mark.parametrize(
    "scene_class", [OptimizerRace, OptimizerRaceSaddle, OptimizerRaceValley, BowlRace], ids=lambda c: c.__name__
)
def test_race_losses_and_step_counter_equal_gradcore_values(rendered, scene_class):
    scene = rendered(scene_class).scene
    expected = _expected_paths(scene_class)
    assert list(scene.losses) == list(scene_class.learning_rates)
    for name, path in expected.items():
        np.testing.assert_allclose(scene.losses[name].get_value(), path.values[path.n_steps], rtol=1e-12)
    assert scene.step_counter.get_value() == max(path.n_steps for path in expected.values())


def test_race_labels_optimizers_that_leave_or_stall(rendered):
    scene = rendered(OptimizerRaceSaddle).scene
    assert set(scene.outcomes.values()) == {"left the map"}
    beale = rendered(OptimizerRace).scene
    surface = _race_surface(OptimizerRace)
    for name, path in _expected_paths(OptimizerRace).items():
        assert beale.outcomes[name] == describe(surface, path).text
    valley = rendered(OptimizerRaceValley).scene
    assert valley.outcomes["sgd"] == "still moving" and valley.outcomes["momentum"] == "at the minimum"


def test_race_subclass_draws_its_own_optimizers_and_surface(rendered):
    scene = rendered(BowlRace).scene
    assert list(scene.trails) == ["sgd", "adam"]
    surface = get_surface("bowl")
    np.testing.assert_allclose(scene.axes.x_range[:2], surface.domain[0])
    np.testing.assert_allclose(scene.step_counter.get_value(), 8)


class QuadraticRace(OptimizerRace):
    """The race on a formula: the start and rates chosen for Beale are carried over to it."""

    formula = "x**2 + 3*y**2"


class LogRace(OptimizerRace):
    """The race on a formula whose paths run into a singularity."""

    formula = "log(x)"


class QuadraticSaddleRace(OptimizerRaceSaddle):
    """Rates given for the saddle, carried over to a formula."""

    formula = "x**2 + 3*y**2"


def test_race_carries_its_start_and_rates_over_to_a_formula_but_checks_a_users_start():
    QuadraticRace.validate()
    scene = QuadraticRace()
    # Beale's (1, 1) lies in [-3, 3]^2 too and stays; the race's view was Beale's: the formula's box
    np.testing.assert_allclose(scene.fitted_points("start"), (1.0, 1.0))
    assert scene.race_surface().domain == ((-3.0, 3.0), (-3.0, 3.0))
    surface, start = scene.surface(), scene.fitted_points("start")
    expected = {name: tune_learning_rate(surface, start, name, QuadraticRace.steps) for name in OPTIMIZERS}
    assert scene.rates() == expected  # tuned afresh for the formula
    given = QuadraticSaddleRace().rates()  # given rates: carried over by curvature and domain size
    saddle = get_surface("saddle")
    np.testing.assert_allclose(given["sgd"], 0.05 * typical_curvature(saddle) / typical_curvature(surface))
    np.testing.assert_allclose(given["adam"], 0.05 * 6 / 2)  # a distance: scales with the domain
    with pytest.raises(ValueError, match=r"start \(3.0, 4.0\) is outside the domain \(\(-3.0, 3.0\)"):
        type("UsersStart", (QuadraticRace,), {"start": (3.0, 4.0)}).validate()


def test_race_on_a_formula_runs_gradcores_paths_and_says_how_each_ended(rendered):
    scene = rendered(LogRace).scene
    surface = scene.surface()
    start, rates = scene.fitted_points("start"), scene.rates()
    for name, path in scene.paths.items():
        rule = OPTIMIZERS[name]() if rates[name] is None else OPTIMIZERS[name](rates[name])
        expected = descend(surface, start, rule, steps=LogRace.steps, domain=surface.domain)
        np.testing.assert_allclose(path.points, expected.points)
        assert scene.outcomes[name] == describe(surface, path).text
        np.testing.assert_allclose(scene.losses[name].get_value(), path.values[path.n_steps])
    assert "diverged" not in scene.outcomes.values()  # a tuned rate is never one that diverges


class ShiftedOval(SteepestVsConjugate):
    """A subclass with another matrix, linear term (so another minimum) and start."""

    surface_params = {"A": ((3.0, -1.0), (-1.0, 1.0)), "b": (1.0, -0.5)}
    start = (2.0, 2.5)


def _oval(scene_class) -> Quadratic:
    """The quadratic of a SteepestVsConjugate scene, from its matrix and linear term."""
    params = scene_class.surface_params
    return Quadratic(params["A"], params.get("b", (0.0, 0.0)), domain=scene_class.domain)


def _line_passes(frame: np.ndarray, pixel: np.ndarray, color) -> bool:
    """Whether some pixel of the 3x3 around sub-pixel ``(column, row)`` shows ``color`` (the
    conjugate-gradient path is drawn wide enough to fill a pixel)."""
    column, row = np.floor(pixel).astype(int)
    window = frame[row - 1 : row + 2, column - 1 : column + 2, :3].reshape(-1, 3).astype(float)
    return bool(np.any(np.linalg.norm(window - rgb_of(color), axis=-1) < 60))


@pytest.mark.parametrize("scene_class", [SteepestVsConjugate, ShiftedOval], ids=lambda c: c.__name__)
def test_conjugate_gradient_path_has_two_segments_ending_at_the_minimum(rendered, scene_class):
    result = rendered(scene_class)
    scene, frame = result.scene, result.last_frame
    quadratic = _oval(scene_class)
    expected = conjugate_gradient(quadratic, scene_class.start, tol=scene_class.tol)
    corners = to_scene(scene.axes, expected.points)
    drawn = np.asarray(scene.conjugate_trail.line.get_anchors())
    distinct = drawn[np.concatenate([[True], np.linalg.norm(np.diff(drawn, axis=0), axis=1) > 1e-9])]
    assert len(distinct) == 3, "the conjugate-gradient path is not two segments"
    np.testing.assert_allclose(distinct, corners, atol=1e-9)
    np.testing.assert_allclose(distinct[-1], to_scene(scene.axes, quadratic.minimizer), atol=1e-6)
    color = scene.conjugate_color
    for a, b in zip(corners[:-1], corners[1:]):
        assert _line_passes(frame, to_pixel(scene, (a + b) / 2), color), "a CG segment is not drawn"
    assert dot_at(frame, to_pixel(scene, corners[-1]), color), "CG's head is not at the minimum"


def test_steepest_descent_turns_at_right_angles_where_marked(rendered):
    scene = rendered(SteepestVsConjugate).scene
    quadratic = _oval(SteepestVsConjugate)
    path = steepest_descent_exact(quadratic, SteepestVsConjugate.start, steps=500, tol=SteepestVsConjugate.tol)
    np.testing.assert_allclose(scene.steepest.points, path.points)
    steps = np.diff(path.points[: path.n_steps + 1], axis=0)
    cosines = np.sum(steps[:-1] * steps[1:], axis=1) / np.prod(np.linalg.norm([steps[:-1], steps[1:]], axis=-1), axis=0)
    np.testing.assert_allclose(cosines[:10], 0, atol=1e-9)
    corners = to_scene(scene.axes, path.points)
    assert len(scene.corner_marks) >= 3
    for j, mark in enumerate(scene.corner_marks):
        first, _, last = np.asarray(mark.get_anchors())[[0, 1, -1]]
        before, after = corners[j] - corners[j + 1], corners[j + 2] - corners[j + 1]
        for leg, step in ((first - corners[j + 1], before), (last - corners[j + 1], after)):
            np.testing.assert_allclose(np.cross(leg, step)[2], 0, atol=1e-9)
            assert leg @ step > 0, f"mark {j} is not drawn in the corner of steps {j} and {j + 1}"


def test_step_counts_on_screen_equal_gradcore_step_counts(rendered):
    scene = rendered(SteepestVsConjugate).scene
    quadratic = _oval(SteepestVsConjugate)
    path = steepest_descent_exact(quadratic, SteepestVsConjugate.start, steps=500, tol=SteepestVsConjugate.tol)
    assert scene.steepest_count.get_value() == path.n_steps > 10
    assert scene.conjugate_count.get_value() == 2


def _learning_rate_paths(scene_class) -> tuple[float, list]:
    surface = get_surface(scene_class.surface_name, domain=scene_class.domain)
    bound = 2 / np.max(np.linalg.eigvalsh(np.array(surface.A)))
    paths = [
        descend(surface, scene_class.start, rule, steps=scene_class.steps, domain=surface.domain)
        for rule in (OPTIMIZERS["sgd"](f * bound) for f in scene_class.fractions)
    ]
    return bound, paths


def test_learning_rates_bound_and_rates_on_screen_come_from_the_hessian(rendered):
    scene = rendered(LearningRates).scene
    bound, _ = _learning_rate_paths(LearningRates)
    np.testing.assert_allclose(scene.bound.get_value(), bound, rtol=1e-12)
    np.testing.assert_allclose([n.get_value() for n in scene.rate_numbers], np.multiply(LearningRates.fractions, bound))


def test_learning_rate_paths_end_where_gradcore_ends_them(rendered):
    result = rendered(LearningRates)
    scene, frame = result.scene, result.last_frame
    _, paths = _learning_rate_paths(LearningRates)
    assert [p.status for p in paths] == ["max_steps", "max_steps", "max_steps", "left_domain"]
    foreground = Theme.from_background(scene.camera.background_color).foreground
    for axes, path, trail in zip(scene.axes, paths, scene.trails, strict=True):
        end = to_pixel(scene, to_scene(axes, path.points[path.n_steps]))
        if path.status == "left_domain":  # a cross marks where the diverging descent left the map
            assert _line_passes(frame, end, foreground)
        else:
            assert dot_at(frame, end, trail.dot.get_color())


class QuadraticRates(LearningRates):
    """Learning rates on a formula: the bound comes from its Hessian, eigenvalues 2 and 6."""

    formula = "x**2 + 3*y**2"


def test_learning_rates_bound_on_a_formula_comes_from_its_hessian(rendered):
    scene = rendered(QuadraticRates).scene
    np.testing.assert_allclose(scene.bound.get_value(), 2 / 6)
    np.testing.assert_allclose([n.get_value() for n in scene.rate_numbers], np.multiply(LearningRates.fractions, 2 / 6))
    assert [p.status for p in scene.paths] == ["max_steps", "max_steps", "max_steps", "left_domain"]


class CubicStep(InsideOneStep):
    """A momentum step on a formula that falls off the map."""

    formula = "x**3 - x"


def test_inside_one_step_says_when_the_descent_leaves_the_map(rendered):
    scene = rendered(CubicStep).scene
    assert scene.path.status == "left_domain" and scene.outcome == "left the map"
    assert len(scene.points) == scene.path.n_steps + 1


@pytest.mark.parametrize("scene_class", [InsideOneStep, InsideOneStepAdam], ids=lambda c: c.__name__)
def test_inside_one_step_path_is_gradcores_and_ends_at_its_head(rendered, scene_class):
    result = rendered(scene_class)
    scene = result.scene
    surface = _registered_surface(scene_class)
    path = descend(surface, scene_class.start, scene.make_optimizer(), steps=scene_class.steps)
    np.testing.assert_allclose(scene.points, path.points, rtol=1e-12, atol=1e-12)
    end = to_pixel(scene, to_scene(scene.axes, path.points[-1]))
    assert dot_at(result.last_frame, end, scene.trail.dot.get_color())


def test_momentum_parts_add_up_to_gradcores_step(rendered):
    scene = rendered(InsideOneStep).scene
    for k, record in enumerate(scene.records):
        (tail, carried, *_), (middle, gradient, *_) = scene.parts(record)
        np.testing.assert_allclose(middle, tail + carried)
        np.testing.assert_allclose(carried + gradient, record.step, atol=1e-12)
        previous = scene.records[k - 1].step if k else np.zeros(2)
        np.testing.assert_allclose(carried, InsideOneStep.beta * previous, atol=1e-12)


def test_adam_step_is_first_moment_in_box_units(rendered):
    scene = rendered(InsideOneStepAdam).scene
    c = scene.scale()
    for record in scene.records:
        m_hat, v_hat = scene.moments(record)
        (_, gradient, *_), (_, moment, *_) = scene.parts(record)
        np.testing.assert_allclose(gradient, -c * record.grad)
        half_sides = c * np.sqrt(v_hat)
        np.testing.assert_allclose(InsideOneStepAdam.learning_rate * moment / half_sides, record.step, rtol=1e-6)
    first = scene.records[0]
    # Adam's first step is η sign(g): the first-moment arrow ends at the box's corner
    np.testing.assert_allclose(np.abs(first.step), InsideOneStepAdam.learning_rate, rtol=1e-6)


def test_flow_curve_and_descent_paths_are_gradcores(rendered):
    result = rendered(FlowVsSteps)
    scene, frame = result.scene, result.last_frame
    surface = get_surface(FlowVsSteps.surface_name, domain=FlowVsSteps.domain)
    # the rates the scene chose from the curvature: fractions of 2 / lambda_max, the seed's
    assert scene.learning_rates == (0.05, 0.2, 0.4, 0.6) and scene.flow_time == 12.0
    times = np.linspace(0, scene.flow_time, FlowVsSteps.samples)
    flow = gradient_flow(surface, FlowVsSteps.start, (0.0, scene.flow_time), times)
    anchors = np.asarray(scene.curve.get_anchors())
    np.testing.assert_allclose(anchors[[0, -1]], to_scene(scene.axes, flow.points[[0, -1]]), atol=1e-9)
    for h, number, trail in zip(scene.learning_rates, scene.rate_numbers, scene.trails):
        steps = round(scene.flow_time / h)
        path = descend(surface, FlowVsSteps.start, OPTIMIZERS["sgd"](h), steps=steps, domain=surface.domain)
        assert number.get_value() == h
        np.testing.assert_allclose(trail.path_points, to_scene(scene.axes, path.points))
    # the largest learning rate's first step lands far off the flow: its corner is drawn there
    largest = scene.trails[-1]
    assert line_at(frame, to_pixel(scene, largest.path_points[1]), scene.colors[-1])
    assert dot_at(frame, to_pixel(scene, largest.path_points[-1]), scene.colors[-1])


def test_flow_meets_level_lines_at_marked_right_angles(rendered):
    scene = rendered(FlowVsSteps).scene
    surface = get_surface(FlowVsSteps.surface_name, domain=FlowVsSteps.domain)
    crossings = level_crossings(scene.flow, default_levels(surface, FlowVsSteps.n_levels, spacing="log"))
    assert len(scene.marks) == len(crossings) >= 3
    for mark, point in zip(scene.marks, crossings):
        corner = to_scene(scene.axes, point)
        first, _, last = np.asarray(mark.get_anchors())[[0, 1, -1]]
        gradient = surface.gradient(point)
        np.testing.assert_allclose((first - corner)[:2] @ gradient, 0, atol=1e-9)  # along the level line
        assert (last - corner)[:2] @ gradient < 0  # down the flow
        flow_direction = -gradient / np.linalg.norm(gradient)
        i = int(np.argmin(np.linalg.norm(scene.flow.points - point, axis=1)))
        tangent = np.diff(scene.flow.points[max(i - 1, 0) : i + 2], axis=0).mean(axis=0)
        np.testing.assert_allclose(tangent / np.linalg.norm(tangent) @ flow_direction, 1, atol=2e-2)
