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
import math
import weakref
from collections import OrderedDict
from typing import Any, NamedTuple

import cairo
import numpy as np
from manim import Camera, VMobject

from scenes.kit.family import display_kind, mobjects_to_display
from scenes.kit.frame_reset import reset_frame
from scenes.kit.layers import composite, drawn_state
from scenes.kit.paths import add_curves, add_subpaths, straight_curves, subpaths

__all__ = ["FastCamera", "PathCache", "Recipe", "ShapeCache", "plain_fill"]

STEADY_FRAMES = 3
"""Frames a mobject must be drawn unchanged before it joins a cached layer (:class:`RunLayers`)."""
MIN_RUN = 8
"""Fewest steady mobjects in a row drawn from a layer: fewer are as cheap to draw."""
CHUNK = 32
"""Mobjects per layer on average when a steady run is cut into layers (see :meth:`RunLayers.chunks`)."""
FEW_CURVES = 8
"""Shapes of fewer curves (an arrow's shaft and tip) get stock's path, curves as curves: for them
the numpy work that finds straight curves and kept stems costs more than it saves."""
POINT_DECIMALS = 9
"""Points equal to this many decimals (of a frame 8 units high) give the same path: an animation
that interpolates a shape with itself, as ``FadeIn`` does, moves its points by rounding only."""
SHAPE_POINTS = 256
"""Most points of a shape kept by :class:`ShapeCache`: dots, glyphs, arrow tips, not lines."""
SHAPES = 1024
"""Most shapes :class:`ShapeCache` keeps, the least recently used dropped first."""
SHAPE_REACH = 100.0
"""How far from the origin (scene units; a frame is 14 wide) a shape kept by :class:`ShapeCache`
may be drawn, and how wide it may be."""


class PathCache:
    """Cairo paths by mobject, each with the bytes of the (displayed) points it was built from,
    and for a line that grows (a trail, a loss curve) the path of all but its last curve.

    A path is kept while its mobject lives: a mobject made anew each frame (a redrawn arrow) leaves
    nothing behind, so the cache holds at most one path per mobject alive and a render's memory
    does not grow with its frames.
    """

    def __init__(self) -> None:
        self._paths: dict[int, _Kept] = {}

    def __len__(self) -> int:
        return len(self._paths)

    def get(self, vmobject: VMobject, data: bytes) -> Any | None:
        kept = self._paths.get(id(vmobject))
        return kept.path if kept is not None and kept.data == data else None

    def get_exact(self, vmobject: VMobject, raw: bytes) -> Any | None:
        """The kept path of ``vmobject`` if it was built from (or last found for) exactly the
        points ``raw``, unrounded: the common case, without rounding them first."""
        kept = self._paths.get(id(vmobject))
        return kept.path if kept is not None and kept.raw == raw else None

    def remember_exact(self, vmobject: VMobject, raw: bytes) -> None:
        """Note that the kept path of ``vmobject`` was found for the unrounded points ``raw``."""
        self._paths[id(vmobject)] = self._paths[id(vmobject)]._replace(raw=raw)

    def stem(self, vmobject: VMobject) -> Stem | None:
        """The kept path of all but the last curve of ``vmobject``'s last path, if any."""
        kept = self._paths.get(id(vmobject))
        return kept.stem if kept is not None else None

    def put(self, vmobject: VMobject, data: bytes, path: Any, stem: Stem | None = None, raw: bytes | None = None) -> None:
        key = id(vmobject)
        if key not in self._paths:  # first path of this mobject: forget it when the mobject goes
            weakref.finalize(vmobject, self._paths.pop, key, None)
        self._paths[key] = _Kept(data, path, stem, raw)


class _Kept(NamedTuple):
    """A kept path: the rounded points it was built from, the path, the stem of a growing line,
    and the unrounded points it was last found for."""

    data: bytes
    path: Any
    stem: Stem | None
    raw: bytes | None


class Recipe(NamedTuple):
    """How a shape's path is drawn from its points: which curves are lines, and its subpaths
    (point ranges, closed or not; see :func:`~scenes.kit.paths.subpaths`)."""

    straight: list[bool]
    parts: list[tuple[int, int, bool]]


class ShapeCache:
    """:class:`Recipe` of small shapes by their points relative to their first point: a moving
    dot, or a digit a readout shows again somewhere else, is drawn from its own points with the
    recipe found once, instead of finding its subpaths and straight curves anew (numpy work that
    costs more than drawing a small shape). The path is built from the shape's own coordinates,
    so it is the path a fresh build gives, to the last bit.

    Only shapes whose recipe cannot depend on where they are kept: stock Manim compares points
    with a tolerance that grows with their distance from the origin (``np.isclose``), so a
    shape with two points that are almost but not quite the same is left out (and shapes wider
    than :data:`SHAPE_REACH`, or placed beyond it). At most :data:`SHAPES` shapes of at most
    :data:`SHAPE_POINTS` points each are kept, the least recently used dropped first, so
    memory does not grow with the frames.
    """

    def __init__(self) -> None:
        self._recipes: OrderedDict[bytes, Recipe] = OrderedDict()

    def __len__(self) -> int:
        return len(self._recipes)

    @staticmethod
    def key(xy: np.ndarray, atol: float) -> bytes | None:
        """The key of the 2-D points ``xy``: their offsets from the first, rounded to
        :data:`POINT_DECIMALS`, and the tolerance that finds their subpaths; None for a shape
        too large or too far out."""
        if len(xy) > SHAPE_POINTS or abs(xy[0, 0]) > SHAPE_REACH or abs(xy[0, 1]) > SHAPE_REACH:
            return None
        offsets = np.round(xy - xy[0], POINT_DECIMALS) + 0.0  # -0.0 and 0.0 the same
        return offsets.tobytes() + np.float64(atol).tobytes()

    def get(self, key: bytes) -> Recipe | None:
        recipe = self._recipes.get(key)
        if recipe is not None:
            self._recipes.move_to_end(key)
        return recipe

    def put(self, key: bytes, recipe: Recipe, xy: np.ndarray, atol: float) -> None:
        """Keep ``recipe`` for the shape ``xy``, unless it could differ elsewhere."""
        if np.abs(xy - xy[0]).max() > SHAPE_REACH or _near_misses(xy, atol, recipe.parts):
            return
        self._recipes[key] = recipe
        if len(self._recipes) > SHAPES:
            self._recipes.popitem(last=False)


def _near_misses(xy: np.ndarray, atol: float, parts: list[tuple[int, int, bool]]) -> bool:
    """Whether two points of ``xy`` that stock Manim compares (a curve's end and the next one's
    start, the ends of each subpath of ``parts``) are neither surely the same (each coordinate
    within ``atol / 2``) nor surely apart (one beyond the tolerance ``np.isclose`` gives them
    anywhere within :data:`SHAPE_REACH` of the origin): whether they are the same point could
    depend on where the shape is."""
    starts, ends = zip(*((start, end - 1) for start, end, _ in parts))
    gaps = np.concatenate([np.abs(xy[3:-1:4] - xy[4::4]), np.abs(xy[list(starts)] - xy[list(ends)])])
    surely_same = np.all(gaps <= atol / 2, axis=1)
    surely_apart = np.any(gaps > atol + 2e-5 * 2 * SHAPE_REACH, axis=1)
    return not np.all(surely_same | surely_apart)


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
        self.shapes = ShapeCache()
        self.runs = RunLayers()

    def display_multiple_non_background_colored_vmobjects(self, vmobjects: Any, pixel_array: np.ndarray) -> None:
        """Stock's, with each run of at least :data:`MIN_RUN` mobjects drawn unchanged for
        :data:`STEADY_FRAMES` frames composited from a :class:`RunLayers` layer."""
        ctx = self.get_cairo_context(pixel_array)
        vmobjects = list(vmobjects)
        steady = self.runs.steady(vmobjects)
        plain: list[VMobject] = []  # drawn plainly, together: runs of one fill color stay whole
        for is_steady, pairs in it.groupby(zip(steady, vmobjects), key=lambda pair: pair[0]):
            run = [vmobject for _, vmobject in pairs]
            if not is_steady or len(run) < MIN_RUN:
                plain += run
                continue
            self.draw_plainly(plain, ctx)
            plain = []
            for chunk, layered in self.runs.chunks(run):
                if layered:
                    self.runs.draw(chunk, ctx, self)
                else:
                    self.draw_plainly(chunk, ctx)
        self.draw_plainly(plain, ctx)

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

    def reset(self) -> FastCamera:
        """Stock's, filling the frame with a one-color background (:func:`reset_frame`)."""
        if not reset_frame(self):
            super().reset()
        return self

    def capture_mobjects(self, mobjects: Any, **kwargs: Any) -> None:
        super().capture_mobjects(mobjects, **kwargs)
        self.runs.end_frame()

    def type_or_raise(self, mobject: Any) -> type:
        """Stock's, looked up once per class (:func:`~scenes.kit.family.display_kind`)."""
        return display_kind(self, mobject)

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
        raw = points.tobytes()
        path = self.paths.get_exact(vmobject, raw)
        if path is None:
            data = np.round(points, POINT_DECIMALS).tobytes()
            path = self.paths.get(vmobject, data)
            if path is not None:
                self.paths.remember_exact(vmobject, raw)
        if path is not None:
            ctx.new_path()
            ctx.append_path(path)
            return self
        xy, atol = points[:, :2], vmobject.tolerance_for_point_equality
        shape = self.shapes.key(xy, atol)
        kept = self.shapes.get(shape) if shape is not None else None
        grown, recipe = None, None
        if kept is not None:
            ctx.new_path()
            add_subpaths(ctx, xy.ravel().tolist(), *kept)
        elif n % 4 == 0 and n < 4 * FEW_CURVES:  # a small shape: stock's own path, curves as curves
            recipe = Recipe([False] * (n // 4), subpaths(xy, atol))
            ctx.new_path()
            add_subpaths(ctx, xy.ravel().tolist(), *recipe)
        elif n % 4:  # not whole curves: stock's own path
            super().set_cairo_context_path(ctx, vmobject)
        else:
            grown, recipe = self._build_path(ctx, vmobject, points, data)
        if shape is not None and recipe is not None:
            self.shapes.put(shape, recipe, xy, atol)
        self.paths.put(vmobject, data, ctx.copy_path(), grown, raw)
        return self

    def transform_points_pre_display(self, mobject: Any, points: np.ndarray) -> np.ndarray:
        """Stock's (points that are not all finite are drawn as none), checked through their sum:
        finite unless some point is not (or the sum overflows, then stock checks them)."""
        if math.isfinite(points.sum()):
            return points
        return super().transform_points_pre_display(mobject, points)

    def _build_path(self, ctx: cairo.Context, vmobject: VMobject, points: np.ndarray, data: bytes) -> tuple[Stem | None, Recipe | None]:
        """Build ``vmobject``'s path of whole curves, each straight one as a line, from the kept
        stem of a line that grew; return the stem to keep for the next frame if it is one open
        line, else its :class:`Recipe`."""
        n = len(points)
        xy, atol = points[:, :2], vmobject.tolerance_for_point_equality
        stem = self.paths.stem(vmobject)
        if stem is None or stem.n_points > n - 4 or not data.startswith(stem.data):
            stem = None
        start = stem.n_points if stem else 0
        first = max(start // 4 - 1, 0)  # from the stem's last curve on, where a new curve joins it
        tail = xy[4 * first :]
        ctx.new_path()
        if len(subpaths(tail, atol)) == 1 and n >= 8 and not _closes(xy, atol):  # one open line: keep its stem
            flat, straight = tail.ravel().tolist(), straight_curves(tail).tolist()
            if stem:
                ctx.append_path(stem.path)
            else:
                ctx.move_to(flat[0], flat[1])
            last = n // 4 - first  # curves of the tail
            add_curves(ctx, flat, straight, start // 4 - first, last - 1)
            grown = Stem(data[: (n - 4) * points.itemsize * 3], ctx.copy_path(), n - 4)
            add_curves(ctx, flat, straight, last - 1, last)
            return grown, None
        recipe = Recipe(straight_curves(xy).tolist(), subpaths(xy, atol))
        add_subpaths(ctx, xy.ravel().tolist(), *recipe)
        return None, recipe


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
