r"""Gradient flow :math:`\dot x = -\nabla f(x)`, the continuous limit of gradient descent.

Also home of the small ODE driver shared with :mod:`gradcore.rolling`: terminal events,
sampling at requested times, why the integration stopped, and a bound on the work (the
solver's steps), so that a stiff problem or a huge time span ends with a status instead of
running for hours and filling the memory.
"""

from __future__ import annotations

import operator
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from scipy.integrate import DOP853, LSODA, RK23, RK45, BDF, OdeSolution, Radau
from scipy.optimize import brentq

from gradcore.descent import check_box, check_start
from gradcore.surface import Surface, check_finite, check_interval, check_positive

__all__ = [
    "MAX_SAMPLES",
    "MAX_SOLVER_STEPS",
    "SOLVER_STEPS",
    "STIFFNESS",
    "Flow",
    "check_max_steps",
    "check_times",
    "gradient_flow",
    "integrate",
    "leave_event",
    "level_crossings",
    "terminal",
]

Event = Callable[[float, np.ndarray], float]

SOLVER_STEPS = 10_000
"""Default most steps of the ODE solver (``max_steps``): a few seconds of work."""
MAX_SOLVER_STEPS = 1_000_000
"""Largest ``max_steps`` accepted."""
MAX_SAMPLES = 1_000_000
"""Most sample times (``t_eval``, or a default grid) of a flow or a motion."""
STIFFNESS = 1e4
r"""``method="auto"`` takes the implicit Radau method when :math:`\lambda_{max} (t_1 - t_0)` exceeds this,
with :math:`\lambda_{max}` the largest Hessian eigenvalue magnitude at the start: an explicit method
would need about that many steps to stay stable."""
_METHODS = {"RK23": RK23, "RK45": RK45, "DOP853": DOP853, "Radau": Radau, "BDF": BDF, "LSODA": LSODA}
_IMPLICIT = ("Radau", "BDF", "LSODA")


@dataclass(frozen=True, eq=False)
class Flow:
    r"""A gradient-flow path sampled at times ``t``.

    Attributes
    ----------
    t : ndarray, shape (n,)
        Sample times; the last one is when the flow stopped.
    points, values, grad_norms : ndarray, shapes (n, 2), (n,), (n,)
        :math:`x(t)`, :math:`f(x(t))` and :math:`\|\nabla f(x(t))\|`.
    status : str
        ``"converged"`` (gradient norm fell below ``tol``), ``"left_domain"``,
        ``"time_up"`` (reached the end of ``t_span``), ``"diverged"`` (the solver failed)
        or ``"max_steps"`` (the solver took ``max_steps`` steps first).
    interpolant : callable
        Times ``(m,)`` to points ``(m, 2)``, the solver's dense output.
    method : str
        The solver that ran (``"DOP853"``, or ``"Radau"`` for a stiff start under ``"auto"``).
    """

    t: np.ndarray
    points: np.ndarray
    values: np.ndarray
    grad_norms: np.ndarray
    status: str
    interpolant: Callable[[np.ndarray], np.ndarray]
    method: str = "DOP853"

    def at(self, t: Any) -> np.ndarray:
        """Points ``(m, 2)`` at times ``t`` ``(m,)`` within ``[self.t[0], self.t[-1]]``."""
        times = check_finite(t, "t")
        if times.ndim != 1 or np.any(times < self.t[0]) or np.any(times > self.t[-1]):
            raise ValueError(f"t must be a 1-D array of times within [{self.t[0]}, {self.t[-1]}], got {t!r}")
        return self.interpolant(times)


def terminal(event: Event) -> Event:
    """Mark ``event`` as a terminal event that fires when it falls through zero."""
    event.terminal = True  # type: ignore[attr-defined]
    event.direction = -1  # type: ignore[attr-defined]
    return event


def leave_event(box: np.ndarray) -> Event:
    """Signed distance of ``y[:2]`` to the boundary of ``box``, positive inside."""
    return terminal(lambda t, y: min(y[0] - box[0, 0], box[0, 1] - y[0], y[1] - box[1, 0], box[1, 1] - y[1]))


def check_times(t_span: Any, t_eval: Any) -> tuple[tuple[float, float], np.ndarray | None]:
    """Validate ``t_span = (t0, t1)`` with ``t0 < t1`` and optional increasing ``t_eval`` inside it.

    ``t_eval`` may hold at most :data:`MAX_SAMPLES` times.
    """
    t0, t1 = check_interval(t_span, "t_span")
    if t_eval is None:
        return (t0, t1), None
    times = check_finite(t_eval, "t_eval")
    if times.ndim != 1 or times.size == 0 or np.any(np.diff(times) <= 0) or times[0] < t0 or times[-1] > t1:
        raise ValueError(f"t_eval must be a non-empty increasing 1-D array within t_span {t_span!r}")
    if times.size > MAX_SAMPLES:
        raise ValueError(f"t_eval must hold at most {MAX_SAMPLES:,} times (MAX_SAMPLES), got {times.size:,}")
    return (t0, t1), times


def check_max_steps(max_steps: Any) -> int:
    """Validate ``max_steps``: an integer from 1 to :data:`MAX_SOLVER_STEPS`."""
    try:
        n = operator.index(max_steps)
    except TypeError:
        n = 0
    if not 1 <= n <= MAX_SOLVER_STEPS:
        raise ValueError(
            f"max_steps must be an integer from 1 to {MAX_SOLVER_STEPS:,} (MAX_SOLVER_STEPS), got {max_steps!r}"
        )
    return n


def integrate(
    fun: Callable[[float, np.ndarray], np.ndarray],
    t_span: tuple[float, float],
    y0: np.ndarray,
    events: dict[str, Event],
    t_eval: np.ndarray | None,
    *,
    max_steps: int = SOLVER_STEPS,
    fps: float | None = None,
    method: str = "DOP853",
    **options: Any,
) -> tuple[np.ndarray, np.ndarray, str, Callable[[np.ndarray], np.ndarray]]:
    r"""Solve :math:`\dot y = \mathrm{fun}(t, y)` with terminal ``events``, step by step.

    Returns ``(t, states (n, d), status, interpolant)``; ``status`` is the name of the event
    that stopped it, ``"time_up"``, ``"diverged"`` (solver failure) or ``"max_steps"`` (the
    solver took ``max_steps`` steps, or a grid at ``fps`` would pass :data:`MAX_SAMPLES`
    samples).  An event already below zero at ``t0`` stops it at once.  Samples are the
    ``t_eval`` up to the stop, plus the stop time when something ended it early; without
    ``t_eval``, a uniform grid at ``fps`` up to the stop, or without ``fps`` the solver's steps.
    The grid is made only up to where the integration stopped, so a huge ``t_span`` costs
    nothing when a ball comes to rest early.  ``options`` (``rtol``, ``atol``, ``jac``) go to
    the :mod:`scipy.integrate` solver class ``method``.
    """
    t0, t1 = t_span
    already = [name for name, event in events.items() if event(t0, y0) < 0]
    if already:
        return np.array([t0]), y0[None], already[0], _constant(y0)
    if fps is not None:
        # the default grid may not pass MAX_SAMPLES samples: stop the integration there
        t1 = min(t1, t0 + (MAX_SAMPLES - 1) / fps)
    if method not in _IMPLICIT:
        options.pop("jac", None)
    functions = list(events.values())
    with np.errstate(all="ignore"):
        solver = _METHODS[method](fun, t0, y0, t1, **options)
        ts, segments, g = [t0], [], np.array([e(t0, y0) for e in functions])
        status = "time_up"
        while solver.status == "running":
            if len(segments) == max_steps:
                status = "max_steps"
                break
            solver.step()
            if solver.status == "failed":
                status = "diverged"
                break
            t_old, t_new, segment = solver.t_old, solver.t, solver.dense_output()
            g_new = np.array([e(t_new, solver.y) for e in functions])
            fired = np.nonzero((g >= 0) & (g_new <= 0))[0]  # fell through zero (all are terminal)
            segments.append(segment)
            ts.append(t_new)
            if fired.size:
                roots = [_root(functions[i], segment, t_old, t_new) for i in fired]
                first = int(np.argmin(roots))
                status, ts[-1] = list(events)[fired[first]], roots[first]
                if ts[-1] <= t_old:  # on the previous step's end: drop the empty segment
                    ts.pop(), segments.pop()
                break
            g = g_new
    if status == "time_up" and ts[-1] < t_span[1]:
        status = "max_steps"  # the default grid's sample limit
    t_stop = ts[-1]
    interpolant = (lambda t: OdeSolution(ts, segments)(t).T) if segments else _constant(y0)
    if t_eval is not None:
        times = t_eval[t_eval <= t_stop]
    elif fps is not None:
        h = 1 / fps
        times = t0 + h * np.arange(int(np.floor((t_stop - t0) / h + 1e-9)) + 1)
        times[-1] = min(times[-1], t_stop)  # the grid's end on the stop, not an ulp past it
    else:
        times = np.array(ts)
    if status != "time_up" and (times.size == 0 or times[-1] < t_stop):
        times = np.append(times, t_stop)
    return times, interpolant(times), status, interpolant


def _root(event: Event, segment: Callable[[float], np.ndarray], t_old: float, t_new: float) -> float:
    """Where ``event`` falls through zero within one step, on the step's dense output."""
    g_old = event(t_old, segment(t_old))
    if g_old <= 0:
        return t_old
    eps = 4 * np.finfo(float).eps  # as solve_ivp
    return brentq(lambda t: event(t, segment(t)), t_old, t_new, xtol=eps, rtol=eps)


def _constant(y0: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    return lambda t: np.broadcast_to(y0, (len(t),) + y0.shape)


def level_crossings(flow: Flow, levels: Any) -> np.ndarray:
    r"""Points ``(m, 2)`` where the (decreasing) flow's value passes each of ``levels`` it crosses.

    For each level :math:`c` strictly between the flow's last and first value, from the
    highest down, the first sample :math:`i` with :math:`f_i \le c` and the one before it
    are joined linearly:

    .. math::

        p = x_{i-1} + s\,(x_i - x_{i-1}), \qquad s = \frac{f_{i-1} - c}{f_{i-1} - f_i} \in (0, 1].

    Limits: linear between samples, so the point is off the true crossing by
    :math:`O(\Delta t^2)` (sample densely, e.g. ``t_eval``); along a flow whose value does
    not decrease (rounding near a minimum) the first crossing counts.

    Parameters
    ----------
    flow : Flow
        From :func:`gradient_flow`.
    levels : float or array_like, shape (n,)
        Finite levels, in any order; levels the flow never crosses give no point.

    Returns
    -------
    ndarray, shape (m, 2)
        One point per level crossed, from the highest level down (the order the flow meets them).
    """
    levels = check_finite(np.atleast_1d(levels), "levels")
    if levels.ndim != 1:
        raise ValueError(f"levels must be a number or a 1-D sequence of numbers, got shape {levels.shape}")
    values = flow.values
    points = []
    for level in np.sort(levels)[::-1]:
        if not values[-1] < level < values[0]:
            continue
        i = int(np.argmax(values <= level))
        s = (values[i - 1] - level) / (values[i - 1] - values[i])
        points.append(flow.points[i - 1] + s * (flow.points[i] - flow.points[i - 1]))
    return np.array(points).reshape(-1, 2)


def gradient_flow(
    surface: Surface,
    start: Any,
    t_span: Any,
    t_eval: Any = None,
    *,
    tol: float = 1e-8,
    domain: Any = None,
    rtol: float = 1e-10,
    atol: float = 1e-12,
    method: str = "auto",
    max_steps: int = SOLVER_STEPS,
) -> Flow:
    r"""Follow :math:`\dot x = -\nabla f(x)` from ``start``, step by step with a :mod:`scipy.integrate` solver.

    The flow stops (a terminal event) when :math:`\|\nabla f\|` falls below ``tol``
    (``"converged"``) or when it leaves ``domain`` if one is given (``"left_domain"``).
    Gradient descent with a small learning rate :math:`h` is the Euler method for this ODE:
    step :math:`k` is close to :math:`x(k h)`.

    The work is bounded: after ``max_steps`` solver steps the flow stops with status
    ``"max_steps"``.  A stiff flow, whose curvatures differ by orders of magnitude
    (:math:`10^5 x^2 + y^2`), needs an implicit method: ``method="auto"`` takes Radau, with
    the exact Jacobian :math:`-\nabla^2 f`, when :math:`\lambda_{max}(\nabla^2 f(x_0))\,(t_1 - t_0)`
    exceeds :data:`STIFFNESS`, and the explicit DOP853 otherwise.

    Parameters
    ----------
    surface : Surface
        Needs ``value`` and ``gradient``, and ``hessian`` for a stiff flow.
    start : array_like, shape (2,)
        Finite start, inside ``domain`` if given.
    t_span : (t0, t1)
        Time interval, ``t0 < t1``.
    t_eval : array_like, optional
        Increasing sample times within ``t_span``, at most :data:`MAX_SAMPLES`; default the
        solver's own steps.
    tol : float
        Gradient norm at which the flow counts as converged, > 0.
    domain : ((xmin, xmax), (ymin, ymax)), optional
        Stop when the path reaches the boundary of this box.
    rtol, atol : float
        The solver's tolerances.
    method : str
        ``"auto"`` (see above), or a solver of :mod:`scipy.integrate`: ``"DOP853"``,
        ``"RK45"``, ``"RK23"``, ``"Radau"``, ``"BDF"``, ``"LSODA"``.
    max_steps : int
        Most solver steps, from 1 to :data:`MAX_SOLVER_STEPS` (default :data:`SOLVER_STEPS`).

    Raises
    ------
    ValueError
        Naming the parameter that is invalid or beyond its limit.
    """
    x0 = check_start(start, batch=False)
    tol = check_positive(tol, "tol")
    span, times = check_times(t_span, t_eval)
    max_steps = check_max_steps(max_steps)
    if method != "auto" and method not in _METHODS:
        raise ValueError(f"method must be 'auto' or one of {', '.join(_METHODS)}, got {method!r}")
    events = {"converged": terminal(lambda t, x: np.hypot(*surface.gradient(x)) - tol)}
    if domain is not None:
        events["left_domain"] = leave_event(check_box(domain, x0))
    if not np.all(np.isfinite(surface.gradient(x0))):
        raise ValueError(f"start must be a point where the surface's gradient is finite, got {x0.tolist()}")
    if method == "auto":
        method = "Radau" if _stiffness(surface, x0) * (span[1] - span[0]) > STIFFNESS else "DOP853"

    def velocity(t: float, x: np.ndarray) -> np.ndarray:
        return -surface.gradient(x)

    def jacobian(t: float, x: np.ndarray) -> np.ndarray:
        return -surface.hessian(x)

    t, points, status, interpolant = integrate(
        velocity, span, x0, events, times, max_steps=max_steps, method=method, rtol=rtol, atol=atol, jac=jacobian
    )
    grads = surface.gradient(points)
    return Flow(t, points, surface.value(points), np.hypot(grads[:, 0], grads[:, 1]), status, interpolant, method)


def _stiffness(surface: Surface, x0: np.ndarray) -> float:
    """The largest curvature magnitude at ``x0`` (0 when the Hessian is unknown or not finite)."""
    hessian = getattr(surface, "hessian", None)
    if hessian is None:
        return 0.0
    H = np.asarray(hessian(x0), dtype=float)
    return float(np.max(np.abs(np.linalg.eigvalsh(H)))) if np.all(np.isfinite(H)) else 0.0
