"""Quadratic surfaces :math:`f(x) = \\tfrac12 x^T A x - b^T x + c` and the seeds' quadratics."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from gradcore.surface import (
    CriticalPoint,
    Domain,
    Surface,
    check_domain,
    check_finite,
    classify_hessian,
    latex_terms,
)

__all__ = ["Quadratic", "bowl", "elongated_quadratic", "saddle"]


@dataclass(frozen=True)
class Quadratic(Surface):
    r"""The quadratic :math:`f(x) = \tfrac12 x^T A x - b^T x + c` with symmetric ``A``.

    .. math:: \nabla f = A x - b, \qquad \nabla^2 f = A.

    ``A`` may be indefinite (a saddle) or singular (no isolated stationary point).

    Examples
    --------
    >>> q = Quadratic(((2, -1), (-1, 1)), b=(1, 0), c=0.5)
    >>> q.gradient((80.0, 80.0))
    array([79.,  0.])
    """

    A: Any
    b: Any = (0.0, 0.0)
    c: float = 0.0
    domain: Domain = ((-3.0, 3.0), (-3.0, 3.0))
    name: str = "quadratic"

    def __post_init__(self) -> None:
        A = check_finite(self.A, "A")
        if A.shape != (2, 2):
            raise ValueError(f"A must be a 2x2 matrix, got shape {A.shape}")
        if not np.allclose(A, A.T, rtol=1e-12, atol=0):
            raise ValueError(f"A must be symmetric, got {A.tolist()}; pass (A + A.T) / 2")
        b = check_finite(self.b, "b")
        if b.shape != (2,):
            raise ValueError(f"b must be a vector of length 2, got shape {b.shape}")
        c = check_finite(self.c, "c")
        if c.shape != ():
            raise ValueError(f"c must be a scalar, got shape {c.shape}")
        object.__setattr__(self, "A", tuple(map(tuple, A.tolist())))
        object.__setattr__(self, "b", tuple(b.tolist()))
        object.__setattr__(self, "c", float(c))
        object.__setattr__(self, "domain", check_domain(self.domain))

    @property
    def eigenvalues(self) -> np.ndarray:
        """Eigenvalues of ``A``, ascending (the curvatures along the principal axes)."""
        return np.linalg.eigvalsh(self.A)

    @property
    def minimizer(self) -> np.ndarray:
        """The stationary point :math:`A^{-1} b` (a minimum only when ``A`` is positive definite).

        Raises
        ------
        ValueError
            If ``A`` is singular.
        """
        if classify_hessian(np.array(self.A)) is None:
            raise ValueError(f"A is singular ({self.A}); the quadratic has no unique stationary point")
        return np.linalg.solve(self.A, self.b)

    @property
    def critical_points(self) -> tuple[CriticalPoint, ...]:
        kind = classify_hessian(np.array(self.A))
        if kind is None:
            return ()
        point = self.minimizer
        return (CriticalPoint((float(point[0]) + 0.0, float(point[1]) + 0.0), kind, float(self.value(point))),)

    @property
    def latex(self) -> str:
        (a, h), (_, d) = self.A
        return latex_terms(
            [(a / 2, "x^{2}"), (h, "x y"), (d / 2, "y^{2}"), (-self.b[0], "x"), (-self.b[1], "y"), (self.c, "")]
        )

    def _value(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        (a, h), (_, d) = self.A
        return 0.5 * (a * x * x + 2 * h * x * y + d * y * y) - self.b[0] * x - self.b[1] * y + self.c

    def _gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
        (a, h), (_, d) = self.A
        return a * x + h * y - self.b[0], h * x + d * y - self.b[1]

    def _hessian(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
        (a, h), (_, d) = self.A
        return a, h, d


def elongated_quadratic(**params: Any) -> Quadratic:
    r"""Seed 000: :math:`\tfrac12 (y - x)^2 + \tfrac12 (1 - x)^2`, gradient :math:`(2x - y - 1, y - x)`.

    Along :math:`y = x` the gradient is horizontal, e.g. :math:`(79, 0)` at :math:`(80, 80)`;
    the minimum is at :math:`(1, 1)`. ``params`` override the fields.
    """
    base = Quadratic(((2, -1), (-1, 1)), b=(1, 0), c=0.5, domain=((-50, 50), (-50, 50)), name="elongated_quadratic")
    return replace(base, **params)


def bowl(**params: Any) -> Quadratic:
    r"""Seed 004: :math:`x^2 + y^2` on :math:`[-3, 3]^2`, minimum at the origin."""
    return replace(Quadratic(((2, 0), (0, 2)), domain=((-3, 3), (-3, 3)), name="bowl"), **params)


def saddle(**params: Any) -> Quadratic:
    r"""Seed 002: :math:`x^2 - y^2` on :math:`[-1, 1]^2`, a saddle at the origin."""
    return replace(Quadratic(((2, 0), (0, -2)), domain=((-1, 1), (-1, 1)), name="saddle"), **params)
