r"""A ball (point mass) sliding on the graph :math:`z = f(x, y)` under gravity, with friction.

The exact constrained dynamics, not the small-slope approximation
:math:`\ddot q = -g \nabla f`.  With :math:`q = (x, y)`, the 3-D position is
:math:`(q, f(q))` and its velocity :math:`(\dot q, \nabla f \cdot \dot q)`, so

.. math::

    L = \tfrac{m}{2}\left(|\dot q|^2 + (\nabla f \cdot \dot q)^2\right) - m g f(q).

The Euler-Lagrange equations, with a viscous force :math:`-c\,v` on the 3-D velocity
(Rayleigh dissipation :math:`\tfrac{c}{2}|v|^2`, generalized force :math:`-c M \dot q`), are

.. math::

    M \ddot q = -\left(g + \dot q^T H \dot q\right) \nabla f - \tfrac{c}{m} M \dot q,
    \qquad M = I + \nabla f \nabla f^T,

with :math:`H = \nabla^2 f`.  Since :math:`M \nabla f = (1 + |\nabla f|^2) \nabla f`
(Sherman-Morrison), the 2x2 system solves in closed form:

.. math::

    \ddot q = -\frac{g + \dot q^T H \dot q}{1 + |\nabla f|^2}\, \nabla f - \frac{c}{m}\, \dot q.

The energy :math:`E = \tfrac{m}{2}|v|^2 + m g f` obeys :math:`\dot E = -c |v|^2`: it is
conserved without friction.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from gradcore.descent import check_box, check_start
from gradcore.flow import SOLVER_STEPS, check_max_steps, check_times, integrate, leave_event, terminal
from gradcore.surface import Surface, check_finite, check_nonnegative, check_positive

__all__ = ["Motion", "roll"]


@dataclass(frozen=True, eq=False)
class Motion:
    r"""A ball's motion on a surface, sampled at times ``t``.

    Attributes
    ----------
    t : ndarray, shape (n,)
        Sample times; the last one is when the motion stopped.
    points : ndarray, shape (n, 2)
        Position :math:`q = (x, y)` in the plane; the ball is at :math:`(q, f(q))`.
    heights : ndarray, shape (n,)
        :math:`f(q)`.
    velocities : ndarray, shape (n, 2)
        Plane velocity :math:`\dot q`.
    speeds : ndarray, shape (n,)
        3-D speed :math:`|v| = \sqrt{|\dot q|^2 + (\nabla f \cdot \dot q)^2}`.
    energy : ndarray, shape (n,)
        :math:`\tfrac{m}{2}|v|^2 + m g f(q)`.
    status : str
        ``"resting"``, ``"left_domain"``, ``"time_up"``, ``"diverged"`` (the solver failed) or
        ``"max_steps"`` (the solver took ``max_steps`` steps, or the default grid reached
        :data:`~gradcore.flow.MAX_SAMPLES` samples, before the end of ``t_span``).
    """

    t: np.ndarray
    points: np.ndarray
    heights: np.ndarray
    velocities: np.ndarray
    speeds: np.ndarray
    energy: np.ndarray
    status: str


def roll(
    surface: Surface,
    start: Any,
    velocity: Any = (0.0, 0.0),
    gravity: float = 9.81,
    friction: float = 0.0,
    t_span: Any = (0.0, 10.0),
    mass: float = 1.0,
    *,
    t_eval: Any = None,
    fps: float = 60.0,
    domain: Any = None,
    rest_tol: float = 1e-4,
    rtol: float = 1e-10,
    atol: float = 1e-12,
    method: str = "DOP853",
    max_steps: int = SOLVER_STEPS,
) -> Motion:
    r"""Roll a ball on ``surface`` from ``start`` (see the module docstring for the equations).

    The motion stops (terminal events) when the ball reaches the boundary of ``domain``
    (``"left_domain"``) or comes to rest: speed and gradient norm both below ``rest_tol``
    (``"resting"``).  Otherwise it runs to the end of ``t_span`` (``"time_up"``), unless the
    work bound stops it first (``"max_steps"``): at most ``max_steps`` solver steps, and at
    most :data:`~gradcore.flow.MAX_SAMPLES` samples.  The default sample grid is made only up
    to where the motion stopped, so a huge ``t_span`` costs nothing for a ball that comes to rest.

    Parameters
    ----------
    surface : Surface
        Needs ``value``, ``gradient`` and ``hessian``.
    start : array_like, shape (2,)
        Start :math:`q_0`, inside ``domain``.
    velocity : array_like, shape (2,)
        Initial plane velocity :math:`\dot q_0`.
    gravity : float
        :math:`g \ge 0`, acting along :math:`-z`.
    friction : float
        Viscous coefficient :math:`c \ge 0` of the force :math:`-c v` on the 3-D velocity
        (mass per time): a heavier ball is slowed less.
    t_span : (t0, t1)
        Time interval, ``t0 < t1``.
    mass : float
        :math:`m > 0`; it scales the energy and weakens the friction.
    t_eval : array_like, optional
        Increasing sample times within ``t_span``, at most :data:`~gradcore.flow.MAX_SAMPLES`;
        default a uniform grid at ``fps`` up to the stop.
    fps : float
        Samples per unit time of the default grid (60 matches a 60 fps render).
    domain : ((xmin, xmax), (ymin, ymax)), optional
        Default ``surface.domain``.
    rest_tol : float
        Speed and slope below which the ball counts as resting.
    rtol, atol, method
        The tolerances and the :mod:`scipy.integrate` solver (``"DOP853"``, ``"RK45"``, ...).
    max_steps : int
        Most solver steps, from 1 to :data:`~gradcore.flow.MAX_SOLVER_STEPS`.

    Raises
    ------
    ValueError
        Naming the parameter that is invalid or beyond its limit.

    Examples
    --------
    >>> from gradcore.quadratic import bowl
    >>> motion = roll(bowl(), (2.0, 1.0), friction=1.0, t_span=(0, 30))
    >>> motion.status, bool(np.allclose(motion.points[-1], 0, atol=1e-4))
    ('resting', True)
    """
    q0 = check_start(start, batch=False)
    v0 = check_finite(velocity, "velocity")
    if v0.shape != (2,):
        raise ValueError(f"velocity must have shape (2,), got shape {v0.shape}")
    gravity = check_nonnegative(gravity, "gravity")
    damping = check_nonnegative(friction, "friction") / check_positive(mass, "mass")
    rest_tol = check_positive(rest_tol, "rest_tol")
    span, times = check_times(t_span, t_eval)
    if times is None:
        # a whole number of samples per t_span, about fps per unit time (the grid ends on t1)
        samples = max(round((span[1] - span[0]) * check_positive(fps, "fps")), 1)
        fps = samples / (span[1] - span[0])
    else:
        fps = None
    max_steps = check_max_steps(max_steps)
    box = check_box(surface.domain if domain is None else domain, q0)
    if not np.all(np.isfinite(surface.hessian(q0))):
        raise ValueError(f"start must be a point where the surface is smooth (finite Hessian), got {q0.tolist()}")

    def accelerate(t: float, y: np.ndarray) -> np.ndarray:
        q, qdot = y[:2], y[2:]
        G, H = surface.gradient(q), surface.hessian(q)
        qddot = -(gravity + qdot @ H @ qdot) / (1 + G @ G) * G - damping * qdot
        return np.concatenate([qdot, qddot])

    def rest(t: float, y: np.ndarray) -> float:
        return max(np.hypot(*y[2:]), np.hypot(*surface.gradient(y[:2]))) - rest_tol

    events = {"resting": terminal(rest), "left_domain": leave_event(box)}
    t, states, status, _ = integrate(
        accelerate, span, np.concatenate([q0, v0]), events, times, max_steps=max_steps, fps=fps,
        rtol=rtol, atol=atol, method=method,
    )
    points, velocities = states[:, :2], states[:, 2:]
    heights = surface.value(points)
    slope_speed = np.sum(surface.gradient(points) * velocities, axis=-1)
    speeds = np.sqrt(np.sum(velocities**2, axis=-1) + slope_speed**2)
    energy = mass * (0.5 * speeds**2 + gravity * heights)
    return Motion(t, points, heights, velocities, speeds, energy, status)
