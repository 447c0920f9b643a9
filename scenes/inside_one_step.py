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
    ManimColor,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
)

from gradcore.descent import Trajectory, descend
from gradcore.optimizers import Optimizer, adam, fit_learning_rates, momentum
from gradcore.outcome import describe
from gradcore.surface import Surface
from scenes.kit import (
    RIGHT_EDGE,
    ContourMap,
    GradScene,
    LossCurves,
    Trail,
    cross_marker,
    domain_axes,
    keep_in_frame,
    level_colors,
    map_levels,
    surface_words,
    to_scene,
)

__all__ = ["InsideOneStep", "InsideOneStepAdam", "StepRecord", "record_steps"]


class StepRecord(NamedTuple):
    """One optimizer step: at ``point`` with gradient ``grad``, ``state`` before and ``new_state``
    after it, and the ``step`` taken (the next point is ``point + step``)."""

    point: np.ndarray
    grad: np.ndarray
    state: Any
    step: np.ndarray
    new_state: Any


def record_steps(surface: Surface, path: Trajectory) -> list[StepRecord]:
    """The steps of a single-start ``path`` from ``gradcore.descend(..., keep_states=True)``,
    each with the gradient and the optimizer's state around it (momentum's velocity, Adam's
    moments: what a scene draws)."""
    gradients = surface.gradient(path.points[: path.n_steps])
    return [
        StepRecord(path.points[i], gradients[i], path.states[i], path.steps[i], path.states[i + 1])
        for i in range(path.n_steps)
    ]


class InsideOneStep(GradScene):
    r"""Inside a momentum step: the step is the gradient step plus a fraction of the previous step.

    With :math:`v_{k+1} = \beta v_k + g_k` and :math:`\Delta x_k = -\eta v_{k+1}`,

    .. math::

        \Delta x_k = \underbrace{-\eta\, g_k}_{\text{gradient}}
        + \underbrace{\beta\, \Delta x_{k-1}}_{\text{momentum}},

    drawn tip to tail at the current point, then the move. Along a long valley the momentum
    arrow grows step after step while the across-valley parts cancel. The first ``shown_steps``
    steps are taken apart, the rest of ``steps`` follow in one sweep; a descent that converges,
    diverges or leaves the map stops there and says so. Right of the map, under the legend, a
    panel of ``loss_height`` draws :math:`f(x_k) - f^*` against :math:`k` on a log scale as the
    path goes (:class:`~scenes.kit.LossCurves`).

    Any surface: ``start`` and ``learning_rate`` are chosen for the scene's own surface; a
    subclass that changes the surface and not them gets them carried over
    (:meth:`~scenes.kit.GradScene.fitted_points`, :func:`~gradcore.optimizers.fit_learning_rates`).
    Colors left None come from the theme; given ones are made readable on the background.
    """

    surface_name = "elongated_quadratic"
    surface_params = {"A": ((0.2, 0), (0, 2)), "b": (0, 0), "c": 0}
    domain = ((-6, 6), (-3, 3))
    start = (-5.5, 1.5)
    rule = "momentum"
    learning_rate = 0.2
    beta = 0.9
    map_center = np.array([-2.3, -0.7, 0.0])
    map_size = (8.0, 4.9)
    shown_steps = 6
    steps = 25
    n_levels = 10
    path_color: str | None = None
    gradient_color: str | None = None
    memory_color: str | None = None
    scale_color: str | None = None
    step_time = 1.4
    sweep_time = 3.0
    loss_height = 3.2

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("learning_rate", "steps", "n_levels", "step_time", "sweep_time", "loss_height")
        cls.check_own_points("start")
        if not 0 <= cls.shown_steps <= cls.steps:
            raise cls.invalid("shown_steps", cls.shown_steps, f"must be from 0 to steps ({cls.steps})")

    def rate(self) -> float:
        """The learning rate run: ``learning_rate``, or carried over to this surface by
        :func:`~gradcore.optimizers.fit_learning_rates` when it was chosen for another one."""
        home = type(self).home_surface("learning_rate")
        if home is None:
            return self.learning_rate
        return fit_learning_rates({self.rule: self.learning_rate}, home, self.surface())[self.rule]

    def make_optimizer(self) -> Optimizer:
        """The optimizer taken apart."""
        return momentum(self.rate(), self.beta)

    def color(self, knob: str) -> ManimColor:
        """The stroke color of ``knob`` (``"path_color"``, ``"gradient_color"``, ...): the
        attribute made readable on the background, or the theme's when it is None."""
        theme = self.theme
        default = {
            "path_color": theme.foreground,
            "gradient_color": theme.palette[0],
            "memory_color": theme.palette[2],
            "scale_color": theme.palette[6],
        }[knob]
        return theme.stroke(getattr(self, knob), default)

    def legend(self) -> list[tuple[ManimColor, str]]:
        """The color and LaTeX label of each arrow of :meth:`parts`, in its order."""
        return [
            (self.color("memory_color"), r"\beta\, \Delta x_{k-1}"),
            (self.color("gradient_color"), r"-\eta\, \nabla f(x_k)"),
        ]

    def parts(self, record: StepRecord) -> list[tuple[np.ndarray, np.ndarray, ManimColor, str]]:
        """The arrows drawn for ``record``: (tail, vector, color, LaTeX label); for momentum they
        add up to the step, tip to tail."""
        lr = self.rate()
        carried = -lr * self.beta * record.state.velocity  # β Δx_{k-1}
        tails_vectors = [(record.point, carried), (record.point + carried, -lr * record.grad)]
        return [(*tv, *entry) for tv, entry in zip(tails_vectors, self.legend())]

    def extras(self, record: StepRecord) -> VGroup:
        """Anything else drawn at the current point for ``record`` (nothing for momentum)."""
        return VGroup()

    def rule_tex(self) -> str:
        """The update rule, in LaTeX."""
        return r"\Delta x_k = \beta\, \Delta x_{k-1} - \eta\, \nabla f(x_k)"

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        domain = surface.domain
        start = self.fitted_points("start")
        self.path = descend(surface, start, self.make_optimizer(), steps=self.steps, domain=domain, keep_states=True)
        self.records = record_steps(surface, self.path)
        self.points = self.path.points
        path_color = self.color("path_color")

        # Set up: the valley and the rule
        self.axes = domain_axes(domain, *self.map_size, theme.foreground)
        self.axes.shift(self.map_center - to_scene(self.axes, np.mean(domain, axis=1)))
        levels = map_levels(surface, self.n_levels, spacing="log")
        contours = VGroup()
        if levels.size:
            contours = ContourMap(self.axes, surface, levels, level_colors(levels, theme.colormap))
        entries = [*self.legend(), (path_color, r"\Delta x_k \text{ (the step)}")]
        legend = VGroup(*(self.label(tex, color, font_size=28) for color, tex in entries))
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.12).to_corner(UP + RIGHT, buff=0.4)
        header = VGroup(self.label(f"f = {surface.latex}", font_size=30), self.label(self.rule_tex(), font_size=30))
        header.arrange(DOWN, aligned_edge=LEFT).to_corner(UP + LEFT, buff=0.4)
        room = legend.get_left()[0] - 0.3 - header.get_left()[0]
        if header.width > room:
            header.scale_to_fit_width(room).to_corner(UP + LEFT, buff=0.4)
        self.add(self.axes)
        self.play(FadeIn(contours), Write(header))
        self.pause(f"{self.make_optimizer().name.capitalize()} on {surface_words(surface)}")

        # Show the first steps taken apart: the parts tip to tail, their sum, then the move
        tracker = ValueTracker(0)
        self.trail = Trail(to_scene(self.axes, self.points), tracker, path_color, dot_radius=0.09)
        self.loss_paths = [self.path]
        left = self.axes.get_right()[0] + 1.0  # clear of the map and its x ticks, room for 10^e
        self.loss_curves = LossCurves(self.loss_paths, tracker, [path_color], theme.foreground, surface=surface,
                                      width=RIGHT_EDGE - left, height=self.loss_height, font_size=18)
        self.loss_curves.next_to(legend, DOWN, buff=0.45, coor_mask=np.array([0, 1, 0]))
        self.loss_curves.shift((RIGHT_EDGE - self.loss_curves.get_right()[0]) * RIGHT)
        self.play(FadeIn(self.trail.dot, scale=3), FadeIn(legend), FadeIn(self.loss_curves))
        self.add(self.trail)
        shown = min(self.shown_steps, self.path.n_steps)
        for k, record in enumerate(self.records[:shown]):
            arrows = [_arrow(self.axes, tail, vector, color) for tail, vector, color, _ in self.parts(record)]
            arrows = VGroup(*(a for a in arrows if a is not None))
            total = _arrow(self.axes, record.point, record.step, path_color) or VGroup()
            extras = self.extras(record)
            self.play(FadeIn(extras), *(GrowArrow(a) for a in arrows), run_time=self.step_time / 2)
            self.play(GrowArrow(total) if len(total.points) else FadeIn(total), run_time=self.step_time / 4)
            drawn = VGroup(arrows, total, extras)
            self.play(tracker.animate.set_value(k + 1), FadeOut(drawn), run_time=self.step_time / 4)
        self.pause(f"The first {shown} steps taken apart: the parts tip to tail add up to the step")

        # Show the rest of the steps in one sweep, and why the descent stopped if it stopped early
        self.play(tracker.animate.set_value(self.path.n_steps), run_time=self.sweep_time, rate_func=linear)
        self.outcome = describe(surface, self.path).text if self.path.status != "max_steps" else ""
        if self.outcome:
            end = to_scene(self.axes, self.points[self.path.n_steps])
            note = self.label(rf"\text{{{self.outcome}}}", path_color, font_size=26)
            marks = VGroup(keep_in_frame(note.next_to(end, DOWN if end[1] > 0 else UP, buff=0.25)))
            if self.path.status != "converged":
                marks.add(cross_marker(end, path_color))
            self.play(FadeIn(marks))
        self.wait(2)
        self.caption(f"The rest of the {self.path.n_steps} steps" + (f": {self.outcome}" if self.outcome else ""))


def _arrow(axes, tail: np.ndarray, vector: np.ndarray, color: ManimColor) -> Arrow | None:
    """A straight arrow from input point ``tail`` along input vector ``vector`` (full length);
    None for a vector too short to draw."""
    start, end = to_scene(axes, np.array([tail, tail + vector]))
    if not np.linalg.norm(end - start) > 1e-3:
        return None
    return Arrow(start, end, buff=0, color=color, stroke_width=4, max_tip_length_to_length_ratio=0.3)


class InsideOneStepAdam(InsideOneStep):
    r"""Inside an Adam step: the first moment measured in units of the per-coordinate scale.

    .. math:: \Delta x_k = -\eta\, \hat m_k / \sqrt{\hat v_k}

    Drawn at a common ``scale``: :math:`-c\, \nabla f` (gradient), :math:`-c\, \hat m`
    (first moment) and a box of half-sides :math:`c \sqrt{\hat v}` (second moment, per
    coordinate); the step is :math:`\eta` times the first-moment arrow measured in box units.
    """

    rule = "adam"
    learning_rate = 0.5
    b1, b2 = 0.9, 0.999
    box_fraction = 0.2

    def make_optimizer(self) -> Optimizer:
        return adam(self.rate(), self.b1, self.b2)

    def scale(self) -> float:
        r"""The drawing scale :math:`c`: the largest gradient component of the steps taken apart
        is ``box_fraction`` of the domain's shorter side (0 where the gradient vanishes)."""
        largest = max((float(np.max(np.abs(r.grad))) for r in self.records[: self.shown_steps]), default=0.0)
        side = float(np.min(np.diff(np.asarray(self.surface().domain, dtype=float), axis=1)))
        return self.box_fraction * side / largest if largest > 0 else 0.0

    def moments(self, record: StepRecord) -> tuple[np.ndarray, np.ndarray]:
        r"""Adam's bias-corrected :math:`\hat m` and :math:`\hat v` after ``record``'s step."""
        t = record.new_state.count
        return record.new_state.mu / (1 - self.b1**t), record.new_state.nu / (1 - self.b2**t)

    def legend(self) -> list[tuple[ManimColor, str]]:
        return [
            (self.color("gradient_color"), r"-c\, \nabla f(x_k)"),
            (self.color("memory_color"), r"-c\, \hat m_k \text{ (first moment)}"),
        ]

    def parts(self, record: StepRecord) -> list[tuple[np.ndarray, np.ndarray, ManimColor, str]]:
        c, (m_hat, _) = self.scale(), self.moments(record)
        vectors = (-c * record.grad, -c * m_hat)
        return [(record.point, vector, *entry) for vector, entry in zip(vectors, self.legend())]

    def extras(self, record: StepRecord) -> VGroup:
        c = self.scale()
        _, v_hat = self.moments(record)
        half = c * np.sqrt(v_hat)
        if not np.all(half > 0):
            return VGroup()
        color = self.color("scale_color")
        corners = to_scene(self.axes, record.point + half * np.array([(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)]))
        box = VMobject(stroke_color=color, stroke_width=3).set_points_as_corners(corners)
        note = self.label(r"c \sqrt{\hat v_k}", color, font_size=24).next_to(box, UP, buff=0.05)
        return VGroup(box, note)

    def rule_tex(self) -> str:
        return r"\Delta x_k = -\eta\, \hat m_k / \sqrt{\hat v_k}"
