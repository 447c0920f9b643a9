r"""Optimizers as pure update rules, in the spirit of optax.

Each factory returns an :class:`Optimizer`, a pair of pure functions
``init(x0) -> state`` and ``update(grad, state, x) -> (step, state)``; the next
point is ``x + step``.  Hyperparameters live in the factory's closure, the state
is a NamedTuple whose fields a scene may read (and draw).  Every rule is
elementwise, so it runs on one point ``(2,)`` or a batch ``(k, 2)`` alike.

A learning rate ``lr`` is a number or a function of the step number :math:`k = 0, 1, \ldots`
such as a :mod:`gradcore.schedules` schedule; with a function, :math:`\eta` below is
:math:`\eta_k` and ``update`` takes ``k`` as a keyword (:func:`~gradcore.descent.descend`
passes it).

Notation: :math:`g` gradient, :math:`\eta` learning rate, :math:`\Delta x` step.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, NamedTuple

import numpy as np

from gradcore.curvature import typical_curvature
from gradcore.surface import Surface, check_fraction, check_nonnegative, check_positive

__all__ = [
    "CURVATURE_RULES",
    "OPTIMIZERS",
    "AdadeltaState",
    "AdagradState",
    "AdamState",
    "MomentumState",
    "Optimizer",
    "RmspropState",
    "SgdState",
    "adadelta",
    "adagrad",
    "adam",
    "fit_learning_rates",
    "momentum",
    "nesterov",
    "rmsprop",
    "sgd",
]


class Optimizer(NamedTuple):
    """A pure update rule.

    Attributes
    ----------
    init : callable
        ``init(x0) -> state``.
    update : callable
        ``update(grad, state, x=None, *, k=0) -> (step, state)``; the next point is
        ``x + step``.  ``k`` is the step number, read only by a learning-rate schedule.
    name : str
        Short human-readable name, e.g. ``"adam"``.
    scheduled : bool
        Whether the learning rate is a function of ``k``, so that ``update`` must be told the
        step number (an ``update`` of your own need not take ``k`` while this is False).
    """

    init: Callable[[np.ndarray], Any]
    update: Callable[..., tuple[np.ndarray, Any]]
    name: str
    scheduled: bool = False


class SgdState(NamedTuple):
    """Plain gradient descent keeps no state."""


class MomentumState(NamedTuple):
    r"""Momentum state, heavy ball or Nesterov alike: ``velocity`` is the decaying sum of
    gradients, :math:`v_{k+1} = \beta v_k + g_k` (zero before the first step)."""

    velocity: np.ndarray


class AdagradState(NamedTuple):
    """Adagrad state: ``grad_sq_sum`` is the sum of squared gradients."""

    grad_sq_sum: np.ndarray


class RmspropState(NamedTuple):
    """RMSprop state: ``grad_sq_mean`` is the running mean of squared gradients."""

    grad_sq_mean: np.ndarray


class AdadeltaState(NamedTuple):
    """Adadelta state: running means of squared gradients and squared steps."""

    grad_sq_mean: np.ndarray
    step_sq_mean: np.ndarray


class AdamState(NamedTuple):
    """Adam state: step ``count``, first moment ``mu``, second moment ``nu``."""

    count: int
    mu: np.ndarray
    nu: np.ndarray


def _zeros(x0: np.ndarray) -> np.ndarray:
    return np.zeros_like(np.asarray(x0, dtype=float))


def _learning_rate(lr: float | Callable[[int], Any]) -> Callable[[int], Any]:
    r"""The rate :math:`\eta_k` as a function of the step number ``k``: a number's constant
    (the number itself, so the steps round as they always did), or ``lr`` when it is one.

    A function may return an array that broadcasts against the points, one rate per start of a
    batch (as :func:`~gradcore.tuning.tune_learning_rate` runs a whole grid of rates at once).

    Raises
    ------
    ValueError
        If ``lr`` is not a finite number > 0, nor a function whose rate at ``k = 0`` is.
    """
    if not callable(lr):
        rate = check_positive(lr, "lr")
        return lambda k: rate
    try:
        first = np.asarray(lr(0), dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"lr must be a number or a function of the step k giving a rate, got {lr!r}") from error
    if not (first.size and np.all(np.isfinite(first) & (first > 0))):
        raise ValueError(f"lr must give finite rates > 0, got lr(0) = {first.tolist()!r} from {lr!r}")
    return lr


def sgd(lr: float | Callable[[int], Any]) -> Optimizer:
    r"""Plain gradient descent.

    .. math:: \Delta x = -\eta\, g

    ``lr`` is a number or a schedule (see the module's notes), as for every rule here.
    """
    eta = _learning_rate(lr)

    def init(x0: np.ndarray) -> SgdState:
        return SgdState()

    def update(
        grad: np.ndarray, state: SgdState, x: np.ndarray | None = None, *, k: int = 0
    ) -> tuple[np.ndarray, SgdState]:
        g = np.asarray(grad, dtype=float)
        step = -eta(k) * g  # Δx = -η g
        return step, state

    return Optimizer(init, update, "sgd", callable(lr))


def momentum(lr: float | Callable[[int], Any], beta: float = 0.9, nesterov: bool = False) -> Optimizer:
    r"""Momentum, heavy ball or Nesterov, in the form of PyTorch and optax (``trace``).

    .. math::

        v_{k+1} = \beta v_k + g_k, \qquad
        \Delta x = \begin{cases}
            -\eta\, v_{k+1} & \text{heavy ball (Polyak 1964)} \\
            -\eta\,(g_k + \beta v_{k+1}) & \text{Nesterov}
        \end{cases}

    For a constant :math:`\eta` the heavy ball is Polyak's
    :math:`x_{k+1} = x_k - \eta g_k + \beta (x_k - x_{k-1})`.  The Nesterov form is Sutskever
    et al. (2013)'s :math:`u_{k+1} = \beta u_k - \eta \nabla f(y_k + \beta u_k)`, rewritten
    for the look-ahead point :math:`x_k = y_k + \beta u_k`, so it needs only the gradient at
    the current point :math:`x_k`.  Both keep a :class:`MomentumState`; ``beta = 0`` is
    plain gradient descent.

    Parameters
    ----------
    lr : float or callable
        Learning rate :math:`\eta`, finite and > 0, or a schedule :math:`\eta_k`.
    beta : float
        Decay :math:`\beta` of the velocity, in [0, 1).
    nesterov : bool
        Look ahead along the velocity (see :func:`nesterov`, its shorthand).
    """
    eta = _learning_rate(lr)
    beta = check_fraction(beta, "beta")
    if not isinstance(nesterov, (bool, np.bool_)):
        raise ValueError(f"nesterov must be True or False, got {nesterov!r}")
    look_ahead = bool(nesterov)

    def init(x0: np.ndarray) -> MomentumState:
        return MomentumState(velocity=_zeros(x0))

    def update(
        grad: np.ndarray, state: MomentumState, x: np.ndarray | None = None, *, k: int = 0
    ) -> tuple[np.ndarray, MomentumState]:
        g = np.asarray(grad, dtype=float)
        v = beta * state.velocity + g  # v = β v + g
        if look_ahead:
            step = -eta(k) * (g + beta * v)  # Δx = -η (g + β v): look ahead along v
        else:
            step = -eta(k) * v  # Δx = -η v
        return step, MomentumState(velocity=v)

    return Optimizer(init, update, "nesterov" if look_ahead else "momentum", callable(lr))


def nesterov(lr: float | Callable[[int], Any], beta: float = 0.9) -> Optimizer:
    r"""Nesterov accelerated gradient: ``momentum(lr, beta, nesterov=True)``, named ``"nesterov"``.

    .. math::

        v_{k+1} = \beta v_k + g_k, \qquad \Delta x = -\eta\,(g_k + \beta v_{k+1})

    See :func:`momentum` for the derivation; the state is a :class:`MomentumState`.
    """
    return momentum(lr, beta, nesterov=True)


def adagrad(lr: float | Callable[[int], Any], eps: float = 1e-8) -> Optimizer:
    r"""Adagrad (Duchi, Hazan and Singer 2011).

    .. math::

        G_{k+1} = G_k + g_k^2, \qquad
        \Delta x = -\frac{\eta}{\sqrt{G_{k+1}} + \epsilon}\, g_k
    """
    eta = _learning_rate(lr)
    eps = check_nonnegative(eps, "eps")

    def init(x0: np.ndarray) -> AdagradState:
        return AdagradState(grad_sq_sum=_zeros(x0))

    def update(
        grad: np.ndarray, state: AdagradState, x: np.ndarray | None = None, *, k: int = 0
    ) -> tuple[np.ndarray, AdagradState]:
        g = np.asarray(grad, dtype=float)
        G = state.grad_sq_sum + np.square(g)  # G = G + g²
        step = -eta(k) * g / (np.sqrt(G) + eps)  # Δx = -η g / (√G + ε)
        return step, AdagradState(grad_sq_sum=G)

    return Optimizer(init, update, "adagrad", callable(lr))


def rmsprop(lr: float | Callable[[int], Any], decay: float = 0.9, eps: float = 1e-8) -> Optimizer:
    r"""RMSprop (Tieleman and Hinton 2012, lecture 6e).

    .. math::

        E_{k+1} = \rho E_k + (1 - \rho) g_k^2, \qquad
        \Delta x = -\frac{\eta}{\sqrt{E_{k+1}} + \epsilon}\, g_k

    with :math:`\rho` = ``decay``.
    """
    eta = _learning_rate(lr)
    decay = check_fraction(decay, "decay")
    eps = check_nonnegative(eps, "eps")

    def init(x0: np.ndarray) -> RmspropState:
        return RmspropState(grad_sq_mean=_zeros(x0))

    def update(
        grad: np.ndarray, state: RmspropState, x: np.ndarray | None = None, *, k: int = 0
    ) -> tuple[np.ndarray, RmspropState]:
        g = np.asarray(grad, dtype=float)
        E = decay * state.grad_sq_mean + (1 - decay) * np.square(g)  # E[g²] = ρ E[g²] + (1-ρ) g²
        step = -eta(k) * g / (np.sqrt(E) + eps)  # Δx = -η g / (√E[g²] + ε)
        return step, RmspropState(grad_sq_mean=E)

    return Optimizer(init, update, "rmsprop", callable(lr))


def adadelta(lr: float | Callable[[int], Any] = 1.0, rho: float = 0.95, eps: float = 1e-6) -> Optimizer:
    r"""Adadelta (Zeiler 2012, Algorithm 1), with PyTorch's learning rate scaling its step.

    .. math::

        E[g^2] &= \rho E[g^2] + (1 - \rho) g^2 \\
        d &= -\frac{\sqrt{E[d^2] + \epsilon}}{\sqrt{E[g^2] + \epsilon}}\, g \\
        E[d^2] &= \rho E[d^2] + (1 - \rho) d^2, \qquad \Delta x = \eta\, d

    :math:`\eta = 1` (the default) is Zeiler's rule, which has no learning rate; the running
    mean of squared steps keeps the unscaled :math:`d`, as ``torch.optim.Adadelta`` does.
    """
    eta = _learning_rate(lr)
    rho = check_fraction(rho, "rho")
    eps = check_positive(eps, "eps")

    def init(x0: np.ndarray) -> AdadeltaState:
        return AdadeltaState(grad_sq_mean=_zeros(x0), step_sq_mean=_zeros(x0))

    def update(
        grad: np.ndarray, state: AdadeltaState, x: np.ndarray | None = None, *, k: int = 0
    ) -> tuple[np.ndarray, AdadeltaState]:
        g = np.asarray(grad, dtype=float)
        Eg = rho * state.grad_sq_mean + (1 - rho) * np.square(g)  # E[g²] = ρ E[g²] + (1-ρ) g²
        d = -np.sqrt(state.step_sq_mean + eps) / np.sqrt(Eg + eps) * g  # d = -RMS[d] / RMS[g] g
        Ex = rho * state.step_sq_mean + (1 - rho) * np.square(d)  # E[d²] = ρ E[d²] + (1-ρ) d²
        return eta(k) * d, AdadeltaState(grad_sq_mean=Eg, step_sq_mean=Ex)  # Δx = η d

    return Optimizer(init, update, "adadelta", callable(lr))


def adam(lr: float | Callable[[int], Any], b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> Optimizer:
    r"""Adam with bias correction (Kingma and Ba 2015, Algorithm 1).

    .. math::

        m &= \beta_1 m + (1 - \beta_1) g, \qquad v = \beta_2 v + (1 - \beta_2) g^2 \\
        \hat m &= m / (1 - \beta_1^t), \qquad \hat v = v / (1 - \beta_2^t) \\
        \Delta x &= -\eta\, \hat m / (\sqrt{\hat v} + \epsilon)
    """
    eta = _learning_rate(lr)
    b1 = check_fraction(b1, "b1")
    b2 = check_fraction(b2, "b2")
    eps = check_nonnegative(eps, "eps")

    def init(x0: np.ndarray) -> AdamState:
        return AdamState(count=0, mu=_zeros(x0), nu=_zeros(x0))

    def update(
        grad: np.ndarray, state: AdamState, x: np.ndarray | None = None, *, k: int = 0
    ) -> tuple[np.ndarray, AdamState]:
        g = np.asarray(grad, dtype=float)
        t = state.count + 1  # t = t + 1
        m = b1 * state.mu + (1 - b1) * g  # m = β1 m + (1-β1) g
        v = b2 * state.nu + (1 - b2) * np.square(g)  # v = β2 v + (1-β2) g²
        m_hat = m / (1 - b1**t)  # m̂ = m / (1 - β1^t)
        v_hat = v / (1 - b2**t)  # v̂ = v / (1 - β2^t)
        step = -eta(k) * m_hat / (np.sqrt(v_hat) + eps)  # Δx = -η m̂ / (√v̂ + ε)
        return step, AdamState(count=t, mu=m, nu=v)

    return Optimizer(init, update, "adam", callable(lr))


OPTIMIZERS: dict[str, Callable[..., Optimizer]] = {
    "sgd": sgd,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adadelta": adadelta,
    "adam": adam,
}

CURVATURE_RULES = frozenset({"sgd", "momentum", "nesterov"})
r"""Optimizers whose step is :math:`\eta` times a gradient: their learning rate is measured
against the curvature (stable below about :math:`2 / \lambda`). The others (Adagrad, RMSprop,
Adam) divide the gradient by its own size: their rate is a distance in the input plane."""


def fit_learning_rates(
    rates: Mapping[str, float | None], from_surface: Surface, to_surface: Surface
) -> dict[str, float | None]:
    r"""Learning ``rates`` (optimizer name to rate) chosen for ``from_surface``, carried over to
    ``to_surface``.

    A rate of a :data:`CURVATURE_RULES` optimizer scales as :math:`1 / \lambda`, with
    :math:`\lambda` the surface's :func:`~gradcore.curvature.typical_curvature`, so that
    :math:`\eta \lambda`, how close it runs to the stability bound, stays the same (kept as it
    is when either surface is flat there); the other rates are distances and scale with the
    domain's diagonal. None (an optimizer's default) stays None.

    Raises
    ------
    ValueError
        If a name is not one of :data:`OPTIMIZERS`.

    Examples
    --------
    >>> from gradcore.quadratic import Quadratic, bowl
    >>> steep = Quadratic(((20.0, 0.0), (0.0, 20.0)), domain=((-6.0, 6.0), (-6.0, 6.0)))
    >>> fit_learning_rates({"sgd": 0.1, "adam": 0.2, "adadelta": None}, bowl(), steep)
    {'sgd': 0.01, 'adam': 0.4, 'adadelta': None}
    """
    unknown = [name for name in rates if name not in OPTIMIZERS]
    if unknown:
        raise ValueError(f"rates must map optimizers ({', '.join(sorted(OPTIMIZERS))}) to rates, got {unknown[0]!r}")
    curvature = typical_curvature(from_surface), typical_curvature(to_surface)
    size = [_diagonal(s.domain) for s in (from_surface, to_surface)]
    fitted: dict[str, float | None] = {}
    for name, lr in rates.items():
        if lr is None:
            fitted[name] = None
        elif name in CURVATURE_RULES:
            fitted[name] = lr * curvature[0] / curvature[1] if min(curvature) > 0 else lr
        else:
            fitted[name] = lr * size[1] / size[0]
    return fitted


def _diagonal(domain: Any) -> float:
    """The length of the diagonal of the box ``((xmin, xmax), (ymin, ymax))``."""
    return float(np.hypot(*np.diff(np.asarray(domain, dtype=float), axis=1).ravel()))
