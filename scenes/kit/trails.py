"""Paths that are data, drawn as they are walked: :class:`Trail` on a map, :class:`BallTrail` on a
graph, and :func:`step_arrows` along a discrete path.

Nothing is integrated per frame: the points come precomputed from gradcore, and a
``ValueTracker`` says how far along them the walk is.
"""

from __future__ import annotations

import numpy as np
from manim import Axes, Dot, Dot3D, ManimColor, ThreeDAxes, ValueTracker, VGroup, VMobject

from gradcore.surface import Surface
from scenes.kit.fields import vector_arrows
from scenes.kit.graph3d import surface_points
from scenes.kit.marks import center_at

__all__ = ["BallTrail", "Trail", "step_arrows"]


class Trail(VGroup):
    """A dot that walks along precomputed scene ``points`` ``(n, 3)``, drawing its path behind it.

    The position is ``tracker``'s value in steps (2.5 is halfway between ``points[2]`` and
    ``points[3]``); animate the tracker, e.g. ``tracker.animate.set_value(10)``. Several
    trails may share one tracker.

    Examples
    --------
    .. manim:: AdamOnRosenbrock

        from gradcore.descent import descend
        from gradcore.optimizers import adam
        from scenes.kit import GradScene, Trail, map_axes, to_scene

        class AdamOnRosenbrock(GradScene):
            surface_name = "rosenbrock"

            def construct(self):
                surface = self.surface()
                path = descend(surface, (-1.5, 2.0), adam(0.1), steps=500)
                axes = map_axes(surface.domain, self.theme.foreground)
                step = ValueTracker(0)
                self.add(axes, Trail(to_scene(axes, path.points), step, RED))
                self.play(step.animate.set_value(path.n_steps), run_time=4, rate_func=linear)
    """

    def __init__(
        self,
        points: np.ndarray,
        tracker: ValueTracker,
        color: ManimColor | str,
        *,
        stroke_width: float = 3.0,
        dot_radius: float = 0.07,
    ) -> None:
        super().__init__()
        self.path_points = np.asarray(points, dtype=float)
        self.tracker = tracker
        self.line = VMobject(stroke_color=color, stroke_width=stroke_width)
        self.dot = Dot(self.path_points[0], radius=dot_radius, color=color)
        self.add(self.line, self.dot)
        self.add_updater(lambda trail: trail.follow())
        self.follow()

    def position(self, t: float) -> np.ndarray:
        """The scene point at step ``t`` (linear between steps, held at the ends)."""
        return _along(self.path_points, float(np.clip(t, 0, len(self.path_points) - 1)))

    def follow(self) -> None:
        """Move the dot to the tracker's step and redraw the path up to it."""
        t = float(np.clip(self.tracker.get_value(), 0, len(self.path_points) - 1))
        here = self.position(t)
        self.line.set_points_as_corners(np.vstack([self.path_points[: int(t) + 1], here]))
        center_at(self.dot, here)


class BallTrail(VGroup):
    """A ball rolling on a graph along precomputed input points ``(n, 2)``, its path drawn on the graph.

    The ball (a ``Dot3D`` of ``radius``) has its center ``radius`` along the normal above the
    graph, so it touches the graph without sinking in; the trail is drawn ``trail_lift`` above
    it. ``tracker``'s value is the sample index (2.5: halfway between samples 2 and 3).
    """

    def __init__(
        self,
        axes: ThreeDAxes,
        surface: Surface,
        points: np.ndarray,
        tracker: ValueTracker,
        color: ManimColor | str,
        *,
        radius: float = 0.12,
        stroke_width: float = 3.0,
        trail_lift: float = 0.02,
    ) -> None:
        super().__init__()
        self.input_points = np.asarray(points, dtype=float)
        self.centers = surface_points(axes, surface, self.input_points, radius)
        self.trail_points = surface_points(axes, surface, self.input_points, trail_lift)
        self.tracker = tracker
        self.line = VMobject(stroke_color=color, stroke_width=stroke_width)
        self.ball = Dot3D(self.centers[0], radius=radius, color=color, resolution=(8, 8))
        self.add(self.line, self.ball)
        self.add_updater(lambda trail: trail.follow())
        self.follow()

    def _index(self) -> float:
        return float(np.clip(self.tracker.get_value(), 0, len(self.centers) - 1))

    def input_point(self) -> np.ndarray:
        """The input point ``(2,)`` at the tracker's index (linear between samples)."""
        return _along(self.input_points, self._index())

    def follow(self) -> None:
        """Move the ball to the tracker's index and redraw the trail up to it."""
        t = self._index()
        self.line.set_points_as_corners(np.vstack([self.trail_points[: int(t) + 1], _along(self.trail_points, t)]))
        center_at(self.ball, _along(self.centers, t))


def _along(points: np.ndarray, t: float) -> np.ndarray:
    """``points`` at fractional index ``t`` in ``[0, len(points) - 1]`` (linear between samples)."""
    i = min(int(t), max(len(points) - 2, 0))
    return points[i] + (t - i) * (points[min(i + 1, len(points) - 1)] - points[i])


def step_arrows(
    axes: Axes,
    points: np.ndarray,
    color: ManimColor | str,
    *,
    shrink: float = 0.8,
    stroke_width: float = 3.0,
) -> VGroup:
    """Arrows from each point of a discrete path ``(n, 2)`` towards the next, ``shrink`` of the way."""
    points = np.asarray(points, dtype=float)
    steps = np.diff(points, axis=0)
    return vector_arrows(axes, points[:-1], shrink * steps, color, stroke_width=stroke_width, tip_ratio=0.4)
