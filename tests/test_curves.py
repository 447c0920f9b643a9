from __future__ import annotations

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes

from gradcore import CURVES, PolynomialCurve, cubic


def random_x(curve, n=400, seed=0):
    return np.random.default_rng(seed).uniform(*curve.domain, n)


@pytest.mark.parametrize("name", sorted(CURVES))
def test_derivatives_match_central_differences(name, central_differences):
    curve = CURVES[name]()
    x = random_x(curve)
    h = 2e-4 * (curve.domain[1] - curve.domain[0])
    for f, exact in ((curve.value, curve.derivative), (curve.derivative, curve.second_derivative)):
        numeric = central_differences(lambda q: f(q[..., 0]), x[:, None], h)[:, 0]
        assert np.max(np.abs(numeric - exact(x)) / np.abs(exact(x))) < 1e-6


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-10, 10), min_size=1, max_size=6), st.floats(-3, 3))
def test_polynomial_derivatives_are_exact(coefficients, x):
    curve = PolynomialCurve(coefficients)
    powers = np.arange(len(coefficients))
    c = np.array(coefficients)
    assert curve.value(x) == pytest.approx(np.sum(c * x**powers), rel=1e-12, abs=1e-9)
    assert curve.derivative(x) == pytest.approx(np.sum((c * powers)[1:] * x ** powers[:-1]), rel=1e-12, abs=1e-9)


def test_cubic_is_the_seed_formula():
    curve = cubic()
    x = random_x(curve)
    np.testing.assert_allclose(curve.value(x), x**3 + 2 * x**2 - x, rtol=1e-13, atol=1e-13)
    np.testing.assert_allclose(curve.derivative(x), 3 * x**2 + 4 * x - 1, rtol=1e-13, atol=1e-13)
    assert curve.latex == "x^{3} + 2 x^{2} - x"


@settings(max_examples=15, deadline=None)
@given(shape=array_shapes(min_dims=0, max_dims=3, max_side=4))
def test_any_shape_gives_the_pointwise_results(shape):
    curve = cubic()
    x = random_x(curve, n=int(np.prod(shape, dtype=int))).reshape(shape)
    for method in (curve.value, curve.derivative, curve.second_derivative):
        result = method(x)
        assert np.shape(result) == shape
        np.testing.assert_array_equal(np.ravel(result), [method(v) for v in np.ravel(x)])


def test_a_scalar_gives_a_scalar():
    assert np.ndim(cubic().derivative(1.0)) == 0 and cubic().derivative(1.0) == 6.0


def test_constant_derivative_broadcasts_to_the_input_shape():
    np.testing.assert_array_equal(PolynomialCurve((1, 2)).derivative(np.zeros((2, 3))), np.full((2, 3), 2.0))


def test_non_finite_input_gives_non_finite_output_silently():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for method in (cubic().value, cubic().derivative, PolynomialCurve((1, 2)).second_derivative):
            assert not np.any(np.isfinite(method([np.nan, np.inf, -np.inf])))


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda: PolynomialCurve(()), "coefficients must be a non-empty"),
        (lambda: PolynomialCurve((1, np.nan)), "coefficients must be finite"),
        (lambda: PolynomialCurve((1, 2), domain=(1, 0)), "domain must be a non-empty interval"),
        (lambda: cubic(domain=(0, np.inf)), "domain must be finite"),
        (lambda: cubic().value("one"), "x must be numeric"),
    ],
)
def test_bad_input_raises_value_error_naming_it(make, message):
    with pytest.raises(ValueError, match=message):
        make()
