r"""Discrete descent: run an update rule from one or many starts and record the path.

:func:`descend` iterates :math:`x_{k+1} = x_k + \Delta x_k` with any
:class:`~gradcore.optimizers.Optimizer`, for a single start ``(2,)`` or a batch
``(k, 2)`` at once (vectorized over the starts); optionally it shortens each step by a
backtracking line search, or feeds the optimizer minibatch gradients of a loss made of
samples.  :func:`steepest_descent_exact` and :func:`conjugate_gradient` are the two classic
methods for a positive-definite :class:`~gradcore.quadratic.Quadratic`, run through the same
loop.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from gradcore.linesearch import backtrack
from gradcore.optimizers import Optimizer, SgdState
from gradcore.surface import Surface, check_domain, check_finite, check_nonnegative, check_positive

__all__ = [
    "LINE_SEARCHES",
    "STATUSES",
    "Trajectory",
    "check_box",
    "check_start",
    "conjugate_gradient",
    "descend",
    "distance_to_edge",
    "distance_tolerance",
    "inside",
    "steepest_descent_exact",
]

MAX_STEPS = 100_000
"""Most steps :func:`descend` takes: a scene draws hundreds, and 1e5 steps run in about a second."""
MAX_POINTS = 20_000_000
"""Most recorded points (``(steps + 1) * starts``), about 480 MB of path arrays."""

LINE_SEARCHES = ("armijo",)
"""The line searches :func:`descend` knows (see :func:`~gradcore.linesearch.armijo`)."""

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
    states : tuple, length n + 1, or None
        Only with ``descend(..., keep_states=True)``: ``states[i]`` is the optimizer's state
        before step ``i`` (``states[0]`` is ``optimizer.init(start)``, ``states[n_steps]`` the
        state after the last step), with the batch axis as in ``points``.  A start that has
        stopped keeps its last state, except in fields shared by the whole batch (Adam's
        ``count`` goes on counting).
    steps : ndarray, shape (n, 2) or (n, k, 2), or None
        Only with ``keep_states=True``: the step :math:`\Delta x_i` the optimizer returned
        at ``points[i]``, so ``points[i + 1] = points[i] + steps[i]``; 0 once a start has
        stopped (a rejected diverging or leaving step is not kept).
    """

    points: np.ndarray
    values: np.ndarray
    grad_norms: np.ndarray
    status: str | np.ndarray
    n_steps: int | np.ndarray
    states: tuple[Any, ...] | None = None
    steps: np.ndarray | None = None

    @property
    def n_starts(self) -> int | None:
        """How many starts a batch path has; None for a single start."""
        return None if self.points.ndim == 2 else self.points.shape[1]

    def of_start(self, i: int) -> Trajectory:
        """Start ``i``'s path of a batch, as :func:`descend` returns for that start alone
        (up to the batch's length: a start that stopped early repeats its last point)."""
        k = self.n_starts
        if k is None:
            raise ValueError("of_start: this path has a single start; use the path itself")
        if not (_is_integer(i) and -k <= i < k):
            raise ValueError(f"of_start: start {i!r} is not one of the {k} starts; give 0 to {k - 1}")
        pick = lambda a: a[i] if _per_start(a, k) else a  # noqa: E731
        return Trajectory(
            points=self.points[:, i],
            values=self.values[:, i],
            grad_norms=self.grad_norms[:, i],
            status=str(self.status[i]),
            n_steps=int(self.n_steps[i]),
            states=None if self.states is None else tuple(_map_fields(pick, s) for s in self.states),
            steps=None if self.steps is None else self.steps[:, i],
        )


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
    *,
    keep_states: bool = False,
    line_search: str | None = None,
    batch_size: int | None = None,
    seed: int = 0,
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
        Most steps to take, from 1 to :data:`MAX_STEPS`; ``(steps + 1) * k`` is at most
        :data:`MAX_POINTS`.
    tol : float
        Gradient-norm threshold for convergence (0 never converges).
    domain : ((xmin, xmax), (ymin, ymax)), optional
        Stop a start when it would leave this box.
    bound : float
        Stop a start as diverged when it would go farther than this from the origin.
    keep_states : bool
        Also keep the optimizer's state before each step and the steps themselves, as the
        trajectory's ``states`` and ``steps`` (what a scene that takes a step apart draws:
        momentum's velocity, Adam's moments).  Off by default, at no cost; on, it keeps about
        as much again as ``points`` per state field.  To take all ``steps`` steps, stopping
        only on divergence, pass ``tol=0`` and no ``domain``.
    line_search : {None, "armijo"}
        ``"armijo"``: the optimizer's step :math:`\Delta x_k` gives only the direction; its
        length is backtracked, :math:`x_{k+1} = x_k + t_k \Delta x_k` with the first of
        :math:`t = 1, \tfrac12, \tfrac14, \ldots` (at most 50) that satisfies the Armijo
        condition :math:`f(x_k + t \Delta x_k) \le f(x_k) + 10^{-4}\, t\, \nabla f(x_k)^T
        \Delta x_k` (:func:`~gradcore.linesearch.backtrack`), or the last one tried.  A step that
        does not point downhill (:math:`\nabla f^T \Delta x \ge 0`, as momentum's may) is
        taken whole.  The optimizer's state is updated as if its step were taken whole;
        ``steps`` keeps the steps taken, :math:`t_k \Delta x_k`.
    batch_size : int, optional
        For a loss that is a mean over samples (a surface with ``n_samples`` and
        ``minibatch_gradient(params, indices)``, such as
        :func:`~gradcore.leastsquares.least_squares`): the optimizer sees, at each step, the
        mean gradient over ``batch_size`` samples drawn without replacement, the same samples
        for every start of a batch.  ``values``, ``grad_norms`` and ``tol`` stay those of the
        whole loss.  A ``batch_size`` of at least ``n_samples`` is the full gradient: plain
        descent, exactly.  Not with ``line_search``.
    seed : int
        Seed of ``numpy.random.default_rng`` for the minibatches (only with ``batch_size``):
        the same seed draws the same samples, so the same path.

    Examples
    --------
    >>> from gradcore.optimizers import sgd
    >>> from gradcore.quadratic import bowl
    >>> path = descend(bowl(), (-3.0, 4.0), sgd(0.1), steps=100)
    >>> path.status, path.n_steps, path.points.shape
    ('converged', 93, (94, 2))
    >>> descend(bowl(), (-3.0, 4.0), sgd(1.0), steps=100, line_search="armijo").n_steps  # t = 1/2
    1
    """
    start = check_start(start)
    try:
        n_max = operator.index(steps)
    except TypeError:
        n_max = 0
    if not 1 <= n_max <= MAX_STEPS:
        raise ValueError(f"steps must be an integer from 1 to {MAX_STEPS:,}, got {steps!r}")
    if (n_max + 1) * (start.size // 2) > MAX_POINTS:
        raise ValueError(
            f"steps + 1 = {n_max + 1:,} times {start.size // 2:,} starts is more than {MAX_POINTS:,} "
            "recorded points; run fewer steps or split the starts into batches"
        )
    if not (callable(getattr(surface, "value", None)) and callable(getattr(surface, "gradient", None))):
        raise ValueError(
            f"surface must be a 2-D surface with value and gradient (e.g. gradcore.bowl()), got {surface!r}"
        )
    tol = check_nonnegative(tol, "tol")
    bound = check_positive(bound, "bound")
    box = None if domain is None else check_box(domain, start)
    if not (callable(getattr(optimizer, "init", None)) and callable(getattr(optimizer, "update", None))):
        raise ValueError(f"optimizer must be an Optimizer such as gradcore.adam(0.01), got {optimizer!r}")
    if line_search is not None and line_search not in LINE_SEARCHES:
        raise ValueError(
            f"line_search must be None or one of {', '.join(map(repr, LINE_SEARCHES))}, got {line_search!r}"
        )
    if line_search is not None and batch_size is not None:
        raise ValueError(
            "line_search and batch_size cannot be combined: the line search tests the whole loss, "
            "which a minibatch direction need not lower; pass one of them"
        )
    sample = None if batch_size is None else _minibatch_gradients(surface, batch_size, seed)

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
        states, moved = [], np.zeros((n_max if keep_states else 0, k, 2))
        for i in range(n_max + 1):
            points[i], values[i], grad_norms[i] = x, f, g_norm
            if keep_states:
                states.append(state)
            converged = running & (g_norm < tol)
            status[converged] = "converged"
            running &= ~converged
            if i == n_max or not running.any():
                break
            step, new_state = _update(optimizer, g if sample is None else sample(x), state, x, i)
            if line_search is not None:
                t, _, _ = backtrack(surface, x, f, _dot(g, step), step)
                step = t[:, None] * step  # t Δx
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
            if keep_states:  # a start that stopped takes no step and keeps its state
                moved[i] = np.where(pairs, step, 0.0)
                new_state = _where_state(running, new_state, state)
            state = new_state

    n = n_steps.max() + 1
    kept = {"states": tuple(states[:n]), "steps": moved[: n - 1]} if keep_states else {}
    if start.ndim == 1:
        if keep_states:
            kept = {"states": tuple(_state_of_first(s) for s in kept["states"]), "steps": kept["steps"][:, 0]}
        return Trajectory(points[:n, 0], values[:n, 0], grad_norms[:n, 0], str(status[0]), int(n_steps[0]), **kept)
    return Trajectory(points[:n], values[:n], grad_norms[:n], status, n_steps, **kept)


def _update(optimizer: Optimizer, grad: np.ndarray, state: Any, x: np.ndarray, k: int) -> tuple[np.ndarray, Any]:
    """The optimizer's step and new state at step ``k``; a scheduled optimizer is told ``k``."""
    if getattr(optimizer, "scheduled", False):
        return optimizer.update(grad, state, x, k=k)
    return optimizer.update(grad, state, x)


def _minibatch_gradients(surface: Any, batch_size: Any, seed: Any) -> Any:
    """``x -> `` the mean gradient over ``batch_size`` samples, drawn afresh at each call
    without replacement by ``numpy.random.default_rng(seed)``; None for a full batch."""
    minibatch, n = getattr(surface, "minibatch_gradient", None), getattr(surface, "n_samples", None)
    if not (callable(minibatch) and isinstance(n, (int, np.integer))):
        raise ValueError(
            "batch_size needs a loss made of samples, a surface with n_samples and "
            f"minibatch_gradient(params, indices) such as gradcore.least_squares(x, y), got {surface!r}"
        )
    if not (_is_integer(batch_size) and batch_size >= 1):
        raise ValueError(f"batch_size must be an integer >= 1, got {batch_size!r}")
    if not (_is_integer(seed) and seed >= 0):
        raise ValueError(f"seed must be an integer >= 0, got {seed!r}")
    if batch_size >= n:
        return None  # every sample: the full gradient itself
    rng = np.random.default_rng(seed)
    return lambda x: minibatch(x, rng.choice(n, size=batch_size, replace=False))


def _is_integer(value: Any) -> bool:
    return isinstance(value, (int, np.integer)) and not isinstance(value, bool)


def _per_start(field: Any, k: int) -> bool:
    """Whether a state field has one entry per start (a leading axis of length ``k``)."""
    return isinstance(field, np.ndarray) and field.ndim >= 1 and len(field) == k


def _map_fields(fn: Any, state: Any, *others: Any) -> Any:
    """Apply ``fn`` to each field of a NamedTuple ``state`` (or to an array state itself)."""
    if isinstance(state, tuple) and hasattr(state, "_fields"):
        return type(state)(*(fn(*fields) for fields in zip(state, *others)))
    return fn(state, *others) if isinstance(state, np.ndarray) else state


def _where_state(running: np.ndarray, new: Any, old: Any) -> Any:
    """``new`` state for the running starts, ``old`` for the stopped ones, field by field."""
    k = len(running)

    def pick(a: Any, b: Any) -> Any:
        if not (_per_start(a, k) and np.shape(b) == a.shape):
            return a  # shared by the batch, such as Adam's count
        return np.where(running.reshape((k,) + (1,) * (a.ndim - 1)), a, b)

    return _map_fields(pick, new, old)


def _state_of_first(state: Any) -> Any:
    """A single start's state: drop the batch axis of length 1 that :func:`descend` ran with."""
    return _map_fields(lambda a: a[0] if _per_start(a, 1) else a, state)


def distance_to_edge(point: Any, direction: Any, domain: Any) -> float | np.ndarray:
    r"""How far from ``point`` inside the box ``domain`` the ray along ``direction`` meets its edge.

    .. math::

        t = \min_{i : u_i \ne 0} \frac{e_i - p_i}{u_i}, \qquad
        e_i = \begin{cases} \text{high}_i & u_i > 0 \\ \text{low}_i & u_i < 0 \end{cases}

    with :math:`u` the unit vector along ``direction``, so :math:`p + t u` is on the edge and
    :math:`t` is a distance.  A ray along a side's axis (:math:`u_i = 0`) never meets that
    pair of sides.  0 for a point on the edge looking out.

    Parameters
    ----------
    point : array_like, shape (2,) or (k, 2)
        Finite point(s) in the closed box.
    direction : array_like, shape (2,) or (k, 2)
        Finite, nonzero direction(s); only the direction counts, not the length.  Broadcast
        against ``point``.
    domain : ((xmin, xmax), (ymin, ymax))
        The box.

    Returns
    -------
    float or ndarray, shape (k,)

    Raises
    ------
    ValueError
        If a point is outside the box, a direction is zero, or either is not finite.

    Examples
    --------
    >>> distance_to_edge((0.0, 0.0), (1.0, 0.0), ((-1, 2), (-1, 1)))
    2.0
    >>> round(distance_to_edge((0.0, 0.0), (1.0, 1.0), ((-1, 2), (-1, 1))), 6)  # the top side
    1.414214
    """
    p, d = check_finite(point, "point"), check_finite(direction, "direction")
    for name, array in (("point", p), ("direction", d)):
        if not (1 <= array.ndim <= 2 and array.shape[-1] == 2 and array.size):
            raise ValueError(f"{name} must have shape (2,) or (k, 2), got shape {array.shape}")
    box = np.array(check_domain(domain))
    if not np.all(inside(p, box)):
        raise ValueError(f"point must lie inside domain {domain!r}, got {point!r}")
    length = np.hypot(d[..., 0], d[..., 1])
    if np.any(length == 0):
        raise ValueError(f"direction must be nonzero, got {direction!r}")
    u = d / length[..., None]
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(u > 0, box[:, 1] - p, box[:, 0] - p) / u
    t = np.abs(np.where(u != 0, t, np.inf)).min(axis=-1)  # abs: -0.0 on the edge
    return float(t) if t.ndim == 0 else t


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
    Arguments as in :func:`descend`; ``tol`` must be > 0 and is relative: ``"converged"``
    means the point is within ``tol * max(1, |x*|, |x0|)`` of the minimizer :math:`x^*` (see
    :func:`distance_tolerance`).
    """
    A = _positive_definite(quadratic)
    gtol = distance_tolerance(quadratic, start, tol)
    return descend(quadratic, start, _exact_line_search(A), steps=steps, tol=gtol)


def conjugate_gradient(quadratic: Any, start: Any, tol: float = 1e-12) -> Trajectory:
    r"""Linear conjugate gradient on a positive-definite quadratic: the minimum in 2 steps.

    .. math::

        p_0 = -g_0, \qquad \alpha_k = \frac{g_k^T g_k}{p_k^T A p_k}, \qquad
        x_{k+1} = x_k + \alpha_k p_k, \qquad
        p_{k+1} = -g_{k+1} + \frac{g_{k+1}^T g_{k+1}}{g_k^T g_k}\, p_k

    The directions are :math:`A`-conjugate, :math:`p_0^T A p_1 = 0`, so in two dimensions
    two steps reach :math:`A^{-1} b` up to rounding.  ``tol`` must be > 0 and is relative, as
    in :func:`steepest_descent_exact`: a nearly singular :math:`A` does not make a point far
    from the minimizer look converged.
    """
    A = _positive_definite(quadratic)
    return descend(quadratic, start, _linear_cg(A), steps=2, tol=distance_tolerance(quadratic, start, tol))


def distance_tolerance(quadratic: Any, start: Any, tol: float) -> float:
    r"""The gradient norm below which a point of a positive-definite quadratic is within
    ``tol`` (relative) of the minimizer.

    Since :math:`x - x^* = A^{-1} \nabla f(x)`, :math:`\|x - x^*\| \le \|\nabla f(x)\| / \lambda_{min}`,
    so :math:`\|\nabla f\| \le \mathrm{tol}\, \lambda_{min} \max(1, \|x^*\|, \|x_0\|)` bounds the
    distance by ``tol`` times the problem's scale. An absolute gradient tolerance would call
    :math:`(0, 1)` converged on :math:`\tfrac12 (x^2 + 10^{-12} y^2)`, one unit from the minimum.
    """
    A = _positive_definite(quadratic)
    tol = check_positive(tol, "tol")
    minimizer = np.linalg.solve(A, np.asarray(quadratic.b, dtype=float))
    scale = max(1.0, float(np.linalg.norm(minimizer)), float(np.max(_norm(check_start(start)))))
    return tol * float(np.linalg.eigvalsh(A)[0]) * scale
