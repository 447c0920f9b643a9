from __future__ import annotations

import os
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcore import ExpressionCurve, ExpressionSurface, cubic, from_expression, get_surface

# The registered surfaces as formulas: two independent implementations must agree.
FORMULAS = {
    "radial_sine": "sin((0.75*x)**2 + y**2 + 0.01)",
    "rosenbrock": "(1 - x)**2 + 100*(y - x**2)**2",
    "beale": "(1.5 - x + x*y)**2 + (2.25 - x + x*y**2)**2 + (2.625 - x + x*y**3)**2",
    "himmelblau": "(x^2 + y - 11)^2 + (x + y^2 - 7)^2",
    "booth": "(x + 2*y - 7)**2 + (2*x + y - 5)**2",
    "six_hump_camel": "(4 - 2.1*x**2 + x**4/3)*x**2 + x*y + (-4 + 4*y**2)*y**2",
    "elongated_quadratic": "0.5*(y - x)**2 + 0.5*(1 - x)**2",
    "saddle": "x**2 - y**2",
    "gaussian_difference": (
        "10*(exp(-((x - 1)**2/1.5 + (y - 1)**2/0.5)/2)/(2*pi*sqrt(0.75))"
        " - exp(-(x**2 - x*y + y**2)/(2*0.75))/(2*pi*sqrt(0.75)))"
    ),
}
MALICIOUS = {
    "__import__('os').system('true')": "attribute access",
    "x.__class__": r"attribute access \('.__class__'\)",
    "lambda: 1": "lambda is not allowed",
    "foo(x)": "unknown function 'foo'",
    "x +": "not valid syntax",
    "__import__('os')": "dunder name '__import__'",
    "open('f', 'w')": "unknown function 'open'",
    "x[0]": "Subscript is not allowed",
    "'text'": "only numbers",
    "x if y else 1": "IfExp is not allowed",
    "9**9**9**9": "too large",
    "z + 1": "unknown name 'z'",
    "sin": "must be called",
    "sin(x, y)": "wrong number of arguments",
    "1/0": "not a finite real expression",
    "sqrt(-1)": "not a finite real expression",
    "": "non-empty string",
}


def random_points(domain, n=300, seed=0):
    rng = np.random.default_rng(seed)
    return np.stack([rng.uniform(*domain[0], n), rng.uniform(*domain[1], n)], axis=-1)


@pytest.mark.parametrize("name", sorted(FORMULAS))
def test_formula_surface_agrees_with_the_analytic_surface(name):
    analytic = get_surface(name)
    parsed = from_expression(FORMULAS[name], domain=analytic.domain)
    p = random_points(analytic.domain)
    for method in ("value", "gradient", "hessian"):
        exact = getattr(analytic, method)(p)
        np.testing.assert_allclose(getattr(parsed, method)(p), exact, rtol=1e-10, atol=1e-10 * np.abs(exact).max())


@pytest.mark.parametrize(
    "text, domain",
    [
        ("sin((0.75*x)**2 + y**2 + 0.01)", ((-3, 3), (-3, 3))),
        ("exp(-x**2) * cos(3*y) + log(1 + x**2 + y**2) + atan2(y, 2 + x)", ((-1, 1), (-1, 1))),
        ("sqrt(1 + x**2*y**2) + tanh(x - y)**3 + abs(x) * e**y", ((0.1, 2), (-2, 2))),
    ],
)
def test_gradient_and_hessian_match_central_differences(text, domain, central_differences):
    surface = from_expression(text, domain=domain)
    p = random_points(domain)
    h = 2e-4 * max(b - a for a, b in domain)
    for f, exact in ((surface.value, surface.gradient), (surface.gradient, surface.hessian)):
        numeric, analytic = central_differences(f, p, h), exact(p)
        axes = tuple(range(1, analytic.ndim))
        error = np.sqrt(np.sum((numeric - analytic) ** 2, axis=axes) / np.sum(analytic**2, axis=axes))
        assert np.max(error) < 1e-6


def test_curve_from_a_formula_matches_the_cubic(central_differences):
    curve = from_expression("x^3 + 2*x^2 - x", dim=1, domain=cubic().domain)
    assert isinstance(curve, ExpressionCurve)
    x = np.random.default_rng(0).uniform(*curve.domain, 300)
    for method in ("value", "derivative", "second_derivative"):
        np.testing.assert_allclose(getattr(curve, method)(x), getattr(cubic(), method)(x), rtol=1e-12, atol=1e-12)
    numeric = central_differences(lambda q: curve.derivative(q[..., 0]), x[:, None], 1e-3)[:, 0]
    np.testing.assert_allclose(numeric, curve.second_derivative(x), rtol=1e-6)


@settings(max_examples=10, deadline=None)
@given(st.sampled_from([(), (2,), (3, 1), (2, 2, 2)]))
def test_formula_results_have_the_points_shape(shape):
    surface = from_expression("x*y + 1")
    p = np.ones(shape + (2,))
    assert np.shape(surface.value(p)) == shape
    assert surface.gradient(p).shape == shape + (2,) and surface.hessian(p).shape == shape + (2, 2)
    np.testing.assert_array_equal(surface.hessian(p), np.broadcast_to([[0.0, 1.0], [1.0, 0.0]], shape + (2, 2)))


def test_latex_comes_from_sympy():
    assert from_expression("x**2 + y**2").latex == "x^{2} + y^{2}"
    assert from_expression("sin(x)", dim=1).latex == r"\sin{\left(x \right)}"


def test_caret_means_power_with_the_precedence_of_power():
    np.testing.assert_allclose(from_expression("2*x^2 + y^3").value((2.0, 1.0)), 9.0)


def test_name_defaults_to_the_text_and_surfaces_compare_by_text():
    surface = from_expression("x + y")
    assert isinstance(surface, ExpressionSurface) and surface.name == "x + y"
    assert surface == from_expression("x + y") and from_expression("x", name="line").name == "line"


@pytest.mark.parametrize("text, problem", sorted(MALICIOUS.items()))
def test_malicious_or_broken_formulas_are_refused_naming_the_problem(text, problem):
    with pytest.raises(ValueError, match=problem):
        from_expression(text)


def test_refused_formulas_execute_nothing(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "system", lambda command: calls.append(command))
    marker = tmp_path / "executed"
    for text in (
        f"__import__('os').system('touch {marker}')",
        f"open('{marker}', 'w')",
        f"(lambda: __import__('os').system('touch {marker}'))()",
        f"[c for c in ().__class__.__base__.__subclasses__()]",
    ):
        with pytest.raises(ValueError):
            from_expression(text)
    assert calls == [] and not marker.exists()


def test_a_tower_of_powers_is_refused_quickly():
    start = time.perf_counter()
    with pytest.raises(ValueError, match="too large"):
        from_expression("x**(9**9**9**9)")
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: from_expression("x", dim=3), "dim must be 1"),
        (lambda: from_expression("x + y", dim=1), "unknown name 'y'"),
        (lambda: from_expression("x", domain=((1, 0), (0, 1))), "domain x-interval"),
        (lambda: from_expression("x", dim=1, domain=(0, np.nan)), "domain must be finite"),
        (lambda: from_expression("x" * 2000), "longer than"),
        (lambda: from_expression(42), "non-empty string"),
    ],
)
def test_bad_arguments_raise_value_error_naming_them(call, message):
    with pytest.raises(ValueError, match=message):
        call()
