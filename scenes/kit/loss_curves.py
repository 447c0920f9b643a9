r"""Loss curves: :math:`f(x_k) - f^*` against the step :math:`k` on a log scale, one curve per path.

A descent's progress reads best as the gap to the minimum on a log scale: linear convergence
is a straight line down, a plateau is a stall, a noise ball is a floor. :class:`LossCurves` is
that panel, drawn in step with the paths on the map: it follows the same ``ValueTracker`` as
the paths' :class:`~scenes.kit.Trail`\ s, and a frame only sets each curve's points from its
precomputed ones (through the axes' affine map, so that the panel moves like any mobject); the
axes are built once.

.. math:: y_k = \log_{10} \max\bigl(f(x_k) - f^*,\ \varepsilon\bigr)

with :math:`f^*` the surface's known minimum (:func:`reference_value`) and the floor
:math:`\varepsilon` (:func:`log_gaps`): a gap of 0, or one below what double precision can tell
from :math:`f^*`, is drawn on the floor and the panel says so. A run that diverged or left
the map ends where it stopped, with a cross; one that climbs more than ``max_decades`` above
the lowest gap is drawn along the top edge.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from manim import DOWN, LEFT, UP, Axes, Dot, Line, ManimColor, MathTex, ValueTracker, VGroup, VMobject

from scenes.kit.axes import nice_step, to_scene
from scenes.kit.labels import typeset_each
from scenes.kit.marks import center_at, cross_marker
from scenes.kit.numbers import Readout

__all__ = ["FLOOR", "LossCurves", "known_minimum", "log_gaps", "reference_value"]

FLOOR = 1e-16
r"""Smallest gap :math:`f(x_k) - f^*` drawn; smaller ones (0 included) are drawn at the floor."""


def known_minimum(surface: Any) -> float | None:
    """The lowest minimum value the surface knows: its ``minimum`` (a number, as
    :class:`~gradcore.leastsquares.LeastSquares` has) or the lowest of its ``critical_points``
    of kind ``"minimum"``; None when it knows none."""
    values = [c.value for c in getattr(surface, "critical_points", ()) if c.kind == "minimum"]
    own = getattr(surface, "minimum", None)
    if isinstance(own, (int, float, np.floating)) and not isinstance(own, bool):
        values.append(float(own))
    values = [v for v in values if np.isfinite(v)]
    return min(values) if values else None


def reference_value(surface: Any, values: Sequence[np.ndarray]) -> tuple[float, bool]:
    r"""The :math:`f^*` of the curves and whether it is a known minimum.

    The surface's :func:`known_minimum` when it has one and no path went below it (beyond
    rounding); otherwise the lowest finite value any path reached (a surface with no known
    minimum, or unbounded below): then that path's last gap is 0.
    """
    reached = [np.asarray(v, dtype=float) for v in values]
    finite = [v[np.isfinite(v)] for v in reached]
    lowest = min((float(v.min()) for v in finite if v.size), default=0.0)
    known = None if surface is None else known_minimum(surface)
    if known is not None and lowest >= known - 1e-9 * max(1.0, abs(known)):
        return known, True
    return lowest, False


def log_gaps(values: np.ndarray, f_star: float, floor: float = FLOOR) -> tuple[np.ndarray, np.ndarray]:
    r""":math:`\log_{10} \max(f - f^*, \varepsilon)` of ``values`` and where the floor was taken.

    :math:`\varepsilon` is ``floor`` or, when larger, :math:`4\,\epsilon_{mach} |f^*|` (below
    that, :math:`f - f^*` is rounding, not progress), rounded up to a whole decade.
    """
    floor = 10.0 ** np.ceil(np.log10(max(floor, 4 * np.finfo(float).eps * abs(f_star))) - 1e-9)
    gaps = np.asarray(values, dtype=float) - f_star
    clipped = ~(gaps > floor)
    return np.log10(np.where(clipped, floor, gaps)), clipped


class LossCurves(VGroup):
    r"""A panel of :math:`f(x_k) - f^*` against :math:`k`, log scale, one curve per path.

    Parameters
    ----------
    paths : sequence of Trajectory
        Single-start trajectories of :func:`~gradcore.descend` (their ``values``,
        ``n_steps``, ``status``). A curve ends at its path's last step: a path that diverged
        or left the map ends there, with a cross once the tracker gets there.
    tracker : ValueTracker or sequence of ValueTracker
        The step shown, shared with the paths' :class:`~scenes.kit.Trail`\ s; or one tracker
        per path, when the paths are at different steps at one time (steps of different
        lengths in step with one clock, :math:`k = t / h`).
    colors : sequence of colors
        One per path.
    ink : color
        Frame, ticks and text.
    surface : Surface, optional
        Where :math:`f^*` comes from (:func:`reference_value`); ``f_star`` overrides it.
    f_star : float, optional
    floor : float
        Smallest gap drawn (:func:`log_gaps`).
    width, height : float
        Size of the plot box, in scene units.

    Attributes
    ----------
    axes : Axes
        Maps :math:`(k, \log_{10}(f - f^*))` to the scene.
    curves : VGroup
        One polyline per path, drawn up to the tracker's step (:meth:`scene_points`: all of it).
    heads : VGroup
        A dot at the end of each drawn curve.
    ends : VGroup
        Crosses where paths that diverged or left the map stopped.
    logs : list of ndarray
        :math:`\log_{10}` of the gaps drawn (before clipping to the plot's top).
    f_star : float
    f_star_known : bool
    clipped : bool
        Whether some gap lay under the floor.
    """

    def __init__(
        self,
        paths: Sequence[Any],
        tracker: ValueTracker | Sequence[ValueTracker],
        colors: Sequence[ManimColor | str],
        ink: ManimColor | str,
        *,
        surface: Any = None,
        f_star: float | None = None,
        floor: float = FLOOR,
        width: float = 5.0,
        height: float = 2.6,
        font_size: float = 20,
        stroke_width: float = 2.5,
        max_decades: float = 20,
    ) -> None:
        super().__init__()
        values = [np.asarray(p.values, dtype=float)[: int(p.n_steps) + 1] for p in paths]
        if f_star is None:
            self.f_star, self.f_star_known = reference_value(surface, values)
        else:
            self.f_star, self.f_star_known = float(f_star), True
        gaps = [log_gaps(v, self.f_star, floor) for v in values]
        self.logs = [g for g, _ in gaps]
        self.clipped = any(c.any() for _, c in gaps)
        low, high = self._range(max_decades)
        n = max(1, max(len(v) - 1 for v in values))
        self.axes = Axes(
            x_range=[0, n, nice_step(n)],
            y_range=[low, high, 1],
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={"stroke_opacity": 0, "include_ticks": False},
        )
        self.add(self.axes, self._frame(n, low, high, ink, font_size))
        self.trackers = list(tracker) if isinstance(tracker, Sequence) else [tracker] * len(paths)
        if len(self.trackers) != len(paths):
            raise ValueError(f"LossCurves: {len(self.trackers)} trackers for {len(paths)} paths; give one, or one per path")
        self.data = [np.stack([np.arange(len(g), dtype=float), np.clip(g, low, high)], axis=-1) for g in self.logs]
        self.curves = VGroup(*(VMobject(stroke_color=c, stroke_width=stroke_width) for c in colors))
        self.heads = VGroup(*(Dot(radius=0.045, color=c) for c in colors))
        self.ends = VGroup()
        for i, (path, color) in enumerate(zip(paths, colors)):
            if str(path.status) in ("diverged", "left_domain"):
                self.ends.add(self._end_mark(i, color))
        self.add(self.curves, self.heads, self.ends)
        self.add_updater(lambda panel: panel.follow())
        self.follow()

    def scene_points(self, i: int) -> np.ndarray:
        """The scene points ``(n_steps + 1, 3)`` of curve ``i``, where the panel is now."""
        return to_scene(self.axes, self.data[i])

    def follow(self) -> None:
        """Draw each curve up to its tracker's step (linear between steps, held at its end)."""
        steps = [float(tracker.get_value()) for tracker in self.trackers]
        origin, ex, ey = to_scene(self.axes, np.array([(0.0, 0.0), (1.0, 0.0), (0.0, 1.0)]))
        ex, ey = ex - origin, ey - origin
        for data, curve, head, t in zip(self.data, self.curves, self.heads, steps):
            s = min(max(t, 0.0), len(data) - 1)
            i = min(int(s), max(len(data) - 2, 0))
            here = data[i] + (s - i) * (data[min(i + 1, len(data) - 1)] - data[i])
            shown = np.vstack([data[: int(s) + 1], here])
            points = origin + shown[:, :1] * ex + shown[:, 1:] * ey
            curve.set_points_as_corners(points)
            center_at(head, points[-1])
        for mark in self.ends:
            mark.set_stroke(opacity=1.0 if steps[mark.curve] >= mark.step else 0.0)

    def _range(self, max_decades: float) -> tuple[int, int]:
        """Whole decades from the lowest gap to the highest (at most ``max_decades`` of them,
        counted from the highest first value: a diverging path runs off the top)."""
        low = int(np.floor(min(float(np.min(g)) for g in self.logs)))
        high = int(np.ceil(max(float(np.max(g)) for g in self.logs)))
        start = int(np.ceil(max(float(g[0]) for g in self.logs)))
        high = min(high, max(start, low + 1) + 2) if high - low > max_decades else high
        return low, max(high, low + 1)

    def _frame(self, n: int, low: int, high: int, ink: ManimColor | str, font_size: float) -> VGroup:
        """The plot box with ticks and numbers outside it, :math:`10^e` on the y axis, names."""
        axes, tick = self.axes, 0.07
        corners = to_scene(axes, np.array([(0, low), (n, low), (n, high), (0, high)], dtype=float))
        box = VMobject(stroke_color=ink, stroke_width=1.5).set_points_as_corners([*corners, corners[0]])
        numbers = VGroup()
        for k in np.arange(0, n + 1, max(1.0, nice_step(n))):
            bottom = axes.c2p(k, low)
            box.add(Line(bottom, bottom + tick * DOWN, stroke_color=ink, stroke_width=1.5))
            label = Readout(k, num_decimal_places=0, font_size=font_size, color=ink)
            numbers.add(label.next_to(bottom + tick * DOWN, DOWN, buff=0.05))
        every = max(1, int(np.ceil((high - low) / 5)))
        decades = range(high, low - 1, -every)
        powers = typeset_each([f"10^{{{e}}}" for e in decades], font_size)  # one LaTeX run
        for e in decades:
            left = axes.c2p(0, e)
            box.add(Line(left, left + tick * LEFT, stroke_color=ink, stroke_width=1.5))
            numbers.add(powers[f"10^{{{e}}}"].copy().set_color(ink).next_to(left + tick * LEFT, LEFT, 0.05))
        k_name = MathTex("k", font_size=font_size * 1.2, color=ink).next_to(numbers, DOWN, buff=0.05)
        k_name.set_x(axes.c2p(n / 2, low)[0])
        star = _number_tex(self.f_star) if self.f_star_known else r"\text{lowest } f \text{ reached}"
        parts = [r"f(x_k) - f^*", rf"\quad f^* = {star}"]
        if self.clipped:  # gaps under the floor, 0 among them
            parts.append(rf"\quad \text{{(below }} 10^{{{low}}} \text{{: drawn at }} 10^{{{low}}})")
        title = MathTex(*parts, font_size=font_size * 1.2, color=ink)
        title.scale_to_fit_width(min(title.width, corners[1][0] - corners[0][0]))
        title.next_to(corners[3], UP, buff=0.12, aligned_edge=LEFT)
        return VGroup(box, numbers, k_name, title)

    def _end_mark(self, i: int, color: ManimColor | str) -> VGroup:
        """A cross where stopped path ``i``'s curve ends, shown once the tracker gets there."""
        mark = cross_marker(self.scene_points(i)[-1], color, size=0.08, stroke_width=3.5)
        mark.curve, mark.step = i, len(self.data[i]) - 1
        return mark


def _number_tex(value: float) -> str:
    """LaTeX of ``value`` to 3 significant digits, :math:`2.5 \\cdot 10^{-7}` rather than ``2.5e-07``."""
    mantissa, _, exponent = f"{value:.3g}".partition("e")
    return mantissa + (rf" \cdot 10^{{{int(exponent)}}}" if exponent else "")
