from __future__ import annotations

import doctest
import inspect
import math
import time

import numpy as np
import pytest

import gradcore.schedules
import gradcore.tuning
from gradcore.descent import descend
from gradcore.optimizers import OPTIMIZERS, adadelta, sgd
from gradcore.quadratic import bowl
from gradcore.schedules import Schedule, constant, cosine, exponential, inverse_time, step_decay
from gradcore.testfunctions import Beale, Rosenbrock
from gradcore.tuning import LEARNING_RATE_GRID, tune_learning_rate

RATED = sorted(name for name in OPTIMIZERS if "lr" in inspect.signature(OPTIMIZERS[name]).parameters)
STEPS = np.arange(0, 401)

# Each schedule beside its formula, written out one step at a time with the math module.
CLOSED_FORMS = [
    (constant(0.3), lambda k: 0.3),
    (step_decay(0.3, 0.5, 40), lambda k: 0.3 * 0.5 ** (k // 40)),
    (exponential(0.3, 0.99), lambda k: 0.3 * 0.99**k),
    (inverse_time(0.3, 0.05), lambda k: 0.3 / (1 + 0.05 * k)),
    (cosine(0.3, 250), lambda k: 0.3 * (1 + math.cos(math.pi * min(k, 250) / 250)) / 2),
]


@pytest.mark.parametrize("schedule, formula", CLOSED_FORMS, ids=lambda s: getattr(s, "name", ""))
def test_schedules_follow_their_closed_forms(schedule, formula):
    expected = [formula(int(k)) for k in STEPS]
    np.testing.assert_allclose(schedule(STEPS), expected, rtol=1e-13, atol=1e-16)
    assert all(schedule(int(k)) == pytest.approx(e, rel=1e-13, abs=1e-16) for k, e in zip(STEPS[::37], expected[::37]))


def test_one_step_gives_a_float_and_many_steps_an_array():
    for schedule, _ in CLOSED_FORMS:
        assert isinstance(schedule(3), float) and isinstance(schedule(np.int64(3)), float)
        assert schedule(np.arange(400).reshape(20, 20)).shape == (20, 20)
    assert constant(0.1)(5) == 0.1 and constant(0.1)([1, 2]).tolist() == [0.1, 0.1]


def test_decaying_schedules_never_rise_and_cosine_ends_at_zero():
    for schedule, _ in CLOSED_FORMS[1:]:
        assert np.all(np.diff(schedule(STEPS)) <= 0), schedule.name
    assert cosine(0.3, 250)(125) == pytest.approx(0.15, rel=1e-14)
    assert cosine(0.3, 250)([250, 300]).tolist() == [0.0, 0.0]
    np.testing.assert_allclose(step_decay(1.0, 0.1, 10)([9, 10, 19, 20]), [1.0, 0.1, 0.1, 0.01], rtol=1e-15)


def test_schedules_have_a_name_and_a_formula_to_print():
    assert [s.name for s, _ in CLOSED_FORMS] == ["constant", "step decay", "exponential", "inverse time", "cosine"]
    assert all(isinstance(s, Schedule) for s, _ in CLOSED_FORMS)
    assert [s.latex for s, _ in CLOSED_FORMS] == [
        "0.3",
        r"0.3 \cdot 0.5^{\lfloor k / 40 \rfloor}",
        r"0.3 \cdot 0.99^{k}",
        r"\frac{0.3}{1 + 0.05\, k}",
        r"\frac{0.3}{2} \left(1 + \cos \frac{\pi \min(k, 250)}{250}\right)",
    ]


@pytest.mark.parametrize(
    "factory, args, name",
    [
        (constant, (0.0,), "lr"),
        (constant, (math.nan,), "lr"),
        (step_decay, (0.1, -0.5, 10), "factor"),
        (step_decay, (0.1, 0.5, 0), "every"),
        (exponential, (0.1, 0.0), "gamma"),
        (inverse_time, (0.1, -1.0), "rate"),
        (cosine, (-0.1, 100), "lr"),
        (cosine, (0.1, 0), "total"),
    ],
)
def test_bad_schedule_parameters_raise_naming_them(factory, args, name):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        factory(*args)


@pytest.mark.parametrize("k", [-1, math.nan, "three"])
def test_a_step_must_be_a_number_from_zero(k):
    with pytest.raises(ValueError, match=r"^k must be"):
        exponential(0.1, 0.9)(k)


# ---------------------------------------------------------------------------------------------
# optimizers with a schedule


def run(name, lr, **kwargs):
    return descend(Rosenbrock(), (-1.2, 1.0), OPTIMIZERS[name](lr), steps=200, tol=0, keep_states=True, **kwargs)


@pytest.mark.parametrize("name", RATED)
def test_a_constant_schedule_takes_bit_identical_steps_to_its_number(name):
    lr = {"sgd": 1e-3, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 0.5, "rmsprop": 0.01, "adadelta": 3.0, "adam": 0.05}[name]
    plain, scheduled = run(name, lr), run(name, constant(lr))
    assert not OPTIMIZERS[name](lr).scheduled and OPTIMIZERS[name](constant(lr)).scheduled
    np.testing.assert_array_equal(scheduled.points, plain.points)
    np.testing.assert_array_equal(scheduled.steps, plain.steps)
    for a, b in zip(scheduled.states, plain.states):
        for u, v in zip(a, b):
            np.testing.assert_array_equal(u, v)


@pytest.mark.parametrize("name", RATED)
def test_an_optimizer_with_a_schedule_steps_with_the_rate_of_step_k(name):
    # No rule's state depends on the rate, so step k of the scheduled rule is exactly the step of
    # the rule built with the number lr_k, from the same state.
    schedule = step_decay(0.2, 0.5, every=2)
    scheduled = OPTIMIZERS[name](schedule)
    state = scheduled.init(np.zeros(2))
    for k, g in enumerate(np.random.default_rng(1).normal(size=(7, 2))):
        fixed = OPTIMIZERS[name](schedule(k))
        step, new_state = scheduled.update(g, state, np.zeros(2), k=k)
        expected, _ = fixed.update(g, state, np.zeros(2))
        np.testing.assert_array_equal(step, expected)
        state = new_state


def test_sgd_with_exponential_decay_on_the_bowl_follows_the_product_formula():
    # f = x^2 + y^2: x_{k+1} = (1 - 2 lr_k) x_k, so x_n = prod_k (1 - 2 lr_k) x_0.
    schedule = exponential(0.4, 0.9)
    path = descend(bowl(), (-3.0, 4.0), sgd(schedule), steps=30, tol=0)
    factors = np.cumprod(1 - 2 * schedule(np.arange(30)))
    np.testing.assert_allclose(path.points[1:], factors[:, None] * [-3.0, 4.0], rtol=1e-12)


@pytest.mark.parametrize("lr", [lambda k: -1.0, lambda k: np.nan, lambda k: "fast", "fast", 0.0])
def test_a_learning_rate_must_be_a_positive_number_or_give_one(lr):
    with pytest.raises(ValueError, match=r"^lr must"):
        sgd(lr)


# ---------------------------------------------------------------------------------------------
# tune_learning_rate


def final_value(surface, start, name, lr, steps=200):
    path = descend(surface, start, OPTIMIZERS[name](lr), steps=steps, tol=0, domain=surface.domain)
    return path.values[-1] if path.status == "max_steps" else math.inf


@pytest.mark.parametrize("surface, start", [(Rosenbrock(), (-1.2, 1.0)), (Beale(), (1.0, 1.0))], ids=["rosen", "beale"])
@pytest.mark.parametrize("name", RATED)
def test_the_tuned_rate_beats_its_grid_neighbours_and_never_diverges(surface, start, name):
    lr = tune_learning_rate(surface, start, name, steps=200)
    i = LEARNING_RATE_GRID.index(lr)
    best = final_value(surface, start, name, lr)
    assert math.isfinite(best)
    for j in (i - 1, i + 1):
        if 0 <= j < len(LEARNING_RATE_GRID):
            assert best <= final_value(surface, start, name, LEARNING_RATE_GRID[j])


def test_tuning_runs_the_grid_as_one_batch_equal_to_separate_runs():
    rates = np.array([1e-4, 1e-3, 3e-3])
    batch = descend(Rosenbrock(), np.repeat([[-1.2, 1.0]], 3, axis=0), OPTIMIZERS["adam"](lambda k: rates[:, None]))
    for j, lr in enumerate(rates):
        single = descend(Rosenbrock(), (-1.2, 1.0), OPTIMIZERS["adam"](float(lr)))
        np.testing.assert_array_equal(batch.points[:, j], single.points)


def test_tuning_200_steps_on_rosenbrock_takes_well_under_a_second():
    begin = time.perf_counter()
    for name in RATED:
        tune_learning_rate(Rosenbrock(), (-1.2, 1.0), name, steps=200)
    assert (time.perf_counter() - begin) / len(RATED) < 0.5


def test_the_grid_is_five_rates_a_decade_from_1e_minus_6_to_10():
    np.testing.assert_allclose(LEARNING_RATE_GRID, 10.0 ** (-6 + np.arange(36) / 5), rtol=1e-14)


def test_adadelta_is_tuned_like_the_others_and_its_default_rate_is_zeilers_rule():
    surface, start = Rosenbrock(), (-1.2, 1.0)
    lr = tune_learning_rate(surface, start, "adadelta", steps=200)
    tuned = descend(surface, start, adadelta(lr), steps=200, tol=0)
    plain = descend(surface, start, adadelta(), steps=200, tol=0)
    assert lr in LEARNING_RATE_GRID and tuned.values[-1] < plain.values[-1]
    np.testing.assert_array_equal(descend(surface, start, adadelta(1.0), steps=50).points, plain.points[:51])


def test_tuning_with_other_hyperparameters_passes_them_on():
    lr = tune_learning_rate(Rosenbrock(), (-1.2, 1.0), "momentum", steps=100, beta=0.5)
    assert lr == tune_learning_rate(Rosenbrock(), (-1.2, 1.0), "momentum", steps=100, grid=[lr], beta=0.5)


def test_when_every_rate_diverges_tuning_says_so():
    with pytest.raises(ValueError, match=r"^every learning rate from 1 to 10 made sgd diverge or leave the domain"):
        tune_learning_rate(Rosenbrock(), (-1.2, 1.0), "sgd", grid=[1.0, 10.0])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(optimizer_name="lbfgs"), "optimizer_name must be one of"),
        (dict(grid=[]), "grid must be"),
        (dict(grid=[0.1, -0.1]), "grid must be"),
        (dict(grid=[[0.1]]), "grid must be"),
        (dict(start=[(0.0, 0.0)]), "start must have shape"),
        (dict(start=(5.0, 0.0)), "start must lie inside domain"),
    ],
)
def test_bad_tuning_arguments_raise(kwargs, message):
    arguments = dict(surface=Rosenbrock(), start=(-1.2, 1.0), optimizer_name="sgd") | kwargs
    with pytest.raises(ValueError, match=rf"^{message}"):
        tune_learning_rate(**arguments)


def test_the_examples_in_the_docstrings_hold():
    for module in (
        gradcore.schedules,
        gradcore.tuning,
    ):
        assert doctest.testmod(module).failed == 0, module.__name__
