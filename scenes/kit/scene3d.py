"""Scenes of the fast 3-D path, and the one switch between it and stock Manim's.

Use :class:`FastThreeDScene` instead of ``ThreeDScene`` (or :class:`GradThreeDScene` for a
scene of the collection) and :class:`~scenes.kit.surface3d.FastSurface` instead of
``Surface``; the rest of a 3-D scene stays as it is. To render with stock Manim's per-face path
instead (to compare, or should the fast path ever misdraw something), set the environment
variable ``GRADSCENES_STOCK_3D=1``. :func:`three_d_mode` is the one place that reads it: the
scene takes its camera from the mode, and :func:`~scenes.kit.graph3d.shaded_surface` and
:func:`~scenes.kit.graph3d.surface_levels` their mobjects.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
from manim import DL, UR, Mobject, Surface, ThreeDCamera, ThreeDScene, ValueTracker, VGroup, config
from manim.utils.family import extract_mobject_family_members

from scenes.kit.camera3d import STOCK_3D_VARIABLE, FastThreeDCamera, StockThreeDCamera
from scenes.kit.encoding import kit_renderer
from scenes.kit.scene import GradScene
from scenes.kit.surface3d import FastSurface, SurfaceLine

if TYPE_CHECKING:
    from manim.animation.animation import Animation

__all__ = ["FastThreeDScene", "GradThreeDScene", "ThreeDMode", "stock_3d", "three_d_mode"]


def stock_3d() -> bool:
    """Whether ``GRADSCENES_STOCK_3D`` asks for stock Manim's 3-D path (``1``) or not (unset,
    empty or ``0``)."""
    value = os.environ.get(STOCK_3D_VARIABLE, "").strip()
    if value not in ("", "0", "1"):
        raise ValueError(
            f"{STOCK_3D_VARIABLE}={value!r} is not understood; set it to 1 for stock Manim's "
            "3-D path, or to 0 (or unset it) for the fast path"
        )
    return value == "1"


@dataclass(frozen=True)
class ThreeDMode:
    """How 3-D scenes are drawn: the fast path (``stock=False``) or stock Manim's (``stock=True``).

    Everything that differs between the two is here: the camera, and whether surfaces and the
    lines on them are stock mobjects.
    """

    stock: bool

    @property
    def camera_class(self) -> type[ThreeDCamera]:
        """:class:`~scenes.kit.camera3d.StockThreeDCamera` or :class:`~scenes.kit.camera3d.FastThreeDCamera`."""
        return StockThreeDCamera if self.stock else FastThreeDCamera

    def surface(self, surface: FastSurface) -> FastSurface | Surface:
        """``surface`` as this mode draws it (Manim's ``Surface`` on the stock path)."""
        return surface.to_stock() if self.stock else surface

    def line(self, line: SurfaceLine) -> SurfaceLine | VGroup:
        """``line`` as this mode draws it (separate pieces on the stock path)."""
        return line.to_stock() if self.stock else line


def three_d_mode() -> ThreeDMode:
    """The mode ``GRADSCENES_STOCK_3D`` asks for (see :func:`stock_3d`): the only reader of the
    variable."""
    return ThreeDMode(stock=stock_3d())


class FastThreeDScene(ThreeDScene):
    """A ``ThreeDScene`` whose camera is :class:`FastThreeDCamera`.

    When anything 3-D moves, the whole scene is redrawn each frame (stock Manim would paint
    the moving mobjects over a still image of the rest, putting a moving ball in front of every
    face of a still surface); with fast surfaces that costs little. With
    ``GRADSCENES_STOCK_3D=1`` (see :func:`three_d_mode`) the scene is a stock ``ThreeDScene``.
    """

    def __init__(self, camera_class: type[ThreeDCamera] | None = None, **kwargs: Any):
        mode = three_d_mode()
        camera_class = camera_class or mode.camera_class
        if kwargs.get("renderer") is None and not mode.stock:  # stock: Manim's own encoder too
            kwargs["renderer"] = kit_renderer(camera_class, kwargs.get("skip_animations", False))
        super().__init__(camera_class=camera_class, **kwargs)

    def begin_ambient_camera_rotation(self, rate: float = 0.02, about: str = "theta") -> None:
        """Turn the camera's ``about`` angle (``"theta"``, ``"phi"`` or ``"gamma"``) at ``rate``
        radians per second, as stock does, but set from the scene's clock, angle(t) =
        angle(t0) + rate * (t - t0), instead of summed frame steps: a render of some animations
        only (``manim -n``, split rendering) sees the same angle at every frame as the whole
        render. Stop it with ``stop_ambient_camera_rotation``.
        """
        trackers = {"theta": self.camera.theta_tracker, "phi": self.camera.phi_tracker,
                    "gamma": self.camera.gamma_tracker}  # fmt: skip
        if about.lower() not in trackers:
            raise ValueError(f"about must be 'theta', 'phi' or 'gamma', got {about!r}")
        tracker = trackers[about.lower()]
        start_value, start_time = tracker.get_value(), self.time

        def turn(tracker: ValueTracker, dt: float) -> None:  # dt: a time-based updater, so
            tracker.set_value(start_value + rate * (self.time - start_time))  # waits are not frozen

        tracker.add_updater(turn)
        self.add(tracker)

    def fit_camera(
        self,
        *mobjects: Mobject,
        views: Sequence[tuple[float, float]],
        avoid: Sequence[Mobject] = (),
        margin: float = 0.2,
        buff: float = 0.1,
        largest: float = 1.5,
    ) -> float:
        """Turn the camera to the first of ``views``, zoomed in as far as ``mobjects`` allow.

        The zoom is the largest (up to ``largest``) at which, seen from every ``(phi, theta)``
        of ``views`` (those the camera will move through), every point of ``mobjects`` stays
        ``margin`` inside the frame and ``buff`` clear of the boxes of the fixed-in-frame
        mobjects ``avoid`` (titles, legends, a color bar). Straight pieces between points are
        checked at 4 points each. The camera may look a little up or down the z axis (its
        frame center moves along it, which keeps turning about z) where that allows a larger
        zoom. Returns the zoom.
        """
        camera = self.renderer.camera
        points = np.unique(np.concatenate([_outline(mob) for mob in mobjects]), axis=0)  # faces share corners
        half = np.array([config.frame_width, config.frame_height]) / 2 - margin
        boxes = [(mob.get_corner(DL)[:2] - buff, mob.get_corner(UR)[:2] + buff) for mob in avoid]

        def fits(seen: np.ndarray, zoom: float) -> bool:
            x, y = zoom * seen[:, 0], zoom * seen[:, 1]
            if np.any(np.abs(x) > half[0]) or np.any(np.abs(y) > half[1]):
                return False
            return not any(np.any((low[0] <= x) & (x <= high[0]) & (low[1] <= y) & (y <= high[1])) for low, high in boxes)

        zooms = np.geomspace(largest, largest / 8, 64)
        best = (zooms[-1], 0.0)
        for height in sorted(np.linspace(-2, 2, 9), key=abs):  # frame centers up the z axis
            seen = []
            for phi, theta in views:
                camera.set_phi(phi)
                camera.set_theta(theta)
                camera.set_zoom(1.0)
                camera.reset_rotation_matrix()
                seen.append(camera.project_points(points - [0, 0, height])[:, :2])
            seen = np.concatenate(seen)
            within = np.min(half / np.maximum(np.abs(seen).max(axis=0), 1e-12))  # no larger zoom keeps all in the frame
            blocked = np.zeros(len(zooms), dtype=bool)  # surely puts a point in a box (checked exactly below)
            for low, high in boxes:
                start, stop = _zooms_into_box(seen, low, high)
                start, stop = start * (1 + 1e-9), stop * (1 - 1e-9)
                into = (start < stop) & (start < zooms[0]) & (stop > zooms[-1])
                blocked |= np.any((start[into, None] < zooms) & (zooms < stop[into, None]), axis=0)
            candidates = (z for z, b in zip(zooms, blocked) if best[0] < z <= within * (1 + 1e-9) and not b)
            zoom = next((z for z in candidates if fits(seen, z)), None)
            if zoom is not None:
                best = (zoom, height)
        zoom, height = float(best[0]), float(best[1])
        self.set_camera_orientation(phi=views[0][0], theta=views[0][1], zoom=zoom, frame_center=[0, 0, height])
        return zoom

    def get_moving_mobjects(self, *animations: Animation) -> list[Mobject]:
        moving = super().get_moving_mobjects(*animations)
        if not isinstance(self.renderer.camera, FastThreeDCamera):
            return moving
        family = extract_mobject_family_members(moving)
        return self.mobjects if any(getattr(m, "shade_in_3d", False) for m in family) else moving


def _zooms_into_box(points: np.ndarray, low: np.ndarray, high: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each point :math:`p` of ``points`` (n, 2), the zooms :math:`z > 0` that put :math:`z p`
    in the box ``[low, high]``: the interval ``[start, stop]`` (n,), empty where start > stop."""
    ends = []
    for k in range(2):  # x, then y: the zooms that put that coordinate in the box's range
        p = points[:, k]
        with np.errstate(divide="ignore", invalid="ignore"):
            at_low, at_high = low[k] / p, high[k] / p
        start, stop = np.minimum(at_low, at_high), np.maximum(at_low, at_high)  # p < 0 swaps them
        zero = p == 0  # stays in the box's range at any zoom, or at none
        if zero.any():
            through = low[k] <= 0 <= high[k]
            start[zero], stop[zero] = (-np.inf, np.inf) if through else (np.inf, -np.inf)
        ends.append((start, stop))
    (x_start, x_stop), (y_start, y_stop) = ends
    return np.maximum(x_start, y_start), np.minimum(x_stop, y_stop)


def _outline(mob: Mobject) -> np.ndarray:
    """Points ``(n, 3)`` of ``mob``'s family: a fast surface's vertices, every other
    mobject's points with 3 more on each straight piece between consecutive ones."""
    parts = []
    for member in mob.family_members_with_points():
        points = member.points
        if not isinstance(member, FastSurface) and len(points) > 1:
            steps = np.linspace(0, 1, 4, endpoint=False)[:, None, None]
            points = np.concatenate([(points[:-1] + steps * (points[1:] - points[:-1])).reshape(-1, 3), points[-1:]])
        parts.append(points)
    return np.concatenate(parts) if parts else np.zeros((0, 3))


class GradThreeDScene(GradScene, FastThreeDScene):
    """Base class of the collection's 3-D scenes: :class:`~scenes.kit.scene.GradScene`'s theme,
    surface and checks on a :class:`FastThreeDScene`."""
