from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from gradcore.descent import STATUSES, conjugate_gradient, descend, steepest_descent_exact
from gradcore.optimizers import OPTIMIZERS, adam, momentum, sgd
from gradcore.quadratic import Quadratic, bowl, saddle
from gradcore.registry import get_surface

coordinate = st.floats(-5, 5)


@st.composite
def positive_definite_quadratics(draw):
    """Random 2-D quadratics with eigenvalues in [0.1, 10] along a random rotation."""
    low, high = draw(st.floats(0.1, 10)), draw(st.floats(0.1, 10))
    angle = draw(st.floats(0, np.pi))
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    A = rotation @ np.diag([low, high]) @ rotation.T
    b = (draw(coordinate), draw(coordinate))
    return Quadratic((A + A.T) / 2, b=b, c=draw(coordinate))


def closed_form_sgd(quadratic, start, lr, steps):
    """x_k = (I - lr A)^k (x0 - x*) + x*."""
    A, x_star = np.array(quadratic.A), quadratic.minimizer
    powers = [np.linalg.matrix_power(np.eye(2) - lr * A, k) for k in range(steps + 1)]
    return np.array([P @ (start - x_star) + x_star for P in powers])


@settings(max_examples=40, deadline=None)
@given(quadratic=positive_definite_quadratics(), x0=coordinate, y0=coordinate, fraction=st.floats(0.05, 0.95))
def test_sgd_on_a_quadratic_follows_the_closed_form(quadratic, x0, y0, fraction):
    lr = fraction * 2 / quadratic.eigenvalues[-1]
    path = descend(quadratic, (x0, y0), sgd(lr), steps=60, tol=0)
    np.testing.assert_allclose(path.points, closed_form_sgd(quadratic, np.array([x0, y0]), lr, 60), rtol=0, atol=1e-10)


def test_sgd_on_the_seed_bowl_matches_the_closed_form_after_100_steps():
    # Seed 004: bowl x0² + x1², start (-3, 4), lr 0.1: x_k = (1 - 2 lr)^k x_0 = 0.8^k (-3, 4).
    path = descend(bowl(), (-3.0, 4.0), sgd(0.1), steps=100, tol=0)
    assert path.status == "max_steps" and path.n_steps == 100
    np.testing.assert_allclose(path.points[100], 0.8**100 * np.array([-3.0, 4.0]), rtol=1e-12)
    np.testing.assert_allclose(path.points, closed_form_sgd(bowl(), np.array([-3.0, 4.0]), 0.1, 100), rtol=1e-12)
    np.testing.assert_allclose(path.values, 25 * 0.64 ** np.arange(101), rtol=1e-12)


def test_sgd_on_the_seed_bowl_converges_when_the_gradient_norm_drops_below_tol():
    # |∇f(x_k)| = 10 * 0.8^k < 1e-8 first at k = 93.
    path = descend(bowl(), (-3.0, 4.0), sgd(0.1), steps=100, tol=1e-8)
    assert (path.status, path.n_steps) == ("converged", 93)
    assert path.points.shape == (94, 2)
    assert path.grad_norms[-1] < 1e-8 <= path.grad_norms[-2]


@settings(max_examples=20, deadline=None)
@given(quadratic=positive_definite_quadratics(), x0=coordinate, y0=coordinate, excess=st.floats(1.05, 3))
def test_sgd_above_two_over_lambda_max_diverges_and_stays_drawable(quadratic, x0, y0, excess):
    lr = excess * 2 / quadratic.eigenvalues[-1]
    offset = np.array([x0, y0]) + 0.5
    top = np.linalg.eigh(np.asarray(quadratic.A))[1][:, -1]
    assume(abs(offset @ top) > 1e-3)  # only the top eigen-direction grows
    start = quadratic.minimizer + offset
    path = descend(quadratic, start, sgd(lr), steps=2000, tol=0)
    assert path.status == "diverged"
    assert np.all(np.isfinite(path.points)) and np.linalg.norm(path.points[-1]) <= 1e8
    assert path.n_steps == len(path.points) - 1


def test_overflow_is_diverged_and_the_path_ends_at_its_last_finite_point():
    path = descend(bowl(), (-3.0, 4.0), sgd(1e150), steps=10, bound=1e300)
    assert path.status == "diverged"
    assert np.all(np.isfinite(path.points)) and np.all(np.isfinite(path.values))
    np.testing.assert_allclose(path.points[1], (-3.0, 4.0) - 1e150 * np.array([-6.0, 8.0]))


def test_start_with_non_finite_gradient_is_diverged_at_once():
    # Rosenbrock's gradient overflows at 1e120.
    path = descend(get_surface("rosenbrock"), (1e120, 0.0), sgd(0.1), steps=10)
    assert (path.status, path.n_steps, path.points.shape) == ("diverged", 0, (1, 2))


def test_leaving_the_domain_stops_at_the_last_point_inside():
    surface = saddle()
    path = descend(surface, (0.5, 0.01), sgd(0.1), steps=200, domain=surface.domain)
    assert path.status == "left_domain"
    assert np.all(np.abs(path.points) <= 1)
    # the next step from the last point would leave [-1, 1]^2: y grows by 1.2 per step
    assert abs(1.2 * path.points[-1, 1]) > 1


def test_a_start_that_stopped_repeats_its_last_point_in_a_batch():
    starts = np.array([[-3.0, 4.0], [0.0, 1e-12], [1.0, 1.0]])
    path = descend(bowl(), starts, sgd(0.1), steps=100)
    np.testing.assert_array_equal(path.n_steps, [93, 0, 88])
    assert path.points.shape == (94, 3, 2)
    np.testing.assert_array_equal(path.points[88:, 2], np.broadcast_to(path.points[88, 2], (6, 2)))
    np.testing.assert_array_equal(path.points[:, 1], np.broadcast_to((0.0, 1e-12), (94, 2)))


# On gaussian_difference, within its domain and a bound of 3.2, these starts stop for every
# reason among the optimizers: converged, max_steps, left_domain and diverged (beyond the bound).
MIXED_STARTS = np.array([[-1.2, 1.0], [0.5, -0.5], [2.5, 2.5], [-2.9, -1.9], [1.7, 1.0], [0.0, 0.0], [2.9, 0.0]])


def mixed_run(name, start):
    surface = get_surface("gaussian_difference")
    optimizer = OPTIMIZERS[name](**({} if name == "adadelta" else {"lr": 0.3}))
    return descend(surface, start, optimizer, steps=150, tol=1e-3, domain=surface.domain, bound=3.2)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_batch_equals_separate_runs_exactly(name):
    batch = mixed_run(name, MIXED_STARTS)
    for j, start in enumerate(MIXED_STARTS):
        single = mixed_run(name, start)
        n = single.n_steps
        assert (batch.status[j], batch.n_steps[j]) == (single.status, n)
        np.testing.assert_array_equal(batch.points[: n + 1, j], single.points)
        np.testing.assert_array_equal(batch.values[: n + 1, j], single.values)
        np.testing.assert_array_equal(batch.grad_norms[: n + 1, j], single.grad_norms)
        np.testing.assert_array_equal(batch.points[n:, j], np.repeat(single.points[-1:], len(batch.points) - n, axis=0))


def test_of_start_is_that_starts_own_run_with_its_states():
    surface = get_surface("gaussian_difference")
    batch = descend(surface, MIXED_STARTS, adam(0.3), steps=150, tol=1e-3, domain=surface.domain, keep_states=True)
    assert batch.n_starts == len(MIXED_STARTS)
    for j, start in enumerate(MIXED_STARTS):
        single = descend(surface, start, adam(0.3), steps=150, tol=1e-3, domain=surface.domain, keep_states=True)
        one, n = batch.of_start(j), single.n_steps
        assert (one.status, one.n_steps, one.n_starts) == (single.status, n, None)
        for field in ("points", "values", "grad_norms"):
            np.testing.assert_array_equal(getattr(one, field)[: n + 1], getattr(single, field))
        np.testing.assert_array_equal(one.steps[:n], single.steps)
        np.testing.assert_array_equal(one.states[n].mu, single.states[n].mu)
    with pytest.raises(ValueError, match="not one of the 7 starts"):
        batch.of_start(7)
    with pytest.raises(ValueError, match="single start"):
        single.of_start(0)


def test_mixed_batches_cover_every_status():
    statuses = set().union(*(mixed_run(name, MIXED_STARTS).status for name in OPTIMIZERS))
    assert statuses == set(STATUSES)


def test_descent_on_rosenbrock_with_adam_reaches_the_minimum():
    path = descend(get_surface("rosenbrock"), (-1.5, 2.0), adam(0.02), steps=20000, tol=1e-6)
    assert path.status == "converged"
    np.testing.assert_allclose(path.points[-1], (1.0, 1.0), atol=1e-5)


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(start=(np.nan, 0.0)), "start"),
        (dict(start=(1.0, 2.0, 3.0)), "start"),
        (dict(start=np.zeros((2, 2, 2))), "start"),
        (dict(start=np.zeros((0, 2))), "start"),
        (dict(steps=0), "steps"),
        (dict(steps=2.5), "steps"),
        (dict(tol=-1.0), "tol"),
        (dict(bound=0.0), "bound"),
        (dict(domain=((1, 0), (0, 1))), "domain"),
        (dict(domain=((-1, 1), (-1, 1)), start=(2.0, 0.0)), "start"),
        (dict(optimizer=sgd), "optimizer"),
    ],
)
def test_bad_input_raises_value_error_naming_the_parameter(kwargs, name):
    arguments = dict(surface=bowl(), start=(1.0, 1.0), optimizer=momentum(0.1)) | kwargs
    with pytest.raises(ValueError, match=rf"^{name}"):
        descend(**arguments)


@settings(max_examples=50, deadline=None)
@given(quadratic=positive_definite_quadratics(), x0=coordinate, y0=coordinate)
def test_conjugate_gradient_reaches_the_minimum_in_at_most_two_steps(quadratic, x0, y0):
    path = conjugate_gradient(quadratic, (x0, y0))
    assert path.n_steps <= 2
    np.testing.assert_allclose(path.points[-1], quadratic.minimizer, rtol=0, atol=1e-10)


def test_conjugate_gradient_directions_are_conjugate():
    quadratic = Quadratic(((4.0, 1.0), (1.0, 0.5)), b=(1.0, 2.0))
    path = conjugate_gradient(quadratic, (-2.0, 3.0), tol=1e-300)
    assert path.n_steps == 2
    first, second = np.diff(path.points, axis=0)
    assert abs(first @ np.array(quadratic.A) @ second) < 1e-12 * np.linalg.norm(first) * np.linalg.norm(second)


@settings(max_examples=40, deadline=None)
@given(quadratic=positive_definite_quadratics(), x0=coordinate, y0=coordinate)
def test_exact_line_search_steps_are_successively_orthogonal(quadratic, x0, y0):
    path = steepest_descent_exact(quadratic, (x0, y0), steps=30)
    steps = np.diff(path.points, axis=0)
    # the steps up to the first one near the rounding of the points it joins
    small = np.linalg.norm(steps, axis=1) <= 1e-5 * max(1.0, np.abs(path.points).max())
    steps = steps[: np.argmax(small) if small.any() else len(steps)]
    for s, t in zip(steps[:-1], steps[1:]):
        assert abs(s @ t) <= 1e-9 * np.linalg.norm(s) * np.linalg.norm(t)


def test_exact_line_search_zig_zags_to_the_minimum_of_an_elongated_quadratic():
    quadratic = get_surface("elongated_quadratic")
    path = steepest_descent_exact(quadratic, (-40.0, 30.0), steps=500)
    assert path.status == "converged" and path.n_steps > 2
    np.testing.assert_allclose(path.points[-1], (1.0, 1.0), atol=1e-10)
    # in 2-D the steps alternate between two fixed orthogonal directions: s_k ∥ s_{k+2}
    steps = np.diff(path.points[:6], axis=0)
    s, t = steps[:-2], steps[2:]
    cross = s[:, 0] * t[:, 1] - s[:, 1] * t[:, 0]
    np.testing.assert_array_less(np.abs(cross), 1e-9 * np.linalg.norm(s, axis=1) * np.linalg.norm(t, axis=1))


@pytest.mark.parametrize("method", [conjugate_gradient, steepest_descent_exact])
def test_quadratic_methods_reject_indefinite_quadratics_and_other_surfaces(method):
    with pytest.raises(ValueError, match="positive definite"):
        method(saddle(), (1.0, 1.0))
    with pytest.raises(ValueError, match="^quadratic"):
        method(get_surface("rosenbrock"), (1.0, 1.0))
    with pytest.raises(ValueError, match="^tol"):
        method(bowl(), (1.0, 1.0), tol=0.0)
