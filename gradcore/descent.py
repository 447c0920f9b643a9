r"""Discrete descent: run an update rule from one or many starts and record the path.

:func:`descend` iterates :math:`x_{k+1} = x_k + \Delta x_k` with any
:class:`~gradcore.optimizers.Optimizer`, for a single start ``(2,)`` or a batch
``(k, 2)`` at once (vectorized over the starts).  :func:`steepest_descent_exact`
and :func:`conjugate_gradient` are the two classic methods for a positive-definite
:class:`~gradcore.quadratic.Quadratic`, run through the same loop.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from gradcore.optimizers import Optimizer, SgdState
from gradcore.surface import Surface, check_domain, check_finite, check_nonnegative, check_positive

__all__ = [
    "STATUSES",
    "Trajectory",
    "check_box",
    "check_start",
    "conjugate_gradient",
    "descend",
    "inside",
    "steepest_descent_exact",
]

STATUSES = ("converged", "max_steps", "diverged", "left_domain")
"""Why a descent stopped: gradient norm below ``tol``, ran all ``steps``, the next point was
non-finite or beyond ``bound``, the next point was outside ``domain``."""


@dataclass(frozen=True, eq=False)
class Trajectory:
    r"""The path of a descent, from one start or a batch of ``k`` starts.

    Attributes
    ----------
    points : ndarray, shape (n + 1, 2) or (n + 1, k, 2)
        ``points[0]`` is the start.  A start that stopped before the others repeats
        its last point; ``n`` is the largest ``n_steps``.
    values : ndarray, shape (n + 1,) or (n + 1, k)
        :math:`f` at ``points``.
    grad_norms : ndarray, shape (n + 1,) or (n + 1, k)
        :math:`\|\nabla f\|` at ``points``.
    status : str or ndarray of str, shape (k,)
        One of :data:`STATUSES` per start.
    n_steps : int or ndarray of int, shape (k,)
        Steps taken; ``points[n_steps]`` is where each start ended.
    """

    points: np.ndarray
    values: np.ndarray
    grad_norms: np.ndarray
    status: str | np.ndarray
    n_steps: int | np.ndarray


def check_start(start: Any, *, batch: bool = True) -> np.ndarray:
    """Validate a start point ``(2,)`` (or, with ``batch``, a batch ``(k, 2)``) of finite floats."""
    points = check_finite(start, "start")
    shapes = "(2,) or (k, 2)" if batch else "(2,)"
    if not (1 <= points.ndim <= (2 if batch else 1) and points.shape[-1] == 2 and points.size):
        raise ValueError(f"start must have shape {shapes}, got shape {points.shape}")
    return points


def check_box(domain: Any, start: np.ndarray) -> np.ndarray:
    """Validate ``domain`` as a ``(2, 2)`` array of intervals that contains every start."""
    box = np.array(check_domain(domain))
    if not np.all(inside(start, box)):
        raise ValueError(f"start must lie inside domain {domain!r}; move the start or enlarge the domain")
    return box


def inside(points: np.ndarray, box: np.ndarray) -> np.ndarray:
    """Whether each point of ``(..., 2)`` lies in the closed box ``((xmin, xmax), (ymin, ymax))``."""
    x, y = points[..., 0], points[..., 1]
    return (box[0, 0] <= x) & (x <= box[0, 1]) & (box[1, 0] <= y) & (y <= box[1, 1])


def descend(
    surface: Surface,
    start: Any,
    optimizer: Optimizer,
    steps: int = 100,
    tol: float = 1e-8,
    domain: Any = None,
    bound: float = 1e8,
) -> Trajectory:
    r"""Run ``optimizer`` on ``surface`` from ``start``, at most ``steps`` steps.

    Each start stops on its own: ``"converged"`` when :math:`\|\nabla f(x_k)\| <` ``tol``;
    ``"diverged"`` when the next point, its value or its gradient is non-finite (a gradient
    norm beyond about 1e154 counts) or :math:`\|x_{k+1}\| >` ``bound``; ``"left_domain"``
    when the next point is outside ``domain`` (if given); otherwise ``"max_steps"``.  A
    diverging start ends at its last finite point, one leaving the domain at its last point
    inside; a start where :math:`f` is not finite is ``"diverged"`` after 0 steps.  A batch
    of starts runs vectorized and gives exactly the same numbers as separate runs.

    Parameters
    ----------
    surface : Surface
        Anything with vectorized ``value`` and ``gradient``.
    start : array_like, shape (2,) or (k, 2)
        Finite start point(s), inside ``domain`` if given.
    optimizer : Optimizer
        An update rule, e.g. ``adam(0.01)``.
    steps : int
        Most steps to take, at least 1.
    tol : float
        Gradient-norm threshold for convergence (0 never converges).
    domain : ((xmin, xmax), (ymin, ymax)), optional
        Stop a start when it would leave this box.
    bound : float
        Stop a start as diverged when it would go farther than this from the origin.

    Examples
    --------
    >>> from gradcore.optimizers import sgd
    >>> from gradcore.quadratic import bowl
    >>> path = descend(bowl(), (-3.0, 4.0), sgd(0.1), steps=100)
    >>> path.status, path.n_steps, path.points.shape
    ('converged', 93, (94, 2))
    """
    start = check_start(start)
    try:
        n_max = operator.index(steps)
    except TypeError:
        n_max = 0
    if n_max < 1:
        raise ValueError(f"steps must be an integer >= 1, got {steps!r}")
    tol = check_nonnegative(tol, "tol")
    bound = check_positive(bound, "bound")
    box = None if domain is None else check_box(domain, start)
    if not (callable(getattr(optimizer, "init", None)) and callable(getattr(optimizer, "update", None))):
        raise ValueError(f"optimizer must be an Optimizer such as gradcore.adam(0.01), got {optimizer!r}")

    x = np.atleast_2d(start)
    k = len(x)
    points = np.empty((n_max + 1, k, 2))
    values = np.empty((n_max + 1, k))
    grad_norms = np.empty((n_max + 1, k))
    status = np.full(k, "max_steps", dtype="<U11")
    n_steps = np.zeros(k, dtype=int)
    with np.errstate(all="ignore"):
        f, g = surface.value(x), surface.gradient(x)
        g_norm = _norm(g)
        running = _valid(x, f, g_norm, bound)
        status[~running] = "diverged"
        state = optimizer.init(x)
        for i in range(n_max + 1):
            points[i], values[i], grad_norms[i] = x, f, g_norm
            converged = running & (g_norm < tol)
            status[converged] = "converged"
            running &= ~converged
            if i == n_max or not running.any():
                break
            step, state = optimizer.update(g, state, x)
            x_new = x + step
            f_new, g_new = surface.value(x_new), surface.gradient(x_new)
            g_norm_new = _norm(g_new)
            diverged = running & ~_valid(x_new, f_new, g_norm_new, bound)
            left = running & ~diverged & (False if box is None else ~inside(x_new, box))
            status[diverged], status[left] = "diverged", "left_domain"
            running &= ~(diverged | left)
            n_steps[running] = i + 1
            # keep the last point of the starts that stopped
            pairs = np.repeat(running, 2).reshape(k, 2)
            x, g = np.where(pairs, x_new, x), np.where(pairs, g_new, g)
            f, g_norm = np.where(running, f_new, f), np.where(running, g_norm_new, g_norm)

    n = n_steps.max() + 1
    if start.ndim == 1:
        return Trajectory(points[:n, 0], values[:n, 0], grad_norms[:n, 0], str(status[0]), int(n_steps[0]))
    return Trajectory(points[:n], values[:n], grad_norms[:n], status, n_steps)


def _valid(x: np.ndarray, f: np.ndarray, g_norm: np.ndarray, bound: float) -> np.ndarray:
    r"""Finite value and gradient, and :math:`\|x\| \le` ``bound`` (false for non-finite x)."""
    return (_norm(x) <= bound) & np.isfinite(f) & np.isfinite(g_norm)


def _norm(v: np.ndarray) -> np.ndarray:
    r""":math:`\|v\|` over the last axis; it overflows to inf beyond about 1e154."""
    return np.sqrt(_dot(v, v))


def _dot(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """:math:`u^T v` over the last axis (explicit, so a batch rounds like a single point)."""
    return u[..., 0] * v[..., 0] + u[..., 1] * v[..., 1]


def _matvec(A: np.ndarray, v: np.ndarray) -> np.ndarray:
    """:math:`A v` over the last axis of ``v``."""
    return v[..., :1] * A[:, 0] + v[..., 1:] * A[:, 1]


def _positive_definite(quadratic: Any) -> np.ndarray:
    A = getattr(quadratic, "A", None)
    if np.shape(A) != (2, 2):
        raise ValueError(f"quadratic must be a Quadratic with a 2x2 matrix A, got {quadratic!r}")
    A = np.asarray(A, dtype=float)
    if not np.all(np.linalg.eigvalsh(A) > 0):
        raise ValueError(f"quadratic must be positive definite for this method, got A = {A.tolist()}")
    return A


def _exact_line_search(A: np.ndarray) -> Optimizer:
    """Steepest descent with the exact step along :math:`-g` on :math:`\\tfrac12 x^T A x - b^T x`."""

    def init(x0: np.ndarray) -> SgdState:
        return SgdState()

    def update(grad: np.ndarray, state: SgdState, x: np.ndarray | None = None) -> tuple[np.ndarray, SgdState]:
        g = np.asarray(grad, dtype=float)
        alpha = _dot(g, g) / _dot(g, _matvec(A, g))  # α = gᵀg / gᵀAg minimizes f(x - α g)
        return -alpha[..., None] * g, state  # Δx = -α g

    return Optimizer(init, update, "steepest_descent_exact")


class _ConjugateState(NamedTuple):
    direction: np.ndarray
    grad_sq: np.ndarray


def _linear_cg(A: np.ndarray) -> Optimizer:
    """Linear conjugate gradient (Nocedal and Wright, Algorithm 5.2) with residual :math:`r = g`."""

    def init(x0: np.ndarray) -> _ConjugateState:
        # A zero previous direction makes the first step steepest descent.
        return _ConjugateState(direction=np.zeros_like(x0), grad_sq=np.ones(np.shape(x0)[:-1]))

    def update(
        grad: np.ndarray, state: _ConjugateState, x: np.ndarray | None = None
    ) -> tuple[np.ndarray, _ConjugateState]:
        g = np.asarray(grad, dtype=float)
        gg = _dot(g, g)  # rᵀr
        beta = gg / state.grad_sq  # β = rᵀr / r_prevᵀ r_prev
        d = -g + beta[..., None] * state.direction  # p = -r + β p_prev
        alpha = gg / _dot(d, _matvec(A, d))  # α = rᵀr / pᵀAp
        return alpha[..., None] * d, _ConjugateState(direction=d, grad_sq=gg)  # Δx = α p

    return Optimizer(init, update, "conjugate_gradient")


def steepest_descent_exact(quadratic: Any, start: Any, steps: int = 50, tol: float = 1e-12) -> Trajectory:
    r"""Steepest descent with exact line search on a positive-definite quadratic.

    .. math::

        g_k = A x_k - b, \qquad \alpha_k = \frac{g_k^T g_k}{g_k^T A g_k}, \qquad
        x_{k+1} = x_k - \alpha_k g_k

    Successive steps are orthogonal, so the path zig-zags on an elongated quadratic.
    Arguments as in :func:`descend`; ``tol`` must be > 0.
    """
    A = _positive_definite(quadratic)
    return descend(quadratic, start, _exact_line_search(A), steps=steps, tol=check_positive(tol, "tol"))


def conjugate_gradient(quadratic: Any, start: Any, tol: float = 1e-12) -> Trajectory:
    r"""Linear conjugate gradient on a positive-definite quadratic: the minimum in 2 steps.

    .. math::

        p_0 = -g_0, \qquad \alpha_k = \frac{g_k^T g_k}{p_k^T A p_k}, \qquad
        x_{k+1} = x_k + \alpha_k p_k, \qquad
        p_{k+1} = -g_{k+1} + \frac{g_{k+1}^T g_{k+1}}{g_k^T g_k}\, p_k

    The directions are :math:`A`-conjugate, :math:`p_0^T A p_1 = 0`, so in two dimensions
    two steps reach :math:`A^{-1} b` up to rounding.  ``tol`` must be > 0.
    """
    A = _positive_definite(quadratic)
    return descend(quadratic, start, _linear_cg(A), steps=2, tol=check_positive(tol, "tol"))
