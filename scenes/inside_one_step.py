r"""Inside one optimizer step: momentum's step as the gradient step plus the previous step, and
Adam's first moment measured in units of its per-coordinate scale.

Render: ``manim -qm scenes/inside_one_step.py InsideOneStep`` (or ``InsideOneStepAdam``).
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Arrow,
    FadeIn,
    FadeOut,
    GrowArrow,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
)

from gradcore.levels import default_levels
from gradcore.optimizers import Optimizer, adam, momentum
from gradcore.surface import Surface
from scenes.kit import ContourMap, GradScene, Trail, domain_axes, level_colors, to_scene

__all__ = ["InsideOneStep", "InsideOneStepAdam", "StepRecord", "record_steps"]


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
    surface_params = {"A": ((0.2, 0), (0, 2)), "b": (0, 0), "c": 0}
    domain = ((-6, 6), (-3, 3))
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

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("learning_rate", "steps", "n_levels", "step_time", "sweep_time")
        cls.check_inside("start")
        if not 0 <= cls.shown_steps <= cls.steps:
            raise cls.invalid("shown_steps", cls.shown_steps, f"must be from 0 to steps ({cls.steps})")

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
        surface = self.surface()
        domain = surface.domain
        self.records = record_steps(surface, self.start, self.make_optimizer(), self.steps)
        self.points = np.array([self.start, *(r.point + r.step for r in self.records)])

        # Set up: the valley and the rule
        self.axes = domain_axes(domain, 12.4, 4.8, theme.foreground)
        self.axes.shift(self.map_center - to_scene(self.axes, np.mean(domain, axis=1)))
        levels = default_levels(surface, self.n_levels, spacing="log")
        contours = ContourMap(self.axes, surface, levels, level_colors(levels, theme.colormap))
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
