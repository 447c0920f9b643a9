r"""Steepest descent against conjugate gradient on an oval quadratic (seed 001).

Seed 001 remarks that on an oval the gradient does not point at the extremum, "this is why
conjugate gradient exists". Here :func:`gradcore.steepest_descent_exact` zig-zags (each exact
line search ends where the new gradient is orthogonal to the step, so successive steps meet
at right angles) while :func:`gradcore.conjugate_gradient` reaches :math:`A^{-1} b` in two
steps.

Render: ``manim -qm scenes/conjugate_gradient.py SteepestVsConjugate``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    FadeIn,
    FadeOut,
    GrowArrow,
    ValueTracker,
    VGroup,
    Write,
    linear,
)

from gradcore.descent import conjugate_gradient, distance_to_edge, steepest_descent_exact
from gradcore.fields import normalized
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
    map_levels,
    right_angle_marks,
    surface_words,
    to_scene,
    vector_arrows,
)

__all__ = ["SteepestVsConjugate"]


class SteepestVsConjugate(GradScene):
    r"""Exact-line-search steepest descent zig-zags on an oval quadratic; conjugate gradient takes 2 steps.

    First :math:`-\nabla f` at the start, continued as a dashed line that misses the minimum;
    then the steepest-descent path step by step with a right-angle mark at each of its first
    ``marked_corners`` corners (those large enough to hold one), and its step count; then the
    two conjugate-gradient steps. The surface is any positive-definite quadratic
    :math:`\tfrac12 x^T A x - b^T x + c` whose minimum lies in the domain (a formula such as
    ``"x**2 + 3*y**2"``, or here the bowl with another ``A``). On circles :math:`-\nabla f`
    points at the minimum, and the scene says so.
    """

    surface_name = "bowl"
    surface_params = {"A": ((2.0, 1.2), (1.2, 2.0))}
    domain = ((-3.0, 3.0), (-3.0, 3.0))
    surface_kind = "positive_definite_quadratic"
    start = (-2.4, 1.5)  # the default moves into another quadratic's domain
    tol = 1e-8
    max_steps = 500
    n_levels = 10
    marked_corners = 6
    steepest_color: str | None = None  # None: the theme's warning
    conjugate_color: str | None = None  # None: the theme's accent
    minimum_color: str | None = None  # None: the theme's positive
    conjugate_width = 6.0
    single_steps = 6
    step_time = 0.8
    sweep_time = 2.0
    loss_height = 2.0

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("conjugate_width", "step_time", "sweep_time", "max_steps", "loss_height")
        cls.check_own_points("start")
        if cls._surface_from_attributes():
            quadratic = cls._build_surface()
            (xmin, xmax), (ymin, ymax) = quadratic.domain
            x, y = quadratic.minimizer + 0.0  # no "-0" in the message
            if not (xmin <= x <= xmax and ymin <= y <= ymax):
                name = "formula" if cls.formula is not None else "domain"
                where = f"({x:.3g}, {y:.3g}) outside the domain {quadratic.domain}"
                problem = f"puts the minimum {where}; give a domain around it"
                raise cls.invalid(name, getattr(cls, name), problem)

    def loss_panel(self, trackers: list[ValueTracker], below: VGroup) -> LossCurves:
        """The loss curves of :attr:`loss_paths` under ``below`` in the right column, each
        following its own tracker; the conjugate gradient's hidden until it starts."""
        panel = LossCurves(self.loss_paths, trackers, [self.steepest_color, self.conjugate_color],
                           self.theme.foreground, surface=self.surface(), width=RIGHT_EDGE - PANEL_LEFT - 0.75,
                           height=self.loss_height, font_size=18)
        room = below.get_bottom()[1] - 0.3 + self.camera.frame_height / 2 - 0.1
        if panel.height > room:  # a tall formula above
            panel.scale_to_fit_height(room)
        panel.next_to(below, DOWN, buff=0.3).shift((RIGHT_EDGE - panel.get_right()[0]) * RIGHT)
        panel.curves[1].set_stroke(opacity=0)
        panel.heads[1].set_opacity(0)
        return panel

    def method_text(self, title: str, rule: str, steps: int, color: str, converged: bool = True) -> VGroup:
        """A method's name, its rule and its step count (``[2][1]``), stacked left-aligned."""
        number = Readout(steps, num_decimal_places=0, font_size=26, color=self.theme.readable(color))
        count = VGroup(self.label(r"\text{steps:}", font_size=26), number)
        if not converged:
            count.add(self.label(r"\text{(not converged)}", font_size=26))
        return VGroup(
            self.label(title, color, font_size=26),
            self.label(rule, font_size=26),
            count.arrange(RIGHT, buff=0.15),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.1)

    def construct(self) -> None:
        theme = self.theme
        quadratic = self.surface()
        self.start = start = self.fitted_points("start")
        self.steepest_color = theme.stroke(self.steepest_color, theme.warning)
        self.conjugate_color = theme.stroke(self.conjugate_color, theme.accent)
        self.minimum_color = theme.stroke(self.minimum_color, theme.positive)
        self.steepest = steepest_descent_exact(quadratic, start, steps=self.max_steps, tol=self.tol)
        self.conjugate = conjugate_gradient(quadratic, start, tol=self.tol)
        minimum = quadratic.minimizer

        # Set up: the oval level lines, the minimum, the formula
        self.axes = map_axes(quadratic.domain, theme.foreground)
        levels = map_levels(quadratic, self.n_levels, spacing="log")
        contours = ContourMap(self.axes, quadratic, levels, level_colors(levels, theme.colormap))
        title = self.label(f"f = {quadratic.latex}", font_size=30)
        fit_in_frame(title.to_edge(UP).set_x(PANEL_LEFT + title.width / 2))
        self.add(self.axes)
        marker = cross_marker(to_scene(self.axes, minimum), self.minimum_color)
        self.play(FadeIn(contours), Write(title), FadeIn(marker))
        self.pause(f"The oval level lines of {surface_words(quadratic)} and its minimum")

        # Show why: -grad f is normal to the oval level line, so it misses the minimum
        direction = normalized(-quadratic.gradient(start))
        arrow = vector_arrows(self.axes, start[None], 1.2 * direction[None], theme.foreground)
        reach = distance_to_edge(start, direction, quadratic.domain) if np.any(direction) else 0.0
        ray_end = start + max(reach, 1e-3) * direction
        ray = DashedLine(*to_scene(self.axes, np.array([start, ray_end])), color=theme.muted)
        toward = normalized(minimum - start)
        misses = abs(direction[0] * toward[1] - direction[1] * toward[0]) > 1e-9 or direction @ toward < 0
        why = VGroup(
            self.label(r"-\nabla f \perp \text{level line}", font_size=26),
            self.label(
                r"\text{ovals: } {-\nabla f} \text{ misses the minimum}"
                if misses
                else r"\text{here } {-\nabla f} \text{ points at the minimum}",
                font_size=26,
            ),
        ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        why.next_to(title, DOWN, buff=0.35).set_x(PANEL_LEFT, LEFT)
        self.play(*(GrowArrow(a) for a in arrow), *([Create(ray)] if reach > 0 else []), FadeIn(why))
        self.pause("Minus the gradient is normal to the level line, so it misses the minimum" if misses else "Here minus the gradient points at the minimum")

        # Show steepest descent: exact line search, each step at a right angle to the previous
        tracker = ValueTracker(0)
        sd_points = to_scene(self.axes, self.steepest.points)
        sd_trail = Trail(sd_points, tracker, self.steepest_color)
        sd_text = self.method_text(
            r"\text{steepest descent, exact line search}", r"x_{k+1} = x_k - \alpha_k \nabla f(x_k)",
            self.steepest.n_steps, self.steepest_color, self.steepest.status == "converged",
        )
        self.steepest_count = sd_text[2][1]
        sd_text.next_to(title, DOWN, buff=0.35).set_x(PANEL_LEFT, LEFT)  # in place of the why, now shown
        cg_tracker = ValueTracker(0)
        rule = r"p_0^T A\, p_1 = 0" if self.conjugate.n_steps > 1 else r"p_0 = -\nabla f(x_0)"
        cg_text = self.method_text(r"\text{conjugate gradient}", rule, self.conjugate.n_steps, self.conjugate_color)
        self.conjugate_count = cg_text[2][1]
        cg_text.next_to(sd_text, DOWN, buff=0.35, aligned_edge=LEFT)
        self.loss_paths = [self.steepest, self.conjugate]
        self.loss_curves = self.loss_panel([tracker, cg_tracker], below=cg_text)
        self.play(FadeIn(sd_trail.dot), FadeOut(why), FadeIn(sd_text[:2]), FadeOut(arrow),
                  ray.animate.set_opacity(0.4), FadeIn(self.loss_curves))
        self.add(sd_trail)
        marks = self.corner_marks = right_angle_marks(sd_points, theme.foreground, self.marked_corners)
        single = min(self.single_steps, self.steepest.n_steps)
        for k in range(single):
            self.play(tracker.animate.set_value(k + 1), run_time=self.step_time, rate_func=linear)
            self.add(*marks[k - 1 : k] if k >= 1 else [])  # the corner at x_k is complete
        self.play(tracker.animate.set_value(self.steepest.n_steps), run_time=self.sweep_time, rate_func=linear)
        self.add(*marks[max(single - 1, 0) :])
        self.play(FadeIn(sd_text[2]))
        self.pause(f"Steepest descent with exact line search: {self.steepest.n_steps} steps, each at a right angle to the last")

        # Show conjugate gradient: two A-conjugate steps reach the minimum
        cg_points = to_scene(self.axes, self.conjugate.points)
        self.conjugate_trail = Trail(cg_points, cg_tracker, self.conjugate_color, stroke_width=self.conjugate_width)
        cg_curve, cg_head = self.loss_curves.curves[1], self.loss_curves.heads[1]
        self.play(FadeIn(self.conjugate_trail.dot), FadeIn(cg_text[:2]), FadeOut(ray),
                  cg_curve.animate.set_stroke(opacity=1), cg_head.animate.set_opacity(1))
        self.add(self.conjugate_trail)
        for k in range(self.conjugate.n_steps):
            self.play(cg_tracker.animate.set_value(k + 1), run_time=2 * self.step_time, rate_func=linear)
        self.play(FadeIn(cg_text[2]))
        self.wait(2)
        self.caption(f"Conjugate gradient: {self.conjugate.n_steps} steps to the minimum")
