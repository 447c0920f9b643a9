r"""The directional derivative: a unit vector turns at a point, its rate :math:`D_u f` against the angle.

Render: ``manim -ql scenes/directional_derivative.py DirectionalDerivative``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    Axes,
    Circle,
    Create,
    Dot,
    FadeIn,
    GrowArrow,
    ManimColor,
    MathTex,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    config,
    linear,
)

from gradcore.local_models import directional_derivative
from scenes.kit import (
    PANEL_LEFT,
    ContourMap,
    GradScene,
    Readout,
    axis_style,
    fit_in_frame,
    fit_points,
    keep_in_frame,
    level_arc,
    level_colors,
    map_axes,
    map_levels,
    nice_step,
    right_angle_mark,
    surface_words,
    to_scene,
)

__all__ = ["DirectionalDerivative"]

TAU = 2 * np.pi


class DirectionalDerivative(GradScene):
    r"""A unit vector turns once around a point; its rate of change of :math:`f` is plotted against its angle.

    At ``point`` the unit vector :math:`u = (\cos\theta, \sin\theta)` turns a full circle in
    ``turn_time`` seconds. Beside the contour map, a readout and a plot show the rate

    .. math:: D_u f(p) = \nabla f(p) \cdot u = \|\nabla f(p)\| \cos(\theta - \theta_g),

    with :math:`\theta_g` the angle of the gradient: a cosine of amplitude :math:`\|\nabla f(p)\|`
    (:func:`gradcore.local_models.directional_derivative`). The turn stops where the rate is
    largest (:math:`u` along the gradient) and smallest (against it), and where it is zero:
    :math:`u` along the tangent of the level line through :math:`p`, at right angles to the
    gradient. That is why the gradient is orthogonal to the level sets (seed 000): along the
    level line :math:`f` does not change.

    ``point`` is chosen for the scene's own surface; a subclass that changes the surface and not
    the point gets it moved into the new domain (:meth:`~scenes.kit.GradScene.fitted_points`).
    A point where the gradient vanishes (every rate is 0) is refused. ``arrow_length`` is the
    drawn length of :math:`u` in scene units (shortened near the frame's edge). Colors left
    None come from the theme; given ones are made readable on the background.
    """

    surface_name = "elongated_quadratic"
    point = (-20.0, 10.0)  # moves into another surface's domain
    n_levels = 10
    turn_time = 8.0
    arrow_length = 1.2
    vector_color: str | None = None  # u: the theme's highlight
    gradient_color: str | None = None  # grad f and the extremes: the theme's negative
    curve_color: str | None = None  # the plotted rate: the theme's accent

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("n_levels", "turn_time", "arrow_length")
        cls.check_own_points("point")
        if not cls._surface_from_attributes() or (cls.formula is None and cls.surface_name is None):
            return
        surface = cls._build_surface()
        home = cls.home_surface("point")
        point = np.asarray(cls.point, float) if home is None else fit_points(cls.point, home.domain, surface)
        gradient = surface.gradient(point)
        name = "formula" if cls.formula is not None else "surface_name"
        if map_levels(surface, 1).size == 0:
            problem = "is constant: D_u f = 0 in every direction; give f that varies"
            raise cls.invalid(name, getattr(cls, name), problem)
        if not np.hypot(*gradient) > 1e-12 * max(1.0, float(np.abs(surface.value(point)))):
            if home is None:
                problem = "is where grad f = 0: D_u f = 0 for every u; give a point where grad f is not 0"
                raise cls.invalid("point", cls.point, problem)
            problem = f"has grad f = 0 at ({_pair(point)}), where the default point lands; set point where it is not 0"
            raise cls.invalid(name, getattr(cls, name), problem)

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        vector_color = theme.stroke(self.vector_color, theme.highlight)
        gradient_color = theme.stroke(self.gradient_color, theme.negative)
        curve_color = theme.stroke(self.curve_color, theme.accent)
        point = self.fitted_points("point")
        gradient = surface.gradient(point)
        self.amplitude = amplitude = float(np.hypot(*gradient))
        self.gradient_angle = angle_g = float(np.arctan2(gradient[1], gradient[0])) % TAU
        decimals = int(np.clip(2 - np.floor(np.log10(amplitude)), 0, 4))

        # Set up: the contour map, the point, the level line through it
        self.axes = map_axes(surface.domain, theme.foreground)
        levels = map_levels(surface, self.n_levels)
        contours = ContourMap(self.axes, surface, levels, level_colors(levels, theme.colormap), stroke_width=1.5)
        at = to_scene(self.axes, point)
        radius = self.arrow_radius(at)
        level = level_arc(self.axes, surface, point, theme.foreground, radius=1.4 * radius)
        circle = Circle(radius=radius, stroke_color=theme.muted, stroke_width=1.5).move_to(at)
        dot = Dot(at, radius=0.06, color=theme.foreground).set_z_index(3)
        title = self.label(f"f(x, y) = {surface.latex}", font_size=34)
        rule = self.label(r"D_u f(p) = \nabla f(p) \cdot u = \|\nabla f(p)\| \cos\angle(u, \nabla f)", font_size=30)
        where = self.label(rf"p = ({_pair(point)}),\ \nabla f(p) = ({_pair(gradient)})", gradient_color, font_size=28)
        header = VGroup(title, rule, where).arrange(DOWN, aligned_edge=LEFT, buff=0.2).to_edge(UP, buff=0.3)
        fit_in_frame(header.set_x(PANEL_LEFT + header.width / 2))
        self.add(self.axes)
        self.play(Create(contours), Write(title), run_time=2)
        self.play(FadeIn(dot), Create(level), Create(circle))
        self.pause(f"The level line of {surface_words(surface)} through p = ({_pair(point)})")

        # Show the gradient at the point, and the turning vector u with its rate read out
        unit = np.array([np.cos(angle_g), np.sin(angle_g), 0.0])
        grad_arrow = Arrow(at, at + 1.35 * radius * unit, buff=0, color=gradient_color, stroke_width=7)
        grad_name = MathTex(r"\nabla f", font_size=30, color=theme.readable(gradient_color))
        keep_in_frame(grad_name.move_to(at + (1.35 * radius + 0.3) * unit))
        self.turn = turn = ValueTracker(0.0)
        u_arrow = Arrow(at, at + radius * RIGHT, buff=0, color=vector_color, stroke_width=5)
        u_name = MathTex("u", font_size=30, color=theme.readable(vector_color)).move_to(_beside(at, radius, 0.0))
        self.plot = plot = self.rate_axes(amplitude, theme)
        plot.next_to(header, DOWN, buff=0.9).set_x(PANEL_LEFT + 0.1, direction=LEFT)

        def rate(theta: float) -> float:
            return round(float(directional_derivative(surface, point, _direction(theta)[:2])), 12) + 0.0

        read = self.label(r"u = (\cos\theta, \sin\theta)\text{:}\ \ D_u f(p) =", vector_color, font_size=28)
        self.readout = Readout(rate(0), num_decimal_places=decimals, font_size=28, color=theme.readable(vector_color))
        VGroup(read, self.readout).arrange(RIGHT, buff=0.05).next_to(header, DOWN, buff=0.25, aligned_edge=LEFT)
        thetas = np.linspace(0, TAU, 361)
        full = VMobject(stroke_color=curve_color, stroke_width=3)
        full.set_points_as_corners(plot.c2p(np.column_stack([thetas, [rate(t) for t in thetas]])))
        curve = VMobject(stroke_color=curve_color, stroke_width=3)  # the part of ``full`` turned through so far
        self.marker = Dot(plot.c2p(0, rate(0)), radius=0.07, color=vector_color).set_z_index(2)
        self.play(GrowArrow(grad_arrow), FadeIn(grad_name), FadeIn(where))
        self.play(FadeIn(rule), Create(plot), GrowArrow(u_arrow), FadeIn(u_name))
        self.play(FadeIn(read, self.readout, self.marker))
        u_arrow.add_updater(lambda a: a.put_start_and_end_on(at, at + radius * _direction(turn.get_value())))
        u_name.add_updater(lambda m: m.move_to(_beside(at, radius, turn.get_value())))
        self.readout.add_updater(lambda m: m.set_value(round(rate(turn.get_value()), decimals) + 0.0))
        curve.add_updater(lambda c: c.pointwise_become_partial(full, 0, max(turn.get_value() / TAU, 1e-6)))
        self.marker.add_updater(lambda d: d.move_to(plot.c2p(turn.get_value(), rate(turn.get_value()))))
        self.add(curve.update(), self.marker)
        self.pause("A unit vector u at p, and the rate of f along it against the angle")

        # Show the turn, stopping where u runs along the gradient, against it, and along the level line
        moments = sorted(((angle_g + k * np.pi / 2) % TAU, k) for k in range(4))
        notes, noted = VGroup(), set()
        for theta, k in [*moments, (TAU, None)]:
            run_time = self.turn_time * (theta - turn.get_value()) / TAU
            if run_time > 1e-9:  # a moment at the start angle: no turn before it
                self.play(turn.animate.set_value(theta), run_time=run_time, rate_func=linear)
            if k is None:
                break
            along = k % 2 == 0  # along +grad f (k = 0) or -grad f (k = 2); else along the level line
            spot = plot.c2p(theta, rate(theta))
            mark = Dot(spot, radius=0.09, color=gradient_color) if along else _ring(spot, theme.foreground)
            mark.set_z_index(1)
            shown = [FadeIn(mark, scale=2)]
            if not along and "tangent" not in noted:
                zero = r"D_u f = 0\text{: } u \text{ along the level line}"
                note = self.note(_ring(np.zeros(3), theme.foreground), zero)
                shown += [Create(right_angle_mark(at, unit, _direction(theta), theme.foreground))]
            elif along and "gradient" not in noted:
                extreme = rf"D_u f = \pm\|\nabla f(p)\| = \pm{amplitude:.{decimals}f}\text{{: along }} \pm\nabla f"
                note = self.note(Dot(radius=0.09, color=gradient_color), extreme)
            else:
                note = None
            if note is not None:
                noted.add("gradient" if along else "tangent")
                notes.add(note)
                notes.arrange(DOWN, aligned_edge=LEFT, buff=0.15).next_to(plot, DOWN, buff=0.25)
                notes.set_x(PANEL_LEFT + 0.1, direction=LEFT)
                fit_in_frame(notes)
                shown.append(FadeIn(note))
            self.play(*shown, run_time=0.6)
            self.pause(
                ("u along the gradient: the largest rate" if k == 0 else "u against the gradient: the most negative rate")
                if along
                else "u along the level line: the rate is zero"
            )
        self.wait(2)
        self.caption(f"A full turn: the rate is |grad f| cos(angle), |grad f| = {amplitude:.{decimals}f}")

    def arrow_radius(self, at: np.ndarray) -> float:
        """The drawn length of u: ``arrow_length``, shortened so that its circle (and the longer
        gradient arrow) stays inside the frame and left of the panel."""
        room = min(
            config.frame_width / 2 - 0.3 - abs(at[0]),
            config.frame_height / 2 - 0.3 - abs(at[1]),
            PANEL_LEFT - 0.1 - at[0],
        )
        return float(np.clip(room / 1.6, 0.3, self.arrow_length))

    def rate_axes(self, amplitude: float, theme) -> Axes:
        """Axes of the rate against the angle of u: 0 to 360 degrees, the rate from about
        :math:`-1.2 \\|\\nabla f\\|` to :math:`1.2 \\|\\nabla f\\|`, the zero line across the middle."""
        step, top = nice_step(2 * amplitude, 3), 1.2 * amplitude
        axes = Axes(
            x_range=[0, TAU, np.pi / 2],
            y_range=[-top, top, step],
            x_length=4.4,
            y_length=2.9,
            tips=False,
            axis_config={"color": theme.foreground, "stroke_width": 2},
            y_axis_config=axis_style(theme.foreground, theme.foreground, step),
        )
        below = axes.c2p(0, -top)[1] - 0.25
        for k, text in enumerate(["0", "90", "180", "270", "360"]):
            degrees = MathTex(rf"{text}^\circ", font_size=22, color=theme.foreground)
            axes.add(degrees.move_to([axes.c2p(k * np.pi / 2, 0)[0], below, 0]))
        theta = MathTex(r"\theta", font_size=28, color=theme.foreground).next_to(axes.c2p(TAU, 0), RIGHT, buff=0.12)
        rate = MathTex("D_u f", font_size=26, color=theme.foreground).next_to(axes.c2p(0, top), UP, buff=0.1)
        return axes.add(theta, rate)

    def note(self, icon: VMobject, tex: str) -> VGroup:
        """A note under the plot: ``icon`` (the plot's marker) left of ``tex``."""
        return VGroup(icon, self.label(tex, font_size=24)).arrange(RIGHT, buff=0.15)


def _direction(theta: float) -> np.ndarray:
    """The scene direction of angle ``theta`` (the map's axes have equal scales)."""
    return np.array([np.cos(theta), np.sin(theta), 0.0])


def _beside(at: np.ndarray, radius: float, theta: float) -> np.ndarray:
    """Where the name of u goes: past its tip and to its left, off the gradient arrow when they line up."""
    return at + (radius + 0.1) * _direction(theta) + 0.25 * _direction(theta + np.pi / 2)


def _ring(at: np.ndarray, color: ManimColor) -> Circle:
    """The plot's mark of a zero of the rate: a ring."""
    return Circle(radius=0.09, stroke_color=color, stroke_width=3).move_to(at)


def _pair(p: np.ndarray) -> str:
    """``"x, y"`` with 3 significant digits and no "-0"."""
    return ", ".join(f"{float(f'{round(float(c), 9):.3g}') + 0.0:g}" for c in p)

