"""Gradient maps (seed 001): the gradient is a field of arrows living in the input space.

Render: ``manim -ql scenes/gradient_maps.py GradientMap1D`` (or ``GradientMap2D``).
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

import numpy as np
from manim import (
    DOWN,
    LEFT,
    PI,
    RIGHT,
    UP,
    Axes,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    LaggedStart,
    MathTex,
    Rotate,
    Transform,
    VGroup,
    VMobject,
    Write,
)

from gradcore.curves import Curve
from gradcore.fields import clip_length, grid
from gradcore.registry import CURVES
from gradcore.surface import Interval, check_domain, check_interval
from scenes.kit import (
    PANEL_LEFT,
    ArrowField,
    ColorBar,
    ContourMap,
    FlatArrows,
    GradScene,
    GrowArrows,
    HeightMap,
    axis_style,
    faded,
    finite_range,
    fit_in_frame,
    map_axes,
    map_levels,
    nice_step,
    surface_words,
    tick_range,
    to_scene,
    vector_arrows,
)

__all__ = ["GradientMap1D", "GradientMap2D"]

CURVE_EXAMPLE = "x**3 - x"


class GradientMap1D(GradScene):
    """The derivative of a 1-D function as arrows on the x-axis, built from the tangent.

    The graph of the curve sits above its input axis (same x scale; equal aspect where the
    values fit). At ``x0``: the tangent, one unit along x, the rise up to the tangent (that is
    :math:`f'(x_0)`), and the rise turned onto the input axis: the gradient at :math:`x_0`.
    Then the same every ``spacing`` along x, drawn ``arrow_scale`` times :math:`f'(x)` and
    clipped at ``max_length`` (clipped arrows in ``clip_color``). ``x0`` should be one of
    those points. The curve is the registered ``curve_name`` or ``formula``, a formula in
    ``x`` alone, on ``domain`` ``(xmin, xmax)``; it is drawn where it is finite.
    """

    curve_name = "cubic"
    formula: str | None = None  # f(x), e.g. "x**3 - x"; wins over curve_name
    domain: Interval | None = None  # (xmin, xmax), or a box whose x-interval is used
    x0 = 0.0  # the default moves to the nearest arrow where f and f' are finite
    spacing = 0.25
    arrow_scale = 0.1
    max_length = 0.24
    unit = 1.5  # scene units per unit of x and f, at most
    max_arrows = 40  # a wider domain spaces the arrows (and scales them) by whole factors
    curve_color: str | None = None  # None: the theme's accent
    tangent_color: str | None = None  # None: the theme's warning
    arrow_color: str | None = None  # None: the theme's negative
    clip_color: str | None = None  # None: the theme's fifth palette color
    step_time = 1.5

    @classmethod
    def validate(cls) -> None:
        # Not GradScene's surface checks: this scene has a curve (formula in x, interval domain).
        cls.check_positive("spacing", "arrow_scale", "max_length", "unit", "max_arrows", "step_time")
        if cls.surface_name is not None:
            problem = f"is not used: {cls.__name__} draws a curve; set curve_name or formula, e.g. {CURVE_EXAMPLE!r}"
            raise cls.invalid("surface_name", cls.surface_name, problem)
        curve = cls._curve()
        if cls.home_of("x0") is None:  # the user's own x0
            low, high = curve.domain
            if not (isinstance(cls.x0, (int, float)) and low <= cls.x0 <= high):
                raise cls.invalid("x0", cls.x0, f"is outside the domain {curve.domain}; give a point inside it")
            if not _usable(curve, np.array([float(cls.x0)]))[0]:
                problem = "is where f or f' is not finite; give a point where f is differentiable"
                raise cls.invalid("x0", cls.x0, problem)

    def curve(self) -> Curve:
        """The function shown, from ``formula`` (a formula in x) or ``curve_name``, on ``domain``."""
        return type(self)._curve()

    @classmethod
    def _curve(cls) -> Curve:
        interval = cls._interval()
        if cls.formula is not None:
            if not isinstance(cls.formula, str):
                raise cls.invalid("formula", cls.formula, f"is not a string; give f(x), e.g. {CURVE_EXAMPLE!r}")
            try:
                return _formula_curve(cls.formula, interval)
            except ValueError as error:
                said = str(error).removeprefix(f"formula {cls.formula!r}").lstrip(": ")
                if "name 'y'" in said:
                    said = f"is not a formula in x alone ({said})"
                elif not said.startswith("is "):
                    said = f"is not valid: {said}"
                problem = f"{said}; give f(x), e.g. {CURVE_EXAMPLE!r}"
                raise cls.invalid("formula", cls.formula, problem) from None
        if not isinstance(cls.curve_name, str) or cls.curve_name not in CURVES:
            known = ", ".join(sorted(CURVES))
            raise cls.invalid("curve_name", cls.curve_name, f"is not a registered curve; known: {known}")
        curve = CURVES[cls.curve_name]()
        return curve if interval is None else dataclasses.replace(curve, domain=interval)

    @classmethod
    def _interval(cls) -> Interval | None:
        if cls.domain is None:
            return None
        try:
            return check_interval(cls.domain) if np.shape(cls.domain) == (2,) else check_domain(cls.domain)[0]
        except ValueError as error:
            raise cls.invalid("domain", cls.domain, f"is not an interval (xmin, xmax) ({error})") from None

    def construct(self) -> None:
        theme = self.theme
        curve = self.curve()
        low, high = curve.domain
        self.curve_color = theme.stroke(self.curve_color, theme.accent)
        self.tangent_color = theme.stroke(self.tangent_color, theme.warning)
        self.arrow_color = theme.stroke(self.arrow_color, theme.negative)
        self.clip_color = theme.stroke(self.clip_color, theme.palette[4])
        # A wide domain gets fewer, longer arrows: spacing, scale and clip grow by a whole factor.
        factor = max(1, int(np.ceil((high - low) / self.spacing / self.max_arrows)))
        spacing, scale, max_length = (factor * v for v in (self.spacing, self.arrow_scale, self.max_length))
        tails = np.arange(low, high + spacing / 2, spacing)
        x0 = self.start(curve, tails)
        slope, height = float(curve.derivative(x0)), float(curve.value(x0))

        # Set up: the graph above, the input axis below, at the same x scale
        xs = np.linspace(low, high, 600)
        values = curve.value(xs)
        bottom, top = finite_range(values)
        bottom, top = min(bottom, height, height + slope), max(top, height, height + slope)  # the construction
        bottom, top = (bottom - 1, top + 1) if top - bottom < 1e-9 else (bottom, top)
        pad = min(0.5, 0.15 * (high - low))
        left, right = min(low, x0) - pad, max(high, x0 + 1) + pad
        x_range = tick_range(left, right, nice_step(right - left))
        x_unit = min(self.unit, 6.75 / (x_range[1] - x_range[0]))
        margin = 0.08 * (top - bottom)
        y_range = tick_range(bottom - margin, top + margin, nice_step(top - bottom, 4))
        y_unit = min(x_unit, 6.3 / (y_range[1] - y_range[0]))
        self.axes = Axes(
            x_range=x_range,
            y_range=y_range,
            x_length=x_unit * (x_range[1] - x_range[0]),
            y_length=y_unit * (y_range[1] - y_range[0]),
            tips=False,
            axis_config=axis_style(theme.foreground, theme.foreground, x_range[2]),
            y_axis_config=axis_style(theme.foreground, theme.foreground, y_range[2]),
            # the construction's rise arrow stands at x0 + 1: keep its tick number free
            x_axis_config={"numbers_to_exclude": [0, x0 + 1]},
        )
        self.input_axis = Axes(
            x_range=x_range,
            y_range=[-0.5, 0.5, 1],
            x_length=x_unit * (x_range[1] - x_range[0]),
            y_length=min(self.unit, 1.2),
            tips=False,
            x_axis_config=axis_style(theme.muted, theme.readable(theme.muted), x_range[2]),
            y_axis_config={"stroke_opacity": 0, "include_ticks": False},
        ).next_to(self.axes, DOWN, buff=-0.1)
        self.input_axis.shift((self.axes.c2p(0, 0)[0] - self.input_axis.c2p(0, 0)[0]) * RIGHT)
        input_name = MathTex(r"x \text{ (input space)}", font_size=26, color=theme.foreground)
        VGroup(self.axes, self.input_axis).to_corner(DOWN + LEFT, buff=0.35)  # the input axis under the text
        input_name.next_to(self.input_axis.c2p(x_range[1], 0), RIGHT, buff=0.2)
        graph = self.graph(curve, xs, values, (y_range[0], y_range[1]))
        title = self.label(f"f(x) = {curve.latex}", font_size=40).to_edge(UP)
        fit_in_frame(title.set_x(PANEL_LEFT + title.width / 2))
        self.add(self.axes, self.input_axis, input_name)
        self.play(Create(graph), Write(title), run_time=2)
        self.pause(f"The graph of {surface_words(curve)}, its input axis below")

        # Show the construction at x0: the tangent, one unit along x, the rise to the tangent
        steps = VGroup(
            self.label(rf"1.\ \text{{tangent at }} x_0 = {x0:.3g}"),
            self.label(r"2.\ \text{one unit along } x"),
            self.label(rf"3.\ \text{{rise to the tangent: }} f'(x_0) = {slope:.3g}"),
            self.label(r"4.\ \text{turn it flat, onto the input axis}"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        steps.next_to(title, DOWN, buff=0.4).set_x(PANEL_LEFT + steps.width / 2)
        point, corner = self.axes.c2p(x0, height), self.axes.c2p(x0 + 1, height)
        ends = [(x0 + t, height + t * slope) for t in _inside(slope, height, (-1.0, 1.3), (y_range[0], y_range[1]))]
        tangent = VMobject(stroke_color=self.tangent_color, stroke_width=4)
        tangent.set_points_as_corners(to_scene(self.axes, np.array(ends)))
        dot = Dot(point, color=theme.foreground)
        self.play(FadeIn(dot), Create(tangent), FadeIn(steps[0]), run_time=self.step_time)
        self.pause(f"The tangent at x0 = {x0:.3g}")
        run = VMobject(stroke_color=theme.foreground, stroke_width=4).set_points_as_corners([point, corner])
        one = self.label("1").next_to(run, DOWN if slope < 0 else UP, buff=0.15)  # inside the triangle
        self.play(Create(run), FadeIn(one), FadeIn(steps[1]), run_time=self.step_time)
        self.pause("One unit along x")
        rise = vector_arrows(self.axes, (x0 + 1, height), (0, slope), self.arrow_color, stroke_width=5)
        on_tangent = Dot(self.axes.c2p(x0 + 1, height + slope), color=self.tangent_color)
        self.play(FadeIn(on_tangent), *(GrowArrow(a) for a in rise), FadeIn(steps[2]))
        self.pause(f"The rise to the tangent is the slope f'(x0) = {slope:.3g}")

        # Show the rise turned flat and laid on the input axis at x0: the gradient there
        dropped = rise.copy()
        self.play(Rotate(dropped, -PI / 2, about_point=corner), FadeIn(steps[3]), run_time=self.step_time)
        span = np.array([[x_range[0] - x0, 0.0], [x_range[1] - x0, 0.0]])  # keep it on the axis
        laid = vector_arrows(self.input_axis, (x0, 0), np.clip((slope, 0), *span), self.arrow_color, stroke_width=5)
        if len(dropped) and len(laid):
            self.play(Transform(dropped[0], laid[0]), run_time=self.step_time)
        self.pause("Turned flat onto the input axis, the rise is the gradient at x0")

        # Show the gradient map: the same at every x, scaled and clipped
        slopes = scale * curve.derivative(tails)
        keep = _usable(curve, tails) & (slopes != 0)
        vectors, clipped = clip_length(np.stack([slopes[keep], 0 * slopes[keep]], axis=-1), max_length)
        colors = [self.clip_color if c else self.arrow_color for c in clipped]
        starts = np.stack([tails, 0 * tails], axis=-1)[keep]
        arrows = vector_arrows(self.input_axis, starts, vectors, colors, stroke_width=5, tip_length=0.14)
        legend = VGroup(self.label(rf"\text{{map: arrows }} {scale:g}\, f'(x)", self.arrow_color))
        if clipped.any():
            legend.add(self.label(rf"\text{{clipped at length }} {max_length:g}", self.clip_color))
        legend.add(self.label(r"\text{arrows point uphill}" if len(arrows) else r"f' = 0 \text{: no arrows}"))
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.2).next_to(steps, DOWN, buff=0.4, aligned_edge=LEFT)
        own = int(np.argmin(np.abs(starts[:, 0] - x0))) if len(arrows) else -1
        if own >= 0 and np.isclose(starts[own, 0], x0) and len(dropped):
            self.play(Transform(dropped[0], arrows[own]), FadeIn(legend[0]), run_time=self.step_time)
        else:
            self.play(FadeOut(dropped), FadeIn(legend[0]), run_time=self.step_time)
            own = -1
        others = [GrowArrow(a) for i, a in enumerate(arrows) if i != own]
        grow = [LaggedStart(*others, lag_ratio=0.1)] if others else []
        self.play(*grow, FadeIn(legend[1:]), run_time=2 * self.step_time)
        self.remove(dropped)
        self.add(arrows)
        self.wait(2)
        self.caption("The gradient map: the same arrow at every x, pointing uphill")

    def start(self, curve: Curve, tails: np.ndarray) -> float:
        """``x0``, or for the default the arrow tail nearest to it where f and f' are finite."""
        if type(self).home_of("x0") is None:
            return float(self.x0)
        usable = tails[_usable(curve, tails)]
        return float(usable[np.argmin(np.abs(usable - self.x0))]) if len(usable) else float(tails[0])

    def graph(self, curve: Curve, xs: np.ndarray, values: np.ndarray, y_range: tuple[float, float]) -> VGroup:
        """The graph of ``curve`` sampled at ``xs``: one line per run where it is finite and in ``y_range``."""
        shown = np.isfinite(values) & (values >= y_range[0]) & (values <= y_range[1])
        edges = np.flatnonzero(np.diff(np.concatenate([[0], shown.astype(int), [0]])))
        pieces = VGroup()
        for first, end in zip(edges[::2], edges[1::2]):
            if end - first > 1:
                points = to_scene(self.axes, np.stack([xs[first:end], values[first:end]], axis=-1))
                pieces.add(VMobject(stroke_color=self.curve_color, stroke_width=4).set_points_as_corners(points))
        return pieces


class GradientMap2D(GradScene):
    """A height map of a 2-D function with its gradient field in the same input plane.

    Colors show :math:`f`, arrows show :math:`\\nabla f`: they point uphill and their length is
    the rate of increase :math:`\\|\\nabla f\\|`, to scale up to ``clip_magnitude`` (which
    fills 0.9 of a cell); steeper ones are clipped and drawn in ``clip_color``. One arrow,
    at ``probe``, is highlighted with its numbers. Where the surface is not finite the map
    is left empty and no arrow is drawn.
    """

    surface_name = "radial_sine"
    field_shape = (13, 13)
    n_levels = 7
    map_opacity = 0.5
    arrow_color: str | None = None  # None: the theme's foreground, readable on the faded map
    clip_magnitude: float | None = None  # None: a round number near the median (2 on the radial sine)
    clip_color: str | None = None  # None: the theme's warning
    probe = (1.5, 1.0)  # the default moves into another surface's domain, to where f is finite
    probe_color: str | None = None  # None: the theme's negative
    field_time = 4.0

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("n_levels", "map_opacity", "field_time")
        if cls.clip_magnitude is not None:
            cls.check_positive("clip_magnitude")
        cls.check_own_points("probe")

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        domain = surface.domain
        self.arrow_color = theme.stroke(self.arrow_color, theme.foreground)
        self.clip_color = theme.stroke(self.clip_color, theme.warning)
        self.probe_color = theme.stroke(self.probe_color, theme.negative)

        # Set up: the function as a height map on its input plane, with its color bar
        self.axes = map_axes(domain, theme.foreground)
        stops = faded(theme.colormap, theme.background, self.map_opacity)
        shade = HeightMap(self.axes, surface, stops)
        levels = map_levels(surface, self.n_levels, domain=domain)
        lines = ContourMap(self.axes, surface, levels, [theme.foreground] * len(levels), stroke_width=1)
        lines.set_stroke(opacity=0.3)  # faint: the colors read the values
        corners = to_scene(self.axes, np.array([(domain[0][1], domain[1][0]), (domain[0][1], domain[1][1])]))
        box_height = corners[1, 1] - corners[0, 1]
        bar = ColorBar(*shade.value_range, stops, theme.foreground, title="f", decimals=None, height=0.8 * box_height)
        bar.next_to(corners[0], RIGHT, buff=0.3).align_to(corners[0], DOWN)
        title = self.label(f"f(x, y) = {surface.latex}", font_size=28).to_edge(UP)
        fit_in_frame(title.set_x(bar.get_right()[0] + 0.5 + title.width / 2))
        self.add(self.axes)
        self.play(_FadeInPlace(shade), _FadeInPlace(lines), _FadeInPlace(bar), Write(title), run_time=2)
        self.pause(f"{surface_words(surface).capitalize()} as colours on its input plane")
        self.wait()

        # Show the gradient field in the same plane: arrows point uphill
        self.clip = self.clip_magnitude or self.median_clip(surface)
        field = ArrowField(
            self.axes,
            surface,
            shape=self.field_shape,
            clip_magnitude=self.clip,
            color=self.arrow_color,
            clip_color=self.clip_color,
        )
        notes = VGroup(self.label(r"\text{arrows: } \nabla f \text{ point uphill}" if len(field) else r"\nabla f = 0"))
        if len(field):
            notes.add(self.label(r"\text{length} = \text{rate of increase } \|\nabla f\|"))
        if field.clipped.any():
            notes.add(self.label(rf"\text{{clipped where }} \|\nabla f\| > {self.clip:g}", self.clip_color))
        notes.arrange(DOWN, aligned_edge=LEFT, buff=0.25).next_to(title, DOWN, buff=0.6, aligned_edge=LEFT)
        grow = [GrowArrows(FlatArrows(field), lag_ratio=0.01)] if len(field) else []  # LaggedStart of GrowArrow
        self.play(*grow, FadeIn(notes[0]), run_time=self.field_time)
        self.pause("The gradient field in the same plane: arrows point uphill" if len(field) else "The gradient is zero everywhere")

        # Show that length is the rate of increase
        self.play(FadeIn(notes[1:]))
        self.pause("An arrow's length is the rate of increase")
        self.wait()

        # Show one arrow with its numbers
        probe = self.fitted_points("probe")
        gradient = surface.gradient(probe)
        scale = field.length_scale or 0.0
        vector = clip_length(scale * gradient, scale * self.clip)[0] if scale else 0 * gradient
        arrow = vector_arrows(self.axes, probe, vector, self.probe_color, stroke_width=6)
        dot = Dot(to_scene(self.axes, probe), radius=0.06, color=self.probe_color)
        color = self.probe_color
        numbers = VGroup(
            self.label(rf"\nabla f({probe[0]:.3g}, {probe[1]:.3g}) = ({gradient[0]:.2f}, {gradient[1]:.2f})", color),
            self.label(rf"\|\nabla f\| = {np.linalg.norm(gradient):.2f}", color),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        numbers.next_to(notes, DOWN, buff=0.5, aligned_edge=LEFT)
        self.play(FadeIn(dot), *(GrowArrow(a) for a in arrow), FadeIn(numbers))
        self.wait(3)
        self.caption(f"At ({probe[0]:.3g}, {probe[1]:.3g}) the gradient is ({gradient[0]:.2f}, {gradient[1]:.2f})")

    def median_clip(self, surface) -> float:
        """The 1, 2 or 5 times a power of ten nearest to the median finite gradient magnitude."""
        with np.errstate(all="ignore"):
            magnitudes = np.linalg.norm(surface.gradient(grid(surface.domain, self.field_shape)), axis=-1)
        magnitudes = magnitudes[np.isfinite(magnitudes) & (magnitudes > 0)]
        return nice_step(float(np.median(magnitudes)) if magnitudes.size else 1.0, 1)


class _FadeInPlace(FadeIn):
    """``FadeIn`` of a mobject that stays where it is: only the colors are interpolated. (FadeIn
    interpolates the points too, from a copy equal to them: for a height map, a hundred thousand
    points a frame for nothing.)"""

    def interpolate_submobject(self, submobject: Any, starting_submobject: Any, target_copy: Any, alpha: float) -> Any:
        submobject.interpolate_color(starting_submobject, target_copy, alpha)
        return self


def _inside(slope: float, height: float, span: tuple[float, float], y_range: tuple[float, ...]) -> tuple[float, float]:
    """The part of ``span`` of ``t`` where ``height + t * slope`` stays within ``y_range``."""
    low, high = span
    if slope != 0:
        t0, t1 = sorted(((y_range[0] - height) / slope, (y_range[1] - height) / slope))
        low, high = max(low, t0), min(high, t1)
    return low, high


def _usable(curve: Curve, xs: np.ndarray) -> np.ndarray:
    """Whether ``curve`` and its derivative are finite at each of ``xs``."""
    return np.isfinite(curve.value(xs)) & np.isfinite(curve.derivative(xs))


@functools.lru_cache(maxsize=16)
def _formula_curve(text: str, interval: Interval | None) -> Curve:
    from gradcore.expression import from_expression  # sympy: only for a formula

    return from_expression(text, dim=1, domain=interval)
