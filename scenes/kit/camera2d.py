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

import weakref
from typing import Any

import cairo
import numpy as np
from manim import Camera, VMobject

__all__ = ["FastCamera", "PathCache", "plain_fill"]

POINT_DECIMALS = 9
"""Points equal to this many decimals (of a frame 8 units high) give the same path: an animation
that interpolates a shape with itself, as ``FadeIn`` does, moves its points by rounding only."""


class PathCache:
    """Cairo paths by mobject, each with the bytes of the (displayed) points it was built from.

    A path is kept while its mobject lives: a mobject made anew each frame (a redrawn arrow) leaves
    nothing behind, so the cache holds at most one path per mobject alive and a render's memory
    does not grow with its frames.
    """

    def __init__(self) -> None:
        self._paths: dict[int, tuple[bytes, Any]] = {}

    def __len__(self) -> int:
        return len(self._paths)

    def get(self, vmobject: VMobject, data: bytes) -> Any | None:
        kept = self._paths.get(id(vmobject))
        return kept[1] if kept is not None and kept[0] == data else None

    def put(self, vmobject: VMobject, data: bytes, path: Any) -> None:
        key = id(vmobject)
        if key not in self._paths:  # first path of this mobject: forget it when the mobject goes
            weakref.finalize(vmobject, self._paths.pop, key, None)
        self._paths[key] = (data, path)


class FastCamera(Camera):
    """Manim's Cairo :class:`~manim.Camera`, appending each mobject's kept path while its
    points do not change (see :class:`PathCache`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paths = PathCache()

    def display_multiple_non_background_colored_vmobjects(self, vmobjects: Any, pixel_array: np.ndarray) -> None:
        """Stock's, with each run of plainly filled mobjects of one color (glyphs of text,
        above all) filled as one path (see :func:`plain_fill`)."""
        ctx = self.get_cairo_context(pixel_array)
        run: list[VMobject] = []
        color = None
        for vmobject in vmobjects:
            fill = plain_fill(vmobject)
            if fill is not None and fill == color:
                run.append(vmobject)
                continue
            self._fill_run(ctx, run)
            run, color = ([vmobject], fill) if fill is not None else ([], None)
            if fill is None:
                self.display_vectorized(vmobject, ctx)
        self._fill_run(ctx, run)

    def _fill_run(self, ctx: cairo.Context, run: list[VMobject]) -> None:
        """Fill the paths of ``run`` (plainly filled mobjects of one color) as one path."""
        if len(run) == 1:
            self.display_vectorized(run[0], ctx)
            return
        if not run:
            return
        paths = []
        for vmobject in run:  # building a path not yet kept starts a new one: gather them first
            self.set_cairo_context_path(ctx, vmobject)
            paths.append(ctx.copy_path())
        ctx.new_path()
        for path in paths:
            ctx.append_path(path)
        self.apply_fill(ctx, run[0])

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


def plain_fill(vmobject: VMobject) -> tuple[float, ...] | None:
    """The fill color of ``vmobject`` if it is drawn as an opaque fill of one color and nothing
    else (no visible stroke, no gradient or sheen, some points): such mobjects of one color, drawn
    one after the other, look the same filled as one path (up to anti-aliasing where two touch).
    None otherwise."""
    if len(vmobject.points) == 0:
        return None
    fill = vmobject.get_fill_rgbas()
    if len(fill) != 1 or fill[0, 3] != 1:
        return None
    for background in (False, True):
        if vmobject.get_stroke_width(background) != 0 and vmobject.get_stroke_rgbas(background)[:, 3].any():
            return None
    return tuple(fill[0].tolist())
