"""Newton against gradient descent, and backtracking line search: what the scenes draw and print
is gradcore's (the models, the trials, the step counts, the errors), checked on the scenes'
mobjects and on pixels of real renders at a tiny resolution.

Whole renders are shared per session (the ``rendered`` fixture); the pixel checks of a moment
inside a scene render only up to that animation (``upto_animation_number``).
"""

from __future__ import annotations

import numpy as np
import pytest
from scene_render import dot_at, line_at, render_scene, to_pixel

from gradcore.descent import descend
from gradcore.linesearch import armijo
from gradcore.newton_method import newton
from gradcore.optimizers import sgd
from gradcore.outcome import describe
from gradcore.registry import get_surface
from scenes.kit import to_scene
from scenes.line_search import LineSearch, armijo_descent
from scenes.second_order import NewtonVsGradient

pytestmark = pytest.mark.render

ROSENBROCK = get_surface("rosenbrock")
HIMMELBLAU = get_surface("himmelblau")


class QuadraticNewton(NewtonVsGradient):
    """Another surface, start and rate: a quadratic is its own model, one Newton step."""

    formula, start, learning_rate, shown_steps = "x**2 + 3*y**2", (2.0, 1.0), 0.1, 1


class QuadraticLineSearch(LineSearch):
    """Another surface, start and first trial."""

    formula, start, t0 = "x**2 + 3*y**2", (2.0, 1.0), 1.0


# --- NewtonVsGradient ---------------------------------------------------------------------


def test_newton_reaches_rosenbrocks_minimum_and_the_counts_shown_are_the_trajectories(rendered):
    scene = rendered(NewtonVsGradient).scene
    path = newton(ROSENBROCK, (-1.2, 1.0), steps=100, tol=1e-8, domain=ROSENBROCK.domain)
    gd = descend(ROSENBROCK, (-1.2, 1.0), sgd(0.001), steps=2000, tol=1e-8, domain=ROSENBROCK.domain)
    np.testing.assert_allclose(scene.newton_path.points, path.points)
    np.testing.assert_allclose(path.points[-1], (1.0, 1.0), atol=1e-8)
    assert scene.newton_count.get_value() == path.n_steps == 21
    assert scene.gd_count.get_value() == gd.n_steps == 2000
    assert scene.newton_outcome.text == describe(ROSENBROCK, path).text == "at the minimum"
    assert scene.gd_outcome.text == describe(ROSENBROCK, gd).text


def test_newton_models_drawn_are_the_local_quadratic_models(rendered):
    scene = rendered(NewtonVsGradient).scene
    steps = scene.newton_path.newton_steps
    assert len(scene.model_maps) == NewtonVsGradient.shown_steps
    for step, model_map in zip(steps, scene.model_maps):
        model, x = step.model, step.point
        np.testing.assert_allclose(model.value(x), ROSENBROCK.value(x), rtol=1e-12)  # Taylor order 0, 1, 2
        np.testing.assert_allclose(model.gradient(x), ROSENBROCK.gradient(x), rtol=1e-12, atol=1e-9)
        np.testing.assert_allclose(model.hessian(x), ROSENBROCK.hessian(x), rtol=1e-12)
        np.testing.assert_allclose(model.minimizer, x + step.full_step, atol=1e-12)
        for lines in model_map:
            points = np.array([scene.axes.p2c(p)[:2] for line in lines for p in line.get_anchors()]).reshape(-1, 2)
            np.testing.assert_allclose(model.value(points), lines.level, rtol=1e-3, atol=1e-6)
        outer = np.array([scene.axes.p2c(p)[:2] for line in model_map[-1] for p in line.get_anchors()])
        assert model_map[-1].level == pytest.approx(ROSENBROCK.value(x))  # the outer level set passes x_k
        assert np.min(np.linalg.norm(outer - x, axis=1)) < 0.02


def test_newton_trials_on_screen_are_armijos(rendered):
    scene = rendered(NewtonVsGradient).scene
    domain = np.asarray(ROSENBROCK.domain)
    for step, trials, marks in zip(scene.newton_path.newton_steps, scene.shown_trials, scene.trial_marks):
        search = armijo(ROSENBROCK, step.point, step.full_step)
        assert trials == search.trials == step.trials
        assert search.t == step.t and trials[-1] == step.t
        for t, mark in zip(trials, marks):
            point = step.point + t * step.full_step
            if np.all((domain[:, 0] <= point) & (point <= domain[:, 1])):
                np.testing.assert_allclose(mark.get_center(), to_scene(scene.axes, point), atol=1e-9)
            else:
                assert not mark.has_points()  # off the map: not drawn
    assert scene.shown_trials[1] == (1.0, 0.5, 0.25, 0.125)  # the model lies at (-1.18, 1.38)


def test_newton_error_squares_near_the_end(rendered):
    scene = rendered(NewtonVsGradient).scene
    points = scene.newton_path.points
    errors = np.linalg.norm(points - np.array([1.0, 1.0]), axis=1)
    rows = scene.error_rows
    assert [k for k, _, _ in rows] == list(range(len(points) - NewtonVsGradient.table_rows, len(points)))
    for k, e, ratio in rows:
        assert e == pytest.approx(errors[k], rel=1e-12)
        if k + 1 < len(points):
            assert ratio == pytest.approx(errors[k + 1] / errors[k] ** 2)
            assert ratio < 25  # e_{k+1} <= C e_k^2
    assert errors[-1] < 1e-9 < errors[-2] < 1e-5 < errors[-3]  # about twice the digits each step


def _frame_after(scene_class, animation: int):
    """The scene rendered at 512 x 288 up to the start of ``animation + 1``, and the frame that
    shows the end of ``animation`` (the next one's first frame: a play's last frame is not
    quite its end)."""
    result = render_scene(
        scene_class,
        width=512,
        height=288,
        probe=lambda s: s.renderer.num_plays,
        config={"upto_animation_number": animation + 1},
    )
    return result.scene, result.frames[result.probes.index(animation + 1)]


def test_newton_lands_at_the_models_minimum_in_the_frame():
    # Step 0 from (-1.2, 1) takes the full step: after its move (animation 5) the accepted trial
    # and Newton's dot are at the model's minimum, and the model's level set through x_0 passes
    # the point opposite x_0 across that minimum (an ellipse is symmetric about its center).
    scene, frame = _frame_after(NewtonVsGradient, 5)
    step = scene.newton_path.newton_steps[0]
    assert step.t == 1.0
    minimum = step.model.minimizer
    np.testing.assert_allclose(scene.newton_trail.dot.get_center(), to_scene(scene.axes, minimum), atol=1e-9)
    assert dot_at(frame, to_pixel(scene, to_scene(scene.axes, minimum)), scene.theme.positive)
    opposite = 2 * minimum - step.point
    assert line_at(frame, to_pixel(scene, to_scene(scene.axes, opposite)), scene.model_color)
    assert line_at(frame, to_pixel(scene, to_scene(scene.axes, step.point)), scene.model_color)


def test_newton_on_a_quadratic_takes_one_step_to_the_minimum(rendered):
    scene = rendered(QuadraticNewton).scene
    assert scene.newton_path.n_steps == 1 == scene.newton_count.get_value()
    np.testing.assert_allclose(scene.newton_path.points[-1], (0.0, 0.0), atol=1e-10)
    assert scene.shown_trials == [(1.0,)]
    assert "its own model" in scene.errors[0].tex_string
    gd = descend(scene.surface(), (2.0, 1.0), sgd(0.1), steps=2000, tol=1e-8, domain=scene.surface().domain)
    assert scene.gd_count.get_value() == gd.n_steps


@pytest.mark.parametrize(
    "attributes, message",
    [
        ({"start": (1.0, 1.0)}, "gradient vanishes"),
        ({"formula": "abs(x)**1.5 + y**2", "start": (0.0, 1.0)}, "Hessian of f is not finite"),
        ({"formula": "3"}, "is constant"),
        ({"start": (5.0, 1.0)}, "outside the domain"),
        ({"shown_steps": 200}, "shown_steps"),
        ({"learning_rate": -0.1}, "learning_rate"),
        ({"formula": "log(x)", "start": (1.0, 0.0)}, "first step lands where f or its derivatives are not finite"),
    ],
)
def test_newton_refuses_what_it_cannot_show(attributes, message):
    scene = type("Bad", (NewtonVsGradient,), attributes)
    with pytest.raises(ValueError, match=message) as error:
        scene.validate()
    assert "\n" not in str(error.value)


# --- LineSearch ---------------------------------------------------------------------------


def test_line_search_trials_are_armijos_and_only_the_last_is_under_the_line(rendered):
    scene = rendered(LineSearch).scene
    x = np.array([1.0, 4.0])
    d = -HIMMELBLAU.gradient(x)
    search = armijo(HIMMELBLAU, x, d, t0=0.05, shrink=0.5, c=0.25)
    assert scene.search.trials == search.trials == (0.05, 0.025, 0.0125)
    slope = HIMMELBLAU.gradient(x) @ d
    line = [HIMMELBLAU.value(x) + 0.25 * t * slope for t in search.trials]
    values = [HIMMELBLAU.value(x + t * d) for t in search.trials]
    assert all(v > a for v, a in zip(values[:-1], line[:-1])) and values[-1] <= line[-1]
    for t, (on_slice, on_map) in zip(search.trials, scene.trial_dots):
        np.testing.assert_allclose(on_map.get_center(), to_scene(scene.axes, x + t * d), atol=1e-9)
        np.testing.assert_allclose(on_slice.get_center(), scene.panel.c2p(t, HIMMELBLAU.value(x + t * d)), atol=1e-9)


def test_line_search_counts_and_outcomes_are_the_trajectories(rendered):
    scene = rendered(LineSearch).scene
    x = np.array([1.0, 4.0])
    path, searches = armijo_descent(HIMMELBLAU, x, 0.05, c=0.25, steps=300, tol=1e-6, domain=HIMMELBLAU.domain)
    fixed = descend(HIMMELBLAU, x, sgd(0.003), steps=300, tol=1e-6, domain=HIMMELBLAU.domain)
    np.testing.assert_allclose(scene.search_path.points, path.points)
    assert [t.count.get_value() for t in scene.tallies] == [path.n_steps, fixed.n_steps] == [24, 223]
    assert scene.outcomes == [describe(HIMMELBLAU, p).text for p in (path, fixed)] == ["at the minimum"] * 2
    for search, a, b in zip(searches, path.points[:-1], path.points[1:]):
        np.testing.assert_allclose(b, a - search.t * HIMMELBLAU.gradient(a))
    frame = rendered(LineSearch).last_frame
    for trail, p in zip(scene.trails, (path, fixed)):  # both at (3, 2): the fixed rate's dot on top
        np.testing.assert_allclose(trail.dot.get_center(), to_scene(scene.axes, p.points[p.n_steps]), atol=1e-9)
    end = to_pixel(scene, to_scene(scene.axes, fixed.points[-1]))
    assert dot_at(frame, end, scene.trails[1].dot.get_color())


def test_armijo_descent_with_the_usual_constant_is_gradcores_line_search_descent():
    for surface, start, t0 in [(HIMMELBLAU, (1.0, 4.0), 0.05), (ROSENBROCK, (-1.2, 1.0), 0.002)]:
        ours, _ = armijo_descent(surface, start, t0, c=1e-4, steps=200, tol=1e-6, domain=surface.domain)
        theirs = descend(surface, start, sgd(t0), steps=200, tol=1e-6, domain=surface.domain, line_search="armijo")
        assert ours.n_steps == theirs.n_steps and ours.status == theirs.status
        np.testing.assert_allclose(ours.points, theirs.points, rtol=1e-12, atol=1e-12)


def test_line_search_trials_sit_above_and_under_the_armijo_line_in_the_frame():
    # After the trials (animation 6): rejected dots above the Armijo line on the slice, the
    # accepted one on the slice where phi is under the line; each mirrored on the map.
    scene, frame = _frame_after(LineSearch, 6)
    theme = scene.theme
    x, d = scene.x, scene.d
    slope = HIMMELBLAU.gradient(x) @ d
    for t in scene.search.trials:
        color = theme.positive if t == scene.search.t else theme.negative
        dot = to_pixel(scene, scene.panel.c2p(t, HIMMELBLAU.value(x + t * d)))
        assert dot_at(frame, dot, color), f"trial {t} is not drawn on the slice"
        assert dot_at(frame, to_pixel(scene, to_scene(scene.axes, x + t * d)), color), f"trial {t} not on the map"
        line = to_pixel(scene, scene.panel.c2p(t, HIMMELBLAU.value(x) + 0.25 * t * slope))
        if t != scene.search.t:
            assert line_at(frame, line, scene.line_color) and line[1] > dot[1] + 5  # the line is lower
    t = scene.search.t
    beside = to_pixel(scene, scene.panel.c2p(t / 2, HIMMELBLAU.value(x) + 0.25 * t / 2 * slope))
    assert line_at(frame, beside, scene.line_color)


def test_line_search_on_another_surface_uses_its_own_trials(rendered):
    scene = rendered(QuadraticLineSearch).scene
    surface = scene.surface()
    x = np.array([2.0, 1.0])
    search = armijo(surface, x, -surface.gradient(x), t0=1.0, shrink=0.5, c=0.25)
    assert scene.search.trials == search.trials and len(search.trials) > 1
    path, _ = armijo_descent(surface, x, 1.0, c=0.25, steps=300, tol=1e-6, domain=surface.domain)
    assert scene.tallies[0].count.get_value() == path.n_steps
    assert scene.outcomes[0] == describe(surface, path).text


def test_line_search_carries_its_first_trial_over_to_another_surface():
    class Carried(LineSearch):
        surface_name = "rosenbrock"

    scene = Carried()
    x = scene.fitted_points("start")
    d = -ROSENBROCK.gradient(x)
    t0 = scene.first_trial(x, d)
    assert t0 != LineSearch.t0
    (xmin, xmax), (ymin, ymax) = ROSENBROCK.domain
    first = x + t0 * d  # on the map, and the next round step past its edge
    assert xmin <= first[0] <= xmax and ymin <= first[1] <= ymax
    mantissa = t0 / 10 ** np.floor(np.log10(t0))
    assert mantissa == pytest.approx(1.0) or mantissa == pytest.approx(2.0) or mantissa == pytest.approx(5.0)
    larger = {1: 2.0, 2: 5.0, 5: 10.0}[round(mantissa)] * t0 / mantissa
    far = x + larger * d
    assert not (xmin <= far[0] <= xmax and ymin <= far[1] <= ymax)


@pytest.mark.parametrize(
    "attributes, message",
    [
        ({"c": 1.5}, "between 0 and 1"),
        ({"shrink": 0.0}, "between 0 and 1"),
        ({"t0": -1.0}, "t0"),
        ({"direction": (0.0, 1.0)}, "does not go downhill"),
        ({"direction": "down"}, "does not go downhill"),
        ({"start": (3.0, 2.0)}, "gradient vanishes"),
        ({"start": (9.0, 0.0)}, "outside the domain"),
        ({"formula": "3"}, "is constant"),
    ],
)
def test_line_search_refuses_what_it_cannot_show(attributes, message):
    scene = type("Bad", (LineSearch,), attributes)
    with pytest.raises(ValueError, match=message) as error:
        scene.validate()
    assert "\n" not in str(error.value)
