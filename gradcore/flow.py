r"""Gradient flow :math:`\dot x = -\nabla f(x)`, the continuous limit of gradient descent.

Also home of the small ``solve_ivp`` wrapper shared with :mod:`gradcore.rolling`:
terminal events, sampling at requested times, and why the integration stopped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
from scipy.integrate import solve_ivp

from gradcore.descent import check_box, check_start
from gradcore.surface import Surface, check_finite, check_interval, check_positive

__all__ = ["Flow", "check_times", "gradient_flow", "integrate", "leave_event", "terminal"]

Event = Callable[[float, np.ndarray], float]


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
        ``"time_up"`` (reached the end of ``t_span``) or ``"diverged"`` (the solver failed).
    interpolant : callable
        Times ``(m,)`` to points ``(m, 2)``, the solver's dense output.
    """

    t: np.ndarray
    points: np.ndarray
    values: np.ndarray
    grad_norms: np.ndarray
    status: str
    interpolant: Callable[[np.ndarray], np.ndarray]

    def at(self, t: Any) -> np.ndarray:
        """Points ``(m, 2)`` at times ``t`` ``(m,)`` within ``[self.t[0], self.t[-1]]``."""
        times = check_finite(t, "t")
        if times.ndim != 1 or np.any(times < self.t[0]) or np.any(times > self.t[-1]):
            raise ValueError(f"t must be a 1-D array of times within [{self.t[0]}, {self.t[-1]}], got {t!r}")
        return self.interpolant(times)


def terminal(event: Event) -> Event:
    """Mark ``event`` as a terminal event that fires when it falls through zero."""
    event.terminal = True
    event.direction = -1
    return event


def leave_event(box: np.ndarray) -> Event:
    """Signed distance of ``y[:2]`` to the boundary of ``box``, positive inside."""
    return terminal(lambda t, y: min(y[0] - box[0, 0], box[0, 1] - y[0], y[1] - box[1, 0], box[1, 1] - y[1]))


def check_times(t_span: Any, t_eval: Any) -> tuple[tuple[float, float], np.ndarray | None]:
    """Validate ``t_span = (t0, t1)`` with ``t0 < t1`` and optional increasing ``t_eval`` inside it."""
    t0, t1 = check_interval(t_span, "t_span")
    if t_eval is None:
        return (t0, t1), None
    times = check_finite(t_eval, "t_eval")
    if times.ndim != 1 or times.size == 0 or np.any(np.diff(times) <= 0) or times[0] < t0 or times[-1] > t1:
        raise ValueError(f"t_eval must be a non-empty increasing 1-D array within t_span {t_span!r}")
    return (t0, t1), times


def integrate(
    fun: Callable[[float, np.ndarray], np.ndarray],
    t_span: tuple[float, float],
    y0: np.ndarray,
    events: dict[str, Event],
    t_eval: np.ndarray | None,
    **solver: Any,
) -> tuple[np.ndarray, np.ndarray, str, Callable[[np.ndarray], np.ndarray]]:
    r"""Solve :math:`\dot y = \mathrm{fun}(t, y)` with terminal ``events``, sampled at ``t_eval``.

    Returns ``(t, states (n, d), status, interpolant)``; ``status`` is the name of the event
    that stopped it, ``"time_up"`` or ``"diverged"`` (solver failure).  An event already below
    zero at ``t0`` stops it at once.  Samples are the ``t_eval`` up to the stop, plus the stop
    time when an event or a failure ended it early; without ``t_eval``, the solver's steps.
    """
    t0 = t_span[0]
    already = [name for name, event in events.items() if event(t0, y0) < 0]
    if already:
        return np.array([t0]), y0[None], already[0], _constant(y0)
    with np.errstate(all="ignore"):
        sol = solve_ivp(fun, t_span, y0, events=list(events.values()), dense_output=True, **solver)
    fired = [name for name, times in zip(events, sol.t_events) if len(times)]
    status = fired[0] if sol.status == 1 else "diverged" if sol.status == -1 else "time_up"
    t_stop = sol.t[-1]
    if t_eval is None:
        times = sol.t
    else:
        times = t_eval[t_eval <= t_stop]
        if status != "time_up" and (times.size == 0 or times[-1] < t_stop):
            times = np.append(times, t_stop)
    interpolant = (lambda t: sol.sol(t).T) if len(sol.t) > 1 else _constant(y0)
    return times, interpolant(times), status, interpolant


def _constant(y0: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    return lambda t: np.broadcast_to(y0, (len(t),) + y0.shape)


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
    method: str = "DOP853",
) -> Flow:
    r"""Follow :math:`\dot x = -\nabla f(x)` from ``start`` with :func:`scipy.integrate.solve_ivp`.

    The flow stops (a terminal event) when :math:`\|\nabla f\|` falls below ``tol``
    (``"converged"``) or when it leaves ``domain`` if one is given (``"left_domain"``).
    Gradient descent with a small learning rate :math:`h` is the Euler method for this ODE:
    step :math:`k` is close to :math:`x(k h)`.

    Parameters
    ----------
    surface : Surface
    start : array_like, shape (2,)
        Finite start, inside ``domain`` if given.
    t_span : (t0, t1)
        Time interval, ``t0 < t1``.
    t_eval : array_like, optional
        Increasing sample times within ``t_span``; default the solver's own steps.
    tol : float
        Gradient norm at which the flow counts as converged, > 0.
    domain : ((xmin, xmax), (ymin, ymax)), optional
        Stop when the path reaches the boundary of this box.
    rtol, atol, method
        Passed to :func:`~scipy.integrate.solve_ivp`.
    """
    x0 = check_start(start, batch=False)
    tol = check_positive(tol, "tol")
    span, times = check_times(t_span, t_eval)
    events = {"converged": terminal(lambda t, x: np.hypot(*surface.gradient(x)) - tol)}
    if domain is not None:
        events["left_domain"] = leave_event(check_box(domain, x0))
    if not np.all(np.isfinite(surface.gradient(x0))):
        raise ValueError(f"start must be a point where the surface's gradient is finite, got {x0.tolist()}")

    def velocity(t: float, x: np.ndarray) -> np.ndarray:
        return -surface.gradient(x)

    t, points, status, interpolant = integrate(velocity, span, x0, events, times, rtol=rtol, atol=atol, method=method)
    grads = surface.gradient(points)
    return Flow(t, points, surface.value(points), np.hypot(grads[:, 0], grads[:, 1]), status, interpolant)
