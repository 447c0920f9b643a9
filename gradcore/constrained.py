r"""Optimization along a constraint curve :math:`g(x, y) = 0`: Lagrange points and projected descent.

At a constrained extremum of :math:`f` the level set of :math:`f` touches the curve
:math:`g = 0`, so the two gradients are parallel:

.. math:: \nabla f(x) = \lambda \nabla g(x), \qquad g(x) = 0.

:func:`lagrange_point` solves this system by Newton's method from a start;
:func:`projected_descent` walks there instead, a gradient step followed by the exact
Euclidean projection (:func:`project`) back onto the curve. The constraint ``g`` is any
:class:`~gradcore.surface.Surface` (e.g. ``from_expression("x**2 + y**2 - 2")``); only its
zero set counts.

Every solver here is a damped Newton iteration with the exact derivatives (on a 3 x 3
system for the Lagrange conditions), at most ``max_iterations`` iterations of at most
:data:`MAX_HALVINGS` step halvings each.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from gradcore.descent import Trajectory, check_box, check_start, inside
from gradcore.surface import MAX_NEWTON_ITERATIONS, Surface, check_finite, check_nonnegative, check_positive

__all__ = [
    "FLOOR",
    "MAX_HALVINGS",
    "MAX_STEPS",
    "LagrangePoint",
    "lagrange_point",
    "project",
    "projected_descent",
    "projected_gradient",
]

MAX_STEPS = 10_000
"""Most steps of :func:`projected_descent`; each projects by Newton's method, about half a
second per thousand steps."""
MAX_HALVINGS = 40
"""Most halvings of one Newton step while the residual does not decrease."""

FLOOR = 1e4
"""How far above the tolerance a residual may stay when no Newton step lowers it any more: the
rounding floor (a function of large values, such as :math:`10^6 (x^2 + y^2) - 1`, cannot be
evaluated to 1e-12)."""


@dataclass(frozen=True, eq=False)
class LagrangePoint:
    r"""A solution of :math:`\nabla f = \lambda \nabla g,\ g = 0` (see :func:`lagrange_point`).

    Attributes
    ----------
    point : ndarray, shape (2,)
        The point :math:`x^*` on the constraint.
    multiplier : float
        :math:`\lambda`, the ratio of the parallel gradients: how fast the best value of
        :math:`f` changes as the constraint moves to :math:`g = \varepsilon`.
    value : float
        :math:`f(x^*)`.
    kind : str
        ``"minimum"`` or ``"maximum"`` of :math:`f` along the constraint, or ``"degenerate"``
        when the second-order test is inconclusive (``curvature`` negligible).
    curvature : float
        :math:`t^T (\nabla^2 f - \lambda \nabla^2 g)\, t` with :math:`t` the unit tangent of the
        curve: the second derivative of :math:`f` along the constraint, by arc length.
    iterations : int
        Newton iterations taken.
    residual : float
        :math:`\|(\nabla f - \lambda \nabla g,\ g)\|` at the end.
    """

    point: np.ndarray
    multiplier: float
    value: float
    kind: str
    curvature: float
    iterations: int
    residual: float


def _check_surface(surface: Any, name: str) -> None:
    if not all(callable(getattr(surface, method, None)) for method in ("value", "gradient", "hessian")):
        raise ValueError(
            f"{name} must be a 2-D surface with value, gradient and hessian "
            f"(e.g. gradcore.from_expression('x**2 + y**2 - 2')), got {surface!r}"
        )


def _check_iterations(max_iterations: Any) -> int:
    try:
        n = operator.index(max_iterations)
    except TypeError:
        n = 0
    if not 1 <= n <= MAX_NEWTON_ITERATIONS:
        raise ValueError(f"max_iterations must be an integer from 1 to {MAX_NEWTON_ITERATIONS}, got {max_iterations!r}")
    return n


def _pair(p: np.ndarray) -> str:
    return f"({p[0]:.6g}, {p[1]:.6g})"


def _newton(
    residual: Callable[[np.ndarray], np.ndarray],
    jacobian: Callable[[np.ndarray], np.ndarray],
    z: np.ndarray,
    tolerance: Callable[[np.ndarray], float],
    max_iterations: int,
) -> tuple[np.ndarray, int, float, str]:
    r"""Damped Newton's method on :math:`F(z) = 0`.

    Each step :math:`J \Delta = -F` is halved until :math:`\|F\|` decreases (at most
    :data:`MAX_HALVINGS` times). Once :math:`\|F(z)\| \le` ``tolerance(z)``, one more full
    step is taken if it lowers :math:`\|F\|` (Newton converges quadratically: that step gains
    full precision). When no step lowers :math:`\|F\|` any more, floating point can do no
    better: that is success if :math:`\|F\|` is within :data:`FLOOR` times the tolerance.
    Returns ``(z, iterations, ||F||, failure)`` with ``failure`` empty on success, else a
    phrase saying what went wrong.
    """

    def newton_step(z: np.ndarray, F: np.ndarray) -> np.ndarray | None:
        J = jacobian(z)
        if not np.all(np.isfinite(J)):
            return None
        try:
            return np.linalg.solve(J, -F)
        except np.linalg.LinAlgError:
            return np.linalg.lstsq(J, -F, rcond=None)[0]

    F = residual(z)
    norm = float(np.linalg.norm(F))
    for iteration in range(max_iterations + 1):
        if not np.isfinite(norm):
            return z, iteration, norm, "the residual is not finite there"
        if norm <= tolerance(z):
            step = newton_step(z, F) if iteration < max_iterations else None
            if step is not None:
                polished = z + step
                polished_norm = float(np.linalg.norm(residual(polished)))
                if polished_norm < norm:
                    return polished, iteration + 1, polished_norm, ""
            return z, iteration, norm, ""
        if iteration == max_iterations:
            break
        step = newton_step(z, F)
        if step is None:
            return z, iteration, norm, "the Hessians are not finite there"
        for _ in range(MAX_HALVINGS + 1):
            z_new = z + step
            F_new = residual(z_new)
            norm_new = float(np.linalg.norm(F_new))
            if norm_new < norm:
                break
            step = step / 2
        else:
            if norm <= FLOOR * tolerance(z):
                return z, iteration, norm, ""
            return z, iteration, norm, f"no step along Newton's direction lowers the residual {norm:.3g}"
        z, F, norm = z_new, F_new, norm_new
    return z, max_iterations, norm, f"the residual is still {norm:.3g} after {max_iterations} iterations"


def _unit_tangent(normal: np.ndarray) -> np.ndarray:
    return np.array([-normal[1], normal[0]]) / np.hypot(*normal)


def lagrange_point(
    f: Surface, g: Surface, start: Any, *, tol: float = 1e-12, max_iterations: int = 100
) -> LagrangePoint:
    r"""A point where :math:`f` is stationary along the curve :math:`g(x, y) = 0`, and its multiplier.

    Solves the Lagrange (KKT) system in :math:`(x, \lambda)`,

    .. math::

        F(x, \lambda) = \begin{pmatrix} \nabla f(x) - \lambda \nabla g(x) \\ g(x) \end{pmatrix} = 0,
        \qquad
        J = \begin{pmatrix} \nabla^2 f - \lambda \nabla^2 g & -\nabla g \\ \nabla g^T & 0 \end{pmatrix},

    by Newton's method with the exact Hessians, from ``start`` and the least-squares
    multiplier :math:`\lambda_0 = \nabla f \cdot \nabla g / \|\nabla g\|^2` there; a step that
    does not lower :math:`\|F\|` is halved. Newton finds the solution nearest in its own
    sense, a constrained minimum or maximum alike; ``kind`` tells which.

    Parameters
    ----------
    f : Surface
        The objective.
    g : Surface
        The constraint function; the constraint is :math:`g(x, y) = 0`.
    start : array_like, shape (2,)
        Where Newton's method starts; it need not lie on the constraint.
    tol : float
        Stop when :math:`\|F\| \le` ``tol`` :math:`\cdot (1 + \|\nabla f(x)\|)` (after one more
        step, which gains full precision), or when no step lowers :math:`\|F\|` and it is within
        :data:`FLOOR` times that.
    max_iterations : int
        Most Newton iterations, from 1 to :data:`~gradcore.surface.MAX_NEWTON_ITERATIONS`.

    Raises
    ------
    ValueError
        If ``f`` or ``g`` is not a surface, ``start`` is not one finite point, :math:`\nabla g`
        vanishes at the start or at the solution (the constraint has no normal there), or
        Newton's method does not converge within ``max_iterations`` (for instance when
        :math:`g = 0` has no points near the start).

    Examples
    --------
    >>> from gradcore.expression import from_expression
    >>> f, g = from_expression("x + y"), from_expression("x**2 + y**2 - 2")
    >>> found = lagrange_point(f, g, (-1.2, -0.7))
    >>> found.point.round(12), round(found.multiplier, 12), found.kind
    (array([-1., -1.]), -0.5, 'minimum')
    """
    _check_surface(f, "f")
    _check_surface(g, "g")
    x0 = check_start(start, batch=False)
    tol = check_nonnegative(tol, "tol")
    max_iterations = _check_iterations(max_iterations)
    normal = g.gradient(x0)
    normal_squared = float(normal @ normal)
    if not (np.isfinite(normal_squared) and normal_squared > 0):
        raise ValueError(
            f"grad g must be finite and nonzero at the start {_pair(x0)}, got {tuple(normal.tolist())}; "
            "the constraint has no normal direction there: take another start"
        )
    multiplier = float(f.gradient(x0) @ normal) / normal_squared

    def residual(z: np.ndarray) -> np.ndarray:
        x, lam = z[:2], z[2]
        return np.append(f.gradient(x) - lam * g.gradient(x), g.value(x))

    def jacobian(z: np.ndarray) -> np.ndarray:
        x, lam = z[:2], z[2]
        J = np.zeros((3, 3))
        J[:2, :2] = f.hessian(x) - lam * g.hessian(x)
        J[:2, 2] = -g.gradient(x)
        J[2, :2] = g.gradient(x)
        return J

    def tolerance(z: np.ndarray) -> float:
        return tol * (1 + float(np.linalg.norm(f.gradient(z[:2]))))

    z, iterations, norm, failure = _newton(residual, jacobian, np.append(x0, multiplier), tolerance, max_iterations)
    x, lam = z[:2], float(z[2])
    if failure and np.hypot(*g.gradient(x)) <= 1e-6 * np.sqrt(normal_squared):
        failure += f"; grad g nearly vanishes there, |grad g| = {np.hypot(*g.gradient(x)):.3g}"
    if failure:
        raise ValueError(
            f"lagrange_point did not converge from start {_pair(x0)} after {iterations} iterations "
            f"({failure}; last point {_pair(x)}, g = {float(g.value(x)):.3g}); "
            "try a start nearer the constraint g = 0, and check that g = 0 has points there"
        )
    normal = g.gradient(x)
    if not np.hypot(*normal) > 0:
        raise ValueError(
            f"grad g vanishes at the solution {_pair(x)}; the constraint curve has no normal there "
            "and the multiplier is not defined"
        )
    t = _unit_tangent(normal)
    curvature = float(t @ (f.hessian(x) - lam * g.hessian(x)) @ t)
    size = max(float(np.abs(f.hessian(x)).max()), abs(lam) * float(np.abs(g.hessian(x)).max()))
    if abs(curvature) <= 1e-8 * max(size, np.finfo(float).tiny):
        kind = "degenerate"  # e.g. a linear f along a straight line
    else:
        kind = "minimum" if curvature > 0 else "maximum"
    return LagrangePoint(x + 0.0, lam + 0.0, float(f.value(x)), kind, curvature, iterations, norm)


def _onto_curve(g: Surface, z: np.ndarray, max_iterations: int) -> tuple[np.ndarray, str]:
    r"""A point of :math:`g = 0` near ``z``: Newton's method on the one equation :math:`g(x) = 0`,

    .. math:: x \leftarrow x - \frac{g(x)}{\|\nabla g(x)\|^2} \nabla g(x)

    (the shortest step that zeroes the linearization), halved until :math:`|g|` decreases; run
    until :math:`|g| / \|\nabla g\|`, about the distance to the curve, is below
    1e-8 :math:`(1 + \|z\|)`. Returns ``(x, failure)`` with ``failure`` empty on success.
    """
    x = z
    value, normal = float(g.value(x)), g.gradient(x)
    for _ in range(max_iterations):
        normal_squared = float(normal @ normal)
        if not (np.isfinite(value) and np.isfinite(normal_squared)):
            return x, "g or its gradient is not finite on the way"
        if normal_squared == 0:
            return x, f"grad g vanishes on the way, at a stationary point of g where g = {value:.3g}"
        if abs(value) <= 1e-8 * np.sqrt(normal_squared) * (1 + np.linalg.norm(z)):
            return x, ""
        step = -value / normal_squared * normal
        for _ in range(MAX_HALVINGS + 1):
            x_new = x + step
            value_new = float(g.value(x_new))
            if abs(value_new) < abs(value):
                break
            step = step / 2
        else:
            return x, f"|g| stops decreasing at {abs(value):.3g}"
        x, value, normal = x_new, value_new, g.gradient(x_new)
    return x, f"|g| is still {abs(value):.3g} after {max_iterations} iterations"


def project(g: Surface, z: Any, *, tol: float = 1e-12, max_iterations: int = 50) -> np.ndarray:
    r"""The nearest point to ``z`` on the curve :math:`g(x, y) = 0` (the Euclidean projection).

    The nearest point :math:`x` minimizes :math:`\tfrac12 \|x - z\|^2` subject to
    :math:`g(x) = 0`, so it solves

    .. math::

        \begin{pmatrix} x - z + \mu \nabla g(x) \\ g(x) \end{pmatrix} = 0,
        \qquad
        J = \begin{pmatrix} I + \mu \nabla^2 g & \nabla g \\ \nabla g^T & 0 \end{pmatrix}.

    First a point of the curve near ``z`` is found by Newton's method on :math:`g(x) = 0`
    alone (steps along :math:`\nabla g`); from there, with the least-squares
    :math:`\mu_0 = (z - x) \cdot \nabla g / \|\nabla g\|^2`, Newton's method on the system
    above slides along the curve to the nearest point, halving a step that does not lower the
    residual. The result is checked to be a local minimum of the distance along the curve,
    :math:`t^T (I + \mu \nabla^2 g)\, t > 0` with :math:`t` the unit tangent, not a farthest
    point. It is the nearest point of the curve near ``z``: when ``z`` lies within the curve's
    radius of curvature of it, the nearest of all (as for the small steps of
    :func:`projected_descent`); from farther away, another closer part of the curve may exist.

    Parameters
    ----------
    g : Surface
        The constraint function.
    z : array_like, shape (2,)
        The point to project.
    tol : float
        Stop when the residual is at most ``tol`` :math:`\cdot (1 + \|z\|)` (after one more
        step, which gains full precision), or when no step lowers it and it is within
        :data:`FLOOR` times that.
    max_iterations : int
        Most Newton iterations of each of the two stages, from 1 to
        :data:`~gradcore.surface.MAX_NEWTON_ITERATIONS`.

    Returns
    -------
    ndarray, shape (2,)

    Raises
    ------
    ValueError
        If ``z`` is not one finite point, :math:`\nabla g(z)` is zero or not finite (at the
        centre of a circle every point of it is nearest), or Newton's method does not
        converge to a nearest point (no points of :math:`g = 0` near ``z``).

    Examples
    --------
    >>> from gradcore.expression import from_expression
    >>> project(from_expression("x**2 + y**2 - 2"), (3.0, 3.0)).round(12)
    array([1., 1.])
    """
    _check_surface(g, "g")
    point = check_finite(z, "z")
    if point.shape != (2,):
        raise ValueError(f"z must be one point (x, y) of shape (2,), got shape {point.shape}")
    tol = check_nonnegative(tol, "tol")
    max_iterations = _check_iterations(max_iterations)
    normal = g.gradient(point)
    if not (np.all(np.isfinite(normal)) and np.any(normal != 0)):
        raise ValueError(
            f"grad g must be finite and nonzero at {_pair(point)} to project it onto g = 0, "
            f"got {tuple(normal.tolist())}; the nearest point is not unique or not defined there"
        )

    def residual(w: np.ndarray) -> np.ndarray:
        x, mu = w[:2], w[2]
        return np.append(x - point + mu * g.gradient(x), g.value(x))

    def jacobian(w: np.ndarray) -> np.ndarray:
        x, mu = w[:2], w[2]
        J = np.zeros((3, 3))
        J[:2, :2] = np.eye(2) + mu * g.hessian(x)
        J[:2, 2] = J[2, :2] = g.gradient(x)
        return J

    x, failure = _onto_curve(g, point, max_iterations)
    if not failure:
        normal = g.gradient(x)
        w0 = np.append(x, float((point - x) @ normal / (normal @ normal)))
        scale = tol * (1 + float(np.linalg.norm(point)))
        w, _, _, failure = _newton(residual, jacobian, w0, lambda w: scale, max_iterations)
        x, mu = w[:2], w[2]
        normal = g.gradient(x)
        if not failure and not np.hypot(*normal) > 0:
            failure = "grad g vanishes there"
        if not failure and float((t := _unit_tangent(normal)) @ (np.eye(2) + mu * g.hessian(x)) @ t) <= 0:
            failure = "it is a farthest point, not a nearest one"
    if failure:
        raise ValueError(
            f"the projection of {_pair(point)} onto g = 0 failed ({failure}; last point {_pair(x)}, "
            f"g = {float(g.value(x)):.3g}); g = 0 may have no points near it: take smaller steps "
            "or a start nearer the constraint"
        )
    return x + 0.0


def projected_gradient(f: Surface, g: Surface, p: Any) -> np.ndarray:
    r"""The component of :math:`\nabla f` along the level set of ``g`` through ``p``,

    .. math:: \nabla f - (\nabla f \cdot n)\, n, \qquad n = \nabla g / \|\nabla g\|;

    zero exactly at a Lagrange point on :math:`g = 0`. Where :math:`\nabla g = 0` it is
    :math:`\nabla f` itself. Vectorized over points ``(..., 2)``.
    """
    grad_f, grad_g = f.gradient(p), g.gradient(p)
    length = np.hypot(grad_g[..., 0], grad_g[..., 1])[..., None]
    with np.errstate(invalid="ignore", divide="ignore"):
        n = np.where(length > 0, grad_g / length, 0.0)
    return grad_f - np.sum(grad_f * n, axis=-1, keepdims=True) * n


def projected_descent(
    f: Surface,
    g: Surface,
    start: Any,
    lr: float,
    steps: int = 100,
    tol: float = 1e-8,
    domain: Any = None,
    bound: float = 1e8,
) -> Trajectory:
    r"""Projected gradient descent on ``f`` along the curve :math:`g(x, y) = 0`.

    .. math:: x_{k+1} = P\big(x_k - \eta \nabla f(x_k)\big),

    with :math:`P` the exact Euclidean projection onto :math:`g = 0` (:func:`project`).
    ``points[0]`` is ``start`` as given, which need not lie on the constraint; every later
    point lies on it (to about 1e-12). A run stops, with a status of
    :data:`~gradcore.descent.STATUSES`: ``"converged"`` when the projected gradient
    (:func:`projected_gradient`) of a point after the start is below ``tol`` (at a Lagrange
    point, in practice the nearest constrained minimum); ``"diverged"`` when the next point,
    its value or its gradient is not finite or :math:`\|x_{k+1}\| >` ``bound``;
    ``"left_domain"`` when the next point is outside ``domain`` (if given); otherwise
    ``"max_steps"``.

    The trajectory's ``grad_norms`` hold the norm of the projected gradient (what ``tol`` is
    compared with), not of :math:`\nabla f`; ``states`` and ``steps`` are None.

    Parameters
    ----------
    f : Surface
        The objective.
    g : Surface
        The constraint function; the constraint is :math:`g(x, y) = 0`.
    start : array_like, shape (2,)
        A finite start, inside ``domain`` if given.
    lr : float
        The learning rate :math:`\eta > 0`.
    steps : int
        Most steps, from 1 to :data:`MAX_STEPS`.
    tol : float
        Projected-gradient threshold for convergence (0 never converges).
    domain : ((xmin, xmax), (ymin, ymax)), optional
        Stop when the next point would leave this box.
    bound : float
        Stop as diverged when the next point would be farther than this from the origin.

    Raises
    ------
    ValueError
        For a bad argument, or when a projection fails (:func:`project`: :math:`\nabla g = 0`
        at the point to project, or no point of :math:`g = 0` near it); the message names the
        step.

    Examples
    --------
    >>> from gradcore.expression import from_expression
    >>> f, g = from_expression("x + y"), from_expression("x**2 + y**2 - 2")
    >>> path = projected_descent(f, g, (2.0, 0.5), lr=0.3, steps=200)
    >>> path.status, path.points[-1].round(6)
    ('converged', array([-1., -1.]))
    """
    _check_surface(f, "f")
    _check_surface(g, "g")
    x = check_start(start, batch=False)
    lr = check_positive(lr, "lr")
    try:
        n_max = operator.index(steps)
    except TypeError:
        n_max = 0
    if not 1 <= n_max <= MAX_STEPS:
        raise ValueError(f"steps must be an integer from 1 to {MAX_STEPS:,}, got {steps!r}")
    tol = check_nonnegative(tol, "tol")
    bound = check_positive(bound, "bound")
    box = None if domain is None else check_box(domain, x)

    points, values, grad_norms = [x], [float(f.value(x))], [float(np.linalg.norm(projected_gradient(f, g, x)))]
    status = "max_steps"
    if not (np.isfinite(values[0]) and np.all(np.isfinite(f.gradient(x)))):
        status = "diverged"
    with np.errstate(all="ignore"):
        for k in range(n_max if status == "max_steps" else 0):
            z = x - lr * f.gradient(x)
            if not (np.all(np.isfinite(z)) and np.linalg.norm(z) <= bound):
                status = "diverged"
                break
            try:
                x_new = project(g, z)
            except ValueError as error:
                raise ValueError(f"projected_descent: step {k + 1} from {_pair(x)}: {error}") from error
            value, gradient = float(f.value(x_new)), f.gradient(x_new)
            if not (np.isfinite(value) and np.all(np.isfinite(gradient)) and np.linalg.norm(x_new) <= bound):
                status = "diverged"
                break
            if box is not None and not inside(x_new, box):
                status = "left_domain"
                break
            x = x_new
            points.append(x)
            values.append(value)
            grad_norms.append(float(np.linalg.norm(projected_gradient(f, g, x))))
            if grad_norms[-1] < tol:
                status = "converged"
                break
    return Trajectory(np.array(points), np.array(values), np.array(grad_norms), status, len(points) - 1)
