"""gradcore.local_models: directional derivatives and Taylor models (issue 17, "Must show" 1 and 2)."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import gradcore.local_models
from gradcore.expression import from_expression
from gradcore.levels import level_tangent
from gradcore.quadratic import Quadratic, saddle
from gradcore.local_models import directional_derivative, taylor
from gradcore.testfunctions import Himmelblau, Rosenbrock

SURFACES = {
    "rosenbrock": Rosenbrock(),
    "himmelblau": Himmelblau(),
    "sin(x)*cos(y)": from_expression("sin(x)*cos(y)"),
    "saddle": saddle(),
    "exp(x - y**2) + x*y**3": from_expression("exp(x - y**2) + x*y**3"),
}
# A point of each surface's domain where all its third derivatives along a direction are far from 0.
POINTS = {
    "rosenbrock": (0.5, 0.5),
    "himmelblau": (1.0, -2.0),
    "sin(x)*cos(y)": (0.3, 0.7),
    "saddle": (0.25, -0.5),
    "exp(x - y**2) + x*y**3": (0.4, 0.9),
}
CURVED = [name for name in SURFACES if name != "saddle"]  # the saddle is its own quadratic


def random_points(surface, n, rng):
    (xmin, xmax), (ymin, ymax) = surface.domain
    return np.stack([rng.uniform(xmin, xmax, n), rng.uniform(ymin, ymax, n)], axis=-1)


def random_directions(n, rng):
    """Directions of lengths from 1e-3 to 1e3, any angle."""
    angles = rng.uniform(0, 2 * np.pi, n)
    lengths = 10 ** rng.uniform(-3, 3, n)
    return lengths[:, None] * np.stack([np.cos(angles), np.sin(angles)], axis=-1)


# --- directional_derivative ------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SURFACES))
def test_directional_derivative_is_the_gradient_dotted_with_the_unit_direction(name):
    surface, rng = SURFACES[name], np.random.default_rng(17)
    p, u = random_points(surface, 200, rng), random_directions(200, rng)
    expected = np.einsum("ki,ki->k", surface.gradient(p), u) / np.linalg.norm(u, axis=-1)
    np.testing.assert_allclose(directional_derivative(surface, p, u), expected, rtol=1e-12, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    name=st.sampled_from(sorted(SURFACES)),
    s=st.floats(0, 1),
    t=st.floats(0, 1),
    angle=st.floats(0, 2 * np.pi),
    length=st.floats(1e-6, 1e6),
)
def test_directional_derivative_is_the_slope_of_f_along_the_line_through_p(name, s, t, angle, length):
    # An independent check: the central difference of f along the unit direction.
    surface = SURFACES[name]
    (xmin, xmax), (ymin, ymax) = surface.domain
    p = np.array([xmin + s * (xmax - xmin), ymin + t * (ymax - ymin)])
    unit = np.array([np.cos(angle), np.sin(angle)])
    h = 1e-5
    slope = (surface.value(p + h * unit) - surface.value(p - h * unit)) / (2 * h)
    scale = 1 + np.linalg.norm(surface.gradient(p)) + np.abs(surface.value(p)) * 1e-5
    assert abs(directional_derivative(surface, p, length * unit) - slope) <= 1e-5 * scale


@pytest.mark.parametrize("name", CURVED)
def test_directional_derivative_is_a_cosine_of_amplitude_the_gradient_norm(name):
    # Turning u full circle: D_u f = |grad f| cos(theta); zero along the level tangent, largest
    # along the gradient (seed 000: the gradient is orthogonal to the level set).
    surface = SURFACES[name]
    p = np.asarray(POINTS[name])
    gradient = surface.gradient(p)
    angles = np.linspace(0, 2 * np.pi, 361)
    u = np.stack([np.cos(angles), np.sin(angles)], axis=-1)
    theta = angles - np.arctan2(gradient[1], gradient[0])
    rates = directional_derivative(surface, p, u)
    np.testing.assert_allclose(rates, np.linalg.norm(gradient) * np.cos(theta), atol=1e-12 * np.linalg.norm(gradient))
    assert abs(directional_derivative(surface, p, level_tangent(surface, p))) <= 1e-12 * np.linalg.norm(gradient)
    np.testing.assert_allclose(directional_derivative(surface, p, gradient), np.linalg.norm(gradient), rtol=1e-14)


def test_directional_derivative_depends_on_the_direction_only():
    surface, p, u = Rosenbrock(), (0.5, 0.5), np.array([0.6, -0.8])
    rates = [directional_derivative(surface, p, c * u) for c in (1e-8, 1.0, 3.0, 1e8)]
    np.testing.assert_allclose(rates, rates[1], rtol=1e-14)
    assert directional_derivative(surface, p, -u) == -directional_derivative(surface, p, u)


def test_directional_derivative_broadcasts_points_against_directions():
    surface, rng = Himmelblau(), np.random.default_rng(3)
    points, directions = random_points(surface, 5, rng), random_directions(5, rng)
    one_point, one_direction = points[0], directions[0]
    assert directional_derivative(surface, one_point, one_direction).shape == ()
    assert directional_derivative(surface, points, one_direction).shape == (5,)
    assert directional_derivative(surface, one_point, directions).shape == (5,)
    assert directional_derivative(surface, points, directions).shape == (5,)
    # every direction at every point: (5, 1, 2) against (5, 2) gives (5, 5)
    table = directional_derivative(surface, points[:, None], directions)
    assert table.shape == (5, 5)
    for i in range(5):
        for j in range(5):
            np.testing.assert_allclose(table[i, j], directional_derivative(surface, points[i], directions[j]))


@pytest.mark.parametrize(
    "p, u, message",
    [
        ((1.0, 2.0), (0.0, 0.0), r"direction u must be nonzero, got \(0, 0\)"),
        ([(1.0, 2.0)] * 3, [(1.0, 0.0), (0.0, 0.0), (0.0, 1.0)], r"nonzero, got \(0, 0\) at index \(1,\)"),
        ((1.0, 2.0), (np.nan, 1.0), "direction u must be finite"),
        ((1.0, 2.0), (1.0, 2.0, 3.0), "last axis of length 2, got shape \\(3,\\)"),
        ((1.0, 2.0), 1.0, "last axis of length 2, got shape \\(\\)"),
        ((1.0, 2.0, 3.0), (1.0, 0.0), "points must have coordinates on a last axis of length 2"),
        ([(1.0, 2.0)] * 3, [(1.0, 0.0)] * 2, r"shape \(3, 2\) and directions of shape \(2, 2\) do not broadcast"),
        ((1.0, 2.0), "up", "direction u must be numeric"),
    ],
)
def test_directional_derivative_refuses_bad_input_with_a_clear_message(p, u, message):
    with pytest.raises(ValueError, match=message):
        directional_derivative(Rosenbrock(), p, u)


# --- taylor ----------------------------------------------------------------------------------


def assert_touches(surface, model, p, order):
    """Value, gradient and (order 2) Hessian of ``model`` at ``p`` equal the surface's."""
    value, gradient, hessian = surface.value(p), surface.gradient(p), surface.hessian(p)
    # c cancels terms of size |p|^2 |H|: allow rounding relative to them
    scale = 1 + abs(value) + np.linalg.norm(gradient) * np.linalg.norm(p) + np.abs(hessian).max() * np.dot(p, p)
    np.testing.assert_allclose(model.value(p), value, rtol=0, atol=1e-13 * scale)
    np.testing.assert_allclose(model.gradient(p), gradient, rtol=0, atol=1e-13 * scale)
    np.testing.assert_allclose(model.hessian(p), hessian if order == 2 else np.zeros((2, 2)), rtol=1e-14, atol=0)


@pytest.mark.parametrize("order", [1, 2])
@pytest.mark.parametrize("name", sorted(SURFACES))
def test_taylor_model_has_the_value_gradient_and_hessian_of_the_surface_at_p(name, order):
    surface = SURFACES[name]
    for p in [POINTS[name], *random_points(surface, 5, np.random.default_rng(order))]:
        model = taylor(surface, p, order=order)
        assert isinstance(model, Quadratic)
        assert model.domain == surface.domain
        assert_touches(surface, model, np.asarray(p, dtype=float), order)


@settings(max_examples=30, deadline=None)
@given(name=st.sampled_from(sorted(SURFACES)), s=st.floats(0, 1), t=st.floats(0, 1), order=st.sampled_from([1, 2]))
def test_taylor_model_touches_the_surface_anywhere_in_its_domain(name, s, t, order):
    surface = SURFACES[name]
    (xmin, xmax), (ymin, ymax) = surface.domain
    p = np.array([xmin + s * (xmax - xmin), ymin + t * (ymax - ymin)])
    assert_touches(surface, taylor(surface, p, order=order), p, order)


def model_errors(surface, model, p, direction, steps):
    return np.array([abs(surface.value(p + h * direction) - model.value(p + h * direction)) for h in steps])


@pytest.mark.parametrize("order, ratio", [(1, 4.0), (2, 8.0)])
@pytest.mark.parametrize("name", CURVED)
def test_taylor_error_shrinks_like_h_to_the_order_plus_one(name, order, ratio):
    # |f(p + h d) - T(p + h d)| ~ C |h|^(order + 1): halving h divides the error by 4 (plane) or 8.
    surface, p = SURFACES[name], np.asarray(POINTS[name])
    model = taylor(surface, p, order=order)
    rng = np.random.default_rng(5)
    for angle in rng.uniform(0, 2 * np.pi, 3):
        direction = np.array([np.cos(angle), np.sin(angle)])
        errors = model_errors(surface, model, p, direction, 1e-3 / 2.0 ** np.arange(4))
        np.testing.assert_allclose(errors[:-1] / errors[1:], ratio, rtol=0.02)


def test_taylor_model_of_a_quadratic_is_the_quadratic_itself():
    q = Quadratic(((2.0, -1.0), (-1.0, -3.0)), b=(1.0, 0.5), c=2.0)  # indefinite
    model = taylor(q, (0.7, -1.3), order=2)
    np.testing.assert_allclose(model.A, q.A, rtol=1e-15)
    np.testing.assert_allclose(model.b, q.b, atol=1e-14)
    np.testing.assert_allclose(model.c, q.c, atol=1e-14)


def test_tangent_plane_is_a_plane_named_after_its_point():
    plane = taylor(Rosenbrock(), (0.5, 1.0))
    assert plane.A == ((0.0, 0.0), (0.0, 0.0)) and plane.critical_points == ()
    assert plane.name == "order-1 Taylor model of rosenbrock at (0.5, 1)"
    assert taylor(Rosenbrock(), (0.5, 1.0), order=2).name == "order-2 Taylor model of rosenbrock at (0.5, 1)"
    # f = 56.5, grad f = (-151, 150) at (0.5, 1): z = 56.5 - 151 (x - 0.5) + 150 (y - 1)
    assert plane.latex == "-151 x + 150 y - 18"


@pytest.mark.parametrize(
    "surface, p, order, message",
    [
        (Rosenbrock(), (0.5, 1.0), 3, "order must be 1 .* or 2"),
        (Rosenbrock(), (0.5, 1.0), True, "order must be 1 .* or 2"),
        (Rosenbrock(), (0.5, 1.0), "2", "order must be 1 .* or 2"),
        (Rosenbrock(), [(0.5, 1.0)] * 2, 1, r"p must be one point \(x, y\) of shape \(2,\), got shape \(2, 2\)"),
        (Rosenbrock(), (np.inf, 1.0), 1, "p must be finite"),
        (from_expression("log(x)"), (-1.0, 0.0), 2, "must be finite at p = .* where log\\(x\\) is smooth"),
        ("rosenbrock", (0.5, 1.0), 1, "surface must be a 2-D surface with value, gradient and hessian"),
    ],
)
def test_taylor_refuses_bad_input_with_a_clear_message(surface, p, order, message):
    with pytest.raises(ValueError, match=message):
        taylor(surface, p, order=order)


def test_examples_in_the_docstrings_hold():
    assert doctest.testmod(gradcore.local_models).failed == 0
