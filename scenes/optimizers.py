r"""Optimizers compared: a race of update rules on one surface.

Every path is computed once by :func:`gradcore.descend` with the factories of
:data:`gradcore.optimizers.OPTIMIZERS`; the scenes only animate the recorded points and print
the recorded values.

Render: ``manim -qm scenes/optimizers.py OptimizerRace``.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    DecimalNumber,
    Dot,
    FadeIn,
    Integer,
    ValueTracker,
    VGroup,
    Write,
    linear,
)

from gradcore.descent import Trajectory, descend
from gradcore.fields import grid
from gradcore.optimizers import OPTIMIZERS
from gradcore.surface import Surface
from scenes.kit import (
    PANEL_LEFT,
    ContourMap,
    GradScene,
    Trail,
    cross_marker,
    level_colors,
    map_axes,
    to_scene,
)

__all__ = [
    "TRAIL_COLORS",
    "OptimizerRace",
    "OptimizerRaceSaddle",
    "OptimizerRaceValley",
    "log_levels",
    "race_outcome",
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

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("steps", "n_levels", "level_decades", "race_time")
        cls.check_inside("start")
        known = ", ".join(sorted(OPTIMIZERS))
        unknown = [name for name in cls.learning_rates if name not in OPTIMIZERS]
        if unknown:
            problem = f"names {', '.join(map(repr, unknown))}, not an optimizer; known: {known}"
            raise cls.invalid("learning_rates", cls.learning_rates, problem)
        if not cls.learning_rates:
            raise cls.invalid("learning_rates", cls.learning_rates, f"is empty; map optimizers ({known}) to rates")
        if not all(lr is None or lr > 0 for lr in cls.learning_rates.values()):
            problem = "must hold positive learning rates (None: the optimizer's default)"
            raise cls.invalid("learning_rates", cls.learning_rates, problem)
        cls.check_one_each("colors", "learning_rates")

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
        contours = ContourMap(self.axes, surface, levels, level_colors(levels, theme.colormap), domain=domain)
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
    surface_params = {"A": ((0.04, 0), (0, 4)), "b": (0, 0), "c": 0}
    domain = ((-8, 8), (-4, 4))
    learning_rates = {"sgd": 0.45, "momentum": 0.1, "nesterov": 0.1, "adagrad": 1.0, "rmsprop": 0.1, "adam": 0.3}
