"""gradcore.constrained: Lagrange points, the projection onto g = 0 and projected descent
(issue 17, "Must show" 3 and 4)."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from scipy.optimize import minimize

import gradcore.constrained
from gradcore.constrained import (
    MAX_STEPS,
    LagrangePoint,
    lagrange_point,
    project,
    projected_descent,
    projected_gradient,
)
from gradcore.descent import STATUSES, Trajectory
from gradcore.expression import from_expression
from gradcore.testfunctions import Himmelblau, Rosenbrock

LINEAR = from_expression("x + y")
CIRCLE = from_expression("x**2 + y**2 - 2")  # radius sqrt(2), through (1, 1) and (-1, -1)
UNIT_CIRCLE = from_expression("x**2 + y**2 - 1")
PRODUCT = from_expression("x*y")
LINE = from_expression("x + y - 1")
ELLIPSE = from_expression("x**2/4 + y**2 - 1")
TILTED = from_expression("(x - 2)**2 + 2*(y - 1)**2 + x*y")
NOWHERE = from_expression("x**2 + y**2 + 1")  # g = 0 has no real points

# (f, g, start) whose constrained minimum near the start SLSQP finds as well.
SLSQP_PROBLEMS = {
    "rosenbrock on the unit circle": (Rosenbrock(), UNIT_CIRCLE, (0.8, 0.5)),
    "tilted bowl on an ellipse": (TILTED, ELLIPSE, (1.5, 0.5)),
    "himmelblau on a circle of radius 3": (Himmelblau(), from_expression("x**2 + y**2 - 9"), (2.5, 1.5)),
}


# --- lagrange_point --------------------------------------------------------------------------


@pytest.mark.parametrize("start", [(1.2, 0.3), (0.9, 1.3), (1.5, 1.5), (0.6, 0.8)])
def test_linear_f_on_the_circle_has_its_maximum_at_1_1_with_multiplier_one_half(start):
    found = lagrange_point(LINEAR, CIRCLE, start)
    assert isinstance(found, LagrangePoint)
    np.testing.assert_allclose(found.point, (1.0, 1.0), rtol=0, atol=1e-12)
    np.testing.assert_allclose(found.multiplier, 0.5, rtol=0, atol=1e-12)
    assert found.kind == "maximum" and found.curvature == pytest.approx(-1.0)
    assert found.value == pytest.approx(2.0) and 1 <= found.iterations <= 10


@pytest.mark.parametrize("start", [(-1.2, -0.7), (-0.5, -1.5), (-1.4, -1.4), (-0.8, -0.6)])
def test_linear_f_on_the_circle_has_its_minimum_at_minus_1_minus_1_with_multiplier_minus_one_half(start):
    found = lagrange_point(LINEAR, CIRCLE, start)
    np.testing.assert_allclose(found.point, (-1.0, -1.0), rtol=0, atol=1e-12)
    np.testing.assert_allclose(found.multiplier, -0.5, rtol=0, atol=1e-12)
    assert found.kind == "minimum" and found.curvature == pytest.approx(1.0)


@pytest.mark.parametrize("start", [(0.3, 0.9), (0.0, 0.0), (2.0, -3.0)])
def test_product_on_the_line_x_plus_y_1_is_largest_at_one_half_one_half(start):
    found = lagrange_point(PRODUCT, LINE, start)
    np.testing.assert_allclose(found.point, (0.5, 0.5), rtol=0, atol=1e-12)
    np.testing.assert_allclose(found.multiplier, 0.5, rtol=0, atol=1e-12)
    assert found.kind == "maximum"


@pytest.mark.parametrize("name", sorted(SLSQP_PROBLEMS))
def test_lagrange_point_agrees_with_scipy_slsqp(name):
    f, g, start = SLSQP_PROBLEMS[name]
    constraint = {"type": "eq", "fun": lambda x: float(g.value(x)), "jac": g.gradient}
    solution = minimize(
        f.value, start, jac=f.gradient, constraints=[constraint], method="SLSQP", options={"ftol": 1e-12}
    )
    assert solution.success, solution.message
    found = lagrange_point(f, g, start)
    np.testing.assert_allclose(found.point, solution.x, rtol=0, atol=1e-6)
    assert found.kind == "minimum"
    # the KKT conditions hold: parallel gradients, on the constraint
    np.testing.assert_allclose(f.gradient(found.point), found.multiplier * g.gradient(found.point), atol=1e-9)
    assert abs(g.value(found.point)) < 1e-12 and found.residual < 1e-9


def test_lagrange_point_refuses_a_start_where_grad_g_vanishes():
    with pytest.raises(ValueError, match=r"grad g must be finite and nonzero at the start \(0, 0\)"):
        lagrange_point(LINEAR, CIRCLE, (0.0, 0.0))


def test_lagrange_point_says_when_grad_g_vanishes_where_newton_goes():
    # g = x^2 + y^2 is zero only at the origin, where its gradient vanishes too: no multiplier.
    with pytest.raises(ValueError, match=r"did not converge .* grad g nearly vanishes there"):
        lagrange_point(LINEAR, from_expression("x**2 + y**2"), (1.0, 0.5))


def test_lagrange_point_without_a_constraint_curve_does_not_converge():
    with pytest.raises(ValueError, match=r"did not converge from start \(1, 1\) after 100 iterations"):
        lagrange_point(LINEAR, NOWHERE, (1.0, 1.0))


def test_lagrange_point_stops_after_max_iterations_and_says_what_to_do():
    with pytest.raises(ValueError, match=r"after 2 iterations .* try a start nearer the constraint g = 0"):
        lagrange_point(LINEAR, CIRCLE, (30.0, -20.0), max_iterations=2)
    assert lagrange_point(LINEAR, CIRCLE, (30.0, -20.0)).iterations <= 100  # converges given the iterations


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        ((LINEAR, CIRCLE, (1.0, 2.0, 3.0)), {}, r"start must have shape \(2,\), got shape \(3,\)"),
        ((LINEAR, CIRCLE, [(1.0, 1.0)] * 2), {}, r"start must have shape \(2,\), got shape \(2, 2\)"),
        ((LINEAR, CIRCLE, (np.nan, 1.0)), {}, "start must be finite"),
        ((LINEAR, "x**2 + y**2 - 2", (1.0, 1.0)), {}, "g must be a 2-D surface"),
        ((None, CIRCLE, (1.0, 1.0)), {}, "f must be a 2-D surface"),
        ((LINEAR, CIRCLE, (1.0, 1.0)), {"max_iterations": 0}, "max_iterations must be an integer from 1 to"),
        ((LINEAR, CIRCLE, (1.0, 1.0)), {"tol": -1.0}, "tol must be a finite number >= 0"),
    ],
)
def test_lagrange_point_refuses_bad_input_with_a_clear_message(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        lagrange_point(*args, **kwargs)


# --- project ---------------------------------------------------------------------------------


def test_projection_onto_a_circle_is_the_radial_point():
    rng = np.random.default_rng(11)
    for z in rng.uniform(-5, 5, (100, 2)):
        np.testing.assert_allclose(project(CIRCLE, z), np.sqrt(2) * z / np.linalg.norm(z), rtol=0, atol=1e-12)


def test_projection_onto_a_line_is_the_foot_of_the_perpendicular():
    rng = np.random.default_rng(12)
    normal = np.array([1.0, 1.0]) / np.sqrt(2)
    for z in rng.uniform(-5, 5, (50, 2)):
        foot = z - (z @ normal - 1 / np.sqrt(2)) * normal
        np.testing.assert_allclose(project(LINE, z), foot, rtol=0, atol=1e-12)


def test_projection_onto_an_ellipse_is_nearer_than_any_other_point_of_it():
    t = np.linspace(0, 2 * np.pi, 20001)
    ellipse = np.stack([2 * np.cos(t), np.sin(t)], axis=-1)
    for z in [(3.0, 2.0), (0.5, 0.1), (-1.0, 2.5), (0.0, -0.2)]:
        x = project(ELLIPSE, z)
        assert abs(ELLIPSE.value(x)) < 1e-12
        assert np.linalg.norm(x - z) <= np.linalg.norm(ellipse - z, axis=-1).min() + 1e-9


def test_projection_refuses_the_centre_of_a_circle_and_a_curve_with_no_points():
    with pytest.raises(ValueError, match=r"grad g must be finite and nonzero at \(0, 0\) to project it"):
        project(CIRCLE, (0.0, 0.0))
    with pytest.raises(ValueError, match=r"projection of \(1, 0\) onto g = 0 failed \(grad g vanishes on the way"):
        project(NOWHERE, (1.0, 0.0))
    with pytest.raises(ValueError, match=r"projection of \(0, 0\) onto g = 0 failed \(\|g\| stops decreasing at 0.827"):
        project(from_expression("x**2 + y**2 + exp(-x)"), (0.0, 0.0))  # g >= 0.827


# --- projected_descent -----------------------------------------------------------------------

DESCENTS = {
    "x + y on the circle": (LINEAR, CIRCLE, (2.0, 0.5), 0.3, (-1.0, -1.0)),
    "rosenbrock on the unit circle": (Rosenbrock(), UNIT_CIRCLE, (0.0, 2.0), 1e-3, None),
    "tilted bowl on an ellipse": (TILTED, ELLIPSE, (1.0, 1.5), 0.1, None),
    "minus x*y on the line": (from_expression("-x*y"), LINE, (3.0, 0.0), 0.2, (0.5, 0.5)),
}


@pytest.mark.parametrize("name", sorted(DESCENTS))
def test_projected_descent_stays_on_the_constraint_and_ends_at_the_lagrange_minimum(name):
    f, g, start, lr, known = DESCENTS[name]
    path = projected_descent(f, g, start, lr=lr, steps=2000, tol=1e-9)
    assert isinstance(path, Trajectory) and path.status in STATUSES
    assert path.status == "converged" and path.n_steps == len(path.points) - 1
    np.testing.assert_array_equal(path.points[0], start)  # the start as given, off the constraint
    assert np.abs(g.value(path.points[1:])).max() <= 1e-8
    end = path.points[-1]
    minimum = lagrange_point(f, g, end)
    assert minimum.kind == "minimum"
    np.testing.assert_allclose(end, minimum.point, rtol=0, atol=1e-7)
    if known is not None:
        np.testing.assert_allclose(end, known, rtol=0, atol=1e-7)
    np.testing.assert_allclose(path.values, f.value(path.points), rtol=1e-15)
    np.testing.assert_allclose(path.grad_norms, np.linalg.norm(projected_gradient(f, g, path.points), axis=-1))
    assert path.grad_norms[-1] < 1e-9 <= path.grad_norms[-2]


def test_projected_descent_reaches_the_slsqp_minimum_of_rosenbrock_on_the_unit_circle():
    f, g, start = SLSQP_PROBLEMS["rosenbrock on the unit circle"]
    path = projected_descent(f, g, start, lr=1e-3, steps=1000, tol=1e-9)
    np.testing.assert_allclose(path.points[-1], lagrange_point(f, g, start).point, rtol=0, atol=1e-7)


def test_projected_gradient_vanishes_exactly_where_the_gradients_are_parallel():
    np.testing.assert_allclose(projected_gradient(LINEAR, CIRCLE, (1.0, 1.0)), 0.0, atol=1e-15)
    np.testing.assert_allclose(projected_gradient(LINEAR, CIRCLE, (np.sqrt(2), 0.0)), (0.0, 1.0), atol=1e-15)
    # where grad g = 0 it is grad f itself
    np.testing.assert_allclose(projected_gradient(LINEAR, CIRCLE, (0.0, 0.0)), (1.0, 1.0))


def test_projected_descent_runs_out_of_steps_leaves_the_domain_or_diverges():
    f, g = from_expression("x"), from_expression("y")  # slide left along the x-axis forever
    ran = projected_descent(f, g, (0.0, 0.5), lr=1.0, steps=5)
    assert (ran.status, ran.n_steps) == ("max_steps", 5)
    np.testing.assert_allclose(ran.points[1:], [(-k, 0.0) for k in range(1, 6)], atol=1e-15)
    left = projected_descent(f, g, (0.0, 0.5), lr=1.0, steps=50, domain=((-3.5, 1), (-1, 1)))
    assert (left.status, left.n_steps) == ("left_domain", 3)
    gone = projected_descent(f, g, (0.0, 0.5), lr=1.0, steps=50, bound=10.0)
    assert (gone.status, gone.n_steps) == ("diverged", 10)


def test_projected_descent_names_the_step_whose_projection_failed():
    with pytest.raises(ValueError, match=r"step 1 from \(1, 0\): the projection of \(0.9, -0.1\) onto g = 0 failed"):
        projected_descent(LINEAR, NOWHERE, (1.0, 0.0), lr=0.1)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"start": (1.0, 0.0, 0.0)}, r"start must have shape \(2,\)"),
        ({"start": [(1.0, 0.0)]}, r"start must have shape \(2,\), got shape \(1, 2\)"),
        ({"start": (np.inf, 0.0)}, "start must be finite"),
        ({"lr": 0.0}, "lr must be a finite number > 0"),
        ({"steps": 0}, f"steps must be an integer from 1 to {MAX_STEPS:,}"),
        ({"steps": MAX_STEPS + 1}, f"steps must be an integer from 1 to {MAX_STEPS:,}"),
        ({"steps": 2.5}, "steps must be an integer"),
        ({"tol": np.nan}, "tol must be a finite number >= 0"),
        ({"domain": ((2, 3), (2, 3))}, "start must lie inside domain"),
    ],
)
def test_projected_descent_refuses_bad_input_with_a_clear_message(kwargs, message):
    arguments = {"start": (1.0, 0.0), "lr": 0.1, **kwargs}
    with pytest.raises(ValueError, match=message):
        projected_descent(LINEAR, CIRCLE, **arguments)


def test_examples_in_the_docstrings_hold():
    assert doctest.testmod(gradcore.constrained).failed == 0
