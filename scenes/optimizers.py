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
    Dot,
    FadeIn,
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
from gradcore.surface import Surface
from scenes.kit import (
    Readout,
    CATEGORICAL,
    PANEL_LEFT,
    ContourMap,
    GradScene,
    Trail,
    cross_marker,
    fit_in_frame,
    level_colors,
    map_axes,
    to_scene,
)

__all__ = ["OptimizerRace", "OptimizerRaceSaddle", "OptimizerRaceValley"]

class OptimizerRace(GradScene):
    r"""Several optimizers from one start on one surface, all moving one step per tick.

    Each optimizer of ``learning_rates`` (a name of :data:`~gradcore.optimizers.OPTIMIZERS`
    and its learning rate; Adadelta takes none, give ``None``) runs ``steps`` steps of
    :func:`~gradcore.descend` from ``start``, stopped at the map's edge. The trails advance
    together; the legend shows each one's current loss :math:`f(x_k)` and, at the end, how
    it finished in :func:`gradcore.describe`'s words (at the minimum, converged, stalled,
    still moving, diverged, left the map).

    Variants are tiny subclasses: another ``surface_name``, ``start`` and ``learning_rates``.

    Any surface: ``start`` and ``learning_rates`` are chosen for the scene's own surface. A
    subclass that changes the surface (a ``formula``, another ``domain``) and not them gets
    them carried over (:meth:`~scenes.kit.GradScene.home_surface`): the start to the same place
    of the new domain (:meth:`~scenes.kit.GradScene.fitted_points`), the rates by
    :func:`~gradcore.optimizers.fit_learning_rates` (curvature for SGD-like rules, domain size for
    adaptive ones), and ``level_decades`` gives way to gradcore's default. Rates given with the
    surface are used as they are; a path that blows up says "diverged".

    Colors: ``colors`` None takes the theme's palette in order; given colors are made
    readable on the background.
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
    colors: tuple[str, ...] | None = None
    race_time = 8.0
    loss_decimals = 3
    loss_width = 1.5

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("steps", "n_levels", "level_decades", "race_time", "loss_width")
        cls.check_own_points("start")
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
        if cls.colors is not None:
            cls.check_one_each("colors", "learning_rates")
        elif len(cls.learning_rates) > len(CATEGORICAL):
            raise cls.invalid("learning_rates", cls.learning_rates, "has more optimizers than the palette has colors")

    def rates(self) -> dict[str, float | None]:
        """The learning rates run: ``learning_rates``, or those carried over to this surface by
        :func:`~gradcore.optimizers.fit_learning_rates` when they were chosen for another one."""
        home = type(self).home_surface("learning_rates")
        if home is None:
            return dict(self.learning_rates)
        return fit_learning_rates(self.learning_rates, home, self.surface())

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
            return dict(zip(self.learning_rates, theme.palette))
        return {name: theme.stroke(color, theme.accent) for name, color in zip(self.learning_rates, self.colors)}

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
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
        title.scale_to_fit_width(min(title.width, 7.0 - PANEL_LEFT))
        title.to_edge(UP).set_x(PANEL_LEFT + title.width / 2)
        self.add(self.axes)
        self.play(FadeIn(contours), Write(title))
        self.pause()

        # Show the racers: a legend row each (color, name, current loss, outcome) and a step counter
        tracker = ValueTracker(0)
        colors = self.trail_colors()
        self.trails = {
            name: Trail(to_scene(self.axes, path.points), tracker, colors[name], dot_radius=0.09)
            for name, path in self.paths.items()
        }
        self.step_counter = Readout(0, num_decimal_places=0, font_size=30, color=theme.foreground)
        self.step_counter.add_updater(lambda m: m.set_value(int(tracker.get_value())))
        counter = VGroup(self.label(r"\text{step}", font_size=30), self.step_counter).arrange(RIGHT, buff=0.2)
        rows, self.losses, self.outcomes = VGroup(), {}, {}
        for name, path in self.paths.items():
            self.losses[name] = loss = self.loss_number(path, tracker, theme.readable(colors[name]))
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
        notes, crosses = VGroup(), VGroup()
        for row, (name, path) in zip(rows, self.paths.items()):
            self.outcomes[name] = outcome = describe(surface, path).text
            note = self.label(rf"\text{{{outcome}}}", color=colors[name], font_size=22)
            notes.add(note.next_to(row, RIGHT, buff=0.2).set_x(rows.get_right()[0] + 0.2, LEFT))
            if path.status in ("diverged", "left_domain"):
                crosses.add(cross_marker(to_scene(self.axes, path.points[path.n_steps]), colors[name]))
        self.play(FadeIn(fit_in_frame(notes)), FadeIn(crosses))
        self.wait(2)

    def loss_number(self, path: Trajectory, tracker: ValueTracker, color: ManimColor) -> Readout:
        """:math:`f(x_k)` of ``path`` at the tracker's (whole) step, with fewer decimals and a
        smaller font where the path's largest value would not fit ``loss_width``."""
        largest = float(np.max(np.abs(path.values[: path.n_steps + 1])))
        digits = int(np.floor(np.log10(largest))) + 1 if largest >= 1 else 1
        decimals = int(np.clip(7 - digits, 0, self.loss_decimals))
        widest = Readout(-largest, num_decimal_places=decimals, font_size=26)
        font_size = 26 * min(1.0, self.loss_width / widest.width)
        number = Readout(path.values[0], num_decimal_places=decimals, font_size=font_size, color=color)

        def update(number: Readout) -> None:
            number.set_value(path.values[min(int(tracker.get_value()), path.n_steps)])

        return number.add_updater(update)


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
