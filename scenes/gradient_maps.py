"""Gradient maps (seed 001): the gradient is a field of arrows living in the input space.

Render: ``manim -ql scenes/gradient_maps.py GradientMap1D`` (or ``GradientMap2D``).
"""

from __future__ import annotations

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
    GrowArrow,
    LaggedStart,
    Line,
    MathTex,
    Rotate,
    Transform,
    VGroup,
    Write,
)

from gradcore.fields import clip_length
from gradcore.levels import default_levels
from gradcore.registry import CURVES
from scenes.kit import (
    PANEL_LEFT,
    ArrowField,
    ColorBar,
    ContourMap,
    GradScene,
    HeightMap,
    faded,
    map_axes,
    to_scene,
    vector_arrows,
)

__all__ = ["GradientMap1D", "GradientMap2D"]


class GradientMap1D(GradScene):
    """The derivative of a 1-D function as arrows on the x-axis, built from the tangent.

    The graph of the curve sits above its input axis (same x scale, equal aspect). At ``x0``:
    the tangent, one unit along x, the rise up to the tangent (that is :math:`f'(x_0)`), and
    the rise turned onto the input axis: the gradient at :math:`x_0`. Then the same every
    ``spacing`` along x, drawn ``arrow_scale`` times :math:`f'(x)` and clipped at
    ``max_length`` (clipped arrows in ``clip_color``). ``x0`` should be one of those points.
    """

    curve_name = "cubic"
    x0 = 0.0
    spacing = 0.25
    arrow_scale = 0.1
    max_length = 0.24
    unit = 1.5
    curve_color = "#4dabf7"
    tangent_color = "#ffa94d"
    arrow_color = "#ff6b6b"
    clip_color = "#da77f2"
    step_time = 1.5

    @classmethod
    def validate(cls) -> None:
        super().validate()
        for name in ("surface_name", "formula"):
            if getattr(cls, name) is not None:
                problem = f"is not used: {cls.__name__} draws a curve, curve_name {cls.curve_name!r}"
                raise cls.invalid(name, getattr(cls, name), problem)
        if cls.curve_name not in CURVES:
            known = ", ".join(sorted(CURVES))
            raise cls.invalid("curve_name", cls.curve_name, f"is not a registered curve; known: {known}")
        cls.check_positive("spacing", "arrow_scale", "max_length", "unit", "step_time")

    def construct(self) -> None:
        theme = self.theme
        curve = CURVES[self.curve_name]()
        low, high = curve.domain
        x0, slope, height = self.x0, float(curve.derivative(self.x0)), float(curve.value(self.x0))
        values = np.concatenate([curve.value(np.linspace(low, high, 200)), [height + slope]])

        # Set up: the graph above, the input axis below, at the same x scale
        x_range = [low - 0.5, high + 0.5, 1]
        style = {"color": theme.foreground, "include_numbers": True, "font_size": 22}
        self.axes = Axes(
            x_range=x_range,
            y_range=[values.min() - 0.3, values.max() + 0.2, 1],
            x_length=self.unit * (high - low + 1),
            y_length=self.unit * (np.ptp(values) + 0.5),
            tips=False,
            axis_config=style,
            # the construction's rise arrow stands at x0 + 1: keep its tick number free
            x_axis_config={"numbers_to_exclude": [0, x0 + 1]},
        ).to_corner(UP + LEFT, buff=0.35)
        self.input_axis = Axes(
            x_range=x_range,
            y_range=[-0.5, 0.5, 1],
            x_length=self.unit * (high - low + 1),
            y_length=self.unit,
            tips=False,
            x_axis_config={**style, "color": theme.muted},
            y_axis_config={"stroke_opacity": 0, "include_ticks": False},
        ).next_to(self.axes, DOWN, buff=-0.1)
        self.input_axis.shift((self.axes.c2p(0, 0)[0] - self.input_axis.c2p(0, 0)[0]) * RIGHT)
        input_name = MathTex(r"x \text{ (input space)}", font_size=26, color=theme.foreground)
        input_name.next_to(self.input_axis.c2p(x_range[1], 0), RIGHT, buff=0.2)
        graph = self.axes.plot(curve.value, x_range=[low, high], color=self.curve_color, stroke_width=4)
        title = self.label(f"f(x) = {curve.latex}", font_size=40).to_edge(UP)
        title.set_x(PANEL_LEFT + title.width / 2)
        self.add(self.axes, self.input_axis, input_name)
        self.play(Create(graph), Write(title), run_time=2)
        self.pause()

        # Show the construction at x0: the tangent, one unit along x, the rise to the tangent
        steps = VGroup(
            self.label(rf"1.\ \text{{tangent at }} x_0 = {x0:g}"),
            self.label(r"2.\ \text{one unit along } x"),
            self.label(rf"3.\ \text{{rise to the tangent: }} f'(x_0) = {slope:.3g}"),
            self.label(r"4.\ \text{turn it flat, onto the input axis}"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        steps.next_to(title, DOWN, buff=0.5).set_x(PANEL_LEFT + steps.width / 2)
        point, corner = self.axes.c2p(x0, height), self.axes.c2p(x0 + 1, height)
        tangent = Line(*(self.axes.c2p(x0 + t, height + t * slope) for t in (-1.0, 1.3)), color=self.tangent_color)
        dot = Dot(point, color=theme.foreground)
        self.play(FadeIn(dot), Create(tangent), FadeIn(steps[0]), run_time=self.step_time)
        self.pause()
        run = Line(point, corner, color=theme.foreground)
        one = self.label("1").next_to(run, DOWN if slope < 0 else UP, buff=0.15)  # inside the triangle
        self.play(Create(run), FadeIn(one), FadeIn(steps[1]), run_time=self.step_time)
        self.pause()
        rise = vector_arrows(self.axes, (x0 + 1, height), (0, slope), self.arrow_color, stroke_width=5)[0]
        on_tangent = Dot(self.axes.c2p(x0 + 1, height + slope), color=self.tangent_color)
        self.play(FadeIn(on_tangent), GrowArrow(rise), FadeIn(steps[2]))
        self.pause()

        # Show the rise turned flat and moved onto the input axis at x0: the gradient there
        dropped = rise.copy()
        self.play(Rotate(dropped, -PI / 2, about_point=corner), FadeIn(steps[3]), run_time=self.step_time)
        self.play(dropped.animate.shift(self.input_axis.c2p(x0, 0) - corner), run_time=self.step_time)
        self.pause()

        # Show the gradient map: the same at every x, scaled and clipped
        tails = np.arange(low, high + self.spacing / 2, self.spacing)
        slopes = self.arrow_scale * curve.derivative(tails)
        vectors, clipped = clip_length(np.stack([slopes, 0 * slopes], axis=-1), self.max_length)
        keep = slopes != 0
        colors = [self.clip_color if c else self.arrow_color for c in clipped[keep]]
        starts = np.stack([tails, 0 * tails], axis=-1)[keep]
        arrows = vector_arrows(self.input_axis, starts, vectors[keep], colors, stroke_width=5, tip_length=0.14)
        legend = VGroup(
            self.label(rf"\text{{map: arrows }} {self.arrow_scale:g}\, f'(x)", self.arrow_color),
            self.label(rf"\text{{clipped at length }} {self.max_length:g}", self.clip_color),
            self.label(r"\text{arrows point uphill}"),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        legend.next_to(steps, DOWN, buff=0.5, aligned_edge=LEFT)
        own = int(np.argmin(np.abs(tails[keep] - x0)))
        self.play(Transform(dropped, arrows[own]), FadeIn(legend[0]), run_time=self.step_time)
        others = LaggedStart(*(GrowArrow(a) for i, a in enumerate(arrows) if i != own), lag_ratio=0.1)
        self.play(others, FadeIn(legend[1:]), run_time=2 * self.step_time)
        self.remove(dropped)
        self.add(arrows)
        self.wait(2)


class GradientMap2D(GradScene):
    """A height map of a 2-D function with its gradient field in the same input plane.

    Colors show :math:`f`, arrows show :math:`\\nabla f`: they point uphill and their length is
    the rate of increase :math:`\\|\\nabla f\\|`, to scale up to ``clip_magnitude`` (which
    fills 0.9 of a cell); steeper ones are clipped and drawn in ``clip_color``. One arrow,
    at ``probe``, is highlighted with its numbers.
    """

    surface_name = "radial_sine"
    field_shape = (13, 13)
    n_levels = 7
    map_opacity = 0.5
    arrow_color: str | None = None  # None: the theme's foreground, readable on the faded map
    clip_magnitude = 2.0
    clip_color = "#ffa94d"
    probe = (1.5, 1.0)
    probe_color = "#ff6b6b"
    field_time = 4.0

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("n_levels", "map_opacity", "clip_magnitude", "field_time")
        cls.check_inside("probe")

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        domain = surface.domain

        # Set up: the function as a height map on its input plane, with its color bar
        self.axes = map_axes(domain, theme.foreground)
        stops = faded(theme.colormap, theme.background, self.map_opacity)
        shade = HeightMap(self.axes, surface, stops)
        levels = default_levels(surface, self.n_levels, domain=domain)
        lines = ContourMap(self.axes, surface, levels, [theme.background] * len(levels), domain=domain, stroke_width=1)
        bar = ColorBar(*shade.value_range, stops, theme.foreground, title="f", height=0.8 * shade.height)
        bar.next_to(shade, RIGHT, buff=0.3).align_to(shade, DOWN)
        title = self.label(f"f(x, y) = {surface.latex}", font_size=28).to_edge(UP)
        title.set_x(bar.get_right()[0] + 0.5 + title.width / 2)
        self.add(self.axes)
        self.play(FadeIn(shade), FadeIn(lines), FadeIn(bar), Write(title), run_time=2)
        self.pause()
        self.wait()

        # Show the gradient field in the same plane: arrows point uphill
        field = ArrowField(
            self.axes,
            surface,
            shape=self.field_shape,
            clip_magnitude=self.clip_magnitude,
            color=self.arrow_color or theme.foreground,
            clip_color=self.clip_color,
        )
        notes = VGroup(
            self.label(r"\text{arrows: } \nabla f \text{ point uphill}"),
            self.label(r"\text{length} = \text{rate of increase } \|\nabla f\|"),
            self.label(rf"\text{{clipped where }} \|\nabla f\| > {self.clip_magnitude:g}", self.clip_color),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        notes.next_to(title, DOWN, buff=0.6, aligned_edge=LEFT)
        grow = LaggedStart(*(GrowArrow(a) for a in field), lag_ratio=0.01)
        self.play(grow, FadeIn(notes[0]), run_time=self.field_time)
        self.pause()

        # Show that length is the rate of increase
        self.play(FadeIn(notes[1:]))
        self.pause()
        self.wait()

        # Show one arrow with its numbers
        probe = np.array(self.probe)
        gradient = surface.gradient(probe)
        arrow = vector_arrows(self.axes, probe, field.length_scale * gradient, self.probe_color, stroke_width=6)[0]
        dot = Dot(to_scene(self.axes, probe), radius=0.06, color=self.probe_color)
        color = self.probe_color
        numbers = VGroup(
            self.label(rf"\nabla f({probe[0]:g}, {probe[1]:g}) = ({gradient[0]:.2f}, {gradient[1]:.2f})", color),
            self.label(rf"\|\nabla f\| = {np.linalg.norm(gradient):.2f}", color),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        numbers.next_to(notes, DOWN, buff=0.5, aligned_edge=LEFT)
        self.play(FadeIn(dot), GrowArrow(arrow), FadeIn(numbers))
        self.wait(3)
