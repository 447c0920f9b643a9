r"""Newton's method against gradient descent: the local quadratic model behind each Newton step.

Every number comes from gradcore: :func:`gradcore.newton_method.newton` (each step's model,
full step and backtracking trials) and :func:`gradcore.descent.descend` with a fixed rate.

Render: ``manim -ql scenes/second_order.py NewtonVsGradient``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Arrow,
    Create,
    Dot,
    FadeIn,
    FadeOut,
    Line,
    ValueTracker,
    VGroup,
    Write,
    linear,
)

from gradcore.curvature import default_learning_rates
from gradcore.descent import descend, distance_to_edge, inside
from gradcore.newton_method import NewtonStep, newton
from gradcore.optimizers import fit_learning_rates, sgd
from gradcore.outcome import describe
from gradcore.quadratic import Quadratic
from scenes.kit import (
    PANEL_LEFT,
    ContourMap,
    GradScene,
    LossCurves,
    Trail,
    cross_marker,
    fit_points,
    fit_in_frame,
    level_colors,
    map_axes,
    map_levels,
    surface_words,
    to_scene,
)
from scenes.kit.tallies import StepTally

__all__ = ["NewtonVsGradient"]


class NewtonVsGradient(GradScene):
    r"""Newton's method, damped by backtracking, against gradient descent with a fixed rate.

    At :math:`x_k` Newton's method minimizes the second-order Taylor model

    .. math:: m_k(x) = f(x_k) + g_k^T (x - x_k) + \tfrac12 (x - x_k)^T H_k (x - x_k),

    :math:`g_k = \nabla f(x_k)`, :math:`H_k = \nabla^2 f(x_k)`; its minimum is
    :math:`x_k + p_k`, :math:`p_k = -H_k^{-1} g_k`. Where the model lies (:math:`f` at
    :math:`x_k + t p_k` is above the Armijo line) the step is halved, :math:`t = 1, \tfrac12,
    \tfrac14, \ldots`; where :math:`H_k` is not positive definite gradcore uses
    :math:`B_k`, :math:`H_k` with its eigenvalues made positive, and the scene says so.

    For the first ``shown_steps`` steps the model's level sets (at ``model_levels``, fractions
    of the decrease it promises: 1 is the level set through :math:`x_k`) are drawn over the true ones,
    with the step to the model's minimum and the trials (rejected red, accepted green); the
    rest follow in one sweep. Then gradient descent :math:`x_{k+1} = x_k - \eta \nabla f(x_k)`
    from the same start, and, when Newton converged, the errors :math:`e_k = \|x_k - x^*\|`
    of its last ``table_rows`` steps with :math:`e_{k+1} / e_k^2`: bounded where
    :math:`\nabla^2 f(x^*)` is positive definite, the error squares each step.

    Any surface: ``start`` and ``learning_rate`` chosen for Rosenbrock are carried over to
    another one (:meth:`~scenes.kit.GradScene.fitted_points`,
    :func:`~gradcore.optimizers.fit_learning_rates`); ``learning_rate`` None is half the
    stability bound (:func:`~gradcore.curvature.default_learning_rates`). A surface that is
    constant, or a start where :math:`f`, its gradient or its Hessian is not finite, where the
    gradient vanishes, or whose first Newton step lands where they are not finite, is refused.
    Colors left None come from the theme.

    Beside the map, once gradient descent starts, :math:`f(x_k) - f^*` of both against
    :math:`k` on a log scale (:class:`~scenes.kit.LossCurves`, ``loss_height`` tall): it follows
    gradient descent's step :math:`k`, so Newton's curve, already run, drops to its last step
    within the first steps while gradient descent's crawls.
    """

    surface_name = "rosenbrock"
    start = (-1.2, 1.0)
    learning_rate: float | None = 0.001
    tol = 1e-8
    newton_steps = 100
    gd_steps = 2000
    shown_steps = 3
    model_levels = (0.04, 0.2, 0.5, 1.0)
    table_rows = 5
    n_levels = 12
    newton_color: str | None = None  # None: the theme's accent
    gd_color: str | None = None  # None: the theme's warning
    model_color: str | None = None  # None: the palette's pink
    step_time = 2.4
    sweep_time = 2.0
    gd_time = 4.0
    loss_height = 1.4

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("newton_steps", "gd_steps", "n_levels", "table_rows", "model_levels")
        cls.check_positive("step_time", "sweep_time", "gd_time", "loss_height")
        if cls.learning_rate is not None:
            cls.check_positive("learning_rate")
        if not (isinstance(cls.tol, (int, float)) and cls.tol >= 0):
            raise cls.invalid("tol", cls.tol, "must be a number >= 0")
        if not 0 <= cls.shown_steps <= cls.newton_steps:
            raise cls.invalid("shown_steps", cls.shown_steps, f"must be from 0 to newton_steps ({cls.newton_steps})")
        cls.check_own_points("start")
        if not cls._surface_from_attributes() or (cls.formula is None and cls.surface_name is None):
            return
        surface = cls._build_surface()
        name = "formula" if cls.formula is not None else "surface_name"
        if map_levels(surface, 1).size == 0:
            problem = "is constant: Newton has no step to take; give one that varies"
            raise cls.invalid(name, getattr(cls, name), problem)
        home = cls.home_surface("start")
        start = np.asarray(cls.start, float) if home is None else fit_points(cls.start, home.domain, surface)
        with np.errstate(all="ignore"):
            g, H = surface.gradient(start), surface.hessian(start)
        where = f"puts Newton at ({start[0]:.3g}, {start[1]:.3g})"
        if not np.all(np.isfinite(H)):
            problem = f"{where}, where the Hessian of f is not finite; give a start where f is twice differentiable"
        elif not np.any(g != 0):
            problem = f"{where}, where the gradient vanishes; give a start off the stationary points"
        elif newton(surface, start, steps=1, domain=surface.domain).status == "diverged":
            problem = f"{where}, whose first step lands where f or its derivatives are not finite; give another start"
        else:
            return
        raise cls.invalid("start", cls.start, problem)

    def rate(self) -> float:
        """Gradient descent's learning rate: ``learning_rate``, carried over when it was chosen
        for another surface, or half the stability bound when None."""
        surface = self.surface()
        if self.learning_rate is None:
            return default_learning_rates(surface)[2]
        home = type(self).home_surface("learning_rate")
        if home is None:
            return self.learning_rate
        return fit_learning_rates({"sgd": self.learning_rate}, home, surface)["sgd"]

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        domain = surface.domain
        start = self.fitted_points("start")
        self.newton_path = path = newton(surface, start, steps=self.newton_steps, tol=self.tol, domain=domain)
        self.gd_path = descend(surface, start, sgd(self.rate()), steps=self.gd_steps, tol=self.tol, domain=domain)
        self.newton_color = theme.stroke(self.newton_color, theme.accent)
        self.gd_color = theme.stroke(self.gd_color, theme.warning)
        self.model_color = theme.stroke(self.model_color, theme.palette[7])
        modified = any(step.modified for step in path.newton_steps)

        # Set up: the true level sets, the formula and Newton's rule
        self.axes = map_axes(domain, theme.foreground)
        levels = map_levels(surface, self.n_levels, spacing="log")
        contours = ContourMap(self.axes, surface, levels, level_colors(levels, theme.colormap), domain=domain)
        width = 7.0 - 0.2 - PANEL_LEFT
        title = self.label(f"f = {surface.latex}", font_size=26)
        matrix = "B_k" if modified else "H_k"
        rule = self.label(rf"x_{{k+1}} = x_k + t_k\, p_k, \quad p_k = -{matrix}^{{-1}} \nabla f(x_k)", font_size=24)
        header = VGroup(title, rule).arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        if modified:
            floored = r"B_k = H_k \text{ with } \lambda_i \to \max(|\lambda_i|, \sigma \max_j |\lambda_j|)"
            header.add(self.label(floored, font_size=22))
            header.arrange(DOWN, aligned_edge=LEFT, buff=0.15)
        header.scale_to_fit_width(min(header.width, width)).to_edge(UP, buff=0.3).set_x(PANEL_LEFT, LEFT)
        model_words = r"\text{level sets of } m_k"
        model_words += r"\text{ (with } B_k)" if modified else r"\text{, Taylor order 2 at } x_k"
        swatch = Line(ORIGIN, 0.45 * RIGHT, color=self.model_color, stroke_width=3)
        legend = VGroup(swatch, self.label(model_words, font_size=22))
        legend.arrange(RIGHT, buff=0.15).next_to(header, DOWN, buff=0.25).set_x(PANEL_LEFT, LEFT)
        fit_in_frame(legend)
        self.add(self.axes)
        self.play(FadeIn(contours), Write(header))
        self.pause(f"Newton's method on {surface_words(surface)} from ({_pair(start)}), step by step")

        # Show Newton's first steps: the model's level sets, the step to its minimum, the trials
        tracker, gd_tracker = ValueTracker(0), ValueTracker(0)
        self.newton_trail = Trail(to_scene(self.axes, path.points), tracker, self.newton_color, dot_radius=0.08)
        gd_name = rf"\text{{gradient descent, }} \eta = {_tex_number(self.rate())}"
        newton_row = StepTally(r"\text{Newton}", tracker, theme, self.newton_color, font_size=19)
        gd_row = StepTally(gd_name, gd_tracker, theme, self.gd_color, font_size=19)
        newton_row.to_edge(DOWN, buff=0.2).set_x(PANEL_LEFT, LEFT)  # gradient descent's to its right, later
        self.newton_count, self.gd_count = newton_row.count, gd_row.count
        self.play(FadeIn(self.newton_trail.dot, scale=3), FadeIn(legend), FadeIn(newton_row))
        self.newton_trail.dot.set_z_index(2)
        self.add(self.newton_trail)
        self.shown_trials, self.model_maps, self.trial_marks = [], [], []
        notes_top = legend.get_bottom()[1] - 0.3
        for k, step in enumerate(path.newton_steps[: self.shown_steps]):
            model_map, arrow, marks = self.model_picture(step)
            notes = self.step_notes(k, step).move_to([PANEL_LEFT, notes_top, 0], aligned_edge=UP + LEFT)
            notes_in = FadeIn(notes[:2], notes[2][0], *notes[3:])
            self.play(Create(model_map), notes_in, run_time=self.step_time * 0.3)
            self.play(FadeIn(arrow), FadeIn(marks[0]), run_time=self.step_time * 0.2)
            for trial, note in zip(marks[1:], notes[2][1:]):
                run_time = max(0.2, self.step_time * 0.3 / len(step.trials))
                self.play(FadeIn(trial, scale=2), FadeIn(note), run_time=run_time)
            self.play(tracker.animate.set_value(k + 1), run_time=self.step_time * 0.2)
            self.pause(self.step_words(k, step))
            self.play(FadeOut(model_map, arrow, marks, notes), run_time=max(0.2, self.step_time * 0.1))
            self.shown_trials.append(step.trials)
            self.model_maps.append(model_map)
            self.trial_marks.append(marks[1:])

        # Show the rest of Newton's steps in one sweep, and how it ended
        self.play(tracker.animate.set_value(path.n_steps), run_time=self.sweep_time, rate_func=linear)
        self.newton_outcome = describe(surface, path)
        self.play(FadeIn(newton_row.finish(f", {self.newton_outcome.text}")))
        self.pause(f"Newton: {_steps(path.n_steps)}, {self.newton_outcome.text}")

        # Show gradient descent with a fixed rate from the same start, and both gaps f(x_k) - f* against its k
        self.gd_trail = Trail(to_scene(self.axes, self.gd_path.points), gd_tracker, self.gd_color, dot_radius=0.08)
        self.loss_paths = [path, self.gd_path]
        self.loss_curves = LossCurves(
            self.loss_paths, gd_tracker, [self.newton_color, self.gd_color], theme.foreground, surface=surface,
            width=width - 0.75, height=self.loss_height, font_size=18,
        )
        self.loss_curves.next_to(newton_row, UP, buff=0.2).set_x(PANEL_LEFT + width, RIGHT)
        gd_row.next_to(newton_row, RIGHT, buff=0.25, aligned_edge=UP)
        self.play(FadeIn(self.gd_trail.dot, scale=3), FadeIn(gd_row), FadeIn(self.loss_curves))
        self.add(self.gd_trail)
        self.play(gd_tracker.animate.set_value(self.gd_path.n_steps), run_time=self.gd_time, rate_func=linear)
        self.gd_outcome = describe(surface, self.gd_path)
        self.play(FadeIn(gd_row.finish(f", {self.gd_outcome.text}")))
        self.pause(f"Gradient descent, rate {self.rate():.3g}: {_steps(self.gd_path.n_steps)}, {self.gd_outcome.text}")

        # Show the error squaring near the end (where Newton converged)
        self.errors = self.error_table()
        if self.errors is not None:
            table = self.errors.move_to(legend.get_corner(UP + LEFT), aligned_edge=UP + LEFT)
            room = table.get_top()[1] - self.loss_curves.get_top()[1] - 0.2  # above the panel
            table.scale(min(1.0, room / table.height), about_edge=UP + LEFT)
            self.play(FadeOut(legend), FadeIn(fit_in_frame(table)))
        self.wait(2)
        self.caption(self.closing_words())

    def step_words(self, k: int, step: NewtonStep) -> str:
        """The subtitle of Newton's step ``k``: taken whole, or halved where the model lied."""
        if len(step.trials) == 1:
            return f"Step {k}: the full step to the model's minimum goes down enough and is taken"
        return f"Step {k}: the model lies; the step is halved to t = {_trial_words(step.t)}"

    def closing_words(self) -> str:
        """The closing subtitle: the errors of the table, or how Newton ended."""
        rows = self.error_rows
        if self.errors is None or len(self.errors) == 1 or len(rows) < 2:  # no table, or the quadratic's line
            return f"Newton: {self.newton_outcome.text} after {_steps(self.newton_path.n_steps)}"
        errors = ", ".join(f"{e:.1e}" for _, e, _ in rows[-3:])
        return f"Newton's errors near the end: {errors}" + ("; the error squares each step" if self.squares else "")

    def model_picture(self, step: NewtonStep) -> tuple[VGroup, Arrow, VGroup]:
        """The model's level sets, the step to its minimum (cut at the map's edge), and
        ``VGroup(minimum mark, trial dots...)`` (off the map: an empty group)."""
        theme, domain, axes = self.theme, np.asarray(self.surface().domain, float), self.axes
        model, fractions = step.model, np.asarray(self.model_levels, float)
        low = float(model.value(model.minimizer))
        levels = low + (float(model.value(step.point)) - low) * fractions
        # traced on the box around the largest ellipse (within the map), where they are
        half = np.sqrt(2 * (levels.max() - low) * np.diag(np.linalg.inv(model.A)))
        box = np.stack([np.maximum(domain[:, 0], model.minimizer - 1.05 * half),
                        np.minimum(domain[:, 1], model.minimizer + 1.05 * half)], axis=1)
        model_map = VGroup()
        if np.all(box[:, 1] > box[:, 0]):
            colors = [self.model_color] * len(levels)
            model_map = ContourMap(axes, model, levels, colors, domain=tuple(map(tuple, box)), stroke_width=3)
        target = step.point + step.full_step
        end = target
        if not inside(target, domain):  # to the map's edge
            reach = distance_to_edge(step.point, step.full_step, domain)
            end = step.point + reach * step.full_step / np.hypot(*step.full_step)
        a, b = to_scene(axes, np.array([step.point, end]))
        arrow = Arrow(a, b, buff=0, color=self.newton_color, stroke_width=5, max_tip_length_to_length_ratio=0.2)
        minimum = cross_marker(to_scene(axes, target), self.model_color, size=0.16)
        marks = VGroup(minimum if inside(target, domain) else VGroup())
        for t in step.trials:
            point = step.point + t * step.full_step
            color = theme.positive if t == step.t else theme.negative
            dot = Dot(to_scene(axes, point), radius=0.07, color=color) if inside(point, domain) else VGroup()
            marks.add(dot.set_z_index(3))
        return model_map, arrow, marks

    def step_notes(self, k: int, step: NewtonStep) -> VGroup:
        """What the model promised and what f gave at the full step, and the trials tried."""
        theme, surface = self.theme, self.surface()
        target = step.point + step.full_step
        with np.errstate(all="ignore"):
            actual = float(surface.value(target))
        lied = len(step.trials) > 1
        full = rf"(x_{{{k}}} + p_{{{k}}})"
        promised = self.label(rf"m_{{{k}}}{full} = {_tex_number(float(step.model.value(target)))}", font_size=24)
        given = rf"f{full} = {_tex_number(actual)}" + (r"\text{: the model lies}" if lied else "")
        given = self.label(given, theme.negative if lied else None, font_size=24)
        trials = VGroup(self.label(rf"t_{{{k}}}:", font_size=26))
        for t in step.trials:
            trials.add(self.label(_trial_tex(t), theme.positive if t == step.t else theme.negative, font_size=26))
        trials.arrange(RIGHT, buff=0.25)
        notes = VGroup(promised, given, trials)
        if not inside(target, np.asarray(surface.domain, float)):
            where = rf"\text{{minimum of }} m_{{{k}}} \text{{ off the map, at }} ({_pair(target)})"
            notes.add(self.label(where, self.model_color, font_size=24))
        return fit_in_frame(notes.arrange(DOWN, aligned_edge=LEFT, buff=0.15))

    def error_table(self) -> VGroup | None:
        r"""The errors :math:`e_k = \|x_k - x^*\|` of Newton's last ``table_rows`` steps and
        :math:`e_{k+1}/e_k^2`, with :math:`x^*` the known minimum reached or Newton's last point;
        None when Newton did not converge. Keeps the numbers in ``self.error_rows``."""
        path, outcome = self.newton_path, self.newton_outcome
        self.error_rows, self.squares = [], False
        if outcome.kind != "minimum" and path.status != "converged":
            return None
        x_star = outcome.point if outcome.kind == "minimum" else path.points[path.n_steps]
        errors = np.hypot(*(path.points[: path.n_steps + 1] - x_star).T)
        ks = [k for k in range(len(errors)) if errors[k] > 0][-self.table_rows :]
        ratios = [errors[k + 1] / errors[k] ** 2 if k + 1 < len(errors) else None for k in ks]
        self.error_rows = list(zip(ks, errors[ks], ratios))
        if not ks:
            return None
        if path.n_steps == 1 and isinstance(self.surface(), Quadratic) and not path.newton_steps[0].modified:
            return VGroup(self.label(r"\text{one step: a quadratic is its own model}", font_size=22))
        hessian = np.asarray(self.surface().hessian(x_star), float)
        positive = np.all(np.isfinite(hessian)) and np.linalg.eigvalsh((hessian + hessian.T) / 2).min() > 0
        self.squares = bool(positive)
        caption = r"\nabla^2 f(x^*) \succ 0 \text{: the error squares}" if self.squares else r"\text{the errors}"
        cells = [[r"k", r"e_k = \|x_k - x^*\|", r"e_{k+1} / e_k^2"]]
        cells += [[str(k), _tex_number(e), "" if r is None else _tex_number(r)] for k, e, r in self.error_rows]
        grid = VGroup(*(VGroup(*(self.label(c, font_size=20) if c else VGroup() for c in row)) for row in cells))
        columns = [PANEL_LEFT, PANEL_LEFT + 0.6, PANEL_LEFT + 2.8]
        for i, row in enumerate(grid):
            for cell, x in zip(row, columns):
                cell.move_to([x, -0.32 * i, 0], aligned_edge=LEFT)
        return VGroup(self.label(caption, font_size=20), grid).arrange(DOWN, aligned_edge=LEFT, buff=0.12)


def _tex_number(value: float) -> str:
    """``value`` with 3 significant digits in LaTeX: ``0.0712``, ``1.35 \\cdot 10^{-10}``."""
    if not np.isfinite(value):
        return r"\infty" if value > 0 else r"-\infty" if value < 0 else r"\text{undefined}"
    text = f"{value:.3g}"
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    return rf"{mantissa} \cdot 10^{{{int(exponent)}}}"


def _trial_tex(t: float) -> str:
    """A trial :math:`t = 2^{-i}` as ``1``, ``\\frac{1}{2}``, ..., ``2^{-11}``."""
    i = int(round(-np.log2(t)))
    return "1" if i == 0 else rf"\frac{{1}}{{{2**i}}}" if i <= 6 else rf"2^{{-{i}}}"


def _steps(n: int) -> str:
    return f"{n} step" + "s" * (n != 1)


def _trial_words(t: float) -> str:
    """A trial :math:`t = 2^{-i}` in words: ``1``, ``1/2``, ``1/8``."""
    i = int(round(-np.log2(t)))
    return "1" if i == 0 else f"1/{2**i}"


def _pair(p: np.ndarray) -> str:
    return ", ".join(f"{round(float(c), 2) + 0.0:g}" for c in p)
