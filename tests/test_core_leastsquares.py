from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import check_grad

import gradcore.leastsquares
from gradcore.descent import descend
from gradcore.leastsquares import LeastSquares, least_squares, line_data
from gradcore.optimizers import OPTIMIZERS, momentum, sgd
from gradcore.quadratic import bowl
from gradcore.surface import find_critical_points


@st.composite
def datasets(draw, min_size=2, max_size=60):
    """Noisy samples of a random line, with x spread over a random interval."""
    n = draw(st.integers(min_size, max_size))
    seed = draw(st.integers(0, 2**32 - 1))
    low = draw(st.floats(-10, 10))
    width = draw(st.floats(0.5, 10))
    x, y = line_data(
        n,
        w=draw(st.floats(-5, 5)),
        b=draw(st.floats(-5, 5)),
        noise=draw(st.floats(0, 2)),
        seed=seed,
        x_range=(low, low + width),
    )
    return x, y


def direct_value(x, y, w, b):
    return np.mean((w * x + b - y) ** 2) / 2


def direct_gradient(x, y, w, b):
    r = w * x + b - y
    return np.array([np.mean(r * x), np.mean(r)])


@settings(max_examples=40, deadline=None)
@given(data=datasets(), w=st.floats(-10, 10), b=st.floats(-10, 10))
def test_value_gradient_and_hessian_agree_with_the_direct_numpy_formulas(data, w, b):
    x, y = data
    loss = least_squares(x, y)
    scale = 1 + np.max(np.abs(x)) * (np.abs(w) + 1) + np.abs(b) + np.max(np.abs(y))
    np.testing.assert_allclose(loss.value((w, b)), direct_value(x, y, w, b), rtol=1e-10, atol=1e-12 * scale**2)
    np.testing.assert_allclose(
        loss.gradient((w, b)), direct_gradient(x, y, w, b), rtol=1e-9, atol=1e-10 * scale * (1 + np.abs(x).max())
    )
    np.testing.assert_allclose(loss.hessian((w, b)), [[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]], rtol=1e-14)


@settings(max_examples=40, deadline=None)
@given(data=datasets(min_size=3))
def test_the_minimizer_is_numpys_least_squares_line(data):
    x, y = data
    loss = least_squares(x, y)
    design = np.stack([x, np.ones_like(x)], axis=1)
    solution, *_ = np.linalg.lstsq(design, y, rcond=None)
    np.testing.assert_allclose(loss.minimizer, solution, rtol=1e-8, atol=1e-8 * (1 + np.abs(y).max()))
    np.testing.assert_allclose(loss.minimizer, np.polyfit(x, y, 1), rtol=1e-7, atol=1e-7 * (1 + np.abs(y).max()))
    np.testing.assert_allclose(loss.minimum, direct_value(x, y, *loss.minimizer), rtol=1e-10, atol=1e-15)
    np.testing.assert_array_equal(loss.gradient(loss.minimizer), [0.0, 0.0])
    assert loss.critical_points[0].kind == "minimum"


def test_an_exact_line_is_fitted_exactly():
    loss = least_squares([0.0, 1.0, 2.0, 3.0], [1.0, 3.0, 5.0, 7.0])
    np.testing.assert_array_equal(loss.minimizer, [2.0, 1.0])
    assert loss.minimum == 0.0


def test_the_value_is_vectorized_over_a_grid_of_parameters():
    loss = least_squares(*line_data())
    w, b = np.meshgrid(np.linspace(-1, 3, 7), np.linspace(-2, 3, 5))
    grid = np.stack([w, b], axis=-1)
    assert loss.value(grid).shape == (5, 7) and loss.gradient(grid).shape == (5, 7, 2)
    assert loss.minibatch_gradient(grid, [0, 3]).shape == (5, 7, 2)
    np.testing.assert_allclose(
        loss.value(grid)[2, 3], direct_value(np.array(loss.x), np.array(loss.y), w[2, 3], b[2, 3])
    )


def test_the_gradient_passes_scipys_check_grad():
    loss = least_squares(*line_data(30, seed=4))
    for point in [(0.0, 0.0), (3.0, -1.0), (-2.0, 2.5)]:
        assert check_grad(loss.value, loss.gradient, np.array(point)) < 1e-6


@settings(max_examples=40, deadline=None)
@given(data=datasets(min_size=2, max_size=12), parts=st.integers(1, 6), w=st.floats(-5, 5), b=st.floats(-5, 5))
def test_minibatch_gradients_over_a_partition_average_to_the_full_gradient(data, parts, w, b):
    x, y = data
    x, y = np.tile(x, parts), np.tile(y, parts)  # n divisible by parts: equal parts
    loss = least_squares(x, y)
    order = np.random.default_rng(len(x)).permutation(len(x))
    batches = np.split(order, parts)
    mean = np.mean([loss.minibatch_gradient((w, b), batch) for batch in batches], axis=0)
    np.testing.assert_allclose(mean, loss.gradient((w, b)), rtol=1e-12, atol=1e-12 * (1 + np.abs(x).max()) ** 2)


def test_the_minibatch_of_every_sample_is_the_full_gradient_and_of_one_sample_its_own():
    x, y = line_data(25, seed=2)
    loss = least_squares(x, y)
    point = np.array([0.3, -1.2])
    np.testing.assert_allclose(loss.minibatch_gradient(point, np.arange(25)), loss.gradient(point), rtol=1e-13)
    r = 0.3 * x[7] - 1.2 - y[7]
    np.testing.assert_allclose(loss.minibatch_gradient(point, [7]), [r * x[7], r], rtol=1e-15)


@pytest.mark.parametrize("indices", [[], [[0, 1]], [0.5], [-1], [25], np.array([True, False])])
def test_bad_minibatch_indices_raise(indices):
    with pytest.raises(ValueError, match=r"^indices must"):
        least_squares(*line_data(25)).minibatch_gradient((0.0, 0.0), indices)


def test_the_default_domain_is_centred_on_the_fit_and_holds_the_origin():
    for seed in range(5):
        loss = least_squares(*line_data(40, w=3.0, b=-4.0, seed=seed, x_range=(1.0, 5.0)))
        domain = np.array(loss.domain)
        np.testing.assert_allclose(domain.mean(axis=1), loss.minimizer, rtol=1e-12)
        assert np.all((domain[:, 0] < 0) & (0 < domain[:, 1]))
    assert least_squares([0.0, 1.0], [2.0, 3.0], domain=((-1, 1), (-2, 2))).domain == ((-1.0, 1.0), (-2.0, 2.0))


def test_the_surface_says_what_it_is():
    loss = least_squares(*line_data(20))
    assert isinstance(loss, LeastSquares) and loss.n_samples == 20 and loss.name == "least_squares"
    assert loss.latex == r"\frac{1}{40} \sum_{i=1}^{20} \left(w x_i + b - y_i\right)^{2}"
    found = find_critical_points(loss)
    assert len(found) == 1 and np.allclose(found[0].point, loss.minimizer)


@pytest.mark.parametrize(
    "x, y, message",
    [
        ([1.0, 2.0], [1.0], "x and y must be 1-D arrays of the same length"),
        ([1.0], [1.0], "x and y must hold from 2"),
        ([1.0, 1.0, 1.0], [0.0, 1.0, 2.0], "x must hold at least two distinct values"),
        ([1.0, np.nan], [0.0, 1.0], "x must be finite"),
    ],
)
def test_bad_samples_raise(x, y, message):
    with pytest.raises(ValueError, match=rf"^{message}"):
        least_squares(x, y)


def test_line_data_is_reproducible_by_seed_and_exact_without_noise():
    a, b, c = line_data(30, seed=5), line_data(30, seed=5), line_data(30, seed=6)
    np.testing.assert_array_equal(np.stack(a), np.stack(b))
    assert not np.array_equal(a[1], c[1])
    x, y = line_data(10, w=-2.0, b=0.5, noise=0.0, x_range=(3.0, 4.0))
    assert np.all(np.diff(x) >= 0) and np.all((3 <= x) & (x <= 4))
    np.testing.assert_array_equal(y, -2.0 * x + 0.5)


@pytest.mark.parametrize(
    "kwargs, name",
    [(dict(n=1), "n"), (dict(noise=-1.0), "noise"), (dict(seed=-1), "seed"), (dict(x_range=(1, 0)), "x_range")],
)
def test_bad_line_data_arguments_raise_naming_them(kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} must"):
        line_data(**kwargs)


# ---------------------------------------------------------------------------------------------
# descend(..., batch_size=k, seed=s)

LOSS = least_squares(*line_data(40, seed=1))


def sgd_run(**kwargs):
    return descend(LOSS, (0.0, 0.0), sgd(0.2), steps=150, tol=0, **kwargs)


def test_the_same_seed_gives_the_same_path_and_another_seed_another():
    first, again, other = sgd_run(batch_size=5, seed=3), sgd_run(batch_size=5, seed=3), sgd_run(batch_size=5, seed=4)
    np.testing.assert_array_equal(first.points, again.points)
    assert not np.allclose(first.points[1:], other.points[1:])


def test_a_full_batch_is_plain_gradient_descent_exactly():
    plain = sgd_run()
    for size in (LOSS.n_samples, LOSS.n_samples + 10):
        np.testing.assert_array_equal(sgd_run(batch_size=size, seed=9).points, plain.points)


def test_each_step_uses_the_minibatch_drawn_without_replacement_by_default_rng():
    rng, x, expected = np.random.default_rng(7), np.zeros(2), [np.zeros(2)]
    for _ in range(150):
        x = x - 0.2 * LOSS.minibatch_gradient(x, rng.choice(LOSS.n_samples, size=8, replace=False))
        expected.append(x)
    path = sgd_run(batch_size=8, seed=7)
    np.testing.assert_array_equal(path.points, expected)
    # values and gradient norms are those of the whole loss
    np.testing.assert_array_equal(path.values, LOSS.value(path.points))
    np.testing.assert_allclose(path.grad_norms, np.linalg.norm(LOSS.gradient(path.points), axis=1), rtol=1e-15)


def test_minibatch_descent_hovers_near_the_fit_and_full_batch_converges():
    noisy, full = sgd_run(batch_size=4, seed=0), sgd_run()
    assert np.linalg.norm(full.points[-1] - LOSS.minimizer) < 1e-6
    tail = np.linalg.norm(noisy.points[-50:] - LOSS.minimizer, axis=1)
    assert np.all(tail < 0.5) and np.any(tail > 1e-3)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_a_batch_of_starts_with_minibatches_equals_separate_runs(name):
    starts = np.array([[0.0, 0.0], [2.0, -1.0], [-0.5, 2.5]])
    optimizer = OPTIMIZERS[name]() if name == "adadelta" else OPTIMIZERS[name](0.05)
    batch = descend(LOSS, starts, optimizer, steps=60, tol=1e-3, batch_size=6, seed=2)
    for j, start in enumerate(starts):
        single = descend(LOSS, start, optimizer, steps=60, tol=1e-3, batch_size=6, seed=2)
        assert (batch.status[j], batch.n_steps[j]) == (single.status, single.n_steps)
        np.testing.assert_array_equal(batch.points[: single.n_steps + 1, j], single.points)


def test_momentum_takes_minibatches_too():
    path = descend(LOSS, (0.0, 0.0), momentum(0.05), steps=300, tol=0, batch_size=10, seed=1)
    assert np.linalg.norm(path.points[-1] - LOSS.minimizer) < 0.3


@pytest.mark.parametrize(
    "surface, kwargs, message",
    [
        (bowl(), dict(batch_size=4), "batch_size needs a loss made of samples"),
        (LOSS, dict(batch_size=0), "batch_size must be an integer >= 1"),
        (LOSS, dict(batch_size=2.5), "batch_size must be an integer >= 1"),
        (LOSS, dict(batch_size=4, seed=-1), "seed must be an integer >= 0"),
        (LOSS, dict(batch_size=4, seed=None), "seed must be an integer >= 0"),
    ],
)
def test_bad_minibatch_arguments_raise(surface, kwargs, message):
    with pytest.raises(ValueError, match=rf"^{message}"):
        descend(surface, (0.0, 0.0), sgd(0.1), **kwargs)


def test_the_examples_in_the_docstrings_hold():
    for module in (gradcore.leastsquares,):
        assert doctest.testmod(module).failed == 0, module.__name__
