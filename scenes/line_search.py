r"""Backtracking line search: the 1-D slice along a direction, the Armijo line, the halving trials.

Every trial comes from :func:`gradcore.linesearch.armijo`, also those of the whole descent with
line search (:func:`armijo_descent`, one search per step: ``descend(..., line_search="armijo")``
keeps :math:`c = 10^{-4}`, under which the Armijo line cannot be told from :math:`\phi(0)` on
screen); the fixed-rate descent comes from :func:`gradcore.descent.descend`.

Render: ``manim -ql scenes/line_search.py LineSearch``.
"""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    ORIGIN,
    RIGHT,
    UP,
    Axes,
    Create,
    DashedLine,
    DashedVMobject,
    Dot,
    FadeIn,
    FadeOut,
    GrowArrow,
    Line,
    ValueTracker,
    VGroup,
    VMobject,
    Write,
    linear,
)

from gradcore.curvature import default_learning_rates
from gradcore.descent import Trajectory, descend, distance_to_edge, inside
from gradcore.levels import finite_range
from gradcore.linesearch import Armijo, armijo
from gradcore.optimizers import sgd
from gradcore.outcome import describe
from gradcore.surface import Surface
from scenes.kit import (
    PANEL_LEFT,
    ContourMap,
    GradScene,
    LossCurves,
    Trail,
    fit_in_frame,
    fit_points,
    level_colors,
    map_axes,
    map_levels,
    surface_words,
    to_scene,
    vector_arrows,
)
from scenes.kit.plots import framed_axes
from scenes.kit.tallies import StepTally

__all__ = ["LineSearch", "armijo_descent"]


def armijo_descent(
    surface: Surface, start, t0: float, *, shrink: float = 0.5, c: float = 1e-4, steps: int = 100,
    tol: float = 1e-8, domain=None, bound: float = 1e8,
) -> tuple[Trajectory, list[Armijo]]:
    r"""Gradient descent with backtracking, :math:`x_{k+1} = x_k - t_k \nabla f(x_k)`, each
    :math:`t_k` from :func:`~gradcore.linesearch.armijo` (trials :math:`t_0, t_0\rho, \ldots`).

    The statuses are :func:`~gradcore.descent.descend`'s; ``"converged"`` also when no trial
    lowers :math:`f` enough (as :func:`~gradcore.newton_method.newton` says: the decrease is
    below :math:`f`'s rounding, or, next to a singularity, every trial jumps past it). With
    ``c = 1e-4`` and ``shrink = 0.5`` the path is ``descend(surface, start, sgd(t0),
    line_search="armijo")``'s. Returns the trajectory and the search from each point left
    (one per step taken, and a last one, not accepted, where no trial went down enough).
    """
    x = np.asarray(start, dtype=float)
    with np.errstate(all="ignore"):
        f, g = float(surface.value(x)), np.asarray(surface.gradient(x), dtype=float)
    points, values, norms, searches, status = [x], [f], [float(np.hypot(*g))], [], "max_steps"
    box = None if domain is None else np.asarray(domain, dtype=float)
    for _ in range(steps):
        if norms[-1] < tol or not np.any(g != 0):
            break
        search = armijo(surface, x, -g, t0=t0, shrink=shrink, c=c)
        if not search.accepted:
            searches.append(search)
            status = "converged"
            break
        x_new = x - search.t * g
        with np.errstate(all="ignore"):
            f_new, g_new = float(surface.value(x_new)), np.asarray(surface.gradient(x_new), dtype=float)
        if not (np.isfinite(f_new) and np.all(np.isfinite(g_new)) and np.hypot(*x_new) <= bound):
            status = "diverged"
            break
        if box is not None and not inside(x_new, box):
            status = "left_domain"
            break
        x, f, g = x_new, f_new, g_new
        points.append(x)
        values.append(f)
        norms.append(float(np.hypot(*g)))
        searches.append(search)
    if status == "max_steps" and (norms[-1] < tol or not np.any(g != 0)):
        status = "converged"
    path = Trajectory(np.array(points), np.array(values), np.array(norms), status, len(points) - 1)
    return path, searches


class LineSearch(GradScene):
    r"""Backtracking line search: the slice :math:`\phi(t) = f(x + t d)`, the Armijo line, the trials.

    At ``start`` :math:`x`, along :math:`d` (``direction``, default :math:`-\nabla f(x)`), the
    slice :math:`\phi(t) = f(x + t d)` is drawn in its own panel for :math:`0 \le t \le t_0`
    with the Armijo line :math:`\phi(0) + c\, t\, \phi'(0)`, :math:`\phi'(0) = \nabla f(x)^T d`,
    and the tangent :math:`\phi(0) + t\, \phi'(0)` (dashed). The trials
    :math:`t = t_0, t_0 \rho, t_0 \rho^2, \ldots` (``t0``, ``shrink``) appear on the slice
    and at :math:`x + t d` on the map, rejected (above the line) red, accepted green: the first

    .. math:: \phi(t) \le \phi(0) + c\, t\, \phi'(0).

    Then a whole descent :math:`x_{k+1} = x_k - t_k \nabla f(x_k)` with this search from every
    point (:func:`armijo_descent`) against gradient descent with the fixed ``learning_rate``,
    with their step counts and how each ended (:func:`gradcore.describe`); the gaps
    :math:`f(x_k) - f^*` of both against :math:`k` on a log scale (:class:`~scenes.kit.LossCurves`,
    ``loss_height`` tall) take the slice's panel's place and grow in step with the paths.

    Any surface: ``t0`` None (or chosen for Himmelblau, on another surface) is the round step
    :math:`1, 2, 5 \times 10^k` that reaches at most the map's edge along :math:`d` (along
    :math:`-\nabla f` for the descent), ``learning_rate`` None half the stability bound
    (:func:`~gradcore.curvature.default_learning_rates`); a ``start`` chosen for Himmelblau is
    carried to another surface (:meth:`~scenes.kit.GradScene.fitted_points`). A constant surface, a start where the
    gradient vanishes, or a ``direction`` that does not go downhill is refused.
    """

    surface_name = "himmelblau"
    start = (1.0, 4.0)
    direction: tuple[float, float] | None = None  # None: -grad f(start)
    t0: float | None = 0.05  # None (or carried to another surface): a round step reaching the map's edge
    shrink = 0.5
    c = 0.25
    learning_rate: float | None = None  # None: half the stability bound
    steps = 300
    tol = 1e-6
    n_levels = 12
    search_color: str | None = None  # None: the theme's accent
    fixed_color: str | None = None  # None: the theme's warning
    line_color: str | None = None  # the Armijo line; None: the palette's grape
    trial_time = 0.8
    descent_time = 4.0
    loss_height = 2.5

    @classmethod
    def validate(cls) -> None:
        super().validate()
        cls.check_positive("steps", "n_levels", "trial_time", "descent_time", "loss_height")
        for name in ("t0", "learning_rate"):
            if getattr(cls, name) is not None:
                cls.check_positive(name)
        if not (isinstance(cls.tol, (int, float)) and cls.tol >= 0):
            raise cls.invalid("tol", cls.tol, "must be a number >= 0")
        for name in ("c", "shrink"):
            value = getattr(cls, name)
            if not (isinstance(value, (int, float)) and 0 < value < 1):
                raise cls.invalid(name, value, "must be a number between 0 and 1")
        cls.check_own_points("start")
        if not cls._surface_from_attributes() or (cls.formula is None and cls.surface_name is None):
            return
        surface = cls._build_surface()
        name = "formula" if cls.formula is not None else "surface_name"
        if map_levels(surface, 1).size == 0:
            raise cls.invalid(name, getattr(cls, name), "is constant: no step goes down; give one that varies")
        home = cls.home_surface("start")
        x = np.asarray(cls.start, float) if home is None else fit_points(cls.start, home.domain, surface)
        g = surface.gradient(x)
        if not np.any(g != 0):
            problem = f"puts x at ({x[0]:.3g}, {x[1]:.3g}), where the gradient vanishes; give another start"
            raise cls.invalid("start", cls.start, problem)
        d = cls.direction
        if d is not None and not _downhill(g, d):
            problem = f"does not go downhill at the start, where grad f = ({g[0]:.3g}, {g[1]:.3g}): "
            raise cls.invalid("direction", d, problem + "give a d with grad f . d < 0, or None for -grad f")

    def first_trial(self, x: np.ndarray, d: np.ndarray) -> float:
        """``t0``, or (None, or chosen for another surface) the largest of 1, 2, 5 times a power
        of ten with :math:`x + t_0 d` on the map."""
        if self.t0 is not None and type(self).home_surface("t0") is None:
            return float(self.t0)
        domain = self.surface().domain
        reach = distance_to_edge(x, d, domain) / np.hypot(*d)
        if not reach > 0:  # on the edge, looking out: a tenth of the map
            reach = 0.1 * np.hypot(*np.ptp(np.asarray(domain, float), axis=1)) / np.hypot(*d)
        power = 10.0 ** np.floor(np.log10(reach))
        return float(max(m * power for m in (1, 2, 5) if m * power <= reach * (1 + 1e-12)))

    def construct(self) -> None:
        theme = self.theme
        surface = self.surface()
        domain = surface.domain
        self.x = x = self.fitted_points("start")
        gradient = surface.gradient(x)
        self.d = d = -gradient if self.direction is None else np.asarray(self.direction, float)
        self.slice_t0 = self.first_trial(x, d)
        self.search = armijo(surface, x, d, t0=self.slice_t0, shrink=self.shrink, c=self.c)
        self.search_color = theme.stroke(self.search_color, theme.accent)
        self.fixed_color = theme.stroke(self.fixed_color, theme.warning)
        self.line_color = theme.stroke(self.line_color, theme.palette[4])

        # Set up: the map, the formula, the point and the direction
        self.axes = map_axes(domain, theme.foreground)
        levels = map_levels(surface, self.n_levels, spacing="log")
        contours = ContourMap(self.axes, surface, levels, level_colors(levels, theme.colormap), domain=domain)
        title = self.label(f"f = {surface.latex}", font_size=26)
        title.scale_to_fit_width(min(title.width, 6.8 - PANEL_LEFT)).to_edge(UP, buff=0.3).set_x(PANEL_LEFT, LEFT)
        reach = distance_to_edge(x, d, domain) / np.hypot(*d)  # the slice's part on the map, and d
        a, b = to_scene(self.axes, np.array([x, x + min(self.slice_t0, reach) * d]))
        ray = DashedLine(a, b, color=theme.foreground, stroke_width=2)
        diagonal = np.hypot(*np.ptp(np.asarray(domain, float), axis=1))
        length = min(0.25 * self.slice_t0 * np.hypot(*d), 0.6 * reach * np.hypot(*d), 0.15 * diagonal)
        arrow = vector_arrows(self.axes, x, length * d / np.hypot(*d), theme.foreground, stroke_width=5)
        point = Dot(a, radius=0.08, color=theme.foreground).set_z_index(3)
        self.add(self.axes)
        self.play(FadeIn(contours), Write(title))
        self.play(FadeIn(point, scale=3), *(GrowArrow(r) for r in arrow), Create(ray))
        along = "minus the gradient" if self.direction is None else f"d = ({_pair(d)})"
        self.pause(f"On {surface_words(surface)}, from ({_pair(x)}) along {along}")

        # Show the slice phi(t) = f(x + t d), the tangent and the Armijo line
        self.panel, graphs = self.slice_panel(surface, title)
        d_tex = r"d = -\nabla f(x)" if self.direction is None else rf"d = ({_pair(d)})"
        entries = [
            (graphs[0], rf"\phi(t) = f(x + t d),\ {d_tex}"),
            (graphs[2], r"\phi(0) + t\, \phi'(0)"),
            (graphs[1], rf"\phi(0) + c\, t\, \phi'(0),\ c = {self.c:g}"),
        ]
        rows = (VGroup(_swatch(g), self.label(tex, font_size=22)).arrange(RIGHT, buff=0.15) for g, tex in entries)
        legend = VGroup(*rows)
        legend.arrange(DOWN, aligned_edge=LEFT, buff=0.1).next_to(self.panel, DOWN, buff=0.3).set_x(PANEL_LEFT, LEFT)
        self.play(FadeIn(self.panel), Create(graphs[0]), FadeIn(legend[0]))
        self.play(Create(graphs[2]), Create(graphs[1]), FadeIn(legend[1:]))
        self.pause(f"The slice phi(t) = f(x + t d), its tangent, and the Armijo line with c = {self.c:g}")

        # Show the trials halving until one falls under the Armijo line, mirrored on the map
        trials = VGroup(self.label(r"t:", font_size=24))
        self.trial_dots = VGroup()
        n = len(self.search.trials)
        for i, t in enumerate(self.search.trials):  # many trials: the first 4 and the last written out
            color = theme.positive if (t == self.search.t and self.search.accepted) else theme.negative
            with np.errstate(all="ignore"):
                phi = float(surface.value(x + t * d))
            on_slice = Dot(self.panel.c2p(t, phi), radius=0.07, color=color) if self.shown(phi) else VGroup()
            on_map = Dot(to_scene(self.axes, x + t * d), radius=0.07, color=color)
            on_map = on_map if inside(x + t * d, np.asarray(domain)) else VGroup()
            self.trial_dots.add(VGroup(on_slice.set_z_index(3), on_map.set_z_index(3)))
            words = []
            if i < 4 or i == n - 1 or i == 4:
                trials.add(self.label(f"{t:.4g}" if i < 4 or i == n - 1 else r"\dots", color, font_size=24))
                trials.arrange(RIGHT, buff=0.22).next_to(legend, DOWN, buff=0.25).set_x(PANEL_LEFT, LEFT)
                words = [FadeIn(fit_in_frame(trials)[-1]), *([FadeIn(trials[0])] if i == 0 else [])]
            run_time = max(0.2, self.trial_time * min(1.0, 6 / n))
            self.play(*(FadeIn(dot, scale=2) for dot in self.trial_dots[-1]), *words, run_time=run_time)
        self.pause(self.trial_words())

        # Show a whole descent with this search against a fixed learning rate
        descent_t0 = self.slice_t0 if self.direction is None else self.first_trial(x, -gradient)
        self.search_path, self.searches = armijo_descent(
            surface, x, descent_t0, shrink=self.shrink, c=self.c, steps=self.steps, tol=self.tol, domain=domain
        )
        self.rate = self.learning_rate or default_learning_rates(surface)[2]
        self.fixed_path = descend(surface, x, sgd(self.rate), steps=self.steps, tol=self.tol, domain=domain)
        tracker = ValueTracker(0)
        paths = (self.search_path, self.fixed_path)
        colors = (self.search_color, self.fixed_color)
        radii = (0.12, 0.08)  # the fixed rate's head on top: where both end, a ring and a dot
        self.trails = [
            Trail(to_scene(self.axes, p.points), tracker, c, dot_radius=r) for p, c, r in zip(paths, colors, radii)
        ]
        self.tallies = [
            StepTally(rf"\text{{line search, }} t_0 = {descent_t0:.4g}", tracker, theme, self.search_color),
            StepTally(rf"\text{{fixed rate, }} \eta = {self.rate:.4g}", tracker, theme, self.fixed_color),
        ]
        for tally, p in zip(self.tallies, paths):  # each count stops where its path stopped
            tally.count.clear_updaters()
            tally.count.add_updater(lambda m, p=p: m.set_value(min(int(tracker.get_value()), p.n_steps)))
        VGroup(*self.tallies).arrange(DOWN, aligned_edge=LEFT, buff=0.2).move_to(legend, aligned_edge=UP + LEFT)
        self.loss_paths = list(paths)
        self.loss_curves = LossCurves(
            paths, tracker, colors, theme.foreground, surface=surface,
            width=6.8 - PANEL_LEFT - 0.75, height=self.loss_height, font_size=18,
        )
        self.loss_curves.next_to(self.tallies[0], UP, buff=0.3).set_x(6.8, RIGHT)
        slice_part = VGroup(self.panel, graphs, self.trial_dots[-1][0])  # the slice's panel gives way
        self.play(FadeOut(legend, trials, ray, arrow, self.trial_dots[:-1], slice_part), FadeIn(*self.tallies))
        self.play(*(FadeIn(t.dot, scale=2) for t in self.trails), FadeIn(self.loss_curves))
        self.add(*self.trails)
        longest = max(p.n_steps for p in paths)
        self.play(tracker.animate.set_value(longest), run_time=self.descent_time, rate_func=linear)
        self.outcomes = [describe(surface, p).text for p in paths]
        if self.searches and not self.searches[-1].accepted:  # stopped: no trial went down enough
            self.outcomes[0] = "no trial lowered f enough"
        evaluations = sum(len(s.trials) for s in self.searches)
        self.play(
            FadeIn(self.tallies[0].finish(f" ({_count(evaluations, 'trial')}), {self.outcomes[0]}")),
            FadeIn(self.tallies[1].finish(f", {self.outcomes[1]}")),
        )
        self.wait(2)
        self.caption(self.closing_words(evaluations))

    def trial_words(self) -> str:
        """The subtitle of the trials: the step lengths tried and the one accepted."""
        trials = self.search.trials
        tried = ", ".join(f"{t:.4g}" for t in trials[:4]) + (", ..." if len(trials) > 4 else "")
        if not self.search.accepted:
            return f"Trials t = {tried}: none falls under the Armijo line"
        return f"Trials t = {tried}: t = {self.search.t:.4g} is the first under the Armijo line"

    def closing_words(self, evaluations: int) -> str:
        """The closing subtitle: each descent's steps and how it ended."""
        search, fixed = (p.n_steps for p in (self.search_path, self.fixed_path))
        words = f"Line search: {_count(search, 'step')} ({_count(evaluations, 'trial')}), {self.outcomes[0]}; "
        words += f"fixed rate {self.rate:.3g}: {_count(fixed, 'step')}, {self.outcomes[1]}"
        return words if len(words) <= 120 else words.replace(f" ({_count(evaluations, 'trial')})", "")

    def slice_panel(self, surface: Surface, above) -> tuple[Axes, VGroup]:
        r"""Axes for :math:`\phi` on :math:`[0, t_0]` under ``above``, and ``VGroup(slice,
        Armijo line, tangent)`` on them, each cut to the panel (the slice where it is finite)."""
        theme, t0 = self.theme, self.slice_t0
        ts = np.linspace(0, t0, 301)
        with np.errstate(all="ignore"):
            phi = np.asarray(surface.value(self.x + ts[:, None] * self.d), dtype=float)
        slope = float(surface.gradient(self.x) @ self.d)
        armijo_line = phi[0] + self.c * slope * ts
        low, high = finite_range(np.concatenate([phi, armijo_line]))
        high = high if high > low else low + 1.0
        self.limits = (low - 0.05 * (high - low), high + 0.05 * (high - low))
        axes = framed_axes((0.0, t0), self.limits, 4.2, 2.4, theme.foreground, ("t", r"\phi(t)"))
        axes.next_to(above, DOWN, buff=0.4).set_x(6.8, RIGHT)
        curves = [(phi, theme.foreground), (armijo_line, self.line_color), (phi[0] + slope * ts, theme.muted)]
        graphs = VGroup(*(self.polyline(axes, ts, values, color) for values, color in curves))
        graphs[2] = DashedVMobject(graphs[2], num_dashes=30) if graphs[2].has_points() else graphs[2]
        return axes, graphs

    def shown(self, value: float) -> bool:
        """Whether a value of :math:`\\phi` lies within the panel's range."""
        return bool(np.isfinite(value) and self.limits[0] <= value <= self.limits[1])

    def polyline(self, axes: Axes, ts: np.ndarray, values: np.ndarray, color) -> VMobject:
        """The curve :math:`(t, v(t))` on ``axes``, broken where it is not finite or leaves the panel."""
        curve = VMobject(stroke_color=color, stroke_width=3)
        keep = np.isfinite(values) & (values >= self.limits[0]) & (values <= self.limits[1])
        for piece in np.split(np.arange(len(ts)), np.nonzero(np.diff(keep.astype(int)))[0] + 1):
            if keep[piece[0]] and len(piece) > 1:
                corners = [axes.c2p(ts[i], values[i]) for i in piece]
                curve.append_points(VMobject().set_points_as_corners(corners).points)
        return curve


def _downhill(gradient: np.ndarray, direction) -> bool:
    """Whether ``direction`` is a finite 2-vector with :math:`\nabla f^T d < 0`."""
    try:
        d = np.asarray(direction, dtype=float)
    except (TypeError, ValueError):
        return False
    return bool(d.shape == (2,) and np.all(np.isfinite(d)) and gradient @ d < 0)


def _swatch(graph: VMobject) -> Line:
    """A short line in ``graph``'s stroke color (dashed for a dashed graph), for a legend."""
    kind = DashedLine if isinstance(graph, DashedVMobject) else Line
    return kind(ORIGIN, 0.45 * RIGHT, color=graph.get_stroke_color(), stroke_width=3)


def _count(n: int, word: str) -> str:
    """``"1 trial"``, ``"50 trials"``."""
    return f"{n} {word}" + "s" * (n != 1)


def _pair(p: np.ndarray) -> str:
    return ", ".join(f"{round(float(c), 2) + 0.0:g}" for c in p)
