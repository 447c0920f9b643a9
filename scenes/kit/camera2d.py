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

import itertools as it
import weakref
from typing import Any, NamedTuple

import cairo
import numpy as np
from manim import Camera, VMobject

from scenes.kit.family import mobjects_to_display
from scenes.kit.layers import composite, drawn_state
from scenes.kit.paths import add_curves, add_subpaths, straight_curves, subpaths

__all__ = ["FastCamera", "PathCache", "plain_fill"]

STEADY_FRAMES = 3
"""Frames a mobject must be drawn unchanged before it joins a cached layer (:class:`RunLayers`)."""
MIN_RUN = 8
"""Fewest steady mobjects in a row drawn from a layer: fewer are as cheap to draw."""
CHUNK = 32
"""Mobjects per layer on average when a steady run is cut into layers (see :meth:`RunLayers.chunks`)."""
FEW_CURVES = 8
"""Shapes of fewer curves (an arrow's shaft and tip, a dot) get stock's path: for them the numpy
work that finds straight curves and kept stems costs more than it saves."""
POINT_DECIMALS = 9
"""Points equal to this many decimals (of a frame 8 units high) give the same path: an animation
that interpolates a shape with itself, as ``FadeIn`` does, moves its points by rounding only."""


class PathCache:
    """Cairo paths by mobject, each with the bytes of the (displayed) points it was built from,
    and for a line that grows (a trail, a loss curve) the path of all but its last curve.

    A path is kept while its mobject lives: a mobject made anew each frame (a redrawn arrow) leaves
    nothing behind, so the cache holds at most one path per mobject alive and a render's memory
    does not grow with its frames.
    """

    def __init__(self) -> None:
        self._paths: dict[int, tuple[bytes, Any, Stem | None]] = {}

    def __len__(self) -> int:
        return len(self._paths)

    def get(self, vmobject: VMobject, data: bytes) -> Any | None:
        kept = self._paths.get(id(vmobject))
        return kept[1] if kept is not None and kept[0] == data else None

    def stem(self, vmobject: VMobject) -> Stem | None:
        """The kept path of all but the last curve of ``vmobject``'s last path, if any."""
        kept = self._paths.get(id(vmobject))
        return kept[2] if kept is not None else None

    def put(self, vmobject: VMobject, data: bytes, path: Any, stem: Stem | None = None) -> None:
        key = id(vmobject)
        if key not in self._paths:  # first path of this mobject: forget it when the mobject goes
            weakref.finalize(vmobject, self._paths.pop, key, None)
        self._paths[key] = (data, path, stem)


class Stem(NamedTuple):
    """The path of a line's first ``n_points`` points (whole curves), and their bytes."""

    data: bytes
    path: Any
    n_points: int


class RunLayers:
    """Layers for runs of mobjects that have not changed for a while: each drawn once into a
    transparent surface the size of its pixel box and composited (cairo's OVER) while the run
    stays the same.  Drawing mobjects in order equals compositing their layer (OVER is
    associative), up to rounding of a unit in 255.

    A mobject is steady once it has been drawn with the same :func:`~scenes.kit.layers.drawn_state`
    for :data:`STEADY_FRAMES` frames in a row. A steady run is cut into chunks, each its own layer
    once it has been drawn the same in two frames in a row. Layers not used in a frame are dropped.
    """

    def __init__(self) -> None:
        self._layers: dict[tuple[int, ...], tuple[tuple[Any, ...], cairo.ImageSurface | None, Any]] = {}
        self._used: set[tuple[int, ...]] = set()
        self._frames: dict[int, tuple[tuple[Any, ...], int]] = {}  # id -> (drawn state, frames unchanged)
        self._seen: dict[int, tuple[tuple[Any, ...], int]] = {}
        self._chunks: set[tuple[int, ...]] = set()  # chunks drawn this frame, and the last
        self._chunks_before: set[tuple[int, ...]] = set()
        self._ends: weakref.WeakKeyDictionary[VMobject, bool] = weakref.WeakKeyDictionary()

    def steady(self, vmobjects: list[VMobject]) -> list[bool]:
        """Whether each of ``vmobjects`` has been drawn the same for :data:`STEADY_FRAMES` frames."""
        steady = []
        for vmobject in vmobjects:
            state = drawn_state([vmobject])
            kept = self._frames.get(id(vmobject))
            frames = kept[1] + 1 if kept is not None and kept[0] == state else 0
            self._seen[id(vmobject)] = (state, frames)
            steady.append(frames >= STEADY_FRAMES)
        return steady

    def chunks(self, run: list[VMobject]) -> list[tuple[list[VMobject], bool]]:
        """``run`` cut into chunks, each with whether to draw it from a layer.

        A chunk ends after a mobject that ends chunks (:meth:`ends_chunk`, about one in
        :data:`CHUNK`: decided by the mobject alone) and has at least :data:`MIN_RUN` mobjects
        (a shorter one joins the next): when a run grows or shrinks at an end, as the arrows
        around a moving ``LaggedStart`` window do, only the chunk at that end changes. A chunk
        is drawn from a layer from the second frame in a row that it is drawn the same.
        """
        cut: list[list[VMobject]] = [[]]
        for vmobject in run:
            cut[-1].append(vmobject)
            if self.ends_chunk(vmobject) and len(cut[-1]) >= MIN_RUN:
                cut.append([])
        if len(cut[-1]) < MIN_RUN and len(cut) > 1:
            short = cut.pop()
            cut[-1] += short
        layered = []
        for chunk in cut:
            key = tuple(map(id, chunk))
            self._chunks.add(key)
            layered.append((chunk, len(chunk) >= MIN_RUN and (key in self._chunks_before or key in self._layers)))
        return layered

    def ends_chunk(self, vmobject: VMobject) -> bool:
        """Whether a chunk may end after ``vmobject``: true for about one mobject in :data:`CHUNK`,
        from a hash of the order in which the mobjects were first seen (the same in every frame,
        and in every render of a scene, so that its frames are the same each time)."""
        ends = self._ends.get(vmobject)
        if ends is None:
            ends = self._ends[vmobject] = _splitmix64(len(self._ends)) % CHUNK == 0
        return ends

    def draw(self, run: list[VMobject], target: cairo.Context, camera: FastCamera) -> None:
        """Composite the layer of ``run`` onto ``target``, drawing it first if it is new."""
        key = tuple(map(id, run))
        self._used.add(key)
        kept = self._layers.get(key)
        if kept is None:
            box = camera.pixel_box(run)
            surface = None if box is None else cairo.ImageSurface(cairo.FORMAT_ARGB32, box[2], box[3])
            if surface is not None:
                ctx = cairo.Context(surface)
                ctx.set_matrix(target.get_matrix().multiply(cairo.Matrix(x0=-box[0], y0=-box[1])))
                camera.draw_plainly(run, ctx)
                surface.flush()
            kept = self._layers[key] = (box, surface, None)
        box, surface, _ = kept
        if surface is None:
            return
        composite(target, surface, box, box[:2])

    def end_frame(self) -> None:
        for key in set(self._layers) - self._used:
            del self._layers[key]
        self._used = set()
        self._frames, self._seen = self._seen, {}
        self._chunks_before, self._chunks = self._chunks, set()


class FastCamera(Camera):
    """Manim's Cairo :class:`~manim.Camera`, appending each mobject's kept path while its
    points do not change (see :class:`PathCache`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paths = PathCache()
        self.runs = RunLayers()

    def display_multiple_non_background_colored_vmobjects(self, vmobjects: Any, pixel_array: np.ndarray) -> None:
        """Stock's, with each run of at least :data:`MIN_RUN` mobjects drawn unchanged for
        :data:`STEADY_FRAMES` frames composited from a :class:`RunLayers` layer."""
        ctx = self.get_cairo_context(pixel_array)
        vmobjects = list(vmobjects)
        steady = self.runs.steady(vmobjects)
        for is_steady, pairs in it.groupby(zip(steady, vmobjects), key=lambda pair: pair[0]):
            run = [vmobject for _, vmobject in pairs]
            if not is_steady:
                self.draw_plainly(run, ctx)
                continue
            for chunk, layered in self.runs.chunks(run):
                if layered:
                    self.runs.draw(chunk, ctx, self)
                else:
                    self.draw_plainly(chunk, ctx)

    def draw_plainly(self, vmobjects: list[VMobject], ctx: cairo.Context) -> None:
        """Stock's drawing, with each run of plainly filled mobjects of one color (glyphs of
        text, above all) filled as one path (see :func:`plain_fill`)."""
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

    def capture_mobjects(self, mobjects: Any, **kwargs: Any) -> None:
        super().capture_mobjects(mobjects, **kwargs)
        self.runs.end_frame()

    def get_mobjects_to_display(self, mobjects: Any, include_submobjects: bool = True, excluded_mobjects: Any = None) -> list:
        """Stock's, in one walk over the tree (:func:`~scenes.kit.family.mobjects_to_display`)."""
        return mobjects_to_display(self, mobjects, include_submobjects, excluded_mobjects)

    def pixel_box(self, vmobjects: list[VMobject]) -> tuple[int, int, int, int] | None:
        """The pixel box ``(x, y, width, height)`` in the frame that drawing ``vmobjects`` can ink:
        their points' box grown by five stroke widths (miter joins) and 2 pixels; None if empty."""
        points = [self.transform_points_pre_display(v, v.points) for v in vmobjects if len(v.points)]
        if not points:
            return None
        corners = self.points_to_subpixel_coords(vmobjects[0], np.concatenate(points))
        width = max(max(v.get_stroke_width(), v.get_stroke_width(background=True)) for v in vmobjects)
        grow = 5 * width * self.cairo_line_width_multiple * self.pixel_width / self.frame_width + 2
        x0, y0 = np.floor(corners.min(axis=0) - grow).astype(int)
        x1, y1 = np.ceil(corners.max(axis=0) + grow).astype(int)
        x0, y0, x1, y1 = max(x0, 0), max(y0, 0), min(x1, self.pixel_width), min(y1, self.pixel_height)
        return (int(x0), int(y0), int(x1 - x0), int(y1 - y0)) if x1 > x0 and y1 > y0 else None

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
        """Stock's path, each straight curve as a line (:mod:`scenes.kit.paths`), kept with the
        points it was built from; a line that grew since the last frame (a trail, a loss curve)
        is built from the kept path of its curves so far (:class:`Stem`)."""
        points = self.transform_points_pre_display(vmobject, vmobject.points)
        n = len(points)
        if n == 0:
            return self
        data = np.round(points, POINT_DECIMALS).tobytes()
        path = self.paths.get(vmobject, data)
        if path is not None:
            ctx.new_path()
            ctx.append_path(path)
            return self
        if n % 4 or n < 4 * FEW_CURVES:  # not whole curves, or a small shape: stock's own path
            super().set_cairo_context_path(ctx, vmobject)
            self.paths.put(vmobject, data, ctx.copy_path())
            return self
        xy, atol = points[:, :2], vmobject.tolerance_for_point_equality
        stem = self.paths.stem(vmobject)
        if stem is None or stem.n_points > n - 4 or not data.startswith(stem.data):
            stem = None
        start = stem.n_points if stem else 0
        parts = subpaths(xy[max(start - 4, 0) :], atol)  # from the stem's last curve on
        flat = xy.ravel().tolist()
        ctx.new_path()
        if len(parts) == 1 and n >= 8 and not _closes(xy, atol):  # one open line: keep its stem
            straight = [False] * (start // 4) + straight_curves(xy[start:]).tolist()
            if stem:
                ctx.append_path(stem.path)
            else:
                ctx.move_to(flat[0], flat[1])
            add_curves(ctx, flat, straight, start // 4, n // 4 - 1)
            grown = Stem(data[: (n - 4) * points.itemsize * 3], ctx.copy_path(), n - 4)
            add_curves(ctx, flat, straight, n // 4 - 1, n // 4)
        else:
            grown = None
            add_subpaths(ctx, flat, straight_curves(xy).tolist(), subpaths(xy, atol))
        self.paths.put(vmobject, data, ctx.copy_path(), grown)
        return self


def _closes(xy: np.ndarray, atol: float) -> bool:
    """Whether the points ``xy`` end where they start, as stock Manim compares them."""
    return bool(np.all(np.abs(xy[0] - xy[-1]) <= atol + 1e-5 * np.abs(xy[-1])))


def _splitmix64(n: int) -> int:
    """A well-mixed 64-bit hash of the integer ``n`` (SplitMix64's finalizer)."""
    mask = (1 << 64) - 1
    x = (n + 0x9E3779B97F4A7C15) & mask
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & mask
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & mask
    return x ^ (x >> 31)


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
