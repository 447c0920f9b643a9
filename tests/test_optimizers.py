from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcore import optimizers
from gradcore.descent import descend
from gradcore.optimizers import (
    OPTIMIZERS,
    AdadeltaState,
    AdamState,
    MomentumState,
    adadelta,
    adagrad,
    adam,
    momentum,
    nesterov,
    rmsprop,
    sgd,
)
from gradcore.quadratic import Quadratic, elongated_quadratic

# A fixed gradient sequence g1, g2, g3, fed to every rule in turn.
GRADS = np.array([[1.0, -2.0], [0.5, 1.0], [-1.0, 0.25]])


def first_steps(optimizer, grads=GRADS):
    state = optimizer.init(np.zeros(2))
    steps = []
    for g in grads:
        step, state = optimizer.update(g, state, np.zeros(2))
        steps.append(step)
    return np.array(steps)


def test_sgd_first_steps_match_hand_computation():
    # Δx = -η g
    expected = [[-0.1, 0.2], [-0.05, -0.1], [0.1, -0.025]]
    np.testing.assert_allclose(first_steps(sgd(0.1)), expected, rtol=1e-15)


def test_momentum_first_steps_match_hand_computation():
    # Polyak: Δx_k = -η g_k + β Δx_{k-1}, η = 0.1, β = 0.9
    expected = [[-0.1, 0.2], [-0.05 - 0.09, -0.1 + 0.18], [0.1 - 0.126, -0.025 + 0.072]]
    np.testing.assert_allclose(first_steps(momentum(0.1, beta=0.9)), expected, rtol=1e-14)


def test_nesterov_first_steps_match_hand_computation():
    # Sutskever et al. 2013 with u = velocity in x units: u_{k+1} = β u_k - η g_k,
    # Δx_k = -β u_k + (1 + β) u_{k+1}.  u1 = (-0.1, 0.2), u2 = (-0.14, 0.08), u3 = (-0.026, 0.047).
    expected = [[-0.19, 0.38], [0.09 - 0.266, -0.18 + 0.152], [0.126 - 0.0494, -0.072 + 0.0893]]
    np.testing.assert_allclose(first_steps(nesterov(0.1, beta=0.9)), expected, rtol=1e-13)


def test_adagrad_first_steps_match_hand_computation():
    # G = (1, 4), (1.25, 5), (2.25, 5.0625); Δx = -η g / √G
    expected = [[-0.1, 0.1], [-0.1 / math.sqrt(5), -0.1 / math.sqrt(5)], [1 / 15, -1 / 90]]
    np.testing.assert_allclose(first_steps(adagrad(0.1, eps=0.0)), expected, rtol=1e-14)


def test_rmsprop_first_steps_match_hand_computation():
    # E = (0.1, 0.4), (0.115, 0.46), (0.2035, 0.42025); Δx = -η g / √E
    expected = [
        [-0.1 / math.sqrt(0.1), 0.2 / math.sqrt(0.4)],
        [-0.05 / math.sqrt(0.115), -0.1 / math.sqrt(0.46)],
        [0.1 / math.sqrt(0.2035), -0.025 / math.sqrt(0.42025)],
    ]
    np.testing.assert_allclose(first_steps(rmsprop(0.1, decay=0.9, eps=0.0)), expected, rtol=1e-13)


def test_adam_first_steps_match_hand_computation():
    # m = (0.1, -0.2), (0.14, -0.08), (0.026, -0.047); 1 - β1^t = 0.1, 0.19, 0.271
    # v = (0.001, 0.004), (0.001249, 0.004996), (0.002247751, 0.005053504);
    # 1 - β2^t = 0.001, 0.001999, 0.002997001.  Δx = -η m̂ / √v̂
    expected = [
        [-0.1, 0.1],
        [-0.1 * (0.14 / 0.19) / math.sqrt(0.001249 / 0.001999), 0.1 * (0.08 / 0.19) / math.sqrt(0.004996 / 0.001999)],
        [
            -0.1 * (0.026 / 0.271) / math.sqrt(0.002247751 / 0.002997001),
            0.1 * (0.047 / 0.271) / math.sqrt(0.005053504 / 0.002997001),
        ],
    ]
    np.testing.assert_allclose(first_steps(adam(0.1, b1=0.9, b2=0.999, eps=0.0)), expected, rtol=1e-12)


def test_adam_eps_is_added_to_the_root_of_the_second_moment():
    # First step: m̂ = g, v̂ = g², so Δx = -η g / (|g| + ε).
    step = first_steps(adam(0.1, eps=0.5), GRADS[:1])[0]
    np.testing.assert_allclose(step, [-0.1 / 1.5, 0.2 / 2.5], rtol=1e-14)


def test_adadelta_first_steps_match_hand_computation():
    # Zeiler 2012, Algorithm 1 with ρ = 0.95, ε = 1e-6, per coordinate:
    # E[g²] = .95 E[g²] + .05 g²; Δx = -√(E[Δx²] + ε) / √(E[g²] + ε) g; E[Δx²] = .95 E[Δx²] + .05 Δx²
    eg1 = np.array([0.05, 0.2])
    dx1 = -1e-3 / np.sqrt(eg1 + 1e-6) * GRADS[0]
    ex1 = 0.05 * dx1**2
    eg2 = 0.95 * eg1 + np.array([0.0125, 0.05])
    dx2 = -np.sqrt(ex1 + 1e-6) / np.sqrt(eg2 + 1e-6) * GRADS[1]
    ex2 = 0.95 * ex1 + 0.05 * dx2**2
    eg3 = 0.95 * eg2 + np.array([0.05, 0.003125])
    dx3 = -np.sqrt(ex2 + 1e-6) / np.sqrt(eg3 + 1e-6) * GRADS[2]
    np.testing.assert_allclose(first_steps(adadelta(rho=0.95, eps=1e-6)), [dx1, dx2, dx3], rtol=1e-13)
    np.testing.assert_allclose(dx1, [-1e-3 / math.sqrt(0.050001), 2e-3 / math.sqrt(0.200001)], rtol=1e-15)


def test_nesterov_equals_sutskever_lookahead_form_on_a_quadratic():
    # Sutskever et al. 2013: u = β u - η ∇f(y + β u), y = y + u; our x is the look-ahead y + β u.
    surface = elongated_quadratic()
    lr, beta = 0.1, 0.9
    y, u = np.array([-2.0, 3.0]), np.zeros(2)
    expected = [y.copy()]
    for _ in range(20):
        u = beta * u - lr * surface.gradient(y + beta * u)
        y = y + u
        expected.append(y + beta * u)
    path = descend(surface, (-2.0, 3.0), nesterov(lr, beta), steps=20, tol=0)
    np.testing.assert_allclose(path.points, expected, rtol=1e-12, atol=1e-12)


def test_momentum_equals_polyak_heavy_ball_on_a_quadratic():
    # Polyak 1964: x_{k+1} = x_k - η ∇f(x_k) + β (x_k - x_{k-1}), x_{-1} = x_0.
    surface = elongated_quadratic()
    lr, beta = 0.1, 0.9
    previous = current = np.array([-2.0, 3.0])
    expected = [current]
    for _ in range(20):
        previous, current = current, current - lr * surface.gradient(current) + beta * (current - previous)
        expected.append(current)
    path = descend(surface, (-2.0, 3.0), momentum(lr, beta), steps=20, tol=0)
    np.testing.assert_allclose(path.points, expected, rtol=1e-12, atol=1e-12)


SETTINGS = {
    "sgd": dict(lr=0.3),
    "momentum": dict(lr=0.1),
    "nesterov": dict(lr=0.1),
    "adagrad": dict(lr=1.0),
    "rmsprop": dict(lr=0.01),
    "adadelta": dict(),
    "adam": dict(lr=0.05),
}


def test_registry_holds_every_optimizer():
    assert set(OPTIMIZERS) == set(SETTINGS)
    assert all(OPTIMIZERS[name](**SETTINGS[name]).name == name for name in OPTIMIZERS)


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_every_optimizer_reaches_the_known_minimizer(name):
    surface = Quadratic(((1.0, 0.3), (0.3, 0.5)), b=(0.5, -1.0))
    path = descend(surface, (-2.0, 2.5), OPTIMIZERS[name](**SETTINGS[name]), steps=3000, tol=0)
    # RMSprop's step -η g/√E[g²] does not shrink with g: it ends in a 2-cycle of width η.
    atol = SETTINGS[name]["lr"] if name == "rmsprop" else 1e-10
    np.testing.assert_allclose(path.points[-1], surface.minimizer, atol=atol)


@pytest.mark.parametrize("name", sorted(SETTINGS))
def test_batch_update_equals_updates_of_each_point_and_keeps_state_shapes(name):
    optimizer = OPTIMIZERS[name](**SETTINGS[name])
    rng = np.random.default_rng(0)
    grads = rng.normal(size=(3, 4, 2))
    batch_state = optimizer.init(np.zeros((4, 2)))
    single_states = [optimizer.init(np.zeros(2)) for _ in range(4)]
    for g in grads:
        batch_step, batch_state = optimizer.update(g, batch_state, np.zeros((4, 2)))
        for j in range(4):
            step, single_states[j] = optimizer.update(g[j], single_states[j], np.zeros(2))
            np.testing.assert_array_equal(batch_step[j], step)
        for field, value in zip(batch_state._fields, batch_state):
            assert np.shape(value) in {(), (4, 2)}, field


def test_nesterov_is_momentum_with_the_look_ahead_flag():
    lookahead = momentum(0.1, beta=0.9, nesterov=True)
    assert nesterov(0.1, 0.9).name == lookahead.name == "nesterov" and momentum(0.1).name == "momentum"
    np.testing.assert_array_equal(first_steps(nesterov(0.1, 0.9)), first_steps(lookahead))
    # one state class for both, as optax's trace(decay, nesterov=...)
    assert type(nesterov(0.1).init(np.zeros(2))) is type(momentum(0.1).init(np.zeros(2))) is MomentumState
    assert not hasattr(optimizers, "NesterovState")


def test_states_expose_readable_fields():
    assert MomentumState._fields == ("velocity",)
    assert AdamState._fields == ("count", "mu", "nu")
    assert AdadeltaState._fields == ("grad_sq_mean", "step_sq_mean")
    _, state = momentum(0.1).update(np.array([1.0, 2.0]), momentum(0.1).init(np.zeros(2)))
    np.testing.assert_array_equal(state.velocity, [1.0, 2.0])


@pytest.mark.parametrize(
    "factory, kwargs, name",
    [
        (sgd, dict(lr=0.0), "lr"),
        (sgd, dict(lr=-1.0), "lr"),
        (sgd, dict(lr=math.nan), "lr"),
        (sgd, dict(lr="fast"), "lr"),
        (momentum, dict(lr=0.1, beta=1.0), "beta"),
        (nesterov, dict(lr=0.1, beta=-0.1), "beta"),
        (momentum, dict(lr=0.1, nesterov="yes"), "nesterov"),
        (adagrad, dict(lr=math.inf), "lr"),
        (adagrad, dict(lr=0.1, eps=-1e-8), "eps"),
        (rmsprop, dict(lr=0.1, decay=1.5), "decay"),
        (adadelta, dict(rho=1.0), "rho"),
        (adadelta, dict(eps=0.0), "eps"),
        (adam, dict(lr=-0.1), "lr"),
        (adam, dict(lr=0.1, b1=1.0), "b1"),
        (adam, dict(lr=0.1, b2=2.0), "b2"),
    ],
)
def test_bad_hyperparameters_raise_value_error_naming_them(factory, kwargs, name):
    with pytest.raises(ValueError, match=rf"^{name} must be"):
        factory(**kwargs)


@settings(max_examples=30, deadline=None)
@given(
    lr=st.floats(1e-3, 1.0),
    beta=st.floats(0.0, 0.99),
    g=st.lists(st.floats(-10, 10), min_size=2, max_size=2),
)
def test_momentum_with_zero_beta_is_sgd(lr, beta, g):
    np.testing.assert_array_equal(first_steps(momentum(lr, 0.0), [g])[0], first_steps(sgd(lr), [g])[0])
    # and the first step of heavy ball is always the plain gradient step
    np.testing.assert_array_equal(first_steps(momentum(lr, beta), [g])[0], first_steps(sgd(lr), [g])[0])
