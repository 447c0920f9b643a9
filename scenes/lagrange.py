r"""Lagrange multipliers: where a level set of :math:`f` touches the constraint curve :math:`g = 0`,
the gradients line up; projected gradient descent walks there along the curve.

Render: ``manim -ql scenes/lagrange.py LagrangeMultipliers``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Arrow,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    LaggedStart,
    ManimColor,
    MathTex,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    config,
    linear,
)

from gradcore.constrained import LagrangePoint, lagrange_point, project, projected_descent
from gradcore.descent import Trajectory
from gradcore.expression import from_expression
from gradcore.levels import level_sets
from gradcore.outcome import RAN_OUT, status_words
from gradcore.surface import Surface
from scenes.kit import (
    PANEL_LEFT,
    RIGHT_EDGE,
    LossCurves,
    ContourMap,
    GradScene,
    cross_marker,
    fit_in_frame,
    fit_points,
    graph_range,
    keep_in_frame,
    level_arc,
    map_axes,
    map_levels,
    surface_words,
    to_scene,
)

__all__ = ["LagrangeMultipliers", "Plan", "plan"]

KINDS = {"minimum": "min", "maximum": "max", "degenerate": "stationary"}


class Plan(NamedTuple):
    """What :class:`LagrangeMultipliers` shows, computed before anything is drawn."""

    curve: np.ndarray  # (n, 2): the part of g = 0 the point slides along, the Lagrange points among its vertices
    lengths: np.ndarray  # (n,): arc length at each vertex of ``curve``
    stops: list[tuple[float, LagrangePoint]]  # the Lagrange points on it and their arc lengths, in order
    lines: list[np.ndarray]  # every line of g = 0 in the domain
    path: Trajectory  # projected descent from the start's nearest point on g = 0


def plan(f: Surface, g: Surface, start: np.ndarray, lr: float, steps: int) -> Plan:
    r"""The slide, its stops and the descent of :class:`LagrangeMultipliers`, for ``f`` on ``g = 0``.

    The point slides along the line of :math:`g = 0` (traced over ``f.domain``) nearest to
    ``start``: a loop once around from the nearest point to ``start``, an open line from end to
    end. It stops at the Lagrange points on it, where :math:`\nabla f \times \nabla g` changes
    sign, each solved exactly by :func:`~gradcore.constrained.lagrange_point`. The descent is
    :func:`~gradcore.constrained.projected_descent` from the nearest point of :math:`g = 0` to
    ``start``.

    Raises
    ------
    ValueError
        When :math:`g = 0` has no points in the domain, ``start`` cannot be projected onto it,
        or :math:`f` or its gradient is not finite somewhere on the line slid along, or runs far
        beyond the values it takes over the domain (a pole there).
    """
    (zero,) = level_sets(g, [0.0], domain=f.domain)
    lines = [line for line in zero.lines if len(line) > 1]
    if not lines:
        fix = "give a curve across it, e.g. 'x**2 + y**2 - 2'"
        raise ValueError(f"has no points g = 0 in the domain {f.domain}; {fix}")
    try:
        x0 = project(g, start)
    except ValueError:
        raise ValueError(f"has no nearest point to start ({_pair(start)}); move start nearer the curve g = 0") from None
    index = min(range(len(lines)), key=lambda i: np.min(np.linalg.norm(lines[i] - x0, axis=1)))
    curve = lines[index]
    low, high = graph_range(f, f.domain)  # a pole's values cut off
    with np.errstate(all="ignore"):
        values = f.value(curve)
        finite = np.isfinite(values) & np.all(np.isfinite(f.gradient(curve)), axis=-1)
    tame = finite & (values >= 2 * low - high) & (values <= 2 * high - low)
    if not tame.all():
        x, y = curve[np.argmin(tame)]
        problem = f"meets ({x:.3g}, {y:.3g}), where f or its gradient is not finite (or f has a pole)"
        raise ValueError(f"{problem}; give a constraint whose curve stays where f is defined")
    if zero.closed[index]:  # once around, from the start's nearest point
        loop = curve[:-1]
        k = int(np.argmin(np.linalg.norm(loop - x0, axis=1)))
        curve = np.concatenate([[x0], loop[k + 1 :], loop[: k + 1], [x0]])
    elif np.linalg.norm(curve[-1] - x0) < np.linalg.norm(curve[0] - x0):
        curve = curve[::-1]
    grad_f, grad_g = f.gradient(curve), g.gradient(curve)
    cross = grad_f[:, 0] * grad_g[:, 1] - grad_f[:, 1] * grad_g[:, 0]
    found: list[LagrangePoint] = []
    for k in np.nonzero(cross[:-1] * cross[1:] <= 0)[0]:
        try:
            point = lagrange_point(f, g, curve[k])
        except ValueError:
            continue
        near = np.linalg.norm(point.point - curve[k]) <= 2 * np.linalg.norm(curve[k + 1] - curve[k]) + 1e-9
        if near and all(np.linalg.norm(point.point - p.point) > 1e-6 for p in found):
            found.append(point)
    for point in found:  # each becomes a vertex of the curve, between the vertices around it
        detour = np.linalg.norm(curve[:-1] - point.point, axis=1) + np.linalg.norm(curve[1:] - point.point, axis=1)
        k = int(np.argmin(detour))
        curve = np.insert(curve, k + 1, point.point, axis=0)
    lengths = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(curve, axis=0), axis=1))])
    stops = sorted((float(lengths[np.argmin(np.linalg.norm(curve - p.point, axis=1))]), p) for p in found)
    try:
        path = projected_descent(f, g, x0, lr, steps, domain=f.domain)
    except ValueError:  # a step landed where the nearest point of the curve is not defined
        raise ValueError(f"loses its way in projected descent with learning_rate {lr:g}; try a smaller one") from None
    return Plan(curve, lengths, stops, lines, path)


class LagrangeMultipliers(GradScene):
    r"""Extremes of :math:`f` along a curve :math:`g(x, y) = 0`: the gradients line up there.

    Over the level sets of :math:`f` lies the curve :math:`g = 0` (``constraint``, a formula).
    A point slides along it with the directions of :math:`\nabla f` and :math:`\nabla g` and the
    level line of :math:`f` through it, which crosses the curve, except where it touches it:
    there :math:`f` stops changing along the curve and the gradients are parallel,

    .. math:: \nabla f = \lambda \nabla g, \qquad g = 0,

    and the slide stops to show :math:`\lambda` (:func:`~gradcore.constrained.lagrange_point`)
    and whether :math:`f` has a minimum or a maximum along the curve there. Then projected
    gradient descent, :math:`x_{k+1} = P(x_k - \eta \nabla f(x_k))` with :math:`P` the nearest
    point of the curve (:func:`~gradcore.constrained.projected_descent`), walks from ``start``
    to a constrained minimum: the first ``shown_steps`` steps drawn as the gradient step and
    the projection back, the rest as points.

    ``start`` (its nearest point on the curve is used) is chosen for the scene's own surface
    and moves with another's domain. A constraint without points in the domain, or crossing
    where :math:`f` is not finite, is refused up front. Colors left None come from the theme.
    """

    formula = "(x - 3)**2 + 2*(y - 2)**2 + x*y"
    constraint = "x**2 + y**2 - 2"
    start = (-1.0, 1.0)  # moves into another surface's domain
    learning_rate = 0.15
    steps = 60
    shown_steps = 3
    n_levels = 12
    arrow_length = 0.9
    slide_time = 8.0
    step_time = 1.0
    loss_height = 1.3
    constraint_color: str | None = None  # the curve and grad g: the theme's accent
    gradient_color: str | None = None  # grad f and the gradient steps: the theme's negative
    point_color: str | None = None  # the sliding point and the descent: the theme's highlight

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("learning_rate", "steps", "n_levels", "arrow_length", "slide_time", "step_time", "loss_height")
        cls.check_own_points("start")
        if not (isinstance(cls.shown_steps, int) and 0 <= cls.shown_steps):
            raise cls.invalid("shown_steps", cls.shown_steps, "must be a whole number, 0 or more")
        if not isinstance(cls.constraint, str):
            problem = "is not a string; give a formula in x and y, e.g. 'x**2 + y**2 - 2'"
            raise cls.invalid("constraint", cls.constraint, problem)
        if not cls._surface_from_attributes() or (cls.formula is None and cls.surface_name is None):
            return
        f = cls._build_surface()
        if map_levels(f, 1).size == 0:
            name = "formula" if cls.formula is not None else "surface_name"
            problem = "is constant: every point of a curve is an extreme; give f that varies"
            raise cls.invalid(name, getattr(cls, name), problem)
        try:
            g = from_expression(cls.constraint, domain=f.domain)
        except ValueError as error:
            raise cls.invalid("constraint", cls.constraint, f"is not a valid formula ({error})") from None
        try:
            plan(f, g, cls._start(f), cls.learning_rate, int(cls.steps))
        except ValueError as error:
            raise cls.invalid("constraint", cls.constraint, str(error)) from None

    @classmethod
    def _start(cls, f: Surface) -> np.ndarray:
        """``start`` for ``f``: as given, or moved into its domain when chosen for another surface."""
        home = cls.home_surface("start")
        return np.asarray(cls.start, dtype=float) if home is None else fit_points(cls.start, home.domain, f)

    def construct(self) -> None:
        theme = self.theme
        f = self.surface()
        g = self.g = from_expression(self.constraint, domain=f.domain)
        self.plan = plan(f, g, self._start(f), self.learning_rate, int(self.steps))
        curve_color = theme.stroke(self.constraint_color, theme.accent)
        gradient_color = theme.stroke(self.gradient_color, theme.negative)
        point_color = theme.stroke(self.point_color, theme.highlight)

        # Set up: the level sets of f, the curve g = 0, the problem
        self.axes = axes = map_axes(f.domain, theme.foreground)
        levels = map_levels(f, self.n_levels)
        contours = ContourMap(axes, f, levels, [theme.muted] * len(levels), stroke_width=1.5)
        curves = VGroup(*(VMobject(stroke_color=curve_color, stroke_width=5) for _ in self.plan.lines))
        for drawn_line, line in zip(curves, self.plan.lines):
            drawn_line.set_points_as_corners(to_scene(axes, line))
        title = self.label(f"f(x, y) = {f.latex}", font_size=32)
        subject = self.label(rf"\text{{on }} g(x, y) = {g.latex} = 0", curve_color, font_size=32)
        header = VGroup(title, subject).arrange(DOWN, aligned_edge=LEFT, buff=0.2).to_edge(UP, buff=0.3)
        fit_in_frame(header.set_x(PANEL_LEFT + header.width / 2))
        self.add(axes)
        self.play(Create(contours), Write(title), run_time=2)
        self.play(Create(curves), FadeIn(subject))
        self.pause(f"Level sets of {surface_words(f)}, and the constraint {self.constraint} = 0")

        # Show the point sliding along the curve: grad f, grad g, the level line of f through it
        curve, lengths = self.plan.curve, self.plan.lengths
        self.slide = slide = ValueTracker(0.0)
        f_pointer = self.pointer(self.arrow_length, gradient_color, r"\nabla f", 1)
        g_pointer = self.pointer(0.7 * self.arrow_length, curve_color, r"\nabla g", -1)

        def level_at(point: np.ndarray) -> VMobject:
            return level_arc(axes, f, point, theme.foreground, radius=1.2, stroke_width=3)

        level, dot = level_at(curve[0]), Dot(radius=0.08, color=point_color)
        disc = dot.points.copy()  # the dot around the origin
        self.moving = VGroup()

        def show(s: float) -> None:  # the same mobjects, moved and turned in place each frame
            point = _at(curve, lengths, s)
            at = to_scene(axes, point)
            level.points = level_at(point).points
            f_arrow, f_name = f_pointer.aim(at, f.gradient(point))
            g_arrow, g_name = g_pointer.aim(at, g.gradient(point))
            dot.points = disc + at
            self.moving.submobjects = [level, f_arrow, g_arrow, f_name, g_name, dot]

        shown = slide.get_value()
        show(shown)

        def follow(_: VGroup) -> None:
            nonlocal shown
            if slide.get_value() != shown:  # at a stop nothing moves
                shown = slide.get_value()
                show(shown)

        notes = VGroup(self.label(r"\text{arrows: the directions of } \nabla f \text{ and } \nabla g", font_size=26))
        self.place(notes, header)
        self.play(FadeIn(self.moving), FadeIn(notes))
        self.moving.add_updater(follow)
        for length, stop in [*self.plan.stops, (float(lengths[-1]), None)]:
            run_time = self.slide_time * (length - slide.get_value()) / max(lengths[-1], 1e-12)
            run_time = max(run_time, 1 / config.frame_rate)  # a Lagrange point at the start: a frame to get there
            self.play(slide.animate.set_value(length), run_time=run_time, rate_func=linear)
            if stop is None:
                break
            touching = ContourMap(axes, f, [stop.value], [theme.foreground], stroke_width=3.5)
            mark = cross_marker(to_scene(axes, stop.point), theme.foreground, size=0.12, stroke_width=4)
            said = rf"({_pair(stop.point)})\text{{: }} \nabla f = \lambda \nabla g,\ \lambda = {_number(stop.multiplier)}"
            notes.add(self.label(said + rf"\ \text{{({KINDS[stop.kind]})}}", font_size=26))
            self.place(notes, header)
            self.play(Create(touching), FadeIn(mark), FadeIn(notes[-1]))
            self.pause(f"At ({_pair(stop.point)}) the level set touches the curve: grad f = {stop.multiplier:.3g} grad g")
            self.play(FadeOut(touching))
        self.moving.clear_updaters()
        self.play(FadeOut(self.moving))
        self.pause("Elsewhere on the curve the two gradients do not line up")

        # Show projected gradient descent walking along the curve to a constrained minimum
        path = self.plan.path
        rule = r"x_{k+1} = P\big(x_k - \eta \nabla f(x_k)\big),\ " + rf"\eta = {self.learning_rate:g}"
        rule = self.label(rule, font_size=28)
        nearest = self.label(r"P\text{: the nearest point of } g = 0", curve_color, font_size=26)
        notes.add(rule, nearest)
        self.place(notes, header)
        points = to_scene(axes, path.points)
        dots = VGroup(*(Dot(p, radius=0.06, color=point_color) for p in points))
        ended = self.label(self.ending(path), point_color, font_size=26)
        tracker = ValueTracker(0)
        self.loss_paths = [path]
        self.loss_curves = self.loss_panel(tracker, point_color, below=VGroup(*notes.copy(), ended.copy()), header=header)
        self.play(FadeIn(rule, nearest), FadeIn(dots[0], scale=2), FadeIn(self.loss_curves))
        shown, box = min(self.shown_steps, path.n_steps), np.asarray(f.domain, dtype=float)
        for k in range(shown):
            step = path.points[k] - self.learning_rate * f.gradient(path.points[k])
            parts = VGroup(dots[k + 1])
            if np.all((box[:, 0] <= step) & (step <= box[:, 1])):  # the gradient step stays on the map
                tip = to_scene(axes, step)
                parts.add(Arrow(points[k], tip, buff=0, color=gradient_color, stroke_width=3, tip_length=0.15))
                parts.add(DashedLine(tip, points[k + 1], color=curve_color, stroke_width=3, dash_length=0.06))
            self.play(*(GrowArrow(m) if isinstance(m, Arrow) else FadeIn(m) for m in parts),
                      tracker.animate.set_value(k + 1), run_time=self.step_time, rate_func=linear)
        if path.n_steps > shown:
            rest = LaggedStart(*(FadeIn(d) for d in dots[shown + 1 :]), lag_ratio=0.3)
            self.play(rest, tracker.animate.set_value(path.n_steps), run_time=2 * self.step_time, rate_func=linear)
        notes.add(ended)
        self.place(notes, header)
        self.play(FadeIn(notes[-1]))
        self.wait(2)
        self.caption(f"Projected gradient descent walks along the curve to ({_pair(path.points[-1])}); below, its gap to the constrained minimum")

    def ending(self, path: Trajectory) -> str:
        """LaTeX of where projected descent ended and how (at a Lagrange point found above?)."""
        end = path.points[-1]
        words = [status_words(path.status, quiet=RAN_OUT)]
        if any(np.linalg.norm(end - p.point) < 1e-6 * (1 + np.linalg.norm(end)) for _, p in self.plan.stops):
            words.append("at a Lagrange point above")
        said = ", ".join(w for w in words if w)
        return rf"x_{{{path.n_steps}}} = ({_pair(end)})" + (rf"\text{{: {said}}}" if said else "")

    def loss_panel(self, tracker: ValueTracker, color: ManimColor, below: VGroup, header: VGroup) -> LossCurves:
        r"""The gap :math:`f(x_k) - f^*` of projected descent on a log scale, :math:`f^*` the lowest
        constrained minimum found (else the lowest value reached), at the bottom of the panel,
        under the notes as ``below`` will stand (made smaller where they leave less room)."""
        minima = [p.value for _, p in self.plan.stops if p.kind == "minimum"]
        panel = LossCurves(self.loss_paths, tracker, [color], self.theme.foreground, f_star=min(minima) if minima else None,
                           width=RIGHT_EDGE - PANEL_LEFT - 0.75, height=self.loss_height, font_size=18)
        self.place(below, header)
        room = below.get_bottom()[1] - 0.25 + config.frame_height / 2 - 0.15
        panel.scale(min(1.0, max(room, 0.5) / panel.height)).to_edge(DOWN, buff=0.15)
        return panel.shift((RIGHT_EDGE - panel.get_right()[0]) * RIGHT)

    def pointer(self, length: float, color: ManimColor, name: str, side: int) -> _Pointer:
        """A :class:`_Pointer` of ``length`` scene units in ``color``, named ``name`` on its left
        (``side`` 1) or right (-1), so that two names of arrows that line up stay apart."""
        return _Pointer(length, color, self.theme.readable(color), name, side)

    def place(self, notes: VGroup, header: VGroup) -> None:
        """Stack ``notes`` under ``header`` in the panel, shrunk to fit the frame."""
        notes.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        room = header.get_bottom()[1] - 0.35 - (0.3 - config.frame_height / 2)
        if notes.height > room:
            notes.scale_to_fit_height(room)
        notes.next_to(header, DOWN, buff=0.35).set_x(PANEL_LEFT, direction=LEFT)
        fit_in_frame(notes)


class _Pointer:
    """An arrow of ``length`` scene units and its name by the tip, on its left (``side`` 1) or
    right (-1), made once and turned and moved in place by :meth:`aim`: the pictures of an
    ``Arrow`` and ``MathTex`` made anew at each place, without the cost of making them."""

    def __init__(self, length: float, color: ManimColor, ink: ManimColor, name: str, side: int) -> None:
        self.length, self.side = length, side
        self.arrow = Arrow(ORIGIN, length * RIGHT, buff=0, color=color, stroke_width=5, max_tip_length_to_length_ratio=0.3)
        self.shapes = [(part, part.points.copy()) for part in self.arrow.get_family()]  # pointing right from the origin
        self.name = MathTex(name, font_size=26, color=ink)
        self.nothing = VMobject(), VMobject()

    def aim(self, at: np.ndarray, vector: np.ndarray) -> tuple[VMobject, VMobject]:
        """The arrow from scene point ``at`` along input ``vector`` and its name, kept in the
        frame; empty placeholders for a zero vector."""
        norm = float(np.hypot(*vector))
        if not norm > 0:
            return self.nothing
        cos, sin = vector[0] / norm, vector[1] / norm
        turn = np.array([[cos, sin, 0.0], [-sin, cos, 0.0], [0.0, 0.0, 1.0]])  # points (rows) @ turn: turned by its angle
        for part, shape in self.shapes:
            part.points = shape @ turn + at
        direction = np.array([cos, sin, 0.0])
        tip = at + self.length * direction
        beside = tip + 0.1 * direction + self.side * 0.25 * np.array([-direction[1], direction[0], 0.0])
        keep_in_frame(self.name.move_to(beside))
        return self.arrow, self.name


def _pair(p: np.ndarray) -> str:
    """``"x, y"`` to 3 decimals, no trailing zeros, no "-0" (a Lagrange point off by 1e-17 reads 0)."""
    return ", ".join(f"{round(float(c), 3) + 0.0:.4g}" for c in p)


def _number(value: float) -> str:
    """``value`` to 3 significant digits, 0 for a rounding error (below 1e-12)."""
    return f"{(0.0 if abs(value) < 1e-12 else value):.3g}"


def _at(curve: np.ndarray, lengths: np.ndarray, s: float) -> np.ndarray:
    """The point of the polyline ``curve`` at arc length ``s``."""
    return np.array([np.interp(s, lengths, curve[:, 0]), np.interp(s, lengths, curve[:, 1])])
