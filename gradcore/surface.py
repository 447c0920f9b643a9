"""The 2-D surface interface shared by every function gradcore knows.

A point array holds its coordinates on the last axis, shape ``(..., 2)``; every
method is vectorized over the leading axes.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np

__all__ = [
    "MAX_NEWTON_ITERATIONS",
    "MAX_NEWTON_STARTS",
    "CriticalPoint",
    "Domain",
    "Interval",
    "Surface",
    "as_points",
    "check_domain",
    "check_interval",
    "check_finite",
    "check_fraction",
    "check_nonnegative",
    "check_positive",
    "classify_hessian",
    "find_critical_points",
    "latex_terms",
]

Interval = tuple[float, float]
Domain = tuple[Interval, Interval]

MAX_NEWTON_STARTS = 400
"""Largest side of the grid of starts of :func:`find_critical_points` (160,000 starts)."""
MAX_NEWTON_ITERATIONS = 1000
"""Most Newton iterations of :func:`find_critical_points`."""


@dataclass(frozen=True)
class CriticalPoint:
    """A stationary point :math:`\\nabla f(p) = 0` of a surface.

    ``kind`` is ``"minimum"``, ``"maximum"`` or ``"saddle"``.
    """

    point: tuple[float, float]
    kind: str
    value: float


def as_points(p: Any) -> np.ndarray:
    """Return ``p`` as a float array whose last axis has length 2.

    Raises
    ------
    ValueError
        If ``p`` is not numeric or its last axis is not of length 2.
    """
    try:
        points = np.asarray(p, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"points must be numeric, got {p!r}") from error
    if points.ndim == 0 or points.shape[-1] != 2:
        raise ValueError(
            f"points must have coordinates on a last axis of length 2, got shape {points.shape}; "
            "pass (x, y) or an array of shape (..., 2)"
        )
    return points


def check_finite(value: Any, name: str) -> np.ndarray:
    """Return ``value`` as a float array, raising ValueError naming ``name`` if not finite."""
    try:
        array = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as error:
        raise ValueError(f"{name} must be numeric, got {value!r}") from error
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return array


def _checked(value: float, name: str, ok: Callable[[float], bool], requirement: str) -> float:
    """Return ``value`` as a float, or raise ValueError naming ``name`` when ``ok`` fails."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        x = math.nan
    if not ok(x):
        raise ValueError(f"{name} must be {requirement}, got {value!r}")
    return x


def check_positive(value: float, name: str) -> float:
    """``value`` as a float, raising ValueError naming ``name`` unless finite and > 0."""
    return _checked(value, name, lambda x: 0 < x < math.inf, "a finite number > 0")


def check_nonnegative(value: float, name: str) -> float:
    """``value`` as a float, raising ValueError naming ``name`` unless finite and >= 0."""
    return _checked(value, name, lambda x: 0 <= x < math.inf, "a finite number >= 0")


def check_fraction(value: float, name: str) -> float:
    """``value`` as a float, raising ValueError naming ``name`` unless in [0, 1)."""
    return _checked(value, name, lambda x: 0 <= x < 1, "a number in [0, 1)")


def check_interval(interval: Any, name: str = "domain") -> Interval:
    """Validate a ``(low, high)`` pair with finite ``low < high``."""
    array = check_finite(interval, name)
    if array.shape != (2,) or not array[0] < array[1]:
        raise ValueError(f"{name} must be a non-empty interval (low, high) with low < high, got {interval!r}")
    return float(array[0]), float(array[1])


def check_domain(domain: Any) -> Domain:
    """Validate a plotting domain ``((xmin, xmax), (ymin, ymax))``."""
    if np.shape(domain) != (2, 2):
        raise ValueError(f"domain must be ((xmin, xmax), (ymin, ymax)), got {domain!r}")
    return check_interval(domain[0], "domain x-interval"), check_interval(domain[1], "domain y-interval")


def classify_hessian(hessian: np.ndarray, scale: float = 0.0) -> str | None:
    """Kind of a stationary point from its Hessian's eigenvalues.

    None when degenerate: an eigenvalue is negligible against the largest one
    or against ``scale`` (a typical curvature of the surface).
    """
    low, high = np.linalg.eigvalsh(hessian)
    if min(abs(low), abs(high)) <= 1e-10 * max(scale, abs(low), abs(high), math.ulp(1.0)):
        return None
    if low > 0:
        return "minimum"
    return "maximum" if high < 0 else "saddle"


def latex_terms(terms: list[tuple[float, str]]) -> str:
    """LaTeX of :math:`\\sum_i c_i m_i` from ``(c_i, m_i)`` pairs, monomial ``m_i`` in LaTeX.

    >>> latex_terms([(1.0, "x^{2}"), (-0.5, "y"), (2.0, "")])
    'x^{2} - 0.5 y + 2'
    """
    parts = []
    for coefficient, monomial in terms:
        if coefficient == 0:
            continue
        number = "" if abs(coefficient) == 1 and monomial else f"{abs(coefficient):g}"
        sign = "-" if coefficient < 0 else "+"
        parts.append(f"{sign} {' '.join(s for s in (number, monomial) if s)}")
    if not parts:
        return "0"
    text = " ".join(parts)
    return text[2:] if text.startswith("+") else "-" + text[2:]


def find_critical_points(surface: Surface, starts: int = 25, iterations: int = 60) -> tuple[CriticalPoint, ...]:
    """Stationary points of ``surface`` in its domain, found numerically.

    Newton's method :math:`p \\leftarrow p - (\\nabla^2 f)^{-1} \\nabla f` on the exact
    derivatives, run at once from a ``starts x starts`` grid over the domain; a
    limit is kept when it lies in the domain, :math:`|\\nabla f|` is negligible
    against the field's scale and the Hessian is non-degenerate against the
    surface's curvature (which drops flat, underflowing tails).

    Raises
    ------
    ValueError
        If ``starts`` is not an integer from 2 to :data:`MAX_NEWTON_STARTS` or ``iterations``
        not one from 1 to :data:`MAX_NEWTON_ITERATIONS` (the work grows as their product
        times ``starts``).
    """
    limits = (("starts", starts, 2, MAX_NEWTON_STARTS), ("iterations", iterations, 1, MAX_NEWTON_ITERATIONS))
    for name, value, low, high in limits:
        if not (isinstance(value, (int, np.integer)) and low <= value <= high):
            raise ValueError(f"{name} must be an integer from {low} to {high}, got {value!r}")
    (xmin, xmax), (ymin, ymax) = surface.domain
    xs, ys = np.meshgrid(np.linspace(xmin, xmax, starts), np.linspace(ymin, ymax, starts))
    p = np.stack([xs.ravel(), ys.ravel()], axis=-1)
    scale = np.max(np.linalg.norm(surface.gradient(p), axis=-1))
    curvature = np.max(np.abs(surface.hessian(p)))
    with np.errstate(all="ignore"):
        for _ in range(iterations):
            # The Newton step by the 2x2 inverse; a singular Hessian sends p to NaN (dropped below).
            g, h = surface.gradient(p), surface.hessian(p)
            hxx, hxy, hyy = h[:, 0, 0], h[:, 0, 1], h[:, 1, 1]
            step = np.stack([hyy * g[:, 0] - hxy * g[:, 1], hxx * g[:, 1] - hxy * g[:, 0]], axis=-1)
            p = p - step / (hxx * hyy - hxy * hxy)[:, None]
    size = max(xmax - xmin, ymax - ymin)
    found: list[CriticalPoint] = []
    for q in p:
        inside = xmin <= q[0] <= xmax and ymin <= q[1] <= ymax
        if not (inside and np.linalg.norm(surface.gradient(q)) <= 1e-10 * scale):
            continue
        kind = classify_hessian(surface.hessian(q), curvature)
        if kind is None or any(np.hypot(*np.subtract(c.point, q)) < 1e-6 * size for c in found):
            continue
        found.append(CriticalPoint((float(q[0]), float(q[1])), kind, float(surface.value(q))))
    return tuple(sorted(found, key=lambda c: c.point))


def _stack(components: tuple[Any, ...], nan_like: np.ndarray) -> np.ndarray:
    return np.stack([np.asarray(c, dtype=float) + nan_like for c in components], axis=-1)


class Surface(ABC):
    """A smooth function :math:`f: \\mathbb{R}^2 \\to \\mathbb{R}` with exact derivatives.

    Subclasses are frozen dataclasses with ``name`` and ``domain`` and implement
    :meth:`_value`, :meth:`_gradient` and :meth:`_hessian` on the coordinate
    arrays ``x, y``; the public methods take point arrays of shape ``(..., 2)``.
    A point with a non-finite coordinate gets non-finite results, silently.
    """

    name: str
    domain: Domain

    @property
    @abstractmethod
    def latex(self) -> str:
        """The formula, ready for ``MathTex`` (no ``$``)."""

    @property
    def critical_points(self) -> tuple[CriticalPoint, ...]:
        """Known stationary points (empty when unknown)."""
        return ()

    @abstractmethod
    def _value(self, x: np.ndarray, y: np.ndarray) -> np.ndarray: ...

    @abstractmethod
    def _gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
        """Return :math:`(f_x, f_y)`."""

    @abstractmethod
    def _hessian(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
        """Return :math:`(f_{xx}, f_{xy}, f_{yy})`."""

    def value(self, p: Any) -> np.ndarray:
        """:math:`f(p)`, shape ``(...)`` for points of shape ``(..., 2)``."""
        x, y, nan_like = _coordinates(p)
        with np.errstate(all="ignore"):
            return (np.asarray(self._value(x, y), dtype=float) + nan_like)[()]

    def gradient(self, p: Any) -> np.ndarray:
        """:math:`\\nabla f(p) = (f_x, f_y)`, shape ``(..., 2)``."""
        x, y, nan_like = _coordinates(p)
        with np.errstate(all="ignore"):
            return _stack(self._gradient(x, y), nan_like)

    def hessian(self, p: Any) -> np.ndarray:
        """:math:`\\nabla^2 f(p)`, shape ``(..., 2, 2)``."""
        x, y, nan_like = _coordinates(p)
        with np.errstate(all="ignore"):
            xx, xy, yy = self._hessian(x, y)
            return _stack((xx, xy, xy, yy), nan_like).reshape(x.shape + (2, 2))


def _coordinates(p: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    # ``nan_like`` is 0 where the point is finite and NaN elsewhere; adding it
    # broadcasts constant results to the points' shape.
    points = as_points(p)
    x, y = points[..., 0], points[..., 1]
    with np.errstate(all="ignore"):
        return x, y, 0 * (x + y)
