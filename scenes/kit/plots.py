"""A plot of one quantity against another, drawn as a frame: :func:`framed_axes`.

The map's axes (:func:`~scenes.kit.axes.domain_axes`) keep x and y at one scale; a plot such
as a slice :math:`\\phi(t)` of a surface needs each axis at its own scale.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, UP, Axes, Line, ManimColor, MathTex, VGroup, VMobject

from scenes.kit.axes import nice_step, nice_ticks

__all__ = ["framed_axes", "tick_tex"]


def framed_axes(
    x_range: tuple[float, float],
    y_range: tuple[float, float],
    width: float,
    height: float,
    color: ManimColor | str,
    names: tuple[str, str] = ("x", "y"),
    *,
    font_size: float = 20,
) -> Axes:
    """Axes of ``x_range`` x ``y_range`` on a ``width`` x ``height`` box, drawn as a frame: the
    box, ticks and numbers on its left and bottom sides (about 4 round values each), the x name
    under the right end and the y name over the left end; no axis line crosses the plot.

    Use ``axes.c2p(x, y)`` to place things; nothing is clipped to the box.
    """
    (x0, x1), (y0, y1) = x_range, y_range
    axes = Axes(
        x_range=[x0, x1, x1 - x0],
        y_range=[y0, y1, y1 - y0],
        x_length=width,
        y_length=height,
        tips=False,
        axis_config={"stroke_opacity": 0, "include_ticks": False},
    )
    corners = [axes.c2p(*p) for p in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))]
    box = VMobject(stroke_color=color, stroke_width=1.5).set_points_as_corners(corners)
    numbers = VGroup()
    sides = [(x1 - x0, DOWN, [(v, axes.c2p(v, y0)) for v in nice_ticks(x0, x1, 4)]),
             (y1 - y0, LEFT, [(v, axes.c2p(x0, v)) for v in nice_ticks(y0, y1, 4)])]
    for span, side, ticks in sides:
        step = nice_step(span, 4)
        for value, at in ticks:
            box.add(Line(at, at + 0.08 * side, stroke_color=color, stroke_width=1.5))
            number = MathTex(tick_tex(value, step), font_size=font_size, color=color)
            numbers.add(number.next_to(at + 0.08 * side, side, buff=0.06))
    x_name = MathTex(names[0], font_size=1.2 * font_size, color=color).next_to(numbers, DOWN, buff=0.08)
    y_name = MathTex(names[1], font_size=1.2 * font_size, color=color).next_to(box, UP, buff=0.1)
    x_name.set_x(corners[1][0])
    y_name.set_x(corners[0][0])
    return axes.add(box, numbers, x_name, y_name)


def tick_tex(value: float, step: float) -> str:
    r"""A tick number in LaTeX with the decimals that ticks ``step`` apart need, as
    :math:`m \cdot 10^{e}` when that would take more than 5 digits.

    Examples
    --------
    >>> tick_tex(0.025, 0.005), tick_tex(-100.0, 50.0), tick_tex(5e17, 5e17), tick_tex(2e-6, 1e-6)
    ('0.025', '-100', '5 \\cdot 10^{17}', '2 \\cdot 10^{-6}')
    """
    if value == 0:
        return "0"
    exponent = int(np.floor(np.log10(step)))
    if exponent > 4 or exponent < -4:
        mantissa, power = f"{value:.2e}".split("e")
        return rf"{float(mantissa):g} \cdot 10^{{{int(power)}}}"
    return f"{value:.{max(0, -exponent)}f}"
