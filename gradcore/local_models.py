r"""The local picture of a surface at a point: rates along directions and Taylor models.

:func:`directional_derivative` is the rate of change of :math:`f` along a direction, the
gradient's component along it; :func:`taylor` is the tangent plane (order 1) or the
second-order Taylor quadratic (order 2) at a point, itself a
:class:`~gradcore.quadratic.Quadratic` surface that can be drawn, descended and compared
with the surface it approximates.
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from gradcore.quadratic import Quadratic
from gradcore.surface import Surface, as_points, check_finite

__all__ = ["directional_derivative", "taylor"]


def directional_derivative(surface: Surface, p: Any, u: Any) -> np.ndarray:
    r"""The rate of change of ``surface`` at ``p`` along the direction ``u``,

    .. math:: D_u f(p) = \nabla f(p) \cdot \frac{u}{\|u\|} = \|\nabla f(p)\| \cos\theta,

    with :math:`\theta` the angle between :math:`u` and the gradient: largest along the
    gradient, zero along the level set's tangent. Only the direction of ``u`` counts, not its
    length.

    Parameters
    ----------
    surface : Surface
        Anything with a vectorized ``gradient``.
    p : array_like, shape (..., 2)
        Point(s); a point with a non-finite coordinate gets NaN, as ``surface.gradient`` does.
    u : array_like, shape (..., 2)
        Finite, nonzero direction(s), broadcast against ``p`` over the leading axes: one
        direction at many points, many directions at one point, or one per point.

    Returns
    -------
    ndarray, shape (...)
        The leading axes of ``p`` and ``u`` broadcast together; a 0-d array for one point and
        one direction.

    Raises
    ------
    ValueError
        If a direction is zero or not finite, the last axis of ``p`` or ``u`` is not of length
        2, or their leading axes do not broadcast.

    Examples
    --------
    >>> from gradcore.quadratic import bowl
    >>> float(directional_derivative(bowl(), (1.0, 2.0), (3.0, 0.0)))  # f_x = 2x
    2.0
    >>> directional_derivative(bowl(), (1.0, 2.0), [(1.0, 0.0), (0.0, 1.0), (2.0, -1.0)]).round(12)
    array([2., 4., 0.])
    """
    points = as_points(p)
    directions = check_finite(u, "direction u")
    if directions.ndim == 0 or directions.shape[-1] != 2:
        raise ValueError(
            f"direction u must have its components on a last axis of length 2, got shape {directions.shape}; "
            "pass (ux, uy) or an array of shape (..., 2)"
        )
    try:
        np.broadcast_shapes(points.shape, directions.shape)
    except ValueError as error:
        raise ValueError(
            f"points of shape {points.shape} and directions of shape {directions.shape} do not broadcast; "
            "pass one direction per point, one direction for all points, or one point for all directions"
        ) from error
    length = np.hypot(directions[..., 0], directions[..., 1])
    if np.any(length == 0):
        where = np.argwhere(np.atleast_1d(length == 0))[0]
        at = "" if directions.ndim == 1 else f" at index {tuple(int(i) for i in where)}"
        raise ValueError(f"direction u must be nonzero, got (0, 0){at}; a zero vector has no direction")
    gradient = surface.gradient(points)
    unit = directions / length[..., None]
    return np.asarray(gradient[..., 0] * unit[..., 0] + gradient[..., 1] * unit[..., 1])


def taylor(surface: Surface, p: Any, order: int = 1) -> Quadratic:
    r"""The Taylor model of ``surface`` at the point ``p``: the tangent plane or the quadratic.

    .. math::

        T_1(x) &= f(p) + \nabla f(p) \cdot (x - p), \\
        T_2(x) &= T_1(x) + \tfrac12 (x - p)^T \nabla^2 f(p) \, (x - p),

    returned as the :class:`~gradcore.quadratic.Quadratic`
    :math:`\tfrac12 x^T A x - b^T x + c` with

    .. math::

        A = H, \quad b = H p - \nabla f(p), \quad
        c = f(p) - \nabla f(p) \cdot p + \tfrac12 p^T H p,

    :math:`H = \nabla^2 f(p)` for order 2 and :math:`H = 0` for order 1 (a plane). Its value,
    gradient and (order 2) Hessian at ``p`` are the surface's; near ``p`` the error
    :math:`|f(p + h) - T_n(p + h)|` shrinks like :math:`\|h\|^{n + 1}`. ``A`` may be indefinite
    (the model of a saddle) or singular. The model has the surface's domain and is named after
    what it is, e.g. ``"order-2 Taylor model of rosenbrock at (0.5, 1)"``; its ``latex`` is
    the expanded polynomial in :math:`x, y`.

    Parameters
    ----------
    surface : Surface
        Anything with ``value``, ``gradient``, ``hessian`` and ``domain``.
    p : array_like, shape (2,)
        The point of contact.
    order : {1, 2}
        1 for the tangent plane, 2 for the second-order model.

    Raises
    ------
    ValueError
        If ``order`` is not 1 or 2, ``p`` is not one finite point, or the surface's value,
        gradient or (order 2) Hessian is not finite at ``p``.

    Examples
    --------
    >>> from gradcore.quadratic import bowl
    >>> plane = taylor(bowl(), (1.0, 2.0))  # z = 5 + 2 (x - 1) + 4 (y - 2)
    >>> plane.latex
    '2 x + 4 y - 5'
    >>> taylor(bowl(), (1.0, 2.0), order=2).A  # a quadratic is its own second-order model
    ((2.0, 0.0), (0.0, 2.0))
    """
    if isinstance(order, bool) or not _is_integer(order) or order not in (1, 2):
        raise ValueError(f"order must be 1 (the tangent plane) or 2 (the quadratic model), got {order!r}")
    if not all(callable(getattr(surface, name, None)) for name in ("value", "gradient", "hessian")):
        raise ValueError(f"surface must be a 2-D surface with value, gradient and hessian, got {surface!r}")
    point = check_finite(p, "p")
    if point.shape != (2,):
        raise ValueError(f"p must be one point (x, y) of shape (2,), got shape {point.shape}")
    value, gradient = float(surface.value(point)), surface.gradient(point)
    hessian = surface.hessian(point) if order == 2 else np.zeros((2, 2))
    if not (np.isfinite(value) and np.all(np.isfinite(gradient)) and np.all(np.isfinite(hessian))):
        raise ValueError(
            f"the surface's value, gradient{' and Hessian' if order == 2 else ''} must be finite at p = "
            f"{tuple(point.tolist())}; take a point where {getattr(surface, 'name', 'the surface')} is smooth"
        )
    A = (hessian + hessian.T) / 2
    b = A @ point - gradient
    c = value - gradient @ point + 0.5 * point @ A @ point
    x, y = (float(f"{t:.4g}") + 0.0 for t in point)
    name = f"order-{order} Taylor model of {getattr(surface, 'name', 'a surface')} at ({x:g}, {y:g})"
    return Quadratic(A, b=b, c=float(c), domain=surface.domain, name=name)


def _is_integer(value: Any) -> bool:
    try:
        operator.index(value)
    except TypeError:
        return False
    return True
