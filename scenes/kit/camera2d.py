"""The camera of the 2-D scenes: Manim's, with each mobject's cairo path built once.

Stock :class:`~manim.Camera` rebuilds the cairo path of every mobject it draws, every frame, in
Python: one call per Bézier curve, and a Python check per subpath.  A height map of thousands of
cells costs about 100 ms a frame that way while it fades in, though its shape never changes.
:class:`FastCamera` keeps the path it built for each mobject with the points it was built from
(``cairo.Context.copy_path``) and, while the points are the same (to :data:`POINT_DECIMALS`), appends the kept path instead
(one call, in C).  Colours, widths and everything else are drawn by stock code as before, so
the pixels are the same.
"""

from __future__ import annotations

from typing import Any

import cairo
import numpy as np
from manim import Camera, VMobject

__all__ = ["FastCamera", "PathCache"]

POINT_DECIMALS = 9
"""Points equal to this many decimals (of a frame 8 units high) give the same path: an animation
that interpolates a shape with itself, as ``FadeIn`` does, moves its points by rounding only."""


class PathCache:
    """Cairo paths by mobject, each with the bytes of the (displayed) points it was built from.

    At most ``size`` paths are kept; beyond that the cache starts again empty (a scene's paths
    are rebuilt in one frame).
    """

    def __init__(self, size: int = 20_000) -> None:
        self.size = size
        self._paths: dict[int, tuple[bytes, Any]] = {}

    def get(self, vmobject: VMobject, data: bytes) -> Any | None:
        kept = self._paths.get(id(vmobject))
        return kept[1] if kept is not None and kept[0] == data else None

    def put(self, vmobject: VMobject, data: bytes, path: Any) -> None:
        if len(self._paths) >= self.size:
            self._paths.clear()
        self._paths[id(vmobject)] = (data, path)


class FastCamera(Camera):
    """Manim's Cairo :class:`~manim.Camera`, appending each mobject's kept path while its
    points do not change (see :class:`PathCache`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paths = PathCache()

    def set_cairo_context_path(self, ctx: cairo.Context, vmobject: VMobject) -> FastCamera:
        points = self.transform_points_pre_display(vmobject, vmobject.points)
        if len(points) == 0:
            return self
        data = np.round(points, POINT_DECIMALS).tobytes()
        path = self.paths.get(vmobject, data)
        if path is not None:
            ctx.new_path()
            ctx.append_path(path)
            return self
        super().set_cairo_context_path(ctx, vmobject)
        self.paths.put(vmobject, data, ctx.copy_path())
        return self
