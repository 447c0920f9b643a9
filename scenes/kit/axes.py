"""Axes of the input plane: nice tick steps, a map's framed axes, and points mapped to the scene.

Points of the input plane are arrays ``(..., 2)``; :func:`to_scene` maps them through an
:class:`~manim.Axes` to scene points ``(..., 3)``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from manim import DOWN, LEFT, Axes, Line, ManimColor, MathTex, VGroup, VMobject

from gradcore.fields import grid
from gradcore.surface import Domain, Surface
from scenes.kit.numbers import Readout

__all__ = [
    "MAP_CENTER",
    "PANEL_LEFT",
    "RIGHT_EDGE",
    "axis_style",
    "domain_axes",
    "fit_points",
    "map_axes",
    "nice_step",
    "nice_ticks",
    "tick_range",
    "to_scene",
]

MAP_CENTER = np.array([-2.8, 0.25, 0.0])
"""Where a scene's map (the input plane) sits: the left part of the frame."""
PANEL_LEFT = 1.3
"""Left edge of the text panel to the right of the map."""
RIGHT_EDGE = 6.9
"""Right edge of that panel: what it holds ends there, a little inside the frame."""


def nice_step(span: float, target: int = 5) -> float:
    """The 1, 2 or 5 times a power of ten nearest (in ratio) to ``span / target``.

    A span of zero (a constant), or one that is not a finite positive number, has step 1.

    Examples
    --------
    >>> nice_step(10.0), nice_step(6.0), nice_step(0.3), nice_step(0.0)
    (2.0, 1.0, 0.05, 1.0)
    """
    raw = span / target
    if not (math.isfinite(raw) and raw > 0):
        return 1.0
    power = 10 ** np.floor(np.log10(raw))
    return float(min((m * power for m in (1, 2, 5, 10)), key=lambda step: abs(np.log(step / raw))))


def nice_ticks(low: float, high: float, target: int = 5) -> np.ndarray:
    """About ``target`` round values in ``[low, high]``, :func:`nice_step` apart.

    ``low == high`` gives that one value.

    Examples
    --------
    >>> nice_ticks(-3, 3)
    array([-3., -2., -1.,  0.,  1.,  2.,  3.])
    >>> nice_ticks(0.5, 0.5)
    array([0.5])
    """
    if high == low:
        return np.array([float(low)])
    step = nice_step(high - low, target)
    ticks = step * np.arange(np.ceil(low / step), np.floor(high / step) + 1)
    return np.round(ticks, 12) + 0.0  # no -0.0 or 1e-16 in labels


def tick_range(low: float, high: float, step: float) -> list[float]:
    """An axis range ``[low, high, step]`` for :class:`~manim.Axes`, the end nearer to 0 moved out
    to a multiple of ``step`` when the range does not hold 0 (Manim counts ticks from 0, or else
    from the range's start), so that the ticks fall on multiples of ``step``.

    Examples
    --------
    >>> tick_range(0.3, 2.0, 0.5)
    [0.0, 2.0, 0.5]
    """
    if low > 0:
        low = step * np.floor(low / step)
    elif high < 0:
        high = step * np.ceil(high / step)
    return [float(low), float(high), step]


def axis_style(color: ManimColor | str, ink: ManimColor | str, step: float) -> dict[str, Any]:
    """An ``axis_config`` for :class:`~manim.Axes`: the axis drawn in ``color``, its tick numbers
    in ``ink``, with the decimals that ticks ``step`` apart need."""
    decimals = max(0, -int(np.floor(np.log10(step)))) if step < 1 else 0
    number = {"color": ink, "num_decimal_places": decimals}
    return {"color": color, "include_numbers": True, "font_size": 22, "decimal_number_config": number}


def to_scene(axes: Axes, points: np.ndarray) -> np.ndarray:
    """Scene points ``(..., 3)`` of input-plane points ``(..., 2)`` under ``axes`` (an affine map)."""
    points = np.asarray(points, dtype=float)
    origin, ex, ey = (np.asarray(axes.c2p(*p), dtype=float) for p in ((0, 0), (1, 0), (0, 1)))
    return origin + points[..., :1] * (ex - origin) + points[..., 1:2] * (ey - origin)


def fit_points(points: Any, home: Domain, surface: Surface) -> np.ndarray:
    """A scene's default ``points`` ``(2,)`` or ``(n, 2)``, chosen on its ``home`` domain, fitted to ``surface``.

    A point inside ``surface.domain`` where the value and the gradient are finite stays. Any
    other goes to the same relative place in the box around the part of ``surface.domain``
    where the surface is finite (a start in the lower left stays in the lower left, and
    points stay apart), and from there, if the surface is not finite there, to the nearest
    point of a 41 x 41 grid over the domain where it is.

    Examples
    --------
    >>> from gradcore import from_expression
    >>> fit_points((-20.0, 10.0), ((-50, 50), (-50, 50)), from_expression("x**2"))
    array([-1.2,  0.6])
    >>> bool(fit_points([(-1.0, 0.0)], ((-3, 3), (-3, 3)), from_expression("sqrt(x)"))[0, 0] > 0)
    True
    """
    points = np.array(points, dtype=float)
    flat = points.reshape(-1, 2)
    box, home = np.asarray(surface.domain, dtype=float), np.asarray(home, dtype=float)
    candidates = grid(surface.domain, (41, 41)).reshape(-1, 2)
    usable = candidates[_finite_at(surface, candidates)]
    if len(usable) == 0:
        return points
    low, high = usable.min(axis=0), usable.max(axis=0)  # the box around the finite part
    inside = np.all((box[:, 0] <= flat) & (flat <= box[:, 1]), axis=-1)
    moved = ~(inside & _finite_at(surface, flat))
    relative = np.clip((flat - home[:, 0]) / (home[:, 1] - home[:, 0]), 0, 1)
    flat = np.where(moved[:, None], low + relative * (high - low), flat)
    for i in np.nonzero(~_finite_at(surface, flat))[0]:
        flat[i] = usable[np.argmin(np.linalg.norm(usable - flat[i], axis=-1))]
    return flat.reshape(points.shape)


def _finite_at(surface: Surface, points: np.ndarray) -> np.ndarray:
    with np.errstate(all="ignore"):
        value, gradient = surface.value(points), surface.gradient(points)
    return np.isfinite(value) & np.all(np.isfinite(gradient), axis=-1)


def domain_axes(
    domain: Domain,
    width: float,
    height: float,
    color: ManimColor | str,
    *,
    labels: tuple[str, str] = ("x", "y"),
    font_size: float = 22,
) -> Axes:
    """Axes for a map of ``domain`` at equal scale in x and y, fitting ``width`` x ``height``.

    Drawn like a plot frame: a box around the domain with tick numbers on its left and bottom
    edges and the axis names outside it (no lines crossing the map). Use ``axes.c2p`` or
    :func:`to_scene` to place things.
    """
    (xmin, xmax), (ymin, ymax) = domain
    unit = min(width / (xmax - xmin), height / (ymax - ymin))
    axes = Axes(
        x_range=[xmin, xmax, nice_step(xmax - xmin)],
        y_range=[ymin, ymax, nice_step(ymax - ymin)],
        x_length=unit * (xmax - xmin),
        y_length=unit * (ymax - ymin),
        tips=False,
        axis_config={"stroke_opacity": 0, "include_ticks": False},
    )
    corners = to_scene(axes, np.array([(xmin, ymin), (xmax, ymin), (xmax, ymax), (xmin, ymax)]))
    box = VMobject(stroke_color=color, stroke_width=1.5).set_points_as_corners([*corners, corners[0]])
    tick, numbers = 0.08, VGroup()
    for x in nice_ticks(xmin, xmax):
        bottom = axes.c2p(x, ymin)
        box.add(Line(bottom, bottom + tick * DOWN, stroke_color=color, stroke_width=1.5))
        numbers.add(_number(x, font_size, color).next_to(bottom + tick * DOWN, DOWN, buff=0.06))
    for y in nice_ticks(ymin, ymax):
        left = axes.c2p(xmin, y)
        box.add(Line(left, left + tick * LEFT, stroke_color=color, stroke_width=1.5))
        numbers.add(_number(y, font_size, color).next_to(left + tick * LEFT, LEFT, buff=0.06))
    x_name = MathTex(labels[0], font_size=font_size * 1.2, color=color)
    x_name.next_to(numbers, DOWN, buff=0.08).set_x(axes.c2p(0.5 * (xmin + xmax), ymin)[0])
    y_name = MathTex(labels[1], font_size=font_size * 1.2, color=color)
    y_name.next_to(numbers, LEFT, buff=0.12).set_y(axes.c2p(xmin, 0.5 * (ymin + ymax))[1])
    axes.add(box, numbers, x_name, y_name)
    return axes


def map_axes(
    domain: Domain, color: ManimColor | str, *, width: float = 6.6, height: float = 6.4, **kwargs: Any
) -> Axes:
    """:func:`domain_axes` with the domain's box centered on :data:`MAP_CENTER` (``kwargs`` go to it)."""
    axes = domain_axes(domain, width, height, color, **kwargs)
    center = to_scene(axes, np.mean(np.asarray(domain, dtype=float), axis=1))
    return axes.shift(MAP_CENTER - center)


def _number(value: float, font_size: float, color: ManimColor | str) -> Readout:
    decimals = 0 if float(value).is_integer() else len(f"{value:g}".split(".")[-1])
    return Readout(value, num_decimal_places=decimals, font_size=font_size, color=color)
