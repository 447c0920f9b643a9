"""More numerics that the scene kit used to carry, now in gradcore: level spacing over a given
range (:func:`gradcore.spaced_levels`), the curvature a learning rate is measured against and
rates carried from one surface to another (:func:`gradcore.typical_curvature`,
:func:`gradcore.fit_learning_rates`), the largest curvature and round learning rates below the
stability bound (:func:`gradcore.largest_curvature`, :func:`gradcore.default_learning_rates`), and one status -> words table for descents, flows and
rolling balls (:func:`gradcore.status_words`, :func:`gradcore.describe` of a flow or motion)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

import gradcore
from gradcore import (
    CURVATURE_RULES,
    OPTIMIZERS,
    RAN_OUT,
    STATUS_WORDS,
    Motion,
    Quadratic,
    bowl,
    default_learning_rates,
    default_levels,
    descend,
    describe,
    fit_learning_rates,
    from_expression,
    gradient_flow,
    largest_curvature,
    roll,
    sgd,
    spaced_levels,
    status_words,
    typical_curvature,
)
from gradcore.curvature import BOUND_FRACTIONS
from gradcore.descent import STATUSES
from gradcore.outcome import KIND_WORDS

# ---------------------------------------------------------------------------------------------
# spaced_levels


def test_linear_spaced_levels_are_even_and_strictly_inside_the_range():
    levels = spaced_levels(-1.0, 4.0, 4)
    np.testing.assert_allclose(levels, [0.0, 1.0, 2.0, 3.0])
    assert levels.min() > -1.0 and levels.max() < 4.0


@pytest.mark.parametrize("decades", [2.0, 5.0, 0.5])
def test_log_spaced_levels_are_geometric_above_low_over_the_decades(decades):
    low, high, n = 3.0, 103.0, 6
    above = spaced_levels(low, high, n, spacing="log", decades=decades) - low
    np.testing.assert_allclose(above[0], 10.0**-decades * (high - low))
    np.testing.assert_allclose(above[1:] / above[:-1], 10.0 ** (decades / n))  # the next one would be Δ
    assert above.max() < high - low


@pytest.mark.parametrize("spacing", ["linear", "log"])
def test_default_levels_are_spaced_levels_over_the_surface_range(spacing):
    # x² + y² on [-3, 3]²: from 0 at its known minimum to 18 at the corners of the grid
    np.testing.assert_array_equal(default_levels(bowl(), 7, spacing=spacing), spaced_levels(0.0, 18.0, 7, spacing))


@pytest.mark.parametrize("low, high", [(2.0, 2.0), (3.0, 1.0)])
def test_an_empty_range_has_no_spaced_levels(low, high):
    assert spaced_levels(low, high, 5).size == 0 and spaced_levels(low, high, 5, "log").size == 0


@pytest.mark.parametrize(
    "args, kwargs, message",
    [
        ((np.nan, 1.0, 3), {}, "^low and high must be finite"),
        (((0.0, 1.0), (2.0, 3.0), 3), {}, "^low and high must be two numbers"),
        (("zero", 1.0, 3), {}, "^low and high must be numeric"),
        ((0.0, 1.0, 0), {}, "^n must be a positive integer"),
        ((0.0, 1.0, 2.5), {}, "^n must be a positive integer"),
        ((0.0, 1.0, 3), {"spacing": "cubic"}, "^spacing must be"),
        ((0.0, 1.0, 3), {"spacing": "log", "decades": 0}, "^decades must be"),
    ],
)
def test_bad_spaced_levels_arguments_raise_value_error(args, kwargs, message):
    with pytest.raises(ValueError, match=message):
        spaced_levels(*args, **kwargs)


def test_graph_levels_are_spaced_levels_over_the_drawn_heights():
    from scenes.kit import graph_levels, surface_axes

    axes = surface_axes(bowl())
    for spacing in ("linear", "log"):
        np.testing.assert_array_equal(graph_levels(axes, 6, spacing), spaced_levels(*axes.z_range[:2], 6, spacing))


# ---------------------------------------------------------------------------------------------
# typical_curvature, largest_curvature, default_learning_rates and fit_learning_rates


@pytest.mark.parametrize("A", [((2.0, 0.0), (0.0, 2.0)), ((1.0, 2.0), (2.0, -5.0)), ((3.0, 1.0), (1.0, 0.5))])
def test_a_quadratics_typical_curvature_is_its_largest_eigenvalue_magnitude(A):
    np.testing.assert_allclose(typical_curvature(Quadratic(A)), np.abs(np.linalg.eigvalsh(A)).max())


def test_typical_curvature_is_taken_over_the_domain_given():
    surface = from_expression("x**4 + y**2")  # curvatures 12 x² and 2
    assert typical_curvature(surface, domain=((-0.1, 0.1), (-0.1, 0.1))) == pytest.approx(2.0)
    assert typical_curvature(surface) > 2.0  # on [-3, 3]², 12 x² passes 2 for most x


def test_typical_curvature_counts_only_finite_hessians():
    assert typical_curvature(from_expression("log(x) + y**2")) > 0  # not finite for x <= 0
    assert typical_curvature(from_expression("3")) == 0.0


@pytest.mark.parametrize("A", [((2.0, 0.0), (0.0, 2.0)), ((1.0, 2.0), (2.0, -5.0)), ((2.0, -1.0), (-1.0, 1.0))])
def test_a_quadratics_largest_curvature_is_its_largest_eigenvalue(A):
    np.testing.assert_allclose(largest_curvature(Quadratic(A)), np.linalg.eigvalsh(A).max())


def test_largest_curvature_is_zero_where_the_surface_curves_up_nowhere():
    assert largest_curvature(Quadratic(((-1.0, 0.0), (0.0, -3.0)))) == 0.0
    assert largest_curvature(from_expression("x + y")) == 0.0


def test_largest_curvature_is_capped_at_cap_times_the_median():
    steep = from_expression("x**8 + y**2")  # 56 x^6 reaches 40824 at the edge of [-3, 3]², far above its median
    median = largest_curvature(steep, cap=1.0)
    assert median == pytest.approx(typical_curvature(steep, resolution=41))  # convex: the same median
    assert largest_curvature(steep) == pytest.approx(10 * median)
    assert largest_curvature(steep, cap=np.inf) == pytest.approx(56 * 3.0**6)


def test_largest_curvature_is_taken_over_the_domain_given():
    surface = from_expression("x**4 + y**2")  # curvatures 12 x² and 2
    assert largest_curvature(surface, domain=((-0.1, 0.1), (-0.1, 0.1))) == pytest.approx(2.0)
    assert largest_curvature(surface) == pytest.approx(12 * 3.0**2)


def test_default_learning_rates_are_round_fractions_of_the_stability_bound():
    rates = default_learning_rates(gradcore.elongated_quadratic())  # lambda_max = (3 + sqrt 5) / 2: bound 0.76
    assert rates == (0.05, 0.2, 0.4, 0.6)
    bound = 2 / np.linalg.eigvalsh([[2.0, -1.0], [-1.0, 1.0]]).max()
    assert all(r <= 0.8 * bound for r in rates)
    np.testing.assert_allclose(rates, np.multiply(BOUND_FRACTIONS, bound), rtol=0.25)


def test_default_learning_rates_scale_inversely_with_the_curvature():
    assert default_learning_rates(Quadratic(((20.0, -10.0), (-10.0, 10.0)))) == (0.005, 0.02, 0.04, 0.06)
    assert default_learning_rates(bowl(), fractions=(0.5,)) == (0.5,)  # lambda_max = 2: bound 1


def test_default_learning_rates_without_curvature_move_a_tenth_of_the_diagonal():
    # x + y on [-3, 3]²: |grad| = sqrt 2, a tenth of the diagonal 6 sqrt 2 in one step is h = 0.6
    assert default_learning_rates(from_expression("x + y"), fractions=(0.5, 1.0)) == (0.3, 0.4)  # <= 0.8 * 0.6
    assert default_learning_rates(from_expression("3"), fractions=(0.5,)) == (0.5,)  # no gradient: bound 1


def test_fitting_bowl_rates_to_ten_times_the_bowl_divides_the_curvature_rules_by_ten():
    rates = {"sgd": 0.1, "momentum": 0.02, "nesterov": 0.05, "adagrad": 1.0, "rmsprop": 0.05, "adam": 0.2}
    fitted = fit_learning_rates(rates, bowl(), Quadratic(((20.0, 0.0), (0.0, 20.0))))  # 10 (x² + y²)
    for name, lr in rates.items():
        expected = lr / 10 if name in CURVATURE_RULES else lr  # same domain: distances stay
        assert fitted[name] == pytest.approx(expected), name


def test_scale_free_rates_scale_with_the_domain_and_curvature_rates_do_not():
    rates = {"sgd": 0.1, "adagrad": 1.0, "rmsprop": 0.05, "adam": 0.2, "adadelta": None}
    wide = Quadratic(((2.0, 0.0), (0.0, 2.0)), domain=((-6.0, 6.0), (-9.0, 3.0)))  # twice the side
    fitted = fit_learning_rates(rates, bowl(), wide)
    assert fitted == pytest.approx({"sgd": 0.1, "adagrad": 2.0, "rmsprop": 0.1, "adam": 0.4, "adadelta": None})
    assert set(CURVATURE_RULES) < set(OPTIMIZERS)


def test_rates_are_kept_where_either_surface_is_flat():
    assert fit_learning_rates({"sgd": 0.1}, bowl(), from_expression("3")) == {"sgd": 0.1}


def test_fitting_a_rate_of_an_unknown_optimizer_raises_value_error():
    with pytest.raises(ValueError, match="^rates must map optimizers .* got 'lbfgs'"):
        fit_learning_rates({"lbfgs": 0.1}, bowl(), bowl())


# ---------------------------------------------------------------------------------------------
# one status -> words table for descents, flows and motions

FLOW_STATUSES = ("converged", "left_domain", "time_up", "diverged", "max_steps")
MOTION_STATUSES = ("resting", "left_domain", "time_up", "diverged", "max_steps")


def test_status_words_name_every_status_of_a_descent_a_flow_and_a_motion():
    assert set(STATUS_WORDS) == {*STATUSES, *FLOW_STATUSES, *MOTION_STATUSES}
    assert STATUS_WORDS["resting"] == "came to rest" and STATUS_WORDS["time_up"] == "ran out of time"
    assert all(not set(words) & set("\\$^_{}") for words in (*STATUS_WORDS.values(), *KIND_WORDS.values()))


def test_status_words_leave_a_run_that_used_up_its_steps_or_time_unsaid_when_asked():
    assert RAN_OUT == {"max_steps", "time_up"}
    for status in STATUS_WORDS:
        assert status_words(status) == STATUS_WORDS[status]
        assert status_words(status, quiet=RAN_OUT) == ("" if status in RAN_OUT else STATUS_WORDS[status])
    assert status_words(np.str_("converged")) == "converged"  # a status out of a batch
    with pytest.raises(ValueError, match="^status must be one of"):
        status_words("stuck")


def test_a_ball_that_came_to_rest_at_the_minimum_is_at_the_minimum():
    motion = roll(bowl(), (2.0, 1.0), friction=1.0, t_span=(0, 30))
    outcome = describe(bowl(), motion)
    assert (outcome.kind, outcome.text, outcome.status) == ("minimum", "at the minimum", "resting")
    assert outcome.detail == "at the minimum (0.00, 0.00)"
    assert outcome.time == motion.t[-1] and outcome.steps == len(motion.t) - 1
    np.testing.assert_array_equal(outcome.end, motion.points[-1])


@dataclass(frozen=True)
class Unmarked(Quadratic):
    """A quadratic that does not tell its stationary points."""

    @property
    def critical_points(self):
        return ()


def test_a_ball_at_rest_away_from_a_known_minimum_came_to_rest():
    surface = Unmarked(((2.0, 0.0), (0.0, 2.0)))
    outcome = describe(surface, roll(surface, (2.0, 1.0), friction=1.0, t_span=(0, 30)))
    assert (outcome.kind, outcome.text) == ("resting", "came to rest")
    assert outcome.detail.startswith("came to rest at (0.00, 0.00) at t = ")


def test_a_ball_passing_through_the_minimum_is_still_moving():
    t = np.linspace(0, 1, 21)
    points = np.stack([t - 1, 0 * t], axis=-1)  # from (-1, 0) onto the minimum at t = 1
    speeds = np.ones(21)
    passing = Motion(t, points, bowl().value(points), points * 0 + (1.0, 0.0), speeds, speeds, "time_up")
    outcome = describe(bowl(), passing)
    assert (outcome.kind, outcome.detail) == ("moving", "still moving at t = 1: speed 1")
    settled = Motion(t, points * 0, np.zeros(21), points * 0, speeds * 0, speeds * 0, "time_up")
    assert describe(bowl(), settled).kind == "minimum"  # its last samples all stay there


def test_a_ball_leaving_the_domain_left_the_map_at_its_time():
    motion = roll(bowl(), (2.5, 0.0), velocity=(5.0, 0.0), t_span=(0, 3))
    outcome = describe(bowl(), motion)
    assert (outcome.kind, outcome.text) == ("left_domain", "left the map")
    assert outcome.detail == f"left the map at t = {motion.t[-1]:.3g}"


def test_a_flow_says_where_it_converged_or_that_it_is_still_moving():
    arrived = describe(bowl(), gradient_flow(bowl(), (1.0, 1.0), (0, 20)))
    assert (arrived.kind, arrived.status) == ("minimum", "converged")
    short = gradient_flow(bowl(), (1.0, 1.0), (0, 0.1))
    moving = describe(bowl(), short)
    assert (moving.kind, moving.text, moving.status) == ("moving", "still moving", "time_up")
    assert moving.detail == f"still moving at t = 0.1: gradient norm {short.grad_norms[-1]:.2g}"
    assert describe(bowl(), descend(bowl(), (1.0, 1.0), sgd(0.1), steps=5)).time is None


def test_describing_a_flow_or_motion_takes_no_start_index():
    flow = gradient_flow(bowl(), (1.0, 1.0), (0, 1))
    assert describe(bowl(), flow, 0).detail == describe(bowl(), flow).detail
    with pytest.raises(ValueError, match="^i must be None or 0 for a single Flow"):
        describe(bowl(), flow, 1)


def test_the_3d_scenes_say_gradcores_words_and_nothing_for_a_run_that_ran_out():
    from scenes.kit import ending

    path = np.zeros((5, 2))
    assert [ending(status, path, path) for status in ("converged", "resting", "max_steps", "time_up")] == [
        "converged",
        "came to rest",
        "",
        "",
    ]
    assert ending("max_steps", path, path[:3]) == "left the drawn graph"
    assert ending("diverged", path, path[:3]) == "diverged"


def test_the_moved_numerics_are_exported():
    for name in ("spaced_levels", "typical_curvature", "fit_learning_rates", "CURVATURE_RULES", "RAN_OUT", "status_words"):
        assert name in gradcore.__all__ and hasattr(gradcore, name)
