r"""Newton's method with backtracking, and the local quadratic model behind each step.

At :math:`x_k`, Newton's method minimizes the second-order model

.. math:: m_k(x) = f(x_k) + g_k^T (x - x_k) + \tfrac12 (x - x_k)^T B_k (x - x_k),

:math:`g_k = \nabla f(x_k)`, whose minimizer is :math:`x_k + p_k` with the full Newton step
:math:`p_k = -B_k^{-1} g_k`.  :math:`B_k` is the Hessian :math:`H_k = \nabla^2 f(x_k)` where it
is safely positive definite, and otherwise the Hessian made so (:func:`modified_hessian`): each
eigenvalue :math:`\lambda_i` replaced by

.. math:: \max\left(|\lambda_i|,\ \sigma \max_j |\lambda_j|\right), \qquad \sigma = 10^{-6},

which keeps every direction and size of curvature but turns the curvature that falls into
curvature that rises (the step goes down a saddle's falling side instead of up to the saddle),
and lifts a near-zero curvature to :math:`\sigma` times the largest (Nocedal and Wright 2006,
section 3.4; Dauphin et al. 2014).  Then :math:`p_k` points downhill and a backtracking line
search (:func:`~gradcore.linesearch.armijo`, from :math:`t = 1`) takes
:math:`x_{k+1} = x_k + t_k p_k`; near a minimum with positive-definite Hessian :math:`t_k = 1`
and the error squares at each step.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any

import numpy as np

from gradcore.descent import Trajectory, check_box, check_start, inside
from gradcore.linesearch import armijo
from gradcore.quadratic import Quadratic
from gradcore.surface import check_fraction, check_nonnegative, check_positive

__all__ = ["EIGENVALUE_FLOOR", "MAX_NEWTON_STEPS", "NewtonStep", "NewtonTrajectory", "modified_hessian", "newton"]

EIGENVALUE_FLOOR = 1e-6
r"""The default :math:`\sigma`: no eigenvalue of :math:`B_k` is below :math:`\sigma` times the
largest.  Small enough to leave the Hessian at Rosenbrock's minimum as it is (its eigenvalues are
0.4 and 1001.6)."""

MAX_NEWTON_STEPS = 10_000
"""Most steps of :func:`newton` (each tries at most 50 step lengths)."""


@dataclass(frozen=True, eq=False)
class NewtonStep:
    r"""One step of :func:`newton`, from ``point`` :math:`x_k`: what a scene draws.

    Attributes
    ----------
    point : ndarray, shape (2,)
        :math:`x_k`.
    gradient : ndarray, shape (2,)
        :math:`g_k = \nabla f(x_k)`.
    hessian : ndarray, shape (2, 2)
        The true Hessian :math:`H_k = \nabla^2 f(x_k)` (the second-order Taylor model's).
    model : Quadratic
        The model :math:`m_k` with :math:`A = B_k`, :math:`b = B_k x_k - g_k`,
        :math:`c = f(x_k) - g_k^T x_k + \tfrac12 x_k^T B_k x_k`, on the surface's domain: equal
        to :math:`f` at :math:`x_k` with the same gradient, and
        ``model.minimizer`` :math:`= x_k + p_k`.  It is the Taylor model exactly when
        ``modified`` is False.
    full_step : ndarray, shape (2,)
        :math:`p_k = -B_k^{-1} g_k`, to the model's minimum.
    t : float
        The accepted step length: :math:`x_{k+1} = x_k + t\, p_k`.
    trials : tuple of float
        Every step length tried, 1, 1/2, 1/4, ... down to ``t``: those before ``t`` are
        where the model lied (:math:`f` fell too little, or rose).
    modified : bool
        Whether :math:`B_k \ne H_k` (:math:`H_k` was not safely positive definite).
    """

    point: np.ndarray
    gradient: np.ndarray
    hessian: np.ndarray
    model: Quadratic
    full_step: np.ndarray
    t: float
    trials: tuple[float, ...]
    modified: bool

    @property
    def step(self) -> np.ndarray:
        r"""The step taken, :math:`t\, p_k`."""
        return self.t * self.full_step


@dataclass(frozen=True, eq=False)
class NewtonTrajectory(Trajectory):
    """The path of :func:`newton`: a :class:`~gradcore.descent.Trajectory` from one start
    (``steps`` holds the steps taken), and ``newton_steps[i]``, the :class:`NewtonStep` from
    ``points[i]`` to ``points[i + 1]``."""

    newton_steps: tuple[NewtonStep, ...] = ()


def modified_hessian(hessian: Any, floor: float = EIGENVALUE_FLOOR) -> tuple[np.ndarray, bool]:
    r"""The positive-definite matrix :math:`B = V \operatorname{diag}(\mu) V^T` from the
    symmetric ``hessian`` :math:`H = V \operatorname{diag}(\lambda) V^T`, with
    :math:`\mu_i = \max(|\lambda_i|, \sigma \max_j |\lambda_j|)`, :math:`\sigma` = ``floor``;
    the identity for a zero Hessian.

    Returns
    -------
    B : ndarray, shape (2, 2)
        ``hessian`` itself (the same numbers) where no eigenvalue changed.
    modified : bool
        Whether an eigenvalue changed.

    Examples
    --------
    >>> B, modified = modified_hessian([[2.0, 0.0], [0.0, -0.5]])  # a saddle
    >>> B, modified
    (array([[2. , 0. ],
           [0. , 0.5]]), True)
    """
    H = np.asarray(hessian, dtype=float)
    H = (H + H.T) / 2
    eigenvalues, vectors = np.linalg.eigh(H)
    largest = np.max(np.abs(eigenvalues))
    if largest == 0:
        return np.eye(2), True
    mu = np.maximum(np.abs(eigenvalues), floor * largest)
    if np.array_equal(mu, eigenvalues):
        return H, False
    B = (vectors * mu) @ vectors.T
    return (B + B.T) / 2, True


def newton(
    surface: Any,
    start: Any,
    steps: int = 100,
    tol: float = 1e-10,
    domain: Any = None,
    bound: float = 1e8,
    *,
    floor: float = EIGENVALUE_FLOOR,
) -> NewtonTrajectory:
    r"""Newton's method from ``start``, damped by backtracking, with the local model of each step.

    .. math::

        p_k = -B_k^{-1} \nabla f(x_k), \qquad x_{k+1} = x_k + t_k p_k,

    :math:`B_k` the Hessian made positive definite (:func:`modified_hessian`), :math:`t_k` the
    first of :math:`1, \tfrac12, \tfrac14, \ldots` (at most 50) with
    :math:`f(x_k + t p_k) \le f(x_k) + 10^{-4}\, t\, \nabla f(x_k)^T p_k`
    (:func:`~gradcore.linesearch.armijo`).

    The statuses are those of :func:`~gradcore.descent.descend`: ``"converged"`` when
    :math:`\|\nabla f(x_k)\| <` ``tol``, or when no trial lowers :math:`f` enough (the decrease
    the model promises is below :math:`f`'s rounding: :math:`x_k` is a minimum to working
    precision) or the gradient is exactly zero; ``"diverged"`` when the next point, its value,
    gradient or Hessian is not finite or :math:`\|x_{k+1}\| >` ``bound``; ``"left_domain"``
    when the next point is outside ``domain``; otherwise ``"max_steps"``.

    Parameters
    ----------
    surface : Surface
        Anything with vectorized ``value``, ``gradient`` and ``hessian``.
    start : array_like, shape (2,)
        One finite start (the local models are per step, so one start at a time).
    steps : int
        Most steps, from 1 to :data:`MAX_NEWTON_STEPS`.
    tol : float
        Gradient-norm threshold for convergence, >= 0.
    domain, bound
        As for :func:`~gradcore.descent.descend`.
    floor : float
        :math:`\sigma` in (0, 1) of :func:`modified_hessian`.

    Returns
    -------
    NewtonTrajectory
        The path, with ``steps`` (the steps taken) and ``newton_steps`` (each step's model,
        full step and trials).

    Examples
    --------
    >>> from gradcore.testfunctions import Rosenbrock
    >>> path = newton(Rosenbrock(), (-1.2, 1.0))
    >>> path.status, path.n_steps, path.points[-1].tolist()
    ('converged', 22, [1.0, 1.0])
    """
    x = check_start(start, batch=False)
    try:
        n_max = operator.index(steps)
    except TypeError:
        n_max = 0
    if not 1 <= n_max <= MAX_NEWTON_STEPS:
        raise ValueError(f"steps must be an integer from 1 to {MAX_NEWTON_STEPS:,}, got {steps!r}")
    if not all(callable(getattr(surface, name, None)) for name in ("value", "gradient", "hessian")):
        raise ValueError(f"surface must be a 2-D surface with value, gradient and hessian, got {surface!r}")
    tol, bound = check_nonnegative(tol, "tol"), check_positive(bound, "bound")
    floor = check_fraction(floor, "floor")
    if floor == 0:
        raise ValueError("floor must be a number in (0, 1), got 0; a zero floor leaves a singular Hessian singular")
    box = None if domain is None else check_box(domain, x)
    model_domain = getattr(surface, "domain", Quadratic.domain)

    f, g, H = _derivatives(surface, x)
    points, values, grad_norms, taken, records = [x], [f], [np.hypot(*g)], [], []
    status = "max_steps" if _valid(x, f, g, H, bound) else "diverged"
    while status == "max_steps" and len(taken) < n_max:
        if grad_norms[-1] < tol:
            status = "converged"
            break
        B, modified = modified_hessian(H, floor)
        p = -np.linalg.solve(B, g)
        if not g @ p < 0:  # only where g = 0: nothing goes down
            status = "converged"
            break
        search = armijo(surface, x, p)
        if not search.accepted:
            status = "converged"
            break
        x_new = x + search.t * p
        f_new, g_new, H_new = _derivatives(surface, x_new)
        if not _valid(x_new, f_new, g_new, H_new, bound):
            status = "diverged"
        elif box is not None and not inside(x_new, box):
            status = "left_domain"
        else:
            model = Quadratic(B, b=B @ x - g, c=f - g @ x + x @ B @ x / 2, domain=model_domain, name="newton_model")
            records.append(NewtonStep(x, g, H, model, p, search.t, search.trials, modified))
            taken.append(search.t * p)
            x, f, g, H = x_new, f_new, g_new, H_new
            points.append(x)
            values.append(f)
            grad_norms.append(np.hypot(*g))
    if status == "max_steps" and grad_norms[-1] < tol:
        status = "converged"
    return NewtonTrajectory(
        np.array(points),
        np.array(values),
        np.array(grad_norms),
        status,
        len(taken),
        steps=np.array(taken).reshape(-1, 2),
        newton_steps=tuple(records),
    )


def _derivatives(surface: Any, x: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """:math:`f`, :math:`\\nabla f` and :math:`\\nabla^2 f` at the point ``x``."""
    with np.errstate(all="ignore"):
        return float(surface.value(x)), np.asarray(surface.gradient(x), float), np.asarray(surface.hessian(x), float)


def _valid(x: np.ndarray, f: float, g: np.ndarray, H: np.ndarray, bound: float) -> bool:
    """Finite value, gradient and Hessian, and :math:`\\|x\\| \\le` ``bound``."""
    return bool(np.hypot(*x) <= bound and np.isfinite(f) and np.all(np.isfinite(g)) and np.all(np.isfinite(H)))
