"""1-D functions :math:`f: \\mathbb{R} \\to \\mathbb{R}` with exact derivatives, and seed 001's cubic."""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from numpy.polynomial import Polynomial

from gradcore.surface import Interval, check_finite, check_interval, latex_terms

__all__ = ["Curve", "PolynomialCurve", "cubic"]


class Curve(ABC):
    """A smooth 1-D function, vectorized over arrays of any shape (scalars give scalars).

    Subclasses are frozen dataclasses with ``name`` and ``domain`` ``(xmin, xmax)``
    and implement :meth:`_value`, :meth:`_derivative`, :meth:`_second_derivative`.
    Non-finite input gives non-finite output, silently.
    """

    name: str
    domain: Interval

    @property
    @abstractmethod
    def latex(self) -> str:
        """The formula, ready for ``MathTex`` (no ``$``)."""

    @abstractmethod
    def _value(self, x: np.ndarray) -> Any: ...

    @abstractmethod
    def _derivative(self, x: np.ndarray) -> Any: ...

    @abstractmethod
    def _second_derivative(self, x: np.ndarray) -> Any: ...

    def value(self, x: Any) -> np.ndarray:
        """:math:`f(x)`."""
        return self._evaluate(self._value, x)

    def derivative(self, x: Any) -> np.ndarray:
        """:math:`f'(x)`."""
        return self._evaluate(self._derivative, x)

    def second_derivative(self, x: Any) -> np.ndarray:
        """:math:`f''(x)`."""
        return self._evaluate(self._second_derivative, x)

    @staticmethod
    def _evaluate(method: Any, x: Any) -> np.ndarray:
        try:
            x = np.asarray(x, dtype=float)
        except (TypeError, ValueError) as error:
            raise ValueError(f"x must be numeric, got {x!r}") from error
        with np.errstate(all="ignore"):
            # ``+ 0 * x`` broadcasts constants and keeps non-finite input non-finite.
            return (np.asarray(method(x), dtype=float) + 0 * x)[()]


@dataclass(frozen=True)
class PolynomialCurve(Curve):
    r"""The polynomial :math:`f(x) = \sum_k c_k x^k`, ``coefficients`` :math:`(c_0, c_1, \dots)` by increasing power."""

    coefficients: Any
    domain: Interval = (-3.0, 3.0)
    name: str = "polynomial"

    def __post_init__(self) -> None:
        coefficients = check_finite(self.coefficients, "coefficients")
        if coefficients.ndim != 1 or coefficients.size == 0:
            raise ValueError(f"coefficients must be a non-empty sequence (c0, c1, ...), got {self.coefficients!r}")
        object.__setattr__(self, "coefficients", tuple(coefficients.tolist()))
        object.__setattr__(self, "domain", check_interval(self.domain))

    @property
    def latex(self) -> str:
        monomials = ["", "x"] + [f"x^{{{k}}}" for k in range(2, len(self.coefficients))]
        return latex_terms(list(zip(self.coefficients, monomials))[::-1])

    def _value(self, x: np.ndarray) -> Any:
        return Polynomial(self.coefficients)(x)

    def _derivative(self, x: np.ndarray) -> Any:
        return Polynomial(self.coefficients).deriv(1)(x)

    def _second_derivative(self, x: np.ndarray) -> Any:
        return Polynomial(self.coefficients).deriv(2)(x)


def cubic(**params: Any) -> PolynomialCurve:
    r"""Seed 001: :math:`x^3 + 2x^2 - x` on :math:`[-2.5, 1]`, showing its local maximum and minimum."""
    return replace(PolynomialCurve((0, -1, 2, 1), domain=(-2.5, 1.0), name="cubic"), **params)
