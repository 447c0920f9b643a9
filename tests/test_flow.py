from __future__ import annotations


import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize

from gradcore.descent import descend
from gradcore.expression import from_expression
from gradcore.flow import MAX_SAMPLES, gradient_flow, level_crossings
from gradcore.optimizers import sgd
from gradcore.quadratic import bowl, saddle
from gradcore.registry import get_surface

DIFFERENCE = get_surface("gaussian_difference")
(MINIMUM,) = [c.point for c in DIFFERENCE.critical_points if c.kind == "minimum"]


def test_flow_on_the_bowl_is_the_exponential_decay():
    # x' = -2x on x0² + x1²: x(t) = x0 e^{-2t}
    t = np.linspace(0, 3, 31)
    flow = gradient_flow(bowl(), (-3.0, 4.0), (0, 3), t_eval=t)
    assert flow.status == "time_up"
    np.testing.assert_array_equal(flow.t, t)
    np.testing.assert_allclose(flow.points, np.exp(-2 * t)[:, None] * [-3.0, 4.0], rtol=1e-9)
    np.testing.assert_allclose(flow.values, 25 * np.exp(-4 * t), rtol=1e-9)
    np.testing.assert_allclose(flow.grad_norms, 10 * np.exp(-2 * t), rtol=1e-9)


@settings(max_examples=15, deadline=None)
@given(x=st.floats(-3, 3), y=st.floats(-2, 3))
def test_flow_from_the_well_of_gaussian_difference_ends_at_its_minimum(x, y):
    # f -> 0 far away and the minimum is the only critical point with f < 0, so the
    # compact sublevel set {f <= f(start) < 0} traps the flow in the minimum's basin.
    assume(DIFFERENCE.value((x, y)) < -0.05)
    flow = gradient_flow(DIFFERENCE, (x, y), (0, 200), domain=DIFFERENCE.domain)
    assert flow.status == "converged"
    np.testing.assert_allclose(flow.points[-1], MINIMUM, atol=1e-7)
    reference = minimize(DIFFERENCE.value, (x, y), jac=DIFFERENCE.gradient, method="BFGS", tol=1e-12)
    np.testing.assert_allclose(flow.points[-1], reference.x, atol=1e-6)


def test_flow_from_beyond_the_hill_of_gaussian_difference_leaves_the_domain():
    flow = gradient_flow(DIFFERENCE, (2.5, 2.0), (0, 200), domain=DIFFERENCE.domain)
    assert flow.status == "left_domain"
    (xmin, xmax), (ymin, ymax) = DIFFERENCE.domain
    x, y = flow.points[-1]
    assert min(x - xmin, xmax - x, y - ymin, ymax - y) == pytest.approx(0, abs=1e-9)
    assert np.all(np.diff(flow.values) < 0)


def test_gradient_descent_with_a_small_rate_tracks_the_flow_to_first_order():
    # Gradient descent is the Euler method for x' = -∇f: step k with rate h is near x(k h),
    # with an error proportional to h.  Seed 003's start.
    start, duration = (-1.2, 1.0), 2.0
    flow = gradient_flow(DIFFERENCE, start, (0, duration))
    errors = []
    for h in (0.01, 0.005, 0.0025):
        steps = round(duration / h)
        path = descend(DIFFERENCE, start, sgd(h), steps=steps, tol=0)
        errors.append(np.max(np.linalg.norm(path.points - flow.at(h * np.arange(steps + 1)), axis=1)))
    assert errors[-1] < 5e-3
    np.testing.assert_allclose(np.array(errors[:-1]) / errors[1:], 2.0, rtol=0.1)


def test_flow_samples_requested_times_and_ends_at_the_stop():
    t_eval = np.linspace(0, 50, 501)
    flow = gradient_flow(DIFFERENCE, (-1.2, 1.0), (0, 50), t_eval=t_eval, tol=1e-6)
    assert flow.status == "converged"
    n = len(flow.t) - 1
    np.testing.assert_array_equal(flow.t[:n], t_eval[:n])
    assert t_eval[n - 1] < flow.t[-1] < t_eval[n]
    assert flow.grad_norms[-1] == pytest.approx(1e-6, rel=1e-6)
    np.testing.assert_allclose(flow.at(flow.t), flow.points, rtol=0, atol=1e-15)


def test_flow_that_blows_up_in_finite_time_is_diverged_and_stops_there():
    # x' = 4x³ on f = -x⁴ - y²: x(t) = x0 / √(1 - 8 x0² t) blows up at t = 1 / (8 x0²).
    surface = from_expression("-x**4 - y**2")
    flow = gradient_flow(surface, (1.0, 0.5), (0, 1), t_eval=np.linspace(0, 1, 101))
    assert flow.status == "diverged"
    assert flow.t[-1] == pytest.approx(0.125, rel=1e-6)
    np.testing.assert_allclose(flow.points[:10, 0], 1 / np.sqrt(1 - 8 * flow.t[:10]), rtol=1e-8)
    assert np.all(np.isfinite(flow.points))


def test_flow_from_a_stationary_point_stops_at_once():
    flow = gradient_flow(saddle(), (0.0, 0.0), (0, 1))
    assert flow.status == "converged"
    np.testing.assert_array_equal(flow.t, [0.0])
    np.testing.assert_array_equal(flow.points, [[0.0, 0.0]])


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(start=[[1.0, 1.0]]), "start"),
        (dict(start=(np.inf, 1.0)), "start"),
        (dict(t_span=(1.0, 0.0)), "t_span"),
        (dict(t_eval=[0.0, 2.0]), "t_eval"),
        (dict(t_eval=[0.5, 0.2]), "t_eval"),
        (dict(tol=0.0), "tol"),
        (dict(domain=((-0.5, 0.5), (-0.5, 0.5))), "start"),
    ],
)
def test_bad_input_raises_value_error_naming_the_parameter(kwargs, name):
    arguments = dict(surface=bowl(), start=(1.0, 1.0), t_span=(0.0, 1.0)) | kwargs
    with pytest.raises(ValueError, match=rf"^{name}"):
        gradient_flow(**arguments)


def test_at_rejects_times_outside_the_flow():
    flow = gradient_flow(bowl(), (1.0, 1.0), (0, 1))
    with pytest.raises(ValueError, match="^t must"):
        flow.at([1.5])


# --- stiffness and bounded work


def test_a_stiff_flow_takes_an_implicit_method_and_converges_quickly():
    # x' = -2e5 x, y' = -2 y: curvatures 1e5 apart; an explicit method needs ~1e6 steps over 20 s
    surface = from_expression("100000*x**2 + y**2")
    flow = gradient_flow(surface, (1, 1), (0, 20))
    assert (flow.status, flow.method) == ("converged", "Radau")
    assert len(flow.t) < 10_000  # solver steps: two orders of magnitude fewer than an explicit method's
    np.testing.assert_allclose(flow.points[-1], 0.0, atol=1e-8)
    t = np.linspace(0, 5, 11)
    exact = np.stack([np.exp(-2e5 * t), np.exp(-2 * t)], axis=-1)
    np.testing.assert_allclose(flow.at(t), exact, rtol=0, atol=1e-8)


def test_a_mild_flow_keeps_the_accurate_explicit_method():
    flow = gradient_flow(bowl(), (-3.0, 4.0), (0, 3))
    assert flow.method == "DOP853"


def test_the_solver_work_is_bounded_by_max_steps():
    surface = from_expression("100000*x**2 + y**2")
    flow = gradient_flow(surface, (1, 1), (0, 20), method="DOP853", max_steps=200)
    assert flow.status == "max_steps" and len(flow.t) == 201 and flow.t[-1] < 20
    assert np.all(np.isfinite(flow.points))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(max_steps=0), "max_steps must be an integer from 1 to 1,000,000"),
        (dict(max_steps=10**7), r"max_steps .* \(MAX_SOLVER_STEPS\)"),
        (dict(method="Euler"), "method must be 'auto' or one of"),
        (dict(t_eval=np.linspace(0, 1, MAX_SAMPLES + 1)), r"t_eval must hold at most 1,000,000 times \(MAX_SAMPLES\)"),
    ],
)
def test_work_parameters_beyond_their_limits_raise_value_error_naming_them(kwargs, message):
    with pytest.raises(ValueError, match=message):
        gradient_flow(bowl(), (1.0, 1.0), (0.0, 1.0), **kwargs)


# --- level crossings


def test_level_crossings_of_the_bowl_flow_lie_on_the_level_circles_along_the_ray():
    flow = gradient_flow(bowl(), (-3.0, 4.0), (0, 3), t_eval=np.linspace(0, 3, 3001))
    levels = np.array([1.0, 4.0, 9.0, 16.0, 30.0, -1.0])  # 30 and -1 are never crossed
    crossings = level_crossings(flow, levels)
    expected = np.sqrt([16.0, 9.0, 4.0, 1.0])[:, None] * [-0.6, 0.8]  # highest level first
    np.testing.assert_allclose(crossings, expected, atol=1e-4)
    np.testing.assert_allclose(level_crossings(flow, 4.0), expected[2:3], atol=1e-4)
    assert level_crossings(flow, []).shape == (0, 2)
    with pytest.raises(ValueError, match="levels must be finite"):
        level_crossings(flow, [np.nan])
