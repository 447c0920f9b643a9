"""Numerics that scenes used to carry themselves, now in gradcore: optimizer states kept by
``descend``, log-spaced levels over ``decades``, the outcome of a descent in words, where a flow
crosses the levels, and how far a ray runs inside the domain."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

import gradcore
from gradcore import (
    STATUS_WORDS,
    Outcome,
    Trajectory,
    adam,
    bowl,
    default_levels,
    descend,
    describe,
    distance_to_edge,
    elongated_quadratic,
    gradient_flow,
    level_crossings,
    momentum,
    saddle,
    sgd,
)
from gradcore.descent import STATUSES
from gradcore.optimizers import MomentumState, Optimizer
from gradcore.outcome import KIND_WORDS
from gradcore.surface import Surface

# ---------------------------------------------------------------------------------------------
# descend(..., keep_states=True)


def replay(surface, path, optimizer):
    """What ``scenes.inside_one_step.record_steps`` computes: the rule replayed along the path,
    (state before, step, state after) for each step taken."""
    state, records = optimizer.init(path.points[0]), []
    for x in path.points[: path.n_steps]:
        step, new_state = optimizer.update(surface.gradient(x), state, x)
        records.append((state, step, new_state))
        state = new_state
    return records


def assert_states_equal(a, b):
    assert type(a) is type(b)
    for field, u, v in zip(a._fields, a, b):
        np.testing.assert_array_equal(u, v, err_msg=field)


def test_kept_momentum_states_follow_the_velocity_recursion():
    surface, beta = elongated_quadratic(), 0.9
    path = descend(surface, (-2.5, 1.5), momentum(0.1, beta), steps=40, tol=0, keep_states=True)
    assert path.status == "max_steps" and len(path.states) == path.n_steps + 1 == 41
    assert path.steps.shape == (40, 2)
    np.testing.assert_array_equal(path.states[0].velocity, np.zeros(2))
    for i in range(path.n_steps):
        # v_{i+1} = β v_i + ∇f(x_i), and Δx_i = -η v_{i+1} moves x_i to x_{i+1}
        expected = beta * path.states[i].velocity + surface.gradient(path.points[i])
        np.testing.assert_allclose(path.states[i + 1].velocity, expected, rtol=1e-14, atol=1e-15)
        np.testing.assert_allclose(path.steps[i], -0.1 * path.states[i + 1].velocity, rtol=1e-14)
    np.testing.assert_allclose(path.steps, np.diff(path.points, axis=0), rtol=1e-12, atol=1e-15)


def test_kept_states_are_what_inside_one_step_replays():
    # InsideOneStep runs descend with the default tol and the surface's domain: stopping rules on
    surface, optimizer = elongated_quadratic(), adam(0.5)
    path = descend(surface, (-2.5, 1.5), optimizer, steps=25, domain=surface.domain, keep_states=True)
    records = replay(surface, path, optimizer)
    assert len(records) == path.n_steps == len(path.steps)
    for i, (before, step, after) in enumerate(records):
        assert_states_equal(path.states[i], before)
        np.testing.assert_array_equal(path.steps[i], step)
        assert_states_equal(path.states[i + 1], after)


def test_keep_states_is_off_by_default_and_changes_no_number():
    surface, start = elongated_quadratic(), [(-2.5, 1.5), (1.0, -2.0)]
    plain = descend(surface, start, momentum(0.1), steps=30)
    kept = descend(surface, start, momentum(0.1), steps=30, keep_states=True)
    assert plain.states is None and plain.steps is None
    for name in ("points", "values", "grad_norms", "status", "n_steps"):
        np.testing.assert_array_equal(getattr(plain, name), getattr(kept, name))


def test_kept_states_of_a_batch_equal_those_of_separate_runs():
    surface = bowl()
    starts = [(0.0, 0.0), (1.0, 1.0), (0.01, -0.02), (2.9, -2.9)]
    # momentum(1.6, 0.5) swings out of the map (after 0, 1 and 15 steps); the first start is at the
    # minimum (0 steps); Adam runs the others all their steps
    for optimizer, n_steps in ((momentum(1.6, 0.5), [0, 1, 15, 0]), (adam(0.3), [0, 30, 30, 30])):
        batch = descend(surface, starts, optimizer, steps=30, tol=1e-6, domain=surface.domain, keep_states=True)
        np.testing.assert_array_equal(batch.n_steps, n_steps)
        assert len(batch.states) == len(batch.points) and batch.steps.shape == (len(batch.points) - 1, 4, 2)
        for j, start in enumerate(starts):
            single = descend(surface, start, optimizer, steps=30, tol=1e-6, domain=surface.domain, keep_states=True)
            n = single.n_steps
            assert batch.n_steps[j] == n and len(single.states) == n + 1
            np.testing.assert_array_equal(batch.steps[:n, j], single.steps)
            assert not np.any(batch.steps[n:, j])  # a stopped start takes no more steps
            for i in range(len(batch.states)):
                expected = single.states[min(i, n)]  # ... and keeps its last state
                for field, u, v in zip(expected._fields, batch.states[i], expected):
                    if np.ndim(u):
                        np.testing.assert_array_equal(u[j], v, err_msg=field)


def test_adam_count_is_shared_by_the_batch():
    path = descend(bowl(), [(1.0, 1.0), (2.0, 2.0)], adam(0.1), steps=5, keep_states=True)
    assert [s.count for s in path.states] == list(range(6))
    assert path.states[3].mu.shape == (2, 2)


def test_a_rejected_step_is_not_kept():
    surface = bowl()
    # η λ = 4 > 2 (1 + β) = 3: heavy ball diverges on x² + y²
    path = descend(surface, (1.0, 1.0), momentum(2.0, 0.5), steps=50, bound=10.0, keep_states=True)
    assert path.status == "diverged" and len(path.states) == path.n_steps + 1
    assert path.steps.shape == (path.n_steps, 2)
    np.testing.assert_allclose(path.points[0] + path.steps.sum(axis=0), path.points[-1], rtol=1e-12)


def test_states_of_any_shape_are_kept():
    # A rule whose state is a bare array (not a NamedTuple): the previous step.
    def init(x0):
        return np.zeros_like(np.asarray(x0, dtype=float))

    def update(grad, state, x=None):
        step = -0.1 * np.asarray(grad) + 0.5 * state
        return step, step

    path = descend(bowl(), [(1.0, 1.0), (-1.0, 2.0)], Optimizer(init, update, "echo"), steps=4, keep_states=True)
    np.testing.assert_array_equal(path.states[1:], path.steps)


# ---------------------------------------------------------------------------------------------
# default_levels(..., decades=)


def test_log_levels_span_the_given_decades_above_the_minimum():
    # On the bowl over [-3, 3]²: f_min = 0 (the minimum), f_max = 18 (the corners).
    n = 6
    for decades in (1.0, 2.0, 3.5):
        levels = default_levels(bowl(), n, spacing="log", decades=decades)
        k = np.arange(n)
        np.testing.assert_allclose(levels, 18 * 10 ** (-decades * (1 - k / n)), rtol=1e-12)


def test_two_decades_are_the_default_and_match_the_race_formula():
    surface = bowl()
    levels = default_levels(surface, 8, spacing="log")
    np.testing.assert_array_equal(levels, default_levels(surface, 8, spacing="log", decades=2.0))
    low, high = 0.0, 18.0
    # scenes.optimizers.log_levels: low + Δ · logspace(-d, 0, n + 1)[:-1]
    np.testing.assert_allclose(levels, low + (high - low) * np.logspace(-2, 0, 9)[:-1], rtol=1e-12)


def test_many_decades_stay_above_the_minimum_and_increase():
    levels = default_levels(bowl(), 5, spacing="log", decades=300)
    assert np.all(levels > 0) and np.all(np.diff(levels) > 0)


@pytest.mark.parametrize("decades", [0, -1.0, np.nan, np.inf, 301, "two"])
def test_bad_decades_raise_value_error(decades):
    with pytest.raises(ValueError, match="^decades must be"):
        default_levels(bowl(), 5, spacing="log", decades=decades)


# ---------------------------------------------------------------------------------------------
# describe: how a descent ended


@dataclass(frozen=True)
class Reciprocal(Surface):
    """:math:`1/x + y^2`: not finite on :math:`x = 0`, no minimum."""

    domain: tuple = ((-1.0, 1.0), (-1.0, 1.0))
    name: str = "reciprocal"

    @property
    def latex(self) -> str:
        return r"1/x + y^2"

    def _value(self, x, y):
        return 1 / x + y**2

    def _gradient(self, x, y):
        return -1 / x**2, 2 * y

    def _hessian(self, x, y):
        return 2 / x**3, 0 * x, 2 + 0 * x


def test_status_words_name_every_status():
    assert set(STATUSES) <= set(STATUS_WORDS)
    assert STATUS_WORDS["max_steps"] == "still moving" and STATUS_WORDS["left_domain"] == "left the map"


def test_a_start_ending_next_to_a_known_minimum_reached_it():
    surface = bowl()
    near = describe(surface, descend(surface, (1.0, 1.0), sgd(0.1), steps=100, tol=0))
    assert (near.kind, near.text, near.status) == ("minimum", "at the minimum", "max_steps")
    assert near.detail == "at the minimum (0.00, 0.00)"
    np.testing.assert_array_equal(near.point, (0.0, 0.0))
    # sgd(0.5) on x² + y² jumps onto the minimum: converged there, still "minimum"
    landed = describe(surface, descend(surface, (1.0, 1.0), sgd(0.5), steps=5))
    assert (landed.kind, landed.status, landed.steps) == ("minimum", "converged", 1)


def test_reach_is_a_fraction_of_the_domain_diagonal():
    surface = bowl()  # diagonal 6√2 ≈ 8.49: 1% is 0.085
    path = descend(surface, (2.0, 0.0), sgd(0.01), steps=200, tol=0)  # ends at 2·0.98^200 ≈ 0.035
    assert describe(surface, path).kind == "minimum"
    assert describe(surface, path, reach=0.003).kind == "moving"


def test_converging_away_from_a_known_minimum_is_converged():
    surface = saddle()  # x² - y²: along y = 0, sgd flows into the saddle point
    outcome = describe(surface, descend(surface, (0.5, 0.0), sgd(0.25), steps=100))
    assert (outcome.kind, outcome.text, outcome.point) == ("converged", "converged", None)
    assert outcome.detail.startswith("converged at (0.00, 0.00) after ")


def test_a_path_that_ran_its_steps_without_moving_has_stalled():
    surface = bowl()
    points = np.array([(0.0, 0.0)] + [(1.0, 0.0)] * 30)
    stuck = describe(surface, Trajectory(points, np.zeros(31), np.ones(31), "max_steps", 30))
    assert (stuck.kind, stuck.text) == ("stalled", "stalled")
    assert stuck.detail == "stalled at (1.00, 0.00) after 30 steps"
    # at a saddle with tol = 0 the gradient is 0 but never below tol: it never moves
    flat = describe(saddle(), descend(saddle(), (0.0, 0.0), sgd(0.1), steps=10, tol=0))
    assert flat.kind == "stalled"


def test_a_path_still_moving_says_so_with_its_gradient():
    surface = bowl()
    moving = Trajectory(np.linspace((0.5, 0.0), (1.5, 0.0), 31), np.zeros(31), np.full(31, 0.25), "max_steps", 30)
    outcome = describe(surface, moving)
    assert (outcome.kind, outcome.text) == ("moving", "still moving")
    assert outcome.detail == "still moving after 30 steps: gradient norm 0.25"
    # evenly moving, the last 10 of 30 steps are a third of the length
    assert describe(surface, moving, window=10, stall_fraction=0.34).kind == "stalled"
    assert describe(surface, moving, window=10, stall_fraction=0.33).kind == "moving"


def test_diverged_left_and_not_finite_are_said():
    surface = bowl()
    away = describe(surface, descend(surface, (1.0, 1.0), sgd(2.0), steps=50, bound=1e3))
    assert (away.kind, away.text) == ("diverged", "diverged") and away.detail == f"diverged after {away.steps} steps"
    wide = describe(surface, descend(surface, (1.0, 1.0), sgd(1.5), steps=50, domain=surface.domain))
    assert (wide.kind, wide.text) == ("left_domain", "left the map")
    assert wide.detail == "left the map after 1 step"
    first = describe(surface, descend(surface, (2.0, 2.0), sgd(1.5), steps=50, domain=surface.domain))
    assert first.detail == "left the map at the first step"
    start = describe(Reciprocal(), descend(Reciprocal(), (0.0, 0.5), sgd(0.1), steps=5))
    assert (start.kind, start.text, start.steps) == ("not_finite", "not finite at the start", 0)


def test_a_start_that_leaves_next_to_a_minimum_left():
    # x → -2x jumps out of a tiny box around the minimum: it did not stay there
    surface, box = bowl(), ((-0.005, 0.005), (-0.005, 0.005))
    path = descend(surface, (0.001, 0.0), sgd(1.5), steps=50, domain=box)
    assert path.status == "left_domain" and np.hypot(*path.points[-1]) < 0.01
    assert describe(surface, path).kind == "left_domain"


def test_each_start_of_a_batch_is_described_as_if_run_alone():
    surface = bowl()
    starts = [(1.0, 1.0), (2.0, 2.0), (0.5, -0.25)]
    batch = descend(surface, starts, sgd(0.7), steps=40, domain=surface.domain)
    for i, start in enumerate(starts):
        alone = describe(surface, descend(surface, start, sgd(0.7), steps=40, domain=surface.domain))
        together = describe(surface, batch, i)
        assert together[:3] == alone[:3] and together[5:] == alone[5:]
        np.testing.assert_array_equal(together.end, alone.end)


def test_outcome_words_are_plain_text():
    assert all(not set(words) & set("\\$^_{}") for words in (*STATUS_WORDS.values(), *KIND_WORDS.values()))
    outcome = describe(bowl(), descend(bowl(), (1.0, 1.0), sgd(0.1), steps=100, tol=0))
    assert isinstance(outcome, Outcome) and not set(outcome.detail) & set("\\$^_{}")


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(i=None), "^i must say which"),
        (dict(i=3), "^i must be an integer from 0 to 1"),
        (dict(i=0, window=0), "^window must be"),
        (dict(i=0, reach=-0.1), "^reach must be"),
        (dict(i=0, stall_fraction=np.nan), "^stall_fraction must be"),
    ],
)
def test_bad_describe_arguments_raise_value_error(kwargs, message):
    path = descend(bowl(), [(1.0, 1.0), (2.0, 0.0)], sgd(0.1), steps=5)
    with pytest.raises(ValueError, match=message):
        describe(bowl(), path, **kwargs)


# ---------------------------------------------------------------------------------------------
# level_crossings


def test_level_crossings_of_the_bowl_flow_match_the_closed_form():
    # The flow of x² + y² from p is p e^{-2t}, so f = |p|² e^{-4t}: level c is met at p √c / |p|.
    p = np.array([2.0, 1.0])
    flow = gradient_flow(bowl(), p, (0.0, 3.0), t_eval=np.linspace(0.0, 3.0, 3001))
    np.testing.assert_allclose(flow.values, 5 * np.exp(-4 * flow.t), rtol=1e-7)
    levels = np.array([0.01, 4.0, 0.5, 1.0])
    crossings = level_crossings(flow, levels)
    expected = p * np.sqrt(np.sort(levels)[::-1, None]) / np.hypot(*p)  # highest level first
    np.testing.assert_allclose(crossings, expected, atol=1e-6)
    np.testing.assert_allclose(bowl().value(crossings), np.sort(levels)[::-1], rtol=1e-5)


def test_levels_the_flow_never_crosses_give_no_point():
    flow = gradient_flow(bowl(), (2.0, 1.0), (0.0, 1.0), t_eval=np.linspace(0.0, 1.0, 101))
    assert level_crossings(flow, [6.0, 1e-6]).shape == (0, 2)  # above the start, below the end
    assert level_crossings(flow, 1.0).shape == (1, 2)  # one number


# ---------------------------------------------------------------------------------------------
# distance_to_edge

BOX = ((-1.0, 2.0), (-1.0, 1.0))


def test_distance_to_edge_along_the_axes_and_a_diagonal():
    assert distance_to_edge((0.0, 0.0), (1.0, 0.0), BOX) == 2.0
    assert distance_to_edge((0.0, 0.0), (0.0, -1.0), BOX) == 1.0
    np.testing.assert_allclose(distance_to_edge((0.0, 0.0), (1.0, 1.0), BOX), np.sqrt(2))  # meets the top
    # only the direction counts, not its length
    assert distance_to_edge((0.5, 0.0), (-3.0, 0.0), BOX) == distance_to_edge((0.5, 0.0), (-1.0, 0.0), BOX) == 1.5


def test_distance_to_edge_from_the_edge():
    assert str(distance_to_edge((2.0, 0.0), (1.0, 0.0), BOX)) == "0.0"  # looking out (not -0.0)
    assert distance_to_edge((2.0, 0.0), (-1.0, 0.0), BOX) == 3.0  # looking in
    assert distance_to_edge((-1.0, -1.0), (1.0, 1.0), BOX) == pytest.approx(2 * np.sqrt(2))


def test_the_ray_ends_on_the_boundary():
    rng = np.random.default_rng(1)
    points = rng.uniform((-1.0, -1.0), (2.0, 1.0), size=(200, 2))
    directions = rng.normal(size=(200, 2))
    t = distance_to_edge(points, directions, BOX)
    ends = points + t[:, None] * directions / np.hypot(*directions.T)[:, None]
    box = np.array(BOX)
    margins = np.stack([ends[:, 0] - box[0, 0], box[0, 1] - ends[:, 0], ends[:, 1] - box[1, 0], box[1, 1] - ends[:, 1]])
    np.testing.assert_allclose(margins.min(axis=0), 0.0, atol=1e-12)
    assert np.all(margins > -1e-12)
    assert distance_to_edge(points[0], directions[0], BOX) == pytest.approx(t[0], rel=1e-15)


@pytest.mark.parametrize(
    "point, direction, message",
    [
        ((3.0, 0.0), (1.0, 0.0), "^point must lie inside"),
        ((0.0, 0.0), (0.0, 0.0), "^direction must be nonzero"),
        ((0.0, 0.0), (np.nan, 1.0), "^direction must be finite"),
        ((0.0, 0.0, 0.0), (1.0, 0.0), "^point must have shape"),
    ],
)
def test_bad_distance_to_edge_arguments_raise_value_error(point, direction, message):
    with pytest.raises(ValueError, match=message):
        distance_to_edge(point, direction, BOX)


def test_the_moved_numerics_are_exported():
    for name in ("describe", "Outcome", "STATUS_WORDS", "level_crossings", "distance_to_edge"):
        assert name in gradcore.__all__ and hasattr(gradcore, name)
    assert isinstance(momentum(0.1).init(np.zeros(2)), MomentumState)
