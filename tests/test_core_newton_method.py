from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import gradcore.newton_method
from gradcore.descent import Trajectory
from gradcore.newton_method import EIGENVALUE_FLOOR, NewtonTrajectory, modified_hessian, newton
from gradcore.quadratic import Quadratic, bowl, saddle
from gradcore.testfunctions import Beale, Himmelblau, Rosenbrock

coordinate = st.floats(-5, 5)


@st.composite
def positive_definite_quadratics(draw):
    """Random quadratics with eigenvalues in [0.1, 10] along a random rotation."""
    low, high = draw(st.floats(0.1, 10)), draw(st.floats(0.1, 10))
    angle = draw(st.floats(0, np.pi))
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    A = rotation @ np.diag([low, high]) @ rotation.T
    return Quadratic((A + A.T) / 2, b=(draw(coordinate), draw(coordinate)), c=draw(coordinate))


@settings(max_examples=60, deadline=None)
@given(quadratic=positive_definite_quadratics(), x0=coordinate, y0=coordinate)
def test_one_newton_step_reaches_the_minimizer_of_a_positive_definite_quadratic(quadratic, x0, y0):
    start = np.array([x0, y0])
    # Closer than this, f(x0) - f* is at the rounding of f and the whole step need not pass Armijo.
    assume(np.linalg.norm(start - quadratic.minimizer) > 1e-6)
    path = newton(quadratic, start, steps=1, tol=0)
    assert path.n_steps == 1
    np.testing.assert_allclose(path.points[1], quadratic.minimizer, rtol=0, atol=1e-10)
    step = path.newton_steps[0]
    assert (step.t, step.trials, step.modified) == (1.0, (1.0,), False)
    # the model of a quadratic is the quadratic itself
    np.testing.assert_array_equal(step.model.A, quadratic.A)
    np.testing.assert_allclose(step.model.b, quadratic.b, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(step.model.minimizer, quadratic.minimizer, rtol=0, atol=1e-10)


ROSENBROCK_C = 25.0
"""On Rosenbrock from (-1.2, 1), e_{k+1} / e_k^2 stays below 18.2 once e_k < 0.1 (the last five
steps); theory bounds it by ||H*^-1|| L / 2, H* the Hessian at (1, 1) (||H*^-1|| = 1 / 0.4) and
L the Hessian's Lipschitz constant near (1, 1) (about 2,400): some 3,000."""


def test_newton_on_rosenbrock_reaches_the_minimum_and_the_error_squares_near_the_end():
    path = newton(Rosenbrock(), (-1.2, 1.0))
    assert path.status == "converged" and path.n_steps == 22
    errors = np.linalg.norm(path.points - (1.0, 1.0), axis=1)
    assert errors[-1] <= 1e-8
    near = np.flatnonzero((errors[:-1] < 0.1) & (errors[:-1] > 0))
    assert len(near) >= 4  # the last four steps at least
    assert np.all(errors[near + 1] <= ROSENBROCK_C * errors[near] ** 2)
    # and there the whole Newton step is taken
    assert all(path.newton_steps[i].t == 1.0 for i in near)


def test_each_step_carries_its_local_model_and_backtracking():
    surface = Rosenbrock()
    path = newton(surface, (-1.2, 1.0))
    assert isinstance(path, NewtonTrajectory) and isinstance(path, Trajectory)
    assert len(path.newton_steps) == path.n_steps == len(path.steps)
    for i, step in enumerate(path.newton_steps):
        x = path.points[i]
        np.testing.assert_array_equal(step.point, x)
        # the model touches f at x_k with the same slope; its minimum is x_k + p_k
        np.testing.assert_allclose(step.model.value(x), surface.value(x), rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(step.model.gradient(x), surface.gradient(x), rtol=1e-8, atol=1e-8)
        np.testing.assert_allclose(step.model.minimizer, x + step.full_step, rtol=1e-9, atol=1e-9)
        np.testing.assert_array_equal(step.model.A, surface.hessian(x))  # never modified on this path
        np.testing.assert_allclose(path.points[i + 1], x + step.t * step.full_step, rtol=1e-15, atol=0)
        np.testing.assert_array_equal(path.steps[i], step.step)
        assert step.trials == tuple(0.5**j for j in range(len(step.trials))) and step.trials[-1] == step.t
    # the second step's model lies: its full step climbs the valley's wall, and the search backs off
    second = path.newton_steps[1]
    assert second.trials == (1.0, 0.5, 0.25, 0.125)
    assert surface.value(second.point + second.full_step) > surface.value(second.point)
    assert second.model.value(second.point + second.full_step) < surface.value(second.point)


@pytest.mark.parametrize("start", [(-4.0, 4.0), (0.0, 0.0), (-0.3, -0.9), (4.5, -4.5), (0.1, 3.0)])
def test_newton_on_himmelblau_ends_at_a_minimum_from_saddles_and_maxima_alike(start):
    surface = Himmelblau()
    path = newton(surface, start, domain=surface.domain)
    assert path.status == "converged"
    minima = [p.point for p in surface.critical_points if p.kind == "minimum"]
    assert min(np.linalg.norm(np.subtract(m, path.points[-1])) for m in minima) < 1e-8
    assert np.all(np.diff(path.values) < 0)  # every step went down


def test_newton_on_beale_reaches_its_minimum():
    path = newton(Beale(), (1.0, 1.0))
    assert path.status == "converged"
    np.testing.assert_allclose(path.points[-1], (3.0, 0.5), atol=1e-8)


def test_at_a_saddle_the_step_goes_down_the_falling_side():
    path = newton(saddle(), (0.5, 0.1), steps=10, domain=saddle().domain)
    first = path.newton_steps[0]
    assert first.modified
    np.testing.assert_array_equal(first.model.A, [[2.0, 0.0], [0.0, 2.0]])  # |eigenvalues|
    # x goes to 0 (its curvature was positive), y away from the saddle along the falling side
    np.testing.assert_allclose(path.points[1], (0.0, 0.2), atol=1e-15)
    np.testing.assert_allclose(path.points[1:, 1], [0.2, 0.4, 0.8], rtol=1e-15)  # y doubles
    assert path.status == "left_domain" and np.all(np.diff(path.values) < 0)


@settings(max_examples=60, deadline=None)
@given(
    eigenvalues=st.lists(st.floats(-100, 100), min_size=2, max_size=2),
    angle=st.floats(0, np.pi),
    floor=st.floats(1e-8, 0.5),
)
def test_modified_hessian_floors_the_absolute_eigenvalues(eigenvalues, angle, floor):
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    H = rotation @ np.diag(eigenvalues) @ rotation.T
    H = (H + H.T) / 2
    B, modified = modified_hessian(H, floor)
    np.testing.assert_array_equal(B, B.T)
    lam = np.linalg.eigvalsh(H)
    largest = np.abs(lam).max()
    if largest == 0:
        np.testing.assert_array_equal(B, np.eye(2))
        return
    expected = np.sort(np.maximum(np.abs(lam), floor * largest))
    np.testing.assert_allclose(np.linalg.eigvalsh(B), expected, rtol=1e-9, atol=1e-12 * largest)
    if not modified:
        np.testing.assert_array_equal(B, H)
        assert lam[0] >= floor * largest


def test_a_well_conditioned_positive_definite_hessian_is_left_as_it_is():
    H = np.array([[802.0, -400.0], [-400.0, 200.0]])  # Rosenbrock's at (1, 1)
    B, modified = modified_hessian(H)
    assert not modified and B is not H and np.array_equal(B, H)
    assert EIGENVALUE_FLOOR < np.linalg.eigvalsh(H)[0] / np.linalg.eigvalsh(H)[1]


def test_a_start_at_a_stationary_point_converges_at_once():
    path = newton(bowl(), (0.0, 0.0), tol=0)
    assert (path.status, path.n_steps, path.points.shape, path.steps.shape) == ("converged", 0, (1, 2), (0, 2))


def test_a_start_where_f_is_not_finite_is_diverged():
    assert newton(Rosenbrock(), (1e120, 0.0)).status == "diverged"


def test_running_out_of_steps_is_max_steps():
    path = newton(Rosenbrock(), (-1.2, 1.0), steps=5)
    assert (path.status, path.n_steps, len(path.points)) == ("max_steps", 5, 6)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(start=[(0.0, 0.0), (1.0, 1.0)]), "start"),
        (dict(start=(np.nan, 0.0)), "start"),
        (dict(steps=0), "steps"),
        (dict(steps=1.5), "steps"),
        (dict(tol=-1.0), "tol"),
        (dict(floor=0.0), "floor"),
        (dict(floor=1.0), "floor"),
        (dict(bound=0.0), "bound"),
        (dict(domain=((1, 0), (0, 1))), "domain"),
        (dict(surface=object()), "surface"),
    ],
)
def test_bad_arguments_raise_naming_them(kwargs, name):
    arguments = dict(surface=Rosenbrock(), start=(-1.2, 1.0)) | kwargs
    with pytest.raises(ValueError, match=rf"^{name}"):
        newton(**arguments)


def test_the_examples_in_the_docstrings_hold():
    for module in (gradcore.newton_method,):
        assert doctest.testmod(module).failed == 0, module.__name__
