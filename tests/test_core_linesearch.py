from __future__ import annotations

import doctest
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import gradcore.descent
import gradcore.linesearch
from gradcore.descent import descend
from gradcore.linesearch import Armijo, armijo, backtrack
from gradcore.optimizers import Optimizer, SgdState, momentum, sgd
from gradcore.quadratic import bowl, elongated_quadratic
from gradcore.testfunctions import Beale, Himmelblau, Rosenbrock

SURFACES = [Rosenbrock(), Beale(), Himmelblau()]


def armijo_holds(surface, x, d, t, c=1e-4):
    """f(x + t d) <= f(x) + c t grad f(x).d, exactly as the search compares."""
    return bool(surface.value(x + t * d) <= surface.value(x) + c * t * (surface.gradient(x) @ d))


@st.composite
def descent_problems(draw):
    """A surface, a point in its domain and a descent direction: a random direction turned
    to make an angle below 90 degrees with the negative gradient."""
    surface = draw(st.sampled_from(SURFACES))
    (xmin, xmax), (ymin, ymax) = surface.domain
    x = np.array([draw(st.floats(xmin, xmax)), draw(st.floats(ymin, ymax))])
    g = surface.gradient(x)
    assume(np.linalg.norm(g) > 1e-6)
    angle = draw(st.floats(-1.5, 1.5))  # radians from -g
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    length = draw(st.floats(1e-3, 10.0)) / np.linalg.norm(g)
    return surface, x, length * rotation @ -g


@settings(max_examples=60, deadline=None)
@given(problem=descent_problems(), t0=st.floats(0.1, 4.0), shrink=st.floats(0.1, 0.9))
def test_armijo_accepts_the_first_trial_under_the_line_and_the_trials_shrink_from_t0(problem, t0, shrink):
    surface, x, d = problem
    search = armijo(surface, x, d, t0=t0, shrink=shrink, max_trials=1000)  # a shrink near 1 needs many
    assert search.accepted
    # the trials are t0 shrink^i, the last one is t
    assert search.trials == tuple(t0 * shrink**i for i in range(len(search.trials)))
    assert search.t == search.trials[-1]
    # the condition holds at t, and failed at every earlier trial: no acceptable step was skipped
    assert armijo_holds(surface, x, d, search.t)
    assert not any(armijo_holds(surface, x, d, t) for t in search.trials[:-1])


def test_trials_halve_from_one_by_default():
    x = np.array([-1.2, 1.0])
    search = armijo(Rosenbrock(), x, -Rosenbrock().gradient(x))
    assert search.trials == tuple(0.5**i for i in range(11)) and search.t == 2**-10
    assert isinstance(search, Armijo)


def test_a_step_accepted_at_once_has_one_trial():
    # f = x^2 + y^2 from (1, 0) along -grad f / 2 lands on the minimum.
    assert armijo(bowl(), (1.0, 0.0), (-1.0, 0.0)) == Armijo(1.0, (1.0,), True)


def test_a_trial_where_f_is_not_finite_fails_and_the_search_goes_on():
    # Rosenbrock overflows to inf 1e80 away; the search backs off to a finite, lower point.
    x = np.array([0.0, 0.0])
    d = 1e80 * -Rosenbrock().gradient(x) / np.linalg.norm(Rosenbrock().gradient(x))
    search = armijo(Rosenbrock(), x, d, max_trials=400)
    assert not np.isfinite(Rosenbrock().value(x + d))
    assert search.accepted and armijo_holds(Rosenbrock(), x, d, search.t) and len(search.trials) > 200


def test_a_search_that_runs_out_of_trials_returns_the_last_one_flagged():
    search = armijo(bowl(), (1.0, 0.0), (-1.0, 0.0), t0=8.0, max_trials=2)
    assert search == Armijo(4.0, (8.0, 4.0), False)


def test_an_uphill_direction_raises():
    x = np.array([-1.2, 1.0])
    with pytest.raises(ValueError, match=r"^direction must be a descent direction"):
        armijo(Rosenbrock(), x, Rosenbrock().gradient(x))
    with pytest.raises(ValueError, match=r"^direction must be a descent direction"):
        armijo(bowl(), (0.0, 0.0), (1.0, 0.0))  # at a minimum nothing goes down


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(t0=0.0), "t0"),
        (dict(shrink=1.0), "shrink"),
        (dict(shrink=0.0), "shrink"),
        (dict(c=1.0), "c"),
        (dict(c=-1e-4), "c"),
        (dict(max_trials=0), "max_trials"),
        (dict(max_trials=2.5), "max_trials"),
        (dict(x=(math.nan, 0.0)), "x"),
        (dict(x=np.zeros((2, 2))), "x and direction"),
        (dict(direction=(1.0, 2.0, 3.0)), "points"),
    ],
)
def test_bad_arguments_raise_naming_them(kwargs, name):
    arguments = dict(surface=bowl(), x=(1.0, 0.0), direction=(-1.0, 0.0)) | kwargs
    with pytest.raises(ValueError, match=rf"^{name} must"):
        armijo(**arguments)


def test_backtrack_on_a_batch_equals_armijo_at_each_point():
    surface, rng = Rosenbrock(), np.random.default_rng(3)
    x = rng.uniform((-2, -1), (2, 3), size=(50, 2))
    d = -surface.gradient(x) * rng.uniform(1e-4, 1, size=(50, 1))
    t, trials, accepted = backtrack(surface, x, surface.value(x), np.sum(surface.gradient(x) * d, axis=1), d)
    for j in range(50):
        search = armijo(surface, x[j], d[j])
        assert (t[j], trials[j], accepted[j]) == (search.t, len(search.trials), search.accepted)


# ---------------------------------------------------------------------------------------------
# descend(..., line_search="armijo")


def test_descent_with_line_search_steps_a_power_of_one_half_of_the_optimizer_step():
    surface = Rosenbrock()
    path = descend(surface, (-1.2, 1.0), sgd(0.01), steps=300, tol=0, line_search="armijo", keep_states=True)
    assert path.status == "max_steps"
    proposed = -0.01 * surface.gradient(path.points[:-1])
    t = path.steps[:, 0] / proposed[:, 0]
    np.testing.assert_allclose(path.steps, t[:, None] * proposed, rtol=1e-12)
    np.testing.assert_allclose(np.log2(t), np.round(np.log2(t)), atol=1e-9)
    assert np.all(t <= 1) and np.any(t < 1)
    for x, step, s in zip(path.points[:-1], proposed, t):
        assert armijo_holds(surface, x, step, s)
        assert s == 1 or not armijo_holds(surface, x, step, 2 * s)  # the first acceptable trial


def test_line_search_keeps_a_rate_that_diverges_descending():
    plain = descend(Rosenbrock(), (-1.2, 1.0), sgd(0.01), steps=300, tol=0)
    searched = descend(Rosenbrock(), (-1.2, 1.0), sgd(0.01), steps=300, tol=0, line_search="armijo")
    assert plain.status == "diverged"
    assert searched.status == "max_steps" and np.all(np.diff(searched.values) < 0)
    assert searched.values[-1] < 0.2  # from 24.2


def test_where_every_whole_step_is_accepted_line_search_changes_nothing():
    plain = descend(elongated_quadratic(), (-20.0, 30.0), sgd(0.1), steps=200)
    searched = descend(elongated_quadratic(), (-20.0, 30.0), sgd(0.1), steps=200, line_search="armijo")
    np.testing.assert_array_equal(searched.points, plain.points)


def test_a_step_that_does_not_point_downhill_is_taken_whole():
    def init(x0):
        return SgdState()

    def update(grad, state, x=None):
        return 0.01 * np.asarray(grad), state  # uphill

    uphill = Optimizer(init, update, "uphill")
    plain = descend(bowl(), (1.0, 1.0), uphill, steps=20)
    searched = descend(bowl(), (1.0, 1.0), uphill, steps=20, line_search="armijo")
    np.testing.assert_array_equal(searched.points, plain.points)


def test_line_search_on_a_batch_equals_separate_runs():
    starts = np.array([[-1.2, 1.0], [1.5, -0.5], [0.0, 2.5]])
    batch = descend(Rosenbrock(), starts, momentum(0.002), steps=150, tol=1e-3, line_search="armijo")
    for j, start in enumerate(starts):
        single = descend(Rosenbrock(), start, momentum(0.002), steps=150, tol=1e-3, line_search="armijo")
        assert (batch.status[j], batch.n_steps[j]) == (single.status, single.n_steps)
        np.testing.assert_array_equal(batch.points[: single.n_steps + 1, j], single.points)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(line_search="wolfe"), "line_search must be None or one of 'armijo'"),
        (dict(line_search="armijo", batch_size=4), "line_search and batch_size cannot be combined"),
    ],
)
def test_bad_line_search_arguments_raise(kwargs, message):
    with pytest.raises(ValueError, match=rf"^{message}"):
        descend(bowl(), (1.0, 1.0), sgd(0.1), **kwargs)


def test_the_examples_in_the_docstrings_hold():
    for module in (
        gradcore.linesearch,
        gradcore.descent,
    ):
        assert doctest.testmod(module).failed == 0, module.__name__
