"""What a 3-D camera works out once a frame, in bulk, for the mobjects stock Manim draws.

Stock ``ThreeDCamera`` draws each mobject that is not a surface (an axis piece, an arrow, a
trail, a dot) on its own: a ``project_points`` call for its points, another numpy call to split
them into subpaths, and its light shading worked out again, about 150 us a mobject, most of the
cost of a turning scene's axes and arrows. :class:`FrameProjection` projects the points of all
of them in one call and finds all their subpaths at once; :class:`ShadingCache` keeps each
mobject's shaded colors while what they are computed from stays the same. The paths and
colors are the ones stock code makes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import cairo
import numpy as np
from manim import VMobject

from scenes.kit.paths import add_subpaths, straight_curves, subpath_bounds

__all__ = ["FrameProjection", "ShadingCache"]



class FrameProjection:
    """The projected points and subpaths of many mobjects, worked out together for one frame.

    A mobject's path is kept with the very array of points it was projected from: a mobject
    whose points were replaced since, or that is not among them, gets ``None`` and is drawn by
    stock code.
    """

    def __init__(self) -> None:
        self._kept: dict[int, tuple[np.ndarray, np.ndarray, list[float], list[bool], list[tuple[int, int, bool]], np.ndarray]] = {}

    def update(self, vmobjects: list[VMobject], project: Callable[[np.ndarray], np.ndarray]) -> None:
        """Project the points of ``vmobjects`` with ``project`` (n, 3) -> (n, 3), in one call.

        Only mobjects made of whole cubic curves (4 points each) with finite points are taken;
        a subpath ends where a curve's last point is not at the next one's first (2-D, with the
        tolerance of ``np.isclose`` and the mobject's ``tolerance_for_point_equality``), and is
        closed where its first and last points are at one place, as in stock Manim.
        """
        self._kept = {}
        mobjects = [m for m in vmobjects if len(m.points) and len(m.points) % 4 == 0]
        if not mobjects:
            return
        lengths = np.array([len(m.points) for m in mobjects])
        offsets = np.concatenate([[0], np.cumsum(lengths)])
        points = np.concatenate([m.points for m in mobjects])
        finite = np.logical_and.reduceat(np.isfinite(points).all(axis=1), offsets[:-1])
        projected = project(points)
        xy = projected[:, :2]
        atol = np.repeat([m.tolerance_for_point_equality for m in mobjects], lengths)

        # Subpaths start at each mobject's first point and where a curve does not go on from the last
        sub_starts, sub_ends, closed = subpath_bounds(xy, atol, offsets[:-1])
        straight = straight_curves(xy).tolist()
        boxes = np.concatenate([np.minimum.reduceat(xy, offsets[:-1]), np.maximum.reduceat(xy, offsets[:-1])], axis=1)
        bounds = np.append(np.searchsorted(sub_starts, offsets[:-1]), len(sub_starts)).tolist()
        rows = list(zip(sub_starts.tolist(), sub_ends.tolist(), closed.tolist()))
        for k, mob in enumerate(mobjects):
            if not finite[k]:
                continue
            o = int(offsets[k])
            subpaths = [(start - o, end - o, shut) for start, end, shut in rows[bounds[k] : bounds[k + 1]]]
            mine = projected[o : o + lengths[k]]
            curves = straight[o // 4 : (o + lengths[k]) // 4]
            self._kept[id(mob)] = (mob.points, mine, mine[:, :2].ravel().tolist(), curves, subpaths, boxes[k])

    def clear(self) -> None:
        """Forget this frame's projections (a mobject's points may change in place after it)."""
        self._kept = {}

    def points(self, vmobject: VMobject, points: np.ndarray) -> np.ndarray | None:
        """The projection of ``points`` if they are ``vmobject``'s points projected this frame."""
        kept = self._kept.get(id(vmobject))
        return kept[1] if kept is not None and kept[0] is points else None

    def box(self, vmobject: VMobject) -> np.ndarray | None:
        """The box ``(x0, y0, x1, y1)`` of ``vmobject``'s points projected this frame, or None."""
        kept = self._kept.get(id(vmobject))
        return kept[5] if kept is not None and kept[0] is vmobject.points else None

    def set_path(self, ctx: cairo.Context, vmobject: VMobject) -> bool:
        """Set ``vmobject``'s path on ``ctx`` as stock ``Camera.set_cairo_context_path`` would, each
        straight curve as a line (:mod:`scenes.kit.paths`); False (nothing set) if it was not
        projected this frame."""
        kept = self._kept.get(id(vmobject))
        if kept is None or kept[0] is not vmobject.points:
            return False
        _, _, xy, straight, subpaths, _ = kept
        ctx.new_path()
        add_subpaths(ctx, xy, straight, subpaths)
        return True


class ShadingCache:
    """Light-shaded colors of mobjects, kept while their colors, the points the shading reads
    and the light stay the same; entries not used in a frame are dropped at the next."""

    def __init__(self) -> None:
        self._now: dict[tuple[Any, ...], np.ndarray] = {}
        self._before: dict[tuple[Any, ...], np.ndarray] = {}

    def get(self, vmobject: VMobject, rgbas: np.ndarray, light: np.ndarray, shade: Callable[[], np.ndarray]) -> np.ndarray:
        """``shade()`` (stock's shaded ``rgbas`` of ``vmobject`` under ``light``), computed once."""
        points = vmobject.points
        n = len(points)
        end = ((n - 1) // 6) * 3  # the corners and neighbours stock's shading reads
        read = points[[0, 3 % n, n - 4, end, end - 3 if end > 2 else n - 4, end + 3 if end < n - 3 else 3 % n]]
        key = (n, rgbas.tobytes(), read.tobytes(), light.tobytes())
        shaded = self._now.get(key)
        if shaded is None:
            shaded = self._before.get(key)
            if shaded is None:
                shaded = shade()
            self._now[key] = shaded
        return shaded.copy()

    def end_frame(self) -> None:
        self._now, self._before = {}, self._now
