"""Name -> factory registries of the surfaces and curves the scenes use."""

from __future__ import annotations

from typing import Any, Callable

from gradcore.curves import Curve, cubic
from gradcore.gaussians import gaussian_difference
from gradcore.quadratic import bowl, elongated_quadratic, saddle
from gradcore.surface import Surface
from gradcore.testfunctions import Beale, Himmelblau, RadialSine, Rosenbrock, SixHumpCamel, booth

__all__ = ["CURVES", "SURFACES", "get_surface"]

SURFACES: dict[str, Callable[..., Surface]] = {
    "elongated_quadratic": elongated_quadratic,
    "bowl": bowl,
    "saddle": saddle,
    "gaussian_difference": gaussian_difference,
    "radial_sine": RadialSine,
    "rosenbrock": Rosenbrock,
    "beale": Beale,
    "himmelblau": Himmelblau,
    "booth": booth,
    "six_hump_camel": SixHumpCamel,
}

CURVES: dict[str, Callable[..., Curve]] = {"cubic": cubic}


def get_surface(name: str, **params: Any) -> Surface:
    """The registered surface ``name``, with ``params`` overriding its fields.

    Raises
    ------
    ValueError
        If ``name`` is not registered; the message lists the known names.
    """
    if name not in SURFACES:
        raise ValueError(f"unknown surface {name!r}; known surfaces: {', '.join(sorted(SURFACES))}")
    return SURFACES[name](**params)
