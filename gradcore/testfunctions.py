"""The radial sine of seed 001 and the classic optimizer test functions, with exact derivatives.

Each is a frozen dataclass whose fields are its parameters, ``domain`` and ``name``;
known stationary points are data (for beale, himmelblau and six_hump_camel: all of
them in the domain, computed once to full precision by Newton's method on the exact
gradient, and checked by the tests).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np

from gradcore.quadratic import Quadratic
from gradcore.surface import CriticalPoint, Domain, Surface, check_domain, check_finite, classify_hessian

__all__ = ["Beale", "Himmelblau", "RadialSine", "Rosenbrock", "SixHumpCamel", "booth"]


def _check_fields(surface: Surface) -> None:
    """Validate ``domain`` and require every float field to be a finite number."""
    for field in fields(surface):  # type: ignore[arg-type]
        if field.type == "float":  # annotations are strings under ``from __future__ import annotations``
            value = check_finite(getattr(surface, field.name), field.name)
            if value.shape != ():
                raise ValueError(f"{field.name} must be a scalar, got shape {value.shape}")
            object.__setattr__(surface, field.name, float(value))
    object.__setattr__(surface, "domain", check_domain(surface.domain))


def _points(surface: Surface, table: tuple[tuple[float, float, str], ...]) -> tuple[CriticalPoint, ...]:
    return tuple(CriticalPoint((x, y), kind, float(surface.value((x, y)))) for x, y, kind in table)


@dataclass(frozen=True)
class RadialSine(Surface):
    r"""Seed 001: :math:`f = \sin r`, :math:`r = (a x)^2 + y^2 + \varepsilon` (``a`` = 0.75, ``offset`` = 0.01).

    .. math:: \nabla f = \cos r \,(2 a^2 x, 2 y).

    The only isolated stationary point is the origin; the others form whole
    ellipses :math:`r = \pi/2 + k\pi` and are not listed.
    """

    a: float = 0.75
    offset: float = 0.01
    domain: Domain = ((-3.0, 3.0), (-3.0, 3.0))
    name: str = "radial_sine"

    def __post_init__(self) -> None:
        _check_fields(self)

    @property
    def latex(self) -> str:
        return f"\\sin\\left(({self.a:g} x)^{{2}} + y^{{2}} + {self.offset:g}\\right)"

    @property
    def critical_points(self) -> tuple[CriticalPoint, ...]:
        kind = classify_hessian(self.hessian((0.0, 0.0)))
        return () if kind is None else (CriticalPoint((0.0, 0.0), kind, float(np.sin(self.offset))),)

    def _value(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.sin(self.a**2 * x * x + y * y + self.offset)

    def _gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
        cos = np.cos(self.a**2 * x * x + y * y + self.offset)
        return cos * 2 * self.a**2 * x, cos * 2 * y

    def _hessian(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
        r = self.a**2 * x * x + y * y + self.offset
        sin, cos, rx, ry = np.sin(r), np.cos(r), 2 * self.a**2 * x, 2 * y
        return cos * 2 * self.a**2 - sin * rx * rx, -sin * rx * ry, cos * 2 - sin * ry * ry


@dataclass(frozen=True)
class Rosenbrock(Surface):
    r"""Rosenbrock's valley :math:`f = (a - x)^2 + b (y - x^2)^2`, minimum 0 at :math:`(a, a^2)`.

    .. math:: \nabla f = (-2(a - x) - 4 b x (y - x^2),\; 2 b (y - x^2)).
    """

    a: float = 1.0
    b: float = 100.0
    domain: Domain = ((-2.0, 2.0), (-1.0, 3.0))
    name: str = "rosenbrock"

    def __post_init__(self) -> None:
        _check_fields(self)

    @property
    def latex(self) -> str:
        return f"({self.a:g} - x)^{{2}} + {self.b:g}\\,(y - x^{{2}})^{{2}}"

    @property
    def critical_points(self) -> tuple[CriticalPoint, ...]:
        return (CriticalPoint((self.a, self.a**2), "minimum", 0.0),) if self.b > 0 else ()

    def _value(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return (self.a - x) ** 2 + self.b * (y - x * x) ** 2

    def _gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
        return -2 * (self.a - x) - 4 * self.b * x * (y - x * x), 2 * self.b * (y - x * x)

    def _hessian(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
        return 2 - 4 * self.b * y + 12 * self.b * x * x, -4 * self.b * x, 2 * self.b


@dataclass(frozen=True)
class Beale(Surface):
    r"""Beale's function :math:`f = \sum_{i=1}^{3} u_i^2`, :math:`u_i = c_i - x + x y^i`, minimum 0 at (3, 0.5).

    With :math:`c = (1.5, 2.25, 2.625)`:

    .. math:: \nabla f = \textstyle\sum_i 2 u_i \,(y^i - 1,\; i x y^{i-1}).
    """

    domain: Domain = ((-4.5, 4.5), (-4.5, 4.5))
    name: str = "beale"

    def __post_init__(self) -> None:
        _check_fields(self)

    @property
    def latex(self) -> str:
        return "(1.5 - x + x y)^{2} + (2.25 - x + x y^{2})^{2} + (2.625 - x + x y^{3})^{2}"

    @property
    def critical_points(self) -> tuple[CriticalPoint, ...]:
        return _points(self, _BEALE_POINTS)

    @staticmethod
    def _residuals(x: np.ndarray, y: np.ndarray) -> tuple[Any, ...]:
        y2 = y * y
        y3 = y2 * y
        return 1.5 - x + x * y, 2.25 - x + x * y2, 2.625 - x + x * y3, y2, y3

    def _value(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        u1, u2, u3, _, _ = self._residuals(x, y)
        return u1 * u1 + u2 * u2 + u3 * u3

    def _gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
        u1, u2, u3, y2, y3 = self._residuals(x, y)
        return 2 * (u1 * (y - 1) + u2 * (y2 - 1) + u3 * (y3 - 1)), 2 * x * (u1 + 2 * y * u2 + 3 * y2 * u3)

    def _hessian(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
        u1, u2, u3, y2, y3 = self._residuals(x, y)
        return (
            2 * ((y - 1) ** 2 + (y2 - 1) ** 2 + (y3 - 1) ** 2),
            2 * (u1 + 2 * y * u2 + 3 * y2 * u3) + 2 * x * ((y - 1) + 2 * y * (y2 - 1) + 3 * y2 * (y3 - 1)),
            2 * x * (x + 2 * u2 + 4 * x * y2 + 6 * y * u3 + 9 * x * y2 * y2),
        )


@dataclass(frozen=True)
class Himmelblau(Surface):
    r"""Himmelblau's function :math:`f = (x^2 + y - 11)^2 + (x + y^2 - 7)^2`: four minima of value 0.

    .. math:: \nabla f = (4 x u + 2 v,\; 2 u + 4 y v), \quad u = x^2 + y - 11,\; v = x + y^2 - 7.
    """

    domain: Domain = ((-5.0, 5.0), (-5.0, 5.0))
    name: str = "himmelblau"

    def __post_init__(self) -> None:
        _check_fields(self)

    @property
    def latex(self) -> str:
        return "(x^{2} + y - 11)^{2} + (x + y^{2} - 7)^{2}"

    @property
    def critical_points(self) -> tuple[CriticalPoint, ...]:
        return _points(self, _HIMMELBLAU_POINTS)

    def _value(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2

    def _gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
        u, v = x * x + y - 11, x + y * y - 7
        return 4 * x * u + 2 * v, 2 * u + 4 * y * v

    def _hessian(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
        u, v = x * x + y - 11, x + y * y - 7
        return 4 * u + 8 * x * x + 2, 4 * (x + y), 4 * v + 8 * y * y + 2


@dataclass(frozen=True)
class SixHumpCamel(Surface):
    r"""The six-hump camel :math:`f = (4 - 2.1 x^2 + x^4/3) x^2 + x y + (4 y^2 - 4) y^2`.

    Six minima, two global of value :math:`\approx -1.0316` at :math:`\pm(0.0898, -0.7126)`.

    .. math:: \nabla f = (8x - 8.4x^3 + 2x^5 + y,\; x - 8y + 16y^3).
    """

    domain: Domain = ((-3.0, 3.0), (-2.0, 2.0))
    name: str = "six_hump_camel"

    def __post_init__(self) -> None:
        _check_fields(self)

    @property
    def latex(self) -> str:
        return r"\left(4 - 2.1 x^{2} + \tfrac{x^{4}}{3}\right) x^{2} + x y + (4 y^{2} - 4) y^{2}"

    @property
    def critical_points(self) -> tuple[CriticalPoint, ...]:
        return _points(self, _CAMEL_POINTS)

    def _value(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        x2, y2 = x * x, y * y
        return (4 - 2.1 * x2 + x2 * x2 / 3) * x2 + x * y + (4 * y2 - 4) * y2

    def _gradient(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
        x2 = x * x
        return x * (8 - x2 * (8.4 - 2 * x2)) + y, x + y * (16 * y * y - 8)

    def _hessian(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any, Any]:
        x2 = x * x
        return 8 - x2 * (25.2 - 10 * x2), 1.0, 48 * y * y - 8


def booth(**params: Any) -> Quadratic:
    r"""Booth's function :math:`(x + 2y - 7)^2 + (2x + y - 5)^2`, minimum 0 at (1, 3), as a :class:`Quadratic`.

    Expanded: :math:`5x^2 + 8xy + 5y^2 - 34x - 38y + 74`. ``params`` override the fields.
    """
    base = Quadratic(((10, 8), (8, 10)), b=(34, 38), c=74, domain=((-10, 10), (-10, 10)), name="booth")
    return replace(base, **params)


_BEALE_POINTS = ((3.0, 0.5, "minimum"), (0.0, 1.0, "saddle"), (0.10053793732415837, -2.644513585023125, "saddle"))

_HIMMELBLAU_POINTS = (
    (3.0, 2.0, "minimum"),
    (-2.805118086952745, 3.131312518250573, "minimum"),
    (-3.779310253377747, -3.2831859912861696, "minimum"),
    (3.5844283403304917, -1.8481265269644036, "minimum"),
    (-0.27084459066734756, -0.9230385564799816, "maximum"),
    (-3.0730257507643897, -0.08135304428796751, "saddle"),
    (-0.12796134673068005, -1.9537149802445766, "saddle"),
    (0.08667750455539634, 2.884254701174776, "saddle"),
    (3.385154183607021, 0.07385187983774928, "saddle"),
)

# f(-x, -y) = f(x, y): the camel's stationary points come in pairs +-p, plus the origin.
_CAMEL_POINTS = tuple(
    (sign * x, sign * y, kind)
    for x, y, kind in (
        (0.08984201310031807, -0.7126564030207396, "minimum"),
        (1.703606714969981, -0.7960835686726251, "minimum"),
        (1.6071047529201974, 0.5686514548841313, "minimum"),
        (1.2302298765166526, 0.16233458445899498, "maximum"),
        (1.6380679841897785, 0.22867406904439408, "saddle"),
        (1.2960702671671094, 0.6050843880386585, "saddle"),
        (1.1092053368047863, -0.7682680925095399, "saddle"),
    )
    for sign in (1.0, -1.0)
) + ((0.0, 0.0, "saddle"),)
