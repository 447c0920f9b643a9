r"""Optimizers compared: a race of update rules on one surface.

Every path is computed once by :func:`gradcore.descend` with the factories of
:data:`gradcore.optimizers.OPTIMIZERS`; the scenes only animate the recorded points and print
the recorded values.

Render: ``manim -qm scenes/optimizers.py OptimizerRace``.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Dot,
    FadeIn,
    FadeOut,
    ManimColor,
    ValueTracker,
    VGroup,
    Write,
    linear,
)

from gradcore.descent import Trajectory, descend
from gradcore.levels import default_levels
from gradcore.outcome import describe
from gradcore.optimizers import OPTIMIZERS, fit_learning_rates
from gradcore.surface import Domain, Surface, check_domain
from gradcore.tuning import LEARNING_RATE_GRID, tune_learning_rate
from scenes.kit import (
    RIGHT_EDGE,
    PANEL_LEFT,
    ContourMap,
    GradScene,
    LossCurves,
    Readout,
    Trail,
    cross_marker,
    fit_in_frame,
    level_colors,
    map_axes,
    surface_words,
    to_scene,
)

__all__ = ["RULE_COLORS", "OptimizerRace", "OptimizerRaceSaddle", "OptimizerRaceValley", "rate_tex"]


RULE_COLORS = {"sgd": 0, "momentum": 1, "nesterov": 2, "adagrad": 3, "rmsprop": 4, "adadelta": 6, "adam": 5}
"""Each rule's color, an index of :attr:`~scenes.kit.Theme.palette` (red, blue, orange, green,
grape, yellow, cyan): cyan, near Momentum's blue, to Adadelta's short path, yellow to Adam."""


class OptimizerRace(GradScene):
    r"""Every optimizer from one start on one surface, each with its best learning rate, one step per tick.

    Each optimizer of ``learning_rates`` (names of :data:`~gradcore.optimizers.OPTIMIZERS`)
    runs ``steps`` steps of :func:`~gradcore.descend` from ``start``, stopped at the map's
    edge. A rate of None is tuned for this surface, start and number of steps
    (:func:`~gradcore.tuning.tune_learning_rate`: the rate of
    :data:`~gradcore.tuning.LEARNING_RATE_GRID` with which the rule ends lowest; Adadelta's
    scales its step, as in PyTorch); a number is used as given. The legend prints each rule's rate
    (:math:`\eta`), its current loss :math:`f(x_k)` and, at the end, how it finished in
    :func:`gradcore.describe`'s words (at the minimum, converged, stalled, still moving,
    diverged, left the map); a panel draws :math:`f(x_k) - f^*` on a log scale in step with
    the trails (:class:`~scenes.kit.LossCurves`).

    The default is a fair race: all seven rules, tuned, on Beale's function from (1, 1) on a
    map around its valley; after 200 steps Momentum, Nesterov, Adagrad and Adam are within
    about 1e-8 of :math:`f^* = 0` at (3, 0.5), SGD and RMSprop near it, Adadelta still on its way.

    Variants are tiny subclasses: another ``surface_name``, ``start``, ``learning_rates``.

    Any surface: ``start`` and given ``learning_rates`` are chosen for the scene's own
    surface. A subclass that changes the surface (a ``formula``, another ``domain``) and not
    them gets them carried over (:meth:`~scenes.kit.GradScene.home_surface`): the start to the
    same place of the new domain (:meth:`~scenes.kit.GradScene.fitted_points`), given rates by
    :func:`~gradcore.optimizers.fit_learning_rates`, tuned ones tuned afresh, and
    ``level_decades`` gives way to gradcore's default. Where every rate of the grid diverges or
    leaves the map, the smallest runs (and the legend says how it ended).

    Colors: ``colors`` None gives each rule its own color of the theme's palette
    (:data:`RULE_COLORS`, the same in every variant); given colors, one to each of
    ``learning_rates`` in order, are made readable on the background.

    ``view`` is the box the race is run and drawn on, inside the surface's domain (None: the
    whole domain); by default Beale's valley. Like the start, it was chosen for the scene's own
    surface: a variant with another surface (a ``surface_name``, ``formula`` or ``domain``) and
    no ``view`` of its own takes its surface's domain.
    """

    surface_name = "beale"
    view: Domain | None = ((-0.5, 4.5), (-1.5, 2.0))  # Beale's valley
    start = (1.0, 1.0)
    learning_rates: Mapping[str, float | None] = {name: None for name in OPTIMIZERS}  # None: tuned
    names = {"sgd": "SGD", "momentum": "Momentum", "nesterov": "Nesterov", "adagrad": "Adagrad",
             "rmsprop": "RMSprop", "adadelta": "Adadelta", "adam": "Adam"}
    steps = 200
    n_levels = 16
    level_decades = 5.0
    colors: tuple[str, ...] | None = None
    race_time = 8.0
    loss_decimals = 3
    loss_width = 1.1
    panel_height = 2.0

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("steps", "n_levels", "level_decades", "race_time", "loss_width", "panel_height")
        cls.check_own_points("start")
        if cls.view is not None and cls.home_of("view") is None:
            try:
                check_domain(cls.view)
            except ValueError as error:
                raise cls.invalid("view", cls.view, f"is not a box ({error}); give e.g. ((-1, 4), (-1, 2))") from None
            if cls.home_of("start") is None:
                cls.check_inside("start", cls.view)
        known = ", ".join(sorted(OPTIMIZERS))
        unknown = [name for name in cls.learning_rates if name not in OPTIMIZERS]
        if unknown:
            problem = f"names {', '.join(map(repr, unknown))}, not an optimizer; known: {known}"
            raise cls.invalid("learning_rates", cls.learning_rates, problem)
        if not cls.learning_rates:
            raise cls.invalid("learning_rates", cls.learning_rates, f"is empty; map optimizers ({known}) to rates")
        if not all(lr is None or lr > 0 for lr in cls.learning_rates.values()):
            problem = "must hold positive learning rates (None: tuned)"
            raise cls.invalid("learning_rates", cls.learning_rates, problem)
        if cls.colors is not None:
            cls.check_one_each("colors", "learning_rates")

    def race_surface(self) -> Surface:
        """The surface on ``view`` when ``view`` was set with it, else the scene's surface."""
        surface = self.surface()
        if self.view is None or type(self).home_of("view") is not None:
            return surface
        return dataclasses.replace(surface, domain=check_domain(self.view))

    def rates(self) -> dict[str, float | None]:
        """The learning rates run: each None of ``learning_rates`` tuned for this surface, start
        and ``steps`` (:func:`~gradcore.tuning.tune_learning_rate`), the
        numbers as given, or carried over by :func:`~gradcore.optimizers.fit_learning_rates`
        when they were chosen for another surface."""
        cached = self.__dict__.get("_rates")
        if cached is not None:
            return dict(cached)
        home = type(self).home_surface("learning_rates")
        surface, start = self.race_surface(), self.fitted_points("start")
        given = {name: lr for name, lr in self.learning_rates.items() if lr is not None}
        if home is not None:
            given = fit_learning_rates(given, home, surface)
        rates = {}
        for name, lr in self.learning_rates.items():
            if lr is not None:
                rates[name] = given[name]
                continue
            try:
                rates[name] = tune_learning_rate(surface, start, name, self.steps)
            except ValueError:  # every rate of the grid diverges or leaves the map: show the gentlest
                rates[name] = min(LEARNING_RATE_GRID)
        self._rates = rates
        return dict(rates)

    def trajectories(self, surface: Surface) -> dict[str, Trajectory]:
        """One :func:`~gradcore.descend` path per optimizer, stopped at the surface's domain."""
        start, paths = self.fitted_points("start"), {}
        for name, lr in self.rates().items():
            optimizer = OPTIMIZERS[name]() if lr is None else OPTIMIZERS[name](lr)
            paths[name] = descend(surface, start, optimizer, steps=self.steps, domain=surface.domain)
        return paths

    def trail_colors(self) -> dict[str, ManimColor]:
        """One stroke color per optimizer, from the theme."""
        theme = self.theme
        if self.colors is None:
            return {name: theme.palette[RULE_COLORS[name]] for name in self.learning_rates}
        return {name: theme.stroke(color, theme.accent) for name, color in zip(self.learning_rates, self.colors)}

    def construct(self) -> None:
        theme = self.theme
        surface = self.race_surface()
        domain = surface.domain
        self.paths = self.trajectories(surface)
        n = max(path.n_steps for path in self.paths.values())

        # Set up: level lines and the formula
        self.axes = map_axes(domain, theme.foreground)
        own = type(self).home_surface("level_decades") is None  # else gradcore's default decades
        decades = {"decades": self.level_decades} if own else {}
        levels = default_levels(surface, self.n_levels, spacing="log", **decades)
        contours = VGroup()
        if levels.size:
            contours = ContourMap(self.axes, surface, levels, level_colors(levels, theme.colormap), domain=domain)
        title = self.label(f"f = {surface.latex}", font_size=22)
        title.scale_to_fit_width(min(title.width, RIGHT_EDGE - PANEL_LEFT))
        title.to_edge(UP, buff=0.3).set_x(PANEL_LEFT + title.width / 2)
        self.add(self.axes)
        self.play(FadeIn(contours), Write(title))
        start = ", ".join(f"{v:.3g}" for v in self.fitted_points("start"))
        self.pause(f"Level lines of {surface_words(surface)}; {len(self.paths)} optimizers start from ({start})")

        # Show the racers: a legend row each (color, name, tuned rate, current loss, outcome), a step counter
        tracker = ValueTracker(0)
        colors = self.trail_colors()
        self.trails = {
            name: Trail(to_scene(self.axes, path.points), tracker, colors[name], dot_radius=0.09)
            for name, path in self.paths.items()
        }
        self.step_counter = Readout(0, num_decimal_places=0, font_size=22, color=theme.foreground)
        self.step_counter.add_updater(lambda m: m.set_value(int(tracker.get_value())))
        counter = VGroup(self.label(r"k =", font_size=22), self.step_counter).arrange(RIGHT, buff=0.12)
        rows, self.losses, self.outcomes, self.rate_labels = VGroup(), {}, {}, {}
        for name, path in self.paths.items():
            self.losses[name] = loss = self.loss_number(path, tracker, theme.readable(colors[name]))
            name_tex = self.label(rf"\text{{{self.names.get(name, name)}}}", font_size=22)
            key = VGroup(Dot(color=colors[name], radius=0.08), name_tex).arrange(RIGHT, buff=0.12)
            self.rate_labels[name] = rate = self.label(rate_tex(self.rates()[name]), font_size=22)
            rows.add(VGroup(key, rate, loss))
        tuned = all(lr is None for lr in self.learning_rates.values())
        rate_header = self.label(r"\text{tuned rate}" if tuned else r"\text{rate}", font_size=20)
        header = VGroup(self.label(r"\text{optimizer}", font_size=20), rate_header)
        header.add(self.label("f(x_k)", font_size=20))
        table = VGroup(header, *rows)
        for row in table:
            for cell, x in zip(row, (PANEL_LEFT, PANEL_LEFT + 1.65, PANEL_LEFT + 3.25)):
                cell.set_x(x, LEFT)
        table.arrange(DOWN, buff=0.04, center=False, coor_mask=np.array([0, 1, 0]))
        table.next_to(title, DOWN, buff=0.25, coor_mask=np.array([0, 1, 0]))
        widest = VGroup(self.label(r"k =", font_size=22), Readout(n, num_decimal_places=0, font_size=22))
        counter.align_to(header, DOWN).set_x(RIGHT_EDGE - widest.arrange(RIGHT, buff=0.12).width, LEFT)
        self.play(*(FadeIn(t.dot, scale=3) for t in self.trails.values()), FadeIn(table), FadeIn(counter))
        for trail in self.trails.values():
            trail.dot.set_z_index(1)  # heads above every trail
        self.add(*self.trails.values())
        how = "tuned for this surface, start and number of steps" if tuned else "as given"
        self.pause(f"Each rule with its learning rate, {how}")

        # Show the losses: f(x_k) - f* on a log scale, drawn as the race runs
        self.loss_paths = list(self.paths.values())
        self.loss_curves = LossCurves(
            self.loss_paths, tracker, list(colors.values()), theme.foreground,
            surface=surface, width=RIGHT_EDGE - PANEL_LEFT - 0.75, height=self.panel_height, font_size=18,
        )
        self.loss_curves.next_to(table, DOWN, buff=0.25, coor_mask=np.array([0, 1, 0]))
        self.loss_curves.shift((RIGHT_EDGE - self.loss_curves.get_right()[0]) * RIGHT)
        self.play(FadeIn(self.loss_curves))
        self.pause("Beside the map, the gap f(x_k) - f* of each rule on a log scale")

        # Show the race: every optimizer one step per tick
        self.play(tracker.animate.set_value(n), run_time=self.race_time, rate_func=linear)
        self.pause(f"The race: {n} steps, one per tick")

        # Show how each one ended: its outcome in place of its loss
        notes, crosses = VGroup(), VGroup()
        for row, (name, path) in zip(rows, self.paths.items()):
            self.outcomes[name] = outcome = describe(surface, path).text
            note = self.label(rf"\text{{{outcome}}}", color=colors[name], font_size=20)
            notes.add(note.move_to(row[2], LEFT))
            if path.status in ("diverged", "left_domain"):
                crosses.add(cross_marker(to_scene(self.axes, path.points[path.n_steps]), colors[name]))
        ended = self.label(r"\text{outcome}", font_size=20).move_to(header[2], LEFT)
        self.play(
            FadeOut(VGroup(*(row[2] for row in rows)), header[2]),
            FadeIn(fit_in_frame(notes), ended),
            FadeIn(crosses),
        )
        self.wait(2)
        self.caption(_summary({self.names.get(name, name): text for name, text in self.outcomes.items()}))

    def loss_number(self, path: Trajectory, tracker: ValueTracker, color: ManimColor) -> Readout:
        """:math:`f(x_k)` of ``path`` at the tracker's (whole) step, with fewer decimals and a
        smaller font where the path's largest value would not fit ``loss_width``."""
        largest = float(np.max(np.abs(path.values[: path.n_steps + 1])))
        digits = int(np.floor(np.log10(largest))) + 1 if largest >= 1 else 1
        decimals = int(np.clip(7 - digits, 0, self.loss_decimals))
        widest = Readout(-largest, num_decimal_places=decimals, font_size=22)
        font_size = 22 * min(1.0, self.loss_width / widest.width)
        number = Readout(path.values[0], num_decimal_places=decimals, font_size=font_size, color=color)

        def update(number: Readout) -> None:
            number.set_value(path.values[min(int(tracker.get_value()), path.n_steps)])

        return number.add_updater(update)


def _summary(outcomes: dict[str, str]) -> str:
    """How the race ended in one line: the rules of each outcome, the commonest first."""
    groups: dict[str, list[str]] = {}
    for name, outcome in outcomes.items():
        groups.setdefault(outcome, []).append(name)
    commonest = sorted(groups.items(), key=lambda group: -len(group[1]))
    told = "; ".join(f"{', '.join(names)}: {outcome}" for outcome, names in commonest)
    return told if len(told) <= 120 else told[:117] + "..."


def rate_tex(lr: float | None) -> str:
    r"""LaTeX of a learning rate for the legend, :math:`\eta = 0.0398` or
    :math:`\eta = 2.51 \cdot 10^{-6}` (3 significant digits); None (Adadelta): no rate."""
    if lr is None:
        return r"\text{none}"
    mantissa, _, exponent = f"{lr:.3g}".partition("e")
    return rf"\eta = {mantissa}" + (rf" \cdot 10^{{{int(exponent)}}}" if exponent else "")


class OptimizerRaceSaddle(OptimizerRace):
    """The race on the saddle :math:`x^2 - y^2`, started just off the ridge, with given rates (a
    saddle has no minimum to tune them for: every rule that moves leaves the map)."""

    surface_name, start, level_decades = "saddle", (-0.9, 0.02), 1.0
    learning_rates = {"sgd": 0.05, "momentum": 0.02, "nesterov": 0.02, "adagrad": 0.2, "rmsprop": 0.02, "adam": 0.05}


class OptimizerRaceValley(OptimizerRace):
    """The race down a long, narrow valley: an ill-conditioned quadratic (condition number 100),
    every rule tuned: SGD, held back by the steep direction, is still on its way."""

    surface_name, start, level_decades = "elongated_quadratic", (-7.0, 3.0), 3.0
    surface_params = {"A": ((0.04, 0), (0, 4)), "b": (0, 0), "c": 0}
    domain = ((-8, 8), (-4, 4))
