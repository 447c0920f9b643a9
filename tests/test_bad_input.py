"""Bad input to gradcore gets a clear ValueError in bounded time, or the right answer: each test
here failed (wrong number, crash, or a huge allocation) before the fix it guards."""

from __future__ import annotations

import numpy as np
import pytest

import gradcore
from gradcore import GaussianMixture, Quadratic, conjugate_gradient, steepest_descent_exact
from gradcore.descent import MAX_POINTS, MAX_STEPS
from gradcore.levels import MAX_RESOLUTION


def test_gaussian_density_of_a_huge_covariance_does_not_underflow_to_zero():
    g = GaussianMixture((1.0,), ((0.0, 0.0),), (((1e160, 0.0), (0.0, 1e160)),))
    np.testing.assert_allclose(g.value((0.0, 0.0)), 1 / (2 * np.pi * 1e160), rtol=1e-12)


def test_gaussian_density_of_a_tiny_covariance_is_accepted_and_exact():
    g = GaussianMixture((1.0,), ((0.0, 0.0),), (((1e-200, 0.0), (0.0, 1e-200)),))
    np.testing.assert_allclose(g.value((0.0, 0.0)), 1 / (2 * np.pi * 1e-200), rtol=1e-12)


def test_nearly_singular_quadratic_is_not_called_converged_far_from_its_minimizer():
    q = Quadratic(((1.0, 0.0), (0.0, 1e-12)))
    for path in (conjugate_gradient(q, (1.0, 1.0)), steepest_descent_exact(q, (1.0, 1.0))):
        end = path.points[path.n_steps]
        assert np.linalg.norm(end) < 1e-9 or path.status != "converged", (path.status, end)
        assert np.linalg.norm(end) < 1e-9  # both reach (0, 0), not (0, 1)


def test_descend_refuses_a_curve_with_a_message():
    with pytest.raises(ValueError, match="2-D surface"):
        gradcore.descend(gradcore.cubic(), (1.0, 0.0), gradcore.sgd(0.1))


def test_descend_refuses_steps_beyond_its_limit_before_any_work():
    with pytest.raises(ValueError, match=f"{MAX_STEPS:,}"):
        gradcore.descend(gradcore.bowl(), (1.0, 1.0), gradcore.sgd(0.1), steps=10**9, tol=0)
    starts = np.zeros((MAX_POINTS // 1000 + 1, 2))
    with pytest.raises(ValueError, match="recorded points"):
        gradcore.descend(gradcore.bowl(), starts, gradcore.sgd(0.1), steps=999)


def test_level_sets_accept_one_level_and_refuse_a_huge_grid():
    (only,) = gradcore.level_sets(gradcore.bowl(), 1.0)
    assert only.level == 1.0 and only.closed == (True,)
    with pytest.raises(ValueError, match=str(MAX_RESOLUTION)):
        gradcore.level_sets(gradcore.bowl(), [1.0], resolution=10**5)


@pytest.mark.parametrize("spacing", ["linear", "log"])
def test_default_levels_of_a_constant_surface_are_none(spacing):
    assert gradcore.default_levels(gradcore.from_expression("3"), 5, spacing=spacing).size == 0


@pytest.mark.parametrize("formula", ["1/(x - y)", "log(x)", "sqrt(x) + y**2"])
@pytest.mark.parametrize("spacing", ["linear", "log"])
def test_default_levels_of_a_singular_surface_are_finite_and_increasing(formula, spacing):
    levels = gradcore.default_levels(gradcore.from_expression(formula), 7, spacing=spacing)
    assert levels.size == 7 and np.all(np.isfinite(levels)) and np.all(np.diff(levels) > 0)
