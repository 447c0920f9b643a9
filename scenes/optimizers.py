r"""Optimizers compared: a race of update rules on one surface, and learning rates on a quadratic.

Every path is computed once by :func:`gradcore.descend` with the factories of
:data:`gradcore.optimizers.OPTIMIZERS`; the scenes only animate the recorded points and print
the recorded values.

Render: ``manim -qm scenes/optimizers.py OptimizerRace``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    DecimalNumber,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    Integer,
    VMobject,
    ValueTracker,
    VGroup,
    Write,
    linear,
)

from gradcore.descent import Trajectory, descend
from gradcore.fields import grid
from gradcore.levels import default_levels
from gradcore.optimizers import OPTIMIZERS, Optimizer, adam, momentum, sgd
from gradcore.registry import get_surface
from gradcore.surface import Surface
from scenes.helpers import (
    PANEL_LEFT,
    GradScene,
    Trail,
    contour_map,
    cross_marker,
    domain_axes,
    level_colors,
    map_axes,
    to_scene,
)

__all__ = [
    "TRAIL_COLORS",
    "InsideOneStep",
    "InsideOneStepAdam",
    "LearningRates",
    "StepRecord",
    "OptimizerRace",
    "OptimizerRaceSaddle",
    "OptimizerRaceValley",
    "log_levels",
    "race_outcome",
    "record_steps",
]

TRAIL_COLORS = ("#ff6b6b", "#ffa94d", "#f783ac", "#da77f2", "#74c0fc", "#ffffff", "#c0eb75")
"""Trail colors of the optimizers, in order; distinct from the viridis level lines."""


def log_levels(surface: Surface, n: int, decades: float) -> np.ndarray:
    r"""``n`` levels over ``decades`` decades above the lowest value of ``surface`` on its domain.

    .. math:: f_{min} + \Delta \cdot 10^{-d (1 - k / n)}, \quad k = 0, \dots, n - 1,

    with :math:`\Delta = f_{max} - f_{min}` on a 100 x 100 grid: dense near the bottom, for
    surfaces whose values span many orders of magnitude (Beale's reach :math:`10^5`).
    """
    values = surface.value(grid(surface.domain, (100, 100)))
    low, high = float(np.nanmin(values)), float(np.nanmax(values))
    return low + (high - low) * np.logspace(-decades, 0, n + 1)[:-1]


def race_outcome(surface: Surface, path: Trajectory, stall_fraction: float = 1e-3, window: int = 20) -> str:
    """How a single-start ``path`` on ``surface`` ended: ``"converged"``, ``"at the minimum"``,
    ``"diverged"``, ``"left the map"``, ``"stalled"`` or ``""`` (still moving after all its steps).

    A path that ran all its steps and ends within 1% of the domain's diagonal from a known
    minimum is at the minimum; otherwise, if it moved less than ``stall_fraction`` of its
    whole length over its last ``window`` steps, it has stalled.
    """
    if path.status == "converged":
        return "converged"
    if path.status == "diverged":
        return "diverged"
    if path.status == "left_domain":
        return "left the map"
    end = path.points[path.n_steps]
    reach = 0.01 * np.hypot(*np.diff(np.asarray(surface.domain, dtype=float), axis=1).ravel())
    if any(c.kind == "minimum" and np.hypot(*(end - c.point)) < reach for c in surface.critical_points):
        return "at the minimum"
    lengths = np.linalg.norm(np.diff(path.points, axis=0), axis=-1)
    if lengths[-window:].sum() <= stall_fraction * lengths.sum():
        return "stalled"
    return ""


class OptimizerRace(GradScene):
    r"""Several optimizers from one start on one surface, all moving one step per tick.

    Each optimizer of ``learning_rates`` (a name of :data:`~gradcore.optimizers.OPTIMIZERS`
    and its learning rate; Adadelta takes none, give ``None``) runs ``steps`` steps of
    :func:`~gradcore.descend` from ``start``, stopped at the map's edge. The trails advance
    together; the legend shows each one's current loss :math:`f(x_k)` and, at the end, how
    it finished (diverged, left the map, stalled, converged).

    Variants are tiny subclasses: another ``surface_name``, ``start`` and ``learning_rates``.
    """

    surface_name = "beale"
    surface_params: Mapping[str, Any] = {}
    start = (3.0, 4.0)
    learning_rates: Mapping[str, float | None] = {
        "sgd": 5e-5,
        "momentum": 2e-6,
        "nesterov": 5e-6,
        "adagrad": 2.0,
        "rmsprop": 0.05,
        "adam": 0.2,
    }
    names = {
        "sgd": "SGD",
        "momentum": "Momentum",
        "nesterov": "Nesterov",
        "adagrad": "Adagrad",
        "rmsprop": "RMSprop",
        "adadelta": "Adadelta",
        "adam": "Adam",
    }
    steps = 200
    n_levels = 16
    level_decades = 5.0
    colors = TRAIL_COLORS
    race_time = 8.0
    loss_decimals = 3

    def surface(self) -> Surface:
        """The surface raced on: ``surface_name`` with ``surface_params``."""
        return get_surface(self.surface_name, **self.surface_params)

    def trajectories(self, surface: Surface) -> dict[str, Trajectory]:
        """One :func:`~gradcore.descend` path per optimizer, stopped at the surface's domain."""
        paths = {}
        for name, lr in self.learning_rates.items():
            optimizer = OPTIMIZERS[name]() if lr is None else OPTIMIZERS[name](lr)
            paths[name] = descend(surface, self.start, optimizer, steps=self.steps, domain=surface.domain)
        return paths

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        domain = surface.domain
        self.paths = self.trajectories(surface)
        n = max(path.n_steps for path in self.paths.values())

        # Set up: level lines and the formula
        self.axes = map_axes(domain, theme.foreground)
        levels = log_levels(surface, self.n_levels, self.level_decades)
        contours = contour_map(self.axes, surface, levels, level_colors(levels, theme.colormap), domain=domain)
        title = self.label(f"f = {surface.latex}", font_size=22)
        title.scale_to_fit_width(min(title.width, 7.0 - PANEL_LEFT))
        title.to_edge(UP).set_x(PANEL_LEFT + title.width / 2)
        self.add(self.axes)
        self.play(FadeIn(contours), Write(title))
        self.pause()

        # Show the racers: a legend row each (color, name, current loss, outcome) and a step counter
        tracker = ValueTracker(0)
        colors = dict(zip(self.learning_rates, self.colors))
        self.trails = {
            name: Trail(to_scene(self.axes, path.points), tracker, colors[name], dot_radius=0.09)
            for name, path in self.paths.items()
        }
        self.step_counter = Integer(0, font_size=30, color=theme.foreground)
        self.step_counter.add_updater(lambda m: m.set_value(int(tracker.get_value())))
        counter = VGroup(self.label(r"\text{step}", font_size=30), self.step_counter).arrange(RIGHT, buff=0.2)
        rows, self.losses, self.outcomes = VGroup(), {}, {}
        for name, path in self.paths.items():
            loss = DecimalNumber(path.values[0], num_decimal_places=self.loss_decimals, font_size=26)
            loss.set_color(colors[name]).add_updater(_loss_updater(path, tracker))
            self.losses[name] = loss
            name_tex = self.label(rf"\text{{{self.names.get(name, name)}}}", font_size=26)
            key = VGroup(Dot(color=colors[name], radius=0.09), name_tex)
            rows.add(VGroup(key.arrange(RIGHT, buff=0.15), loss))
        header = VGroup(self.label(r"\text{optimizer}", font_size=24), self.label("f(x_k)", font_size=24))
        table = VGroup(header, *rows)
        for row in table:
            row[1].set_x(PANEL_LEFT + 2.6, LEFT)
            row[0].set_x(PANEL_LEFT, LEFT)
        table.arrange(DOWN, buff=0.22, center=False, coor_mask=np.array([0, 1, 0]))
        table.next_to(title, DOWN, buff=0.45, coor_mask=np.array([0, 1, 0]))
        counter.next_to(table, DOWN, buff=0.4).set_x(PANEL_LEFT, LEFT)
        self.play(*(FadeIn(t.dot, scale=3) for t in self.trails.values()), FadeIn(table), FadeIn(counter))
        for trail in self.trails.values():
            trail.dot.set_z_index(1)  # heads above every trail
        self.add(*self.trails.values())
        self.pause()

        # Show the race: every optimizer one step per tick
        self.play(tracker.animate.set_value(n), run_time=self.race_time, rate_func=linear)
        self.pause()

        # Show how each one ended
        marks = VGroup()
        for row, (name, path) in zip(rows, self.paths.items()):
            outcome = race_outcome(surface, path)
            self.outcomes[name] = outcome
            if outcome:
                note = self.label(rf"\text{{{outcome}}}", color=colors[name], font_size=22)
                marks.add(note.next_to(row, RIGHT, buff=0.2))
            if path.status in ("diverged", "left_domain"):
                marks.add(cross_marker(to_scene(self.axes, path.points[path.n_steps]), colors[name]))
        if marks:
            self.play(FadeIn(marks))
        self.wait(2)


def _loss_updater(path: Trajectory, tracker: ValueTracker):
    """An updater setting a ``DecimalNumber`` to :math:`f` at the tracker's (whole) step of ``path``."""

    def update(number: DecimalNumber) -> None:
        number.set_value(path.values[min(int(tracker.get_value()), path.n_steps)])

    return update


class OptimizerRaceSaddle(OptimizerRace):
    """The race on the saddle :math:`x^2 - y^2`, started just off the ridge."""

    surface_name, start, level_decades = "saddle", (-0.9, 0.02), 1.0
    learning_rates = {"sgd": 0.05, "momentum": 0.02, "nesterov": 0.02, "adagrad": 0.2, "rmsprop": 0.02, "adam": 0.05}


class OptimizerRaceValley(OptimizerRace):
    """The race down a long, narrow valley: an ill-conditioned quadratic (condition number 100)."""

    surface_name, start, level_decades = "elongated_quadratic", (-7.0, 3.0), 3.0
    surface_params = {"A": ((0.04, 0), (0, 4)), "b": (0, 0), "c": 0, "domain": ((-8, 8), (-4, 4))}
    learning_rates = {"sgd": 0.45, "momentum": 0.1, "nesterov": 0.1, "adagrad": 1.0, "rmsprop": 0.1, "adam": 0.3}


class LearningRates(GradScene):
    r"""Gradient descent with four learning rates, side by side, on an elongated quadratic.

    The learning rates are ``fractions`` of the stability bound :math:`2 / \lambda_{max}`, with
    :math:`\lambda_{max}` the largest eigenvalue of the Hessian :math:`A` (from gradcore): along
    that eigenvector a step multiplies the error by :math:`1 - \eta \lambda_{max}`, which
    shrinks only while :math:`\eta < 2 / \lambda_{max}`. Too small crawls, about half the bound
    converges, just below it oscillates across the valley, just above it diverges.
    """

    surface_name = "elongated_quadratic"
    domain = ((-3.0, 5.0), (-3.0, 5.0))
    start = (-1.2, -1.0)
    fractions = (0.1, 0.5, 0.95, 1.05)
    captions = ("too small", "about right", "oscillates", "diverges")
    steps = 40
    n_levels = 8
    panel_size = 3.2
    panel_gap = 0.35
    color = "#ff6b6b"
    run_time = 6.0

    def construct(self) -> None:
        theme = self.theme
        surface = get_surface(self.surface_name, domain=self.domain)
        eigenvalues = surface.eigenvalues
        self.bound_value = 2 / eigenvalues.max()
        self.learning_rates = [f * self.bound_value for f in self.fractions]
        self.paths = [
            descend(surface, self.start, sgd(lr), steps=self.steps, domain=self.domain) for lr in self.learning_rates
        ]

        # Set up: the function, its Hessian's eigenvalues and the bound
        title = self.label(f"f = {surface.latex}", font_size=30)
        lambdas = self.label(
            rf"\lambda(\nabla^2 f) = {eigenvalues[0]:.3f},\ {eigenvalues[1]:.3f}", font_size=30
        )
        self.bound = DecimalNumber(self.bound_value, num_decimal_places=3, font_size=34, color=theme.foreground)
        bound = VGroup(self.label(r"\eta < \frac{2}{\lambda_{max}} =", font_size=34), self.bound)
        bound.arrange(RIGHT, buff=0.15)
        header = VGroup(title, lambdas, bound).arrange(RIGHT, buff=0.6).to_edge(UP, buff=0.6)
        if header.width > 13.5:
            header.scale_to_fit_width(13.5)
        self.play(Write(header))
        self.pause()

        # Show four panels, one learning rate each
        self.axes, panels, self.rate_numbers = [], VGroup(), []
        levels = default_levels(surface, self.n_levels, spacing="log")
        for lr, caption in zip(self.learning_rates, self.captions):
            axes = domain_axes(self.domain, self.panel_size, self.panel_size, theme.foreground, font_size=20)
            contours = contour_map(axes, surface, levels, level_colors(levels, theme.colormap), resolution=100)
            number = DecimalNumber(lr, num_decimal_places=3, font_size=30, color=theme.foreground)
            rate = VGroup(self.label(r"\eta =", font_size=30), number).arrange(RIGHT, buff=0.12)
            factor = self.label(rf"1 - \eta \lambda_{{max}} = {1 - lr * eigenvalues.max():.2f}", font_size=26)
            text = VGroup(rate, factor, self.label(rf"\text{{{caption}}}", font_size=30)).arrange(DOWN, buff=0.15)
            self.axes.append(axes)
            self.rate_numbers.append(number)
            panels.add(VGroup(axes, contours, text))
        for panel in panels:
            panel[2].next_to(panel[0], DOWN, buff=0.15)
        panels.arrange(RIGHT, buff=self.panel_gap, aligned_edge=UP)
        panels.scale_to_fit_width(min(panels.width, 13.6)).next_to(header, DOWN, buff=0.6)
        self.play(FadeIn(panels))
        self.pause()

        # Show the descents, all together, one step per tick
        tracker = ValueTracker(0)
        self.trails = [
            Trail(to_scene(axes, path.points), tracker, self.color, stroke_width=2.5, dot_radius=0.1)
            for axes, path in zip(self.axes, self.paths)
        ]
        self.play(*(FadeIn(t.dot, scale=3) for t in self.trails))
        self.add(*self.trails)
        n = max(path.n_steps for path in self.paths)
        self.play(tracker.animate.set_value(n), run_time=self.run_time, rate_func=linear)
        ends = VGroup(
            *(
                cross_marker(to_scene(axes, path.points[path.n_steps]), theme.foreground)
                for axes, path in zip(self.axes, self.paths)
                if path.status in ("diverged", "left_domain")
            )
        )
        if ends:
            self.play(FadeIn(ends, scale=2))
        self.wait(2)


class StepRecord(NamedTuple):
    """One optimizer step: at ``point`` with gradient ``grad``, ``state`` before and ``new_state``
    after it, and the ``step`` taken (the next point is ``point + step``)."""

    point: np.ndarray
    grad: np.ndarray
    state: Any
    step: np.ndarray
    new_state: Any


def record_steps(surface: Surface, start: Any, optimizer: Optimizer, steps: int) -> list[StepRecord]:
    """The first ``steps`` steps of ``optimizer`` from ``start``, with the optimizer's state around each.

    The same iteration as :func:`gradcore.descend` (without its stopping rules), keeping the
    states a scene draws (momentum's velocity, Adam's moments).
    """
    x = np.asarray(start, dtype=float)
    state, records = optimizer.init(x), []
    for _ in range(steps):
        g = surface.gradient(x)
        step, new_state = optimizer.update(g, state, x)
        records.append(StepRecord(x, g, state, step, new_state))
        x, state = x + step, new_state
    return records


class InsideOneStep(GradScene):
    r"""Inside a momentum step: the step is the gradient step plus a fraction of the previous step.

    With :math:`v_{k+1} = \beta v_k + g_k` and :math:`\Delta x_k = -\eta v_{k+1}`,

    .. math::

        \Delta x_k = \underbrace{-\eta\, g_k}_{\text{gradient}}
        + \underbrace{\beta\, \Delta x_{k-1}}_{\text{momentum}},

    drawn tip to tail at the current point, then the move. Along a long valley the momentum
    arrow grows step after step while the across-valley parts cancel. The first ``shown_steps``
    steps are taken apart, the rest of ``steps`` follow in one sweep.
    """

    surface_name = "elongated_quadratic"
    surface_params: Mapping[str, Any] = {"A": ((0.2, 0), (0, 2)), "b": (0, 0), "c": 0, "domain": ((-6, 6), (-3, 3))}
    start = (-5.5, 1.5)
    learning_rate = 0.2
    beta = 0.9
    map_center = np.array([0.3, -0.95, 0.0])
    shown_steps = 6
    steps = 25
    n_levels = 10
    path_color = "#ffffff"
    gradient_color = "#ff6b6b"
    memory_color = "#ffa94d"
    scale_color = "#63e6be"
    step_time = 1.4
    sweep_time = 3.0

    def make_optimizer(self) -> Optimizer:
        """The optimizer taken apart."""
        return momentum(self.learning_rate, self.beta)

    def parts(self, record: StepRecord) -> list[tuple[np.ndarray, np.ndarray, str, str]]:
        """The arrows drawn for ``record``: (tail, vector, color, LaTeX label); for momentum they
        add up to the step, tip to tail."""
        carried = -self.learning_rate * self.beta * record.state.velocity  # β Δx_{k-1}
        return [
            (record.point, carried, self.memory_color, r"\beta\, \Delta x_{k-1}"),
            (record.point + carried, -self.learning_rate * record.grad, self.gradient_color, r"-\eta\, \nabla f(x_k)"),
        ]

    def extras(self, record: StepRecord) -> VGroup:
        """Anything else drawn at the current point for ``record`` (nothing for momentum)."""
        return VGroup()

    def rule(self) -> str:
        """The update rule, in LaTeX."""
        return r"\Delta x_k = \beta\, \Delta x_{k-1} - \eta\, \nabla f(x_k)"

    def construct(self) -> None:
        theme = self.theme
        surface = get_surface(self.surface_name, **self.surface_params)
        domain = surface.domain
        self.records = record_steps(surface, self.start, self.make_optimizer(), self.steps)
        self.points = np.array([self.start, *(r.point + r.step for r in self.records)])

        # Set up: the valley and the rule
        self.axes = domain_axes(domain, 12.4, 4.8, theme.foreground)
        self.axes.shift(self.map_center - to_scene(self.axes, np.mean(domain, axis=1)))
        levels = default_levels(surface, self.n_levels, spacing="log")
        contours = contour_map(self.axes, surface, levels, level_colors(levels, theme.colormap))
        title = self.label(f"f = {surface.latex}", font_size=30)
        rule = self.label(self.rule(), font_size=30)
        header = VGroup(title, rule).arrange(DOWN, aligned_edge=LEFT).to_corner(UP + LEFT, buff=0.4)
        entries = [(color, tex) for *_, color, tex in self.parts(self.records[0])]
        entries.append((self.path_color, r"\Delta x_k \text{ (the step)}"))
        legend = VGroup(*(self.label(tex, color, font_size=28) for color, tex in entries))
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        legend.to_corner(UP + RIGHT, buff=0.4)
        self.add(self.axes)
        self.play(FadeIn(contours), Write(header))
        self.pause()

        # Show the first steps taken apart: the parts tip to tail, their sum, then the move
        tracker = ValueTracker(0)
        trail = Trail(to_scene(self.axes, self.points), tracker, self.path_color)
        self.play(FadeIn(trail.dot, scale=3), FadeIn(legend))
        self.add(trail)
        for k, record in enumerate(self.records[: self.shown_steps]):
            arrows = VGroup(*(_arrow(self.axes, tail, vector, color) for tail, vector, color, _ in self.parts(record)))
            total = _arrow(self.axes, record.point, record.step, self.path_color)
            extras = self.extras(record)
            self.play(FadeIn(extras), *(GrowArrow(a) for a in arrows), run_time=self.step_time / 2)
            self.play(GrowArrow(total), run_time=self.step_time / 4)
            drawn = VGroup(arrows, total, extras)
            self.play(tracker.animate.set_value(k + 1), FadeOut(drawn), run_time=self.step_time / 4)
        self.pause()

        # Show the rest of the steps in one sweep
        self.play(tracker.animate.set_value(self.steps), run_time=self.sweep_time, rate_func=linear)
        self.wait(2)


def _arrow(axes, tail: np.ndarray, vector: np.ndarray, color: str) -> Arrow:
    """A straight arrow from input point ``tail`` along input vector ``vector`` (full length)."""
    start, end = to_scene(axes, np.array([tail, tail + vector]))
    return Arrow(start, end, buff=0, color=color, stroke_width=4, max_tip_length_to_length_ratio=0.3)


class InsideOneStepAdam(InsideOneStep):
    r"""Inside an Adam step: the first moment measured in units of the per-coordinate scale.

    .. math:: \Delta x_k = -\eta\, \hat m_k / \sqrt{\hat v_k}

    Drawn at a common ``scale``: :math:`-c\, \nabla f` (gradient), :math:`-c\, \hat m`
    (first moment) and a box of half-sides :math:`c \sqrt{\hat v}` (second moment, per
    coordinate); the step is :math:`\eta` times the first-moment arrow measured in box units.
    """

    learning_rate = 0.5
    b1, b2 = 0.9, 0.999
    box_size = 1.2

    def make_optimizer(self) -> Optimizer:
        return adam(self.learning_rate, self.b1, self.b2)

    def scale(self) -> float:
        """The drawing scale :math:`c`: the first box's larger half-side is ``box_size``."""
        return self.box_size / float(np.max(np.abs(self.records[0].grad)))

    def moments(self, record: StepRecord) -> tuple[np.ndarray, np.ndarray]:
        r"""Adam's bias-corrected :math:`\hat m` and :math:`\hat v` after ``record``'s step."""
        t = record.new_state.count
        return record.new_state.mu / (1 - self.b1**t), record.new_state.nu / (1 - self.b2**t)

    def parts(self, record: StepRecord) -> list[tuple[np.ndarray, np.ndarray, str, str]]:
        c = self.scale()
        m_hat, _ = self.moments(record)
        return [
            (record.point, -c * record.grad, self.gradient_color, r"-c\, \nabla f(x_k)"),
            (record.point, -c * m_hat, self.memory_color, r"-c\, \hat m_k \text{ (first moment)}"),
        ]

    def extras(self, record: StepRecord) -> VGroup:
        c = self.scale()
        _, v_hat = self.moments(record)
        half = c * np.sqrt(v_hat)
        corners = to_scene(self.axes, record.point + half * np.array([(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)]))
        box = VMobject(stroke_color=self.scale_color, stroke_width=3).set_points_as_corners(corners)
        note = self.label(r"c \sqrt{\hat v_k}", self.scale_color, font_size=24).next_to(box, UP, buff=0.05)
        return VGroup(box, note)

    def rule(self) -> str:
        return r"\Delta x_k = -\eta\, \hat m_k / \sqrt{\hat v_k}"
