from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest
import scipy.optimize
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes
from scipy.stats import multivariate_normal

from gradcore import SURFACES, GaussianMixture, Quadratic, RadialSine, Rosenbrock, as_points, get_surface
from gradcore.surface import classify_hessian, find_critical_points

NAMES = sorted(SURFACES)


def random_points(surface, n=400, seed=0):
    """``n`` uniform random points in the surface's domain."""
    (xmin, xmax), (ymin, ymax) = surface.domain
    rng = np.random.default_rng(seed)
    return np.stack([rng.uniform(xmin, xmax, n), rng.uniform(ymin, ymax, n)], axis=-1)


def step(surface):
    (xmin, xmax), (ymin, ymax) = surface.domain
    return 2e-4 * max(xmax - xmin, ymax - ymin)


def relative_error(numeric, exact):
    axes = tuple(range(1, exact.ndim))
    return np.sqrt(np.sum((numeric - exact) ** 2, axis=axes) / np.sum(exact**2, axis=axes))


@pytest.mark.parametrize("name", NAMES)
def test_gradient_matches_central_differences(name, central_differences):
    surface = get_surface(name)
    p = random_points(surface)
    numeric = central_differences(surface.value, p, step(surface))
    assert np.max(relative_error(numeric, surface.gradient(p))) < 1e-6


@pytest.mark.parametrize("name", NAMES)
def test_hessian_matches_central_differences_of_gradient(name, central_differences):
    surface = get_surface(name)
    p = random_points(surface, seed=1)
    numeric = central_differences(surface.gradient, p, step(surface))
    assert np.max(relative_error(numeric, surface.hessian(p))) < 1e-6


@pytest.mark.parametrize("name", NAMES)
@settings(max_examples=10, deadline=None)
@given(shape=array_shapes(min_dims=0, max_dims=3, max_side=4))
def test_any_leading_shape_gives_the_pointwise_results(name, shape):
    surface = get_surface(name)
    flat = random_points(surface, n=int(np.prod(shape, dtype=int)), seed=2)
    p = flat.reshape(shape + (2,))
    value, gradient, hessian = surface.value(p), surface.gradient(p), surface.hessian(p)
    assert np.shape(value) == shape and gradient.shape == shape + (2,) and hessian.shape == shape + (2, 2)
    pointwise = [(surface.value(q), surface.gradient(q), surface.hessian(q)) for q in flat]
    for got, index in zip((value, gradient, hessian), range(3)):
        expected = np.array([r[index] for r in pointwise]).reshape(np.shape(got))
        np.testing.assert_allclose(got, expected, rtol=1e-14, atol=1e-300)


def test_a_single_point_gives_a_scalar_value():
    value = get_surface("bowl").value((1.0, 2.0))
    assert np.ndim(value) == 0 and value == 5.0


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_points_give_non_finite_results_silently(name, bad):
    surface = get_surface(name)
    p = np.array([[bad, 0.5], [0.5, bad], [1.0, 0.5]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value, gradient, hessian = surface.value(p), surface.gradient(p), surface.hessian(p)
    assert not np.any(np.isfinite(value[:2])) and np.isfinite(value[2])
    assert not np.any(np.isfinite(gradient[:2])) and not np.any(np.isfinite(hessian[:2]))


@pytest.mark.parametrize("points", [3.0, (1.0, 2.0, 3.0), [[1.0], [2.0]], "xy", [[1.0, 2.0], [3.0]]])
def test_points_without_a_last_axis_of_two_are_refused(points):
    with pytest.raises(ValueError, match="points"):
        as_points(points)


@pytest.mark.parametrize("name", NAMES)
def test_critical_points_are_stationary_of_their_kind(name):
    surface = get_surface(name)
    assert surface.critical_points, "every registered surface knows a stationary point"
    scale = np.max(np.abs(surface.gradient(random_points(surface))))
    for c in surface.critical_points:
        np.testing.assert_allclose(surface.gradient(c.point), 0.0, atol=1e-12 * scale)
        assert classify_hessian(surface.hessian(c.point)) == c.kind
        assert c.value == surface.value(c.point)


@pytest.mark.parametrize("name", [n for n in NAMES if n != "saddle"])
def test_known_minima_have_zero_gradient_and_positive_definite_hessian(name):
    surface = get_surface(name)
    minima = [c for c in surface.critical_points if c.kind == "minimum"]
    assert minima
    for c in minima:
        np.testing.assert_allclose(surface.gradient(c.point), 0.0, atol=1e-10)
        assert np.all(np.linalg.eigvalsh(surface.hessian(c.point)) > 0)


@pytest.mark.parametrize(
    "name, minima, value",
    [
        ("rosenbrock", [(1, 1)], 0.0),
        ("beale", [(3, 0.5)], 0.0),
        ("booth", [(1, 3)], 0.0),
        ("himmelblau", [(3, 2), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126)], 0.0),
        ("six_hump_camel", [(0.0898, -0.7126), (-0.0898, 0.7126)], -1.0316),
        ("bowl", [(0, 0)], 0.0),
        ("elongated_quadratic", [(1, 1)], 0.0),
    ],
)
def test_global_minima_match_the_literature(name, minima, value):
    surface = get_surface(name)
    lowest = min(c.value for c in surface.critical_points)
    found = [c.point for c in surface.critical_points if c.kind == "minimum" and c.value == pytest.approx(lowest)]
    np.testing.assert_allclose(sorted(found), sorted(minima), atol=1e-4)
    assert lowest == pytest.approx(value, abs=1e-4)


def test_stationary_point_counts_of_himmelblau_and_six_hump_camel():
    kinds = {name: [c.kind for c in get_surface(name).critical_points] for name in ("himmelblau", "six_hump_camel")}
    assert [kinds["himmelblau"].count(k) for k in ("minimum", "maximum", "saddle")] == [4, 1, 4]
    assert [kinds["six_hump_camel"].count(k) for k in ("minimum", "maximum", "saddle")] == [6, 2, 7]


@pytest.mark.parametrize("name", NAMES)
def test_surfaces_plug_into_scipy_minimize(name):
    surface = get_surface(name)
    for c in surface.critical_points:
        if c.kind == "minimum":
            start = np.add(c.point, 0.01 * np.diff(surface.domain, axis=1).ravel())
            result = scipy.optimize.minimize(
                surface.value, start, jac=surface.gradient, hess=surface.hessian, method="trust-exact", tol=1e-12
            )
            np.testing.assert_allclose(result.x, c.point, atol=1e-8)


def test_elongated_quadratic_gradient_at_80_80_is_exactly_79_0():
    np.testing.assert_array_equal(get_surface("elongated_quadratic").gradient((80.0, 80.0)), [79.0, 0.0])


@given(st.floats(-1e6, 1e6))
def test_elongated_quadratic_gradient_is_horizontal_along_y_equals_x(t):
    gradient = get_surface("elongated_quadratic").gradient((t, t))
    assert gradient[1] == 0.0
    assert gradient[0] == pytest.approx(t - 1, rel=1e-12, abs=1e-9)


def test_elongated_quadratic_is_the_seed_formula():
    x, y = random_points(get_surface("elongated_quadratic")).T
    surface = get_surface("elongated_quadratic")
    np.testing.assert_allclose(surface.value(np.stack([x, y], -1)), 0.5 * (y - x) ** 2 + 0.5 * (1 - x) ** 2, rtol=1e-12)
    np.testing.assert_allclose(surface.gradient(np.stack([x, y], -1)), np.stack([2 * x - y - 1, y - x], -1), rtol=1e-12)


def test_gaussian_difference_matches_scipy_multivariate_normal():
    surface = get_surface("gaussian_difference")
    p = np.concatenate([random_points(surface), [[0.0, 0.0], [1.0, 1.0]]])
    n1 = multivariate_normal([0, 0], [[1, 0.5], [0.5, 1]])
    n2 = multivariate_normal([1, 1], [[1.5, 0], [0, 0.5]])
    np.testing.assert_allclose(surface.value(p), 10 * (n2.pdf(p) - n1.pdf(p)), rtol=1e-12, atol=1e-12)
    assert surface.domain == ((-3.0, 3.0), (-2.0, 3.0))


def test_gaussian_difference_has_a_well_near_mu1_and_a_hill_near_mu2():
    surface = get_surface("gaussian_difference")
    (low,) = [c for c in surface.critical_points if c.kind == "minimum"]
    (high,) = [c for c in surface.critical_points if c.kind == "maximum"]
    well = scipy.optimize.minimize(surface.value, (0.0, 0.0), jac=surface.gradient, tol=1e-12)
    hill = scipy.optimize.minimize(
        lambda p: -surface.value(p), (1.0, 1.0), jac=lambda p: -surface.gradient(p), tol=1e-12
    )
    np.testing.assert_allclose(well.x, low.point, atol=1e-6)
    np.testing.assert_allclose(hill.x, high.point, atol=1e-6)


def test_replace_gives_a_copy_with_changed_parameters():
    bowl = get_surface("bowl")
    steep = dataclasses.replace(bowl, A=((4, 0), (0, 4)))
    assert steep.value((1.0, 1.0)) == 4.0 and bowl.value((1.0, 1.0)) == 2.0
    mixture = get_surface("gaussian_difference")
    shifted = dataclasses.replace(mixture, means=((0.5, 0.5), (1.5, 1.5)), domain=((-2.5, 3.5), (-1.5, 3.5)))
    moved = [np.add(c.point, 0.5) for c in mixture.critical_points]
    np.testing.assert_allclose([c.point for c in shifted.critical_points], moved, atol=1e-9)


def test_get_surface_passes_parameters_and_lists_known_names():
    assert get_surface("rosenbrock", b=10.0).b == 10.0
    with pytest.raises(ValueError, match="unknown surface 'nope'.*bowl.*six_hump_camel"):
        get_surface("nope")


@settings(max_examples=30, deadline=None)
@given(
    st.floats(0.1, 10), st.floats(-10, 10), st.floats(0.1, 10),
    st.tuples(st.floats(-5, 5), st.floats(-5, 5)),
)  # fmt: skip
def test_quadratic_minimizer_solves_a_x_equals_b(a, h, d, b):
    A = ((a, h), (h, d))
    q = Quadratic(A, b=b)
    kind = classify_hessian(np.array(A))
    if kind is None:
        return
    np.testing.assert_allclose(np.array(A) @ q.minimizer, b, atol=1e-8 * (1 + np.abs(b).max()) * np.abs(A).max())
    np.testing.assert_allclose(q.eigenvalues, np.linalg.eigvalsh(A))
    assert q.critical_points[0].kind == kind


def test_singular_quadratic_has_no_stationary_point():
    q = Quadratic(((1, 1), (1, 1)))
    assert q.critical_points == ()
    with pytest.raises(ValueError, match="singular"):
        q.minimizer


@pytest.mark.parametrize(
    "name, latex",
    [("bowl", "x^{2} + y^{2}"), ("saddle", "x^{2} - y^{2}"), ("booth", "5 x^{2} + 8 x y + 5 y^{2} - 34 x - 38 y + 74")],
)
def test_quadratic_latex_shows_the_formula(name, latex):
    assert get_surface(name).latex == latex


@pytest.mark.parametrize(
    "make, parameter",
    [
        (lambda: Quadratic(np.eye(3)), "A must be a 2x2"),
        (lambda: Quadratic(((1, 2), (0, 1))), "A must be symmetric"),
        (lambda: Quadratic(((1, np.nan), (np.nan, 1))), "A must be finite"),
        (lambda: Quadratic(np.eye(2), b=(1, 2, 3)), "b must be"),
        (lambda: Quadratic(np.eye(2), c=np.inf), "c must be finite"),
        (lambda: Quadratic(np.eye(2), domain=((1, 1), (0, 1))), "domain x-interval"),
        (lambda: Quadratic(np.eye(2), domain=((0, 1), (0, np.nan))), "domain y-interval"),
        (lambda: Quadratic(np.eye(2), domain=(0, 1)), "domain must be"),
        (lambda: GaussianMixture((1,), ((0, 0),), (((1, 2), (2, 1)),)), r"covariances\[0\] must be symmetric positive"),
        (lambda: GaussianMixture((1,), ((0, 0),), (((1, 0.5), (0.4, 1)),)), r"covariances\[0\] must be symmetric"),
        (lambda: GaussianMixture((1, 2), ((0, 0),), (np.eye(2),)), "means must hold 2"),
        (lambda: GaussianMixture((), (), ()), "weights must be a non-empty"),
        (lambda: GaussianMixture((np.nan,), ((0, 0),), (np.eye(2),)), "weights must be finite"),
        (lambda: Rosenbrock(b=np.nan), "b must be finite"),
        (lambda: RadialSine(a=np.inf), "a must be finite"),
        (lambda: get_surface("bowl", domain=((0, -1), (0, 1))), "domain x-interval"),
        (lambda: find_critical_points(get_surface("bowl"), starts=10**5), "starts must be an integer from 2 to 400"),
        (lambda: find_critical_points(get_surface("bowl"), iterations=10**9), "iterations must be an integer from 1 to 1000"),
    ],
)
def test_bad_parameters_raise_value_error_naming_them(make, parameter):
    with pytest.raises(ValueError, match=parameter):
        make()
