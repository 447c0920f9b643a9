"""The camera of the fast 3-D path: all faces of all surfaces projected, shaded, depth-sorted
and drawn in bulk under Manim's Cairo renderer; and stock Manim's camera, guarded.

Stock Manim projects, shades, depth-sorts and strokes each face of a ``Surface`` in Python.
:class:`FastThreeDCamera` does that in numpy for all faces at once: the faces of
:class:`~scenes.kit.surface3d.FastSurface` and those of stock ``Surface``, ``Sphere``,
``Dot3D`` and ``Arrow3D``, with the pieces of every :class:`~scenes.kit.surface3d.SurfaceLine` and of the
axes among them, are rasterized in bulk by :mod:`~scenes.kit.face_raster` into layers painted on
the frame; the axes' tips are drawn among them with cairo as stock draws them, and every other
mobject (arrows, trails, labels) by stock Manim, at its own depth, so a ball on a surface is
hidden by the faces in front of it. For a video, the frame is recorded and painted on a thread
of its own (:mod:`~scenes.kit.painter`), its layers drawn there, while the scene builds the
next. :class:`StockThreeDCamera` is Manim's own, for ``GRADSCENES_STOCK_3D=1``
(:data:`STOCK_3D_VARIABLE`).
"""

from __future__ import annotations

import functools
import itertools as it
import threading
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

import cairo
import numpy as np
from manim import CapStyleType, LineJointType, Mobject, ThreeDAxes, ThreeDCamera, ThreeDVMobject, VMobject
from manim.utils.family import extract_mobject_family_members
from manim.utils.iterables import stretch_array_to_length

from scenes.kit.family import display_kind, mobjects_to_display
from scenes.kit.frame3d import FrameProjection, ShadingCache
from scenes.kit.frame_reset import reset_frame, solid_background
from scenes.kit.layers import LayerCache
from scenes.kit.marks import anchors
from scenes.kit.painter import FramePainter, wait_painted
from scenes.kit.paths import straight_curves
from scenes.kit.surface3d import FastSurface, SurfaceLine

__all__ = ["STOCK_3D_VARIABLE", "FastThreeDCamera", "StockThreeDCamera"]

STOCK_3D_VARIABLE = "GRADSCENES_STOCK_3D"
"""Environment variable: ``1`` renders 3-D scenes with stock Manim's per-face path
(read by :func:`scenes.kit.scene3d.stock_3d`)."""

CRISP_FACE_PIXELS = 8
"""A face inside a surface at least this many pixels tall is filled without anti-aliasing
(see :func:`_mesh_sides`)."""


_EVERYWHERE = np.array([-np.inf, -np.inf, np.inf, np.inf])
_OUTWARD = np.array([-1.0, -1.0, 1.0, 1.0])  # a box (x0, y0, x1, y1) grown by a margin


class FastThreeDCamera(ThreeDCamera):
    r"""A ``ThreeDCamera`` that draws the faces of all surfaces in bulk.

    The faces are those of every :class:`FastSurface` and of every stock ``Surface`` (a
    ``ThreeDVMobject`` quad: the faces of ``Sphere``, ``Dot3D``, ``Cylinder``, ``Cone``,
    ``Arrow3D``, ...). Per frame, for all faces together, in numpy: project the corners with
    ``project_points`` (the camera's rotation, focal distance and zoom); shade each face like
    ``ThreeDCamera.modified_rgbas``, adding to its fill and stroke colors

    .. math:: \ell = \tfrac12 (n \cdot s)^3 \ \text{(halved where negative)},

    with :math:`n` the face's unit normal and :math:`s` the unit vector from the face's center
    to the light source (one flat color per face, where stock paints a gradient between two
    corners); and take as depth, as stock does, the view-axis coordinate of the center of the
    face's bounding box. Every other mobject gets stock's depth (of its
    ``get_z_index_reference_point``, or :math:`+\infty` if not ``shade_in_3d``), is drawn by
    stock Manim, and is inserted among the depth-sorted faces at that depth: drawing far to
    near, a ball is covered by the faces in front of it and covers those behind it.
    """

    _axis_gradients: dict[Mobject, list[float]] = {}  # replaced (never mutated) per frame
    painter: FramePainter | None = None  # set by the renderer (KitRenderer) for a video
    _recording: cairo.Context | None = None  # of this frame, while it is drawn for the painter
    _unfilled: int | None = None  # the opaque background pixel of a frame reset for the recording to fill
    _layer_draws: list[Callable[[], None]] = []  # the painter's, before it replays this frame's recording
    _held: list[cairo.ImageSurface] = []  # painted by this frame's recording, kept until it is replayed

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._layers = LayerCache()
        self._projection = FrameProjection()
        self._shading = ShadingCache()
        self._axis_of_piece: dict[Mobject, tuple[ThreeDAxes, Mobject]] = {}
        self._axis_ends: dict[Mobject, tuple[tuple[bytes, bytes], np.ndarray]] = {}
        self._cuts: dict[tuple, _LineCuts] = {}  # kept while used frame after frame
        self._cuts_used: dict[tuple, _LineCuts] = {}
        _load_rasterizer()

    def reset(self) -> FastThreeDCamera:
        """Stock's, filling the frame with a one-color background (:func:`reset_frame`); with
        a :attr:`painter` and an opaque one-color background, left to :meth:`capture_mobjects`
        (a recorded frame starts with its background)."""
        pixel = solid_background(self) if self.painter is not None else None
        self._unfilled = pixel if pixel is not None and pixel >> 24 == 255 else None
        if self._unfilled is None and not reset_frame(self):
            super().reset()
        return self

    def get_cairo_context(self, pixel_array: np.ndarray) -> cairo.Context:
        """Stock's; while a frame is recorded for the painter, the recording's for its pixels."""
        if self._recording is not None and pixel_array is self.pixel_array:
            return self._recording
        return super().get_cairo_context(pixel_array)

    def get_image(self, pixel_array: np.ndarray | None = None) -> Any:
        """Stock's, once the frame is painted."""
        wait_painted(self.pixel_array)
        return super().get_image(pixel_array)

    def capture_mobjects(self, mobjects: Iterable[Mobject], **kwargs: Any) -> None:
        """Draw the frame. With a :attr:`painter`, a frame just reset to an opaque one-color
        background whose mobjects are all drawn with cairo is recorded, starting with its
        background, and its pixels are left to the painter's thread (:mod:`~scenes.kit.painter`)."""
        self.reset_rotation_matrix()
        mobjects = list(mobjects)
        # Camera's version: the family members with points, not yet sorted by depth.
        members = mobjects_to_display(self, mobjects, **kwargs)
        background, self._unfilled = self._unfilled, None
        if background is None or not self._all_drawn_with_cairo(members):
            if background is not None:
                reset_frame(self)
            self._capture(mobjects, members)
            return
        matrix = super().get_cairo_context(self.pixel_array).get_matrix()
        self._recording = self.painter.recording(self.pixel_array, background, matrix)
        self._layer_draws, self._held = [], []
        try:
            self._capture(mobjects, members)
            self.painter.submit(self.pixel_array, self._recording, self._layer_draws, self._held)
        finally:
            self._recording, self._layer_draws, self._held = None, [], []

    def _all_drawn_with_cairo(self, members: list[Mobject]) -> bool:
        """Whether every one of ``members`` is drawn through the camera's cairo context only (a
        recording can hold it), or not at all: none is an image, a point cloud or a mobject
        with a background image, which stock paints into the pixels."""
        kind_of = self.type_or_raise
        for mob in members:
            kind = kind_of(mob)
            if kind is not Mobject and (kind is not VMobject or mob.get_background_image() is not None):
                return False
        return True

    def _capture(self, mobjects: list[Mobject], members: list[Mobject]) -> None:
        """Draw ``members`` (of ``mobjects``): faces in bulk, the others among them by depth."""
        surfaces, quads, lines, rest = self._bulk(members)
        above = [line.beneath is not None and self.rotation_matrix[2] @ line.beneath > 0 for line in lines]
        floor = [line for line, seen_from_above in zip(lines, above) if seen_from_above]
        under = _Pieces.none()
        if floor:  # seen from above: under everything else, first in the first layer
            lines = [line for line, seen_from_above in zip(lines, above) if not seen_from_above]
            under = self._cut_lines(floor)
            under = under._replace(depths=np.full(len(under.depths), -np.inf))
        plain = self._plain_mobjects(rest)
        drawn = set(plain)
        others = [mob for mob in rest if mob not in drawn]
        strokes, plain = self._straight_strokes(plain)
        self._axis_gradients = self._axis_gradient_ends(mobjects, plain + others)  # for cairo's drawing
        depths = self._depths(others)
        self._projection.update([mob for mob in others if self._moves_with_camera(mob)] + plain, self.project_points)
        order = np.argsort(depths, kind="stable")
        faces = self._faces(
            [_fast_surface_arrays(surface) for surface in surfaces]
            + ([_stock_face_arrays(quads)] if quads else [])
        )
        pieces = under.joined(self._cut_lines(lines) if lines else _Pieces.none()).joined(strokes)
        rows, row_depths, row_boxes = self._plain_rows(plain)
        every_depth = np.concatenate([faces.depths, pieces.depths, row_depths])
        merged = np.argsort(every_depth, kind="stable")  # at one depth: faces, pieces, rows
        matrix = self.get_cairo_context(self.pixel_array).get_matrix()
        faces, pieces = faces.in_pixels(matrix), pieces.in_pixels(matrix)
        boxes = np.concatenate([faces.boxes, pieces.boxes, _boxes_in_pixels(row_boxes, matrix)])[merged]
        splits = np.searchsorted(every_depth[merged], depths[order], side="right")
        start = 0
        for split, run in it.groupby(zip(splits, (others[k] for k in order)), key=lambda p: p[0]):
            self._draw_in_layers(faces, pieces, rows, merged[start:split], boxes[start:split])
            self._display([mob for _, mob in run])
            start = split
        self._draw_in_layers(faces, pieces, rows, merged[start:], boxes[start:])
        self._layers.end_frame()
        self._cuts, self._cuts_used = self._cuts_used, {}
        self._projection.clear()
        self._shading.end_frame()

    def _plain_mobjects(self, mobjects: list[Mobject]) -> list[VMobject]:
        """The mobjects among ``mobjects`` drawn as rows among the faces (:meth:`_plain_rows`):
        vectorized, moving with the camera, shaded in 3-D, made of whole curves with finite
        points, with no background stroke or image and stock's miter joins and butt caps (an
        axis piece, an axis's tip, an arrow shaded in 3-D)."""
        plain = (LineJointType.AUTO, CapStyleType.AUTO)
        return [
            mob for mob in mobjects
            if isinstance(mob, VMobject) and getattr(mob, "shade_in_3d", False) and self._moves_with_camera(mob)
            and len(mob.points) and len(mob.points) % 4 == 0 and (mob.joint_type, mob.cap_style) == plain
            and mob.get_stroke_width(background=True) == 0 and mob.get_background_image() is None
            and np.isfinite(mob.points).all()
        ]  # fmt: skip

    def _straight_strokes(self, mobjects: list[VMobject]) -> tuple[_Pieces, list[VMobject]]:
        r"""The straight strokes among the plain ``mobjects``, as pieces drawn in the layers with
        butt ends, and the other mobjects (drawn as rows).

        A straight stroke (an axis piece) is one straight cubic curve on screen, a leaf of one
        stroke color (however many times repeated) and a positive width. Stock strokes it with
        butt ends (its fill covers nothing) in a gradient between two colors that are the same:
        its ``modified_rgbas`` shades both at its first point :math:`p` with the normal
        :math:`u = (0, 1, 0)` of a mobject with two anchors, adding
        :math:`\ell = \tfrac12 (u \cdot s)^3` (halved where negative), :math:`s` the unit vector
        from :math:`p` to the light. Found for all at once.
        """
        ones = [
            mob for mob in mobjects
            if len(mob.points) == 4 and not mob.submobjects and mob.get_stroke_width() > 0
            and "z_index_group" not in vars(mob) and _one_color(mob.stroke_rgbas.tolist())
        ]  # fmt: skip
        if not ones:
            return _Pieces.none(), mobjects
        points = np.array([mob.points for mob in ones])
        xy = self.project_points(points.reshape(-1, 3))[:, :2]
        straight = straight_curves(xy)
        if not straight.all():
            ones = [mob for mob, kept in zip(ones, straight.tolist()) if kept]
            points, xy = points[straight], xy.reshape(-1, 4, 2)[straight].reshape(-1, 2)
        taken = set(ones)
        rest = [mob for mob in mobjects if mob not in taken]
        rgbas = np.array([mob.stroke_rgbas[0] for mob in ones], dtype=float)
        if self.should_apply_shading:
            to_light = self.light_source.points[0] - points[:, 0]
            distance = np.linalg.norm(to_light, axis=1)
            light = 0.5 * (np.divide(to_light[:, 1], distance, out=np.zeros(len(ones)), where=distance > 0)) ** 3
            light[light < 0] *= 0.5
            rgbas[:, :3] += light[:, None]
        halves = np.array([mob.get_stroke_width() for mob in ones]) * self.cairo_line_width_multiple / 2
        n = len(ones)
        curves = xy.reshape(n, 8)
        depths = (points[:, 0] + points[:, 3]) / 2 @ self.rotation_matrix[2]  # the center of its two anchors
        ends = xy.reshape(n, 4, 2)[:, ::3]
        boxes = np.concatenate([ends.min(axis=1) - halves[:, None], ends.max(axis=1) + halves[:, None]], axis=1)
        index = np.arange(n)
        return _Pieces(curves, np.ones(n, bool), np.stack([index, index + 1], axis=1), rgbas, halves, np.zeros(n, bool), depths, boxes), rest

    def _plain_rows(self, mobjects: list[VMobject]) -> tuple[list[tuple], np.ndarray, np.ndarray]:
        """Drawing rows of ``mobjects`` (see :meth:`_draw_rows`), their depths and boxes in the
        scene: what stock Manim's ``display_vectorized`` fills and strokes them with (its
        shaded colors, as a gradient between the projected ends stock takes, an axis's across
        the whole axis)."""
        mobjects = [mob for mob in mobjects if not _draws_nothing(mob)]
        if not mobjects:
            return [], np.empty(0), np.empty((0, 4))
        rows, boxes = [], []
        for mob in mobjects:
            fill = self._source(mob, self.get_fill_rgbas(mob)) if mob.fill_rgbas[:, 3].any() else None
            width = mob.get_stroke_width() * self.cairo_line_width_multiple
            stroke = self._source(mob, self.get_stroke_rgbas(mob)) if width else None
            rows.append((2, mob, fill, stroke, width))
            box = self._projection.box(mob)  # unknown (not projected this frame): meets everything
            boxes.append(_EVERYWHERE if box is None else box + 5 * width * _OUTWARD)  # miters: 10 half widths
        return rows, self._depths(mobjects), np.array(boxes)

    def _source(self, mob: VMobject, rgbas: np.ndarray) -> tuple[list[float] | None, list[tuple[float, ...]]]:
        """The cairo source stock's ``set_cairo_context_color`` sets for ``rgbas``: gradient ends
        (None for one color) and color stops ``(offset, b, g, r, a)``; the gradient of a
        ``ThreeDAxes`` piece spans its whole axis (:meth:`_axis_gradient_ends`)."""
        bgra = rgbas[:, [2, 1, 0, 3]].tolist()  # cairo's ARGB32 surface holds Manim's RGBA in reverse
        if len(bgra) == 1:
            return None, [(0.0, *bgra[0])]
        ends = self._axis_gradients.get(mob)
        if ends is not None:
            offsets = [k / (len(bgra) - 1) for k in range(len(bgra))]
        else:  # as stock's does
            ends = self.transform_points_pre_display(mob, mob.get_gradient_start_and_end_points())[:, :2].ravel().tolist()
            offsets = np.linspace(0, 1, len(bgra)).tolist()
        return ends, [(offset, *color) for offset, color in zip(offsets, bgra)]

    def _moves_with_camera(self, mob: Mobject) -> bool:
        """A vectorized mobject projected by the camera, not fixed in the frame or in orientation."""
        return (
            isinstance(mob, VMobject)
            and mob not in self.fixed_in_frame_mobjects
            and mob not in self.fixed_orientation_mobjects
        )

    def transform_points_pre_display(self, mobject: Mobject, points: np.ndarray) -> np.ndarray:
        """Stock's, taken from this frame's projection of all mobjects at once where it has them."""
        projected = self._projection.points(mobject, points)
        return projected if projected is not None else super().transform_points_pre_display(mobject, points)

    def set_cairo_context_path(self, ctx: cairo.Context, vmobject: VMobject) -> FastThreeDCamera:
        """Stock's, with the subpaths found for all mobjects at once (:class:`FrameProjection`)."""
        if not self._projection.set_path(ctx, vmobject):
            super().set_cairo_context_path(ctx, vmobject)
        return self

    def modified_rgbas(self, vmobject: VMobject, rgbas: np.ndarray) -> np.ndarray:
        """Stock's light shading, kept while its inputs stay the same (:class:`ShadingCache`)."""
        if not (self.should_apply_shading and vmobject.shade_in_3d and len(vmobject.points)):
            return rgbas
        light = self.light_source.points[0]
        return self._shading.get(vmobject, rgbas, light, lambda: super(FastThreeDCamera, self).modified_rgbas(vmobject, rgbas))

    def _bulk(self, members: list[Mobject]) -> tuple[list[FastSurface], list[ThreeDVMobject], list[SurfaceLine], list[Mobject]]:
        """``members`` drawn in bulk, in order: every :class:`FastSurface`; the faces of stock
        ``Surface`` (``ThreeDVMobject`` quads) and the :class:`SurfaceLine` with at least one
        curve that move with the camera; then the rest."""
        surfaces, quads, lines, rest = [], [], [], []
        moves = self._moves_with_camera
        for mob in members:
            if isinstance(mob, FastSurface):
                surfaces.append(mob)
            elif isinstance(mob, ThreeDVMobject) and len(mob.points) == 16 and moves(mob):
                quads.append(mob)
            elif isinstance(mob, SurfaceLine) and len(mob.points) >= 4 and moves(mob):
                lines.append(mob)
            else:
                rest.append(mob)
        return surfaces, quads, lines, rest

    def _depths(self, mobjects: list[Mobject]) -> np.ndarray:
        r"""Stock ``ThreeDCamera`` depth keys of ``mobjects``: larger is nearer the viewer;
        :math:`+\infty` for a mobject not shaded in 3-D (drawn last, as stock does). The centers
        of mobjects without submobjects are found all at once."""
        depths = np.full(len(mobjects), np.inf)
        leaves, points = [], []
        for k, mob in enumerate(mobjects):
            if not getattr(mob, "shade_in_3d", False):
                continue
            if mob.submobjects or "z_index_group" in vars(mob) or not len(mob.points):
                depths[k] = self.rotation_matrix[2] @ mob.get_z_index_reference_point()
            else:  # the box stock's get_center takes: of a vectorized mobject's anchors
                leaves.append(k)
                points.append(anchors([mob]) if isinstance(mob, VMobject) else mob.points)
        if leaves:
            starts = np.cumsum([0] + [len(p) for p in points[:-1]])
            every = np.concatenate(points)
            centers = (np.minimum.reduceat(every, starts) + np.maximum.reduceat(every, starts)) / 2
            depths[leaves] = centers @ self.rotation_matrix[2]
        return depths

    def _axis_gradient_ends(self, mobjects: list[Mobject], members: list[Mobject]) -> dict[Mobject, list[float]]:
        """Gradient end points as displayed, ``[x0, y0, x1, y1]``, of the pieces of every
        ``ThreeDAxes`` axis among ``members``.

        ``ThreeDAxes`` shades each piece of an axis with a gradient across the whole axis and
        recomputes the axis's bounding box for every piece, most of the cost of its axes.  The
        ends are computed once per axis and kept while the axis's line and the light stay put,
        and projected once per axis per frame.
        """
        pieces = [mob for mob in members if "get_gradient_start_and_end_points" in vars(mob)]
        if any(piece not in self._axis_of_piece for piece in pieces):
            self._axis_of_piece = {
                piece: (axes, axis)
                for axes in extract_mobject_family_members(mobjects)
                if isinstance(axes, ThreeDAxes)
                for axis in axes.axes
                for piece in axis.family_members_with_points()
            }
        ends: dict[Mobject, list[float]] = {}
        projected: dict[Mobject, list[float]] = {}  # per axis, for its pieces that move with the camera
        for piece in pieces:
            axes, axis = self._axis_of_piece.get(piece, (None, None))
            if axes is None:
                continue
            light = np.asarray(axes.light_source, dtype=float)
            key = (axis.points.tobytes(), light.tobytes())
            kept = self._axis_ends.get(axis)
            if kept is None or kept[0] != key:
                kept = self._axis_ends[axis] = (key, np.array([axis.get_edge_center(-light), axis.get_edge_center(light)]))
            if not self._moves_with_camera(piece):
                ends[piece] = self.transform_points_pre_display(piece, kept[1])[:, :2].ravel().tolist()
                continue
            if axis not in projected:
                projected[axis] = self.project_points(kept[1])[:, :2].ravel().tolist()
            ends[piece] = projected[axis]
        return ends

    def set_cairo_context_color(
        self, ctx: cairo.Context, rgbas: np.ndarray, vmobject: VMobject
    ) -> FastThreeDCamera:
        """Stock's, with the ``ThreeDAxes`` gradients computed once per axis per frame
        (:meth:`_source`)."""
        _set_source(ctx, self._source(vmobject, rgbas))
        return self

    def apply_fill(self, ctx: cairo.Context, vmobject: VMobject) -> FastThreeDCamera:
        """Stock's, skipped (shading and all) when every fill color is fully transparent,
        as for lines and axes."""
        if any(vmobject.fill_rgbas[:, 3].tolist()):
            super().apply_fill(ctx, vmobject)
        return self

    def _display(self, mobjects: list[Mobject]) -> None:
        """Draw ``mobjects`` in order with stock Manim's display functions; runs of vectorized
        mobjects fixed in the frame come from the layer cache once they stop changing."""
        for cached, run in it.groupby(mobjects, self._layered):
            if cached:
                run = list(run)
                ctx = self.get_cairo_context(self.pixel_array)
                keep = self._held.append if self._recording is not None else None
                if not self._layers.draw(run, ctx, self.pixel_array.shape, self._draw_layer, keep):
                    self._draw_stock(run, self.pixel_array)
            else:
                self._draw_stock(list(run), self.pixel_array)

    def _layered(self, mob: Mobject) -> bool:
        return isinstance(mob, VMobject) and mob in self.fixed_in_frame_mobjects

    def _draw_layer(self, mobjects: list[Mobject], pixels: np.ndarray) -> None:
        """Draw into a layer's pixels; their cairo context is not kept past the layer (the
        camera keeps one per pixel array, and with it the array)."""
        self._draw_stock(mobjects, pixels)
        self.pixel_array_to_cairo_context.pop(id(pixels), None)

    def _draw_stock(self, mobjects: list[Mobject], pixels: np.ndarray) -> None:
        for kind, group in it.groupby(mobjects, self.type_or_raise):
            self.display_funcs[kind](list(group), pixels)

    def type_or_raise(self, mobject: Mobject) -> type:
        """Stock's, looked up once per class (:func:`~scenes.kit.family.display_kind`)."""
        return display_kind(self, mobject)

    def _faces(self, sources: list[_FaceArrays]) -> _Faces:
        """All faces, far to near, as :func:`~scenes.kit.face_raster.draw_items` draws them."""
        if not sources:
            return _Faces.none()
        offsets = np.cumsum([0] + [len(source.corners) for source in sources[:-1]])
        neighbours = np.concatenate([np.where(s.neighbours >= 0, s.neighbours + o, -1) for s, o in zip(sources, offsets)])
        corners, fill, stroke, width, shaded = (np.concatenate(a) for a in zip(*(s[:5] for s in sources)))
        n = len(corners)
        xy = self.project_points(corners.reshape(-1, 3))[:, :2].reshape(n, 4, 2)
        centers = (corners.min(axis=1) + corners.max(axis=1)) / 2
        fill, stroke = np.array(fill, dtype=float), np.array(stroke, dtype=float)
        if self.should_apply_shading:
            normals = np.cross(corners[:, 2] - corners[:, 0], corners[:, 3] - corners[:, 1])
            to_light = self.light_source.points[0] - centers
            cosine = np.einsum("ij,ij->i", normals, to_light) / np.maximum(
                np.linalg.norm(normals, axis=1) * np.linalg.norm(to_light, axis=1), 1e-12
            )
            light = np.where(shaded, 0.5 * cosine**3, 0.0)
            light[light < 0] *= 0.5
            fill[:, :3] += light[:, None]
            stroke[:, :3] += light[:, None]
        width = width * self.cairo_line_width_multiple
        banded = (width > 0) & (fill[:, 3] == 1) & (stroke[:, 3] == 1)
        shift = np.where(banded, width / 2, 0.0)[:, None, None] * _outward_miters(xy)
        depths = centers @ self.rotation_matrix[2]
        order = np.argsort(depths, kind="stable")
        stroked = ~banded & (width > 0) & (stroke[:, 3] > 0)
        pixel = self.frame_height / self.pixel_height  # scene units
        smooth, shared, alone = _mesh_sides(xy, neighbours, order, stroked, CRISP_FACE_PIXELS * pixel)
        shared_alpha = 1 - (1 - stroke[:, 3]) ** 2  # one stroke for the two each face gave a side
        return _Faces(
            xy - shift, xy + shift, fill, stroke, smooth | banded, banded, np.where(banded, 0, width),
            shared, alone, shared_alpha, depths, np.zeros((n, 4)),
        ).take(order)  # fmt: skip

    def _draw_in_layers(self, faces: _Faces, pieces: _Pieces, rows: list[tuple], items: np.ndarray, boxes: np.ndarray) -> None:
        """Draw ``items`` in order: indices of ``faces``, then of ``pieces`` after them, then of
        ``rows`` after those. Faces and pieces go in layers drawn by
        :func:`~scenes.kit.face_raster.draw_items`, rows are drawn with cairo, in the steps of
        :func:`~scenes.kit.face_raster.layer_steps`: whatever meets (``boxes``, in the order of
        ``items``) keeps its order."""
        if not len(items):
            return
        drawn = len(faces.depths) + len(pieces.depths)
        in_layer = items < drawn
        from scenes.kit.face_raster import layer_steps  # numba, loaded by 3-D scenes only

        steps = layer_steps(in_layer, boxes)
        for step in range(steps.max() + 1):
            now = steps == step
            self._paint_layer(faces, pieces, items[now & in_layer], boxes[now & in_layer])
            self._draw_rows([rows[k - drawn] for k in items[now & ~in_layer].tolist()])

    def _paint_layer(self, faces: _Faces, pieces: _Pieces, items: np.ndarray, boxes: np.ndarray) -> None:
        """Draw ``items`` (as in :meth:`_draw_in_layers`) into a layer of their ``boxes``, painted
        on the frame; for the painter, drawn on its thread before it replays the frame."""
        if not len(items):
            return
        height, width = self.pixel_array.shape[:2]
        left, top = max(int(np.floor(boxes[:, 0].min())), 0), max(int(np.floor(boxes[:, 1].min())), 0)
        right, bottom = min(int(np.ceil(boxes[:, 2].max())), width), min(int(np.ceil(boxes[:, 3].max())), height)
        if right <= left or bottom <= top:
            return
        layer = np.empty((bottom - top, right - left, 4), dtype=np.uint8)  # cleared where drawn
        surface = cairo.ImageSurface.create_for_data(layer.data, cairo.FORMAT_ARGB32, right - left, bottom - top)
        args = (layer, left, top, items, *faces[:10], *pieces[:6])
        if self._recording is not None:  # drawn by the painter, before it replays the recording
            self._layer_draws.append(functools.partial(_draw_layer, surface, args))
        else:
            _draw_layer(surface, args)
        ctx = self.get_cairo_context(self.pixel_array)
        ctx.save()
        ctx.identity_matrix()
        ctx.set_source_surface(surface, left, top)
        ctx.paint()
        ctx.restore()

    def _cut_lines(self, lines: list[SurfaceLine]) -> _Pieces:
        """The pieces of ``lines`` (:meth:`_line_cuts`), projected, their depths, boxes on screen
        and colors: a line's color, or its gradient of colors spread over its pieces."""
        cuts = self._line_cuts(lines)
        starts, ends, bounds, firsts = cuts.starts, cuts.ends, cuts.bounds, cuts.firsts
        xy = self.project_points(cuts.curves.reshape(-1, 3))[:, :2].reshape(-1, 8)
        depths = cuts.centers @ self.rotation_matrix[2]
        per_line = np.diff(bounds)
        halves = np.repeat([max(0.0, line.stroke_width) for line in lines], per_line) * self.cairo_line_width_multiple / 2
        colors = np.repeat([line.stroke_rgbas[0] for line in lines], per_line, axis=0)
        for k, line in enumerate(lines):
            if len(line.stroke_rgbas) > 1:  # a gradient of colors spread over the line's pieces
                b0, b1 = bounds[k], bounds[k + 1]
                middles = (starts[b0:b1] + ends[b0:b1] - 2 * firsts[k]) / (2 * (firsts[k + 1] - firsts[k]))
                stops = np.linspace(0, 1, len(line.stroke_rgbas))
                colors[b0:b1] = np.stack([np.interp(middles, stops, c) for c in line.stroke_rgbas.T], axis=1)
        flat = xy.reshape(-1, 2)  # the control points on screen, 4 a curve
        low, high = np.minimum.reduceat(flat, 4 * starts), np.maximum.reduceat(flat, 4 * starts)
        return _Pieces(
            xy, cuts.straight, np.stack([starts, ends], axis=1), colors, halves, np.ones(len(starts), bool),
            depths, np.concatenate([low - halves[:, None], high + halves[:, None]], axis=1),
        )  # fmt: skip

    def _line_cuts(self, lines: list[SurfaceLine]) -> _LineCuts:
        """How ``lines`` are cut, kept from frame to frame while their points stay the same.

        A piece is at most ``piece_curves`` consecutive curves of one line, cut also where a
        curve does not start at the end of the one before; its depth is that of the center of
        its bounding box, like a face's. All lines are cut together.
        """
        counts = np.array([len(line.points) // 4 for line in lines])
        curves = np.concatenate([line.points[: 4 * n] for line, n in zip(lines, counts.tolist())]).reshape(-1, 4, 3)
        key = (tuple(counts.tolist()), tuple(line.piece_curves for line in lines), tuple(map(id, lines)))
        kept = self._cuts.get(key)
        if kept is None or not np.array_equal(kept.curves, curves):
            firsts = np.concatenate([[0], np.cumsum(counts)])  # each line's first curve
            jumps = np.flatnonzero(np.any(np.abs(curves[1:, 0] - curves[:-1, 3]) > 1e-9, axis=1)) + 1
            owner = np.repeat(np.arange(len(lines)), counts)
            within = np.arange(len(curves)) - firsts[owner]
            starts = np.union1d(np.flatnonzero(within % np.repeat(key[1], counts) == 0), jumps)
            corners = curves.reshape(-1, 3)
            centers = (np.minimum.reduceat(corners, 4 * starts) + np.maximum.reduceat(corners, 4 * starts)) / 2
            bounds = np.searchsorted(owner[starts], np.arange(len(lines) + 1))  # each line's pieces
            straight = straight_curves(corners)  # in space, so on screen
            kept = _LineCuts(curves, firsts, starts, np.append(starts[1:], len(curves)), bounds, centers, straight)
        self._cuts_used[key] = kept
        return kept

    def _draw_rows(self, rows: list[tuple]) -> None:
        """Draw plain mobjects' rows (:meth:`_plain_rows`) in order on the frame's cairo
        context, filled and stroked as stock Manim draws them."""
        if not rows:
            return
        ctx = self.get_cairo_context(self.pixel_array)
        ctx.new_path()
        ctx.set_line_join(cairo.LineJoin.MITER)
        ctx.set_line_cap(cairo.LineCap.BUTT)
        for _, mob, fill_source, stroke_source, width in rows:
            self.set_cairo_context_path(ctx, mob)
            if fill_source is not None:
                _set_source(ctx, fill_source)
                ctx.fill_preserve()
            if stroke_source is not None:
                _set_source(ctx, stroke_source)
                ctx.set_line_width(width)
                ctx.stroke_preserve()
            ctx.new_path()


@functools.cache
def _load_rasterizer() -> None:
    """Import numba's rasterizer and load its compiled code on a thread, once
    (:func:`~scenes.kit.face_raster.load_compiled`)."""

    def load() -> None:
        from scenes.kit.face_raster import load_compiled

        load_compiled()

    threading.Thread(target=load, name="load-rasterizer", daemon=True).start()


def _one_color(rgbas: list[list[float]]) -> bool:
    """Whether the colors ``rgbas`` are one color (however many times)."""
    return all(rgba == rgbas[0] for rgba in rgbas)


def _draws_nothing(mob: VMobject) -> bool:
    """Stroked with width 0 and filled fully transparent (a ``ThreeDAxes`` axis's own line,
    drawn in pieces): stock draws nothing of it."""
    return mob.get_stroke_width() == 0 and mob.get_stroke_width(background=True) == 0 and not mob.fill_rgbas[:, 3].any()


def _draw_layer(surface: cairo.ImageSurface, args: tuple) -> None:
    """Clear the pixels of a layer ``surface`` and draw into them
    (:func:`~scenes.kit.face_raster.draw_items` with ``args``, the first the pixels); the
    surface is held until then."""
    from scenes.kit.face_raster import draw_items  # numba, loaded by 3-D scenes only

    args[0].fill(0)
    draw_items(*args)


def _set_source(ctx: cairo.Context, source: tuple[list[float] | None, list[tuple[float, ...]]]) -> None:
    """Set a :meth:`FastThreeDCamera._source` on ``ctx``: one color, or a linear gradient
    between its ends through its stops."""
    ends, stops = source
    if ends is None:
        ctx.set_source_rgba(*stops[0][1:])
        return
    gradient = cairo.LinearGradient(*ends)
    for stop in stops:
        gradient.add_color_stop_rgba(*stop)
    ctx.set_source(gradient)


def _mesh_sides(
    xy: np.ndarray, neighbours: np.ndarray, order: np.ndarray, stroked: np.ndarray, crisp_height: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which faces are filled with anti-aliasing, and which sides each face strokes, as masks
    (bit :math:`k` for the side from corner :math:`k` to :math:`k + 1`).

    ``xy``: the projected corners (n, 4, 2); ``neighbours``: the face across each side or -1
    (n, 4); ``order``: the drawing order; ``stroked``: the faces whose sides are stroked;
    ``crisp_height``: the least height on screen of a face filled without anti-aliasing.

    A side two stroked faces share is stroked once, by the one drawn later, over both fills
    (it was stroked by each: the caller gives it the opacity of the two strokes); a side a
    face has alone is stroked by it. A face whose four neighbours are all there and turned
    the same way on screen (no silhouette runs along its sides) tiles with them exactly when
    filled without anti-aliasing: no seam of the background where two faces' anti-aliased
    edges meet, and a cheaper fill. Faces at the border of a surface,
    of a hole in it or at a fold are anti-aliased, and so are faces less than
    ``crisp_height`` tall, a few pixels across, where the seams are much of the picture.
    """
    n = len(xy)
    has = neighbours >= 0
    across = np.where(has, neighbours, 0)
    rank = np.empty(n, dtype=int)
    rank[order] = np.arange(n)
    paired = has & stroked[:, None] & stroked[across]
    bits = np.array([1, 2, 4, 8])
    shared = (paired & (rank[:, None] > rank[across])) @ bits
    alone = (~paired & stroked[:, None]) @ bits
    x, y = xy[..., 0], xy[..., 1]
    facing = np.sign(np.sum(x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y, axis=1))
    inside = has.all(axis=1) & (facing != 0) & (facing[across] == facing[:, None]).all(axis=1)
    inside &= np.ptp(y, axis=1) >= crisp_height
    return ~inside, shared, alone


def _outward_miters(xy: np.ndarray) -> np.ndarray:
    r"""Offsets of the corners of quads ``xy`` (n, 4, 2) that move each side out by 1.

    At a corner between sides with outward unit normals :math:`a, b` the offset is the miter
    :math:`(a + b) / (1 + a \cdot b)`, its length capped at 10 (cairo's miter limit) for
    slivers; a side of length 0 has normal 0, so its corners follow the other sides.
    """
    sides = np.roll(xy, -1, axis=1) - xy
    lengths = np.linalg.norm(sides, axis=2, keepdims=True)
    sides = np.divide(sides, lengths, out=np.zeros_like(sides), where=lengths > 0)
    x, y = xy[..., 0], xy[..., 1]
    area = np.sum(x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y, axis=1)  # twice
    after = np.stack([sides[..., 1], -sides[..., 0]], axis=-1) * np.sign(area)[:, None, None]
    before = np.roll(after, 1, axis=1)
    return (before + after) / np.maximum(1 + np.sum(before * after, axis=2, keepdims=True), 0.02)


class _FaceArrays(NamedTuple):
    """Faces to draw: corners (n, 4, 3), fill and stroke RGBA (n, 4), stroke width and
    whether shaded (n,), and the face across each side, or -1 (n, 4)."""

    corners: np.ndarray
    fill: np.ndarray
    stroke: np.ndarray
    width: np.ndarray
    shaded: np.ndarray
    neighbours: np.ndarray


class _Faces(NamedTuple):
    """Faces as :func:`~scenes.kit.face_raster.draw_items` draws them: quads and outer quads
    (n, 4, 2), fill and stroke RGBA (n, 4), anti-aliased and banded (n,), mesh line widths,
    masks of the sides stroked shared and alone, the shared sides' opacity, depths, and boxes
    ``(x0, y0, x1, y1)`` (n, 4). In scene units (the boxes not found yet), or in a frame's
    pixels (:meth:`in_pixels`)."""

    quads: np.ndarray
    outer: np.ndarray
    fill: np.ndarray
    stroke: np.ndarray
    smooth: np.ndarray
    banded: np.ndarray
    width: np.ndarray
    shared: np.ndarray
    alone: np.ndarray
    shared_alpha: np.ndarray
    depths: np.ndarray
    boxes: np.ndarray

    @classmethod
    def none(cls) -> _Faces:
        f, i, b = np.float64, np.int64, np.bool_
        kinds = [((0, 4, 2), f)] * 2 + [((0, 4), f)] * 2 + [(0, b)] * 2 + [(0, f), (0, i), (0, i), (0, f), (0, f), ((0, 4), f)]
        return cls(*(np.zeros(shape, kind) for shape, kind in kinds))

    def take(self, index: np.ndarray) -> _Faces:
        return _Faces(*(a[index] for a in self))

    def in_pixels(self, matrix: cairo.Matrix) -> _Faces:
        """The faces in the pixels of a frame whose cairo ``matrix`` maps scene to pixels."""
        xx, yx, xy, yy, _, _ = matrix
        quads, outer = _points_in_pixels(self.quads, matrix), _points_in_pixels(self.outer, matrix)
        width = self.width * np.sqrt(abs(xx * yy - xy * yx))
        pad = width / 2 + 2  # a stroke's half width and anti-aliasing
        x, y = np.concatenate([quads[..., 0], outer[..., 0]], axis=1), np.concatenate([quads[..., 1], outer[..., 1]], axis=1)
        boxes = np.stack([x.min(axis=1) - pad, y.min(axis=1) - pad, x.max(axis=1) + pad, y.max(axis=1) + pad], axis=1)
        shared, alone = self.shared.astype(np.int64), self.alone.astype(np.int64)
        return self._replace(quads=quads, outer=outer, width=width, shared=shared, alone=alone, boxes=boxes)


class _LineCuts(NamedTuple):
    """Lines cut into pieces (:meth:`FastThreeDCamera._line_cuts`): their curves (m, 4, 3), each
    line's first curve, each piece's first and end curve, each line's pieces, each piece's
    center in space, and whether each curve is straight."""

    curves: np.ndarray
    firsts: np.ndarray
    starts: np.ndarray
    ends: np.ndarray
    bounds: np.ndarray
    centers: np.ndarray
    straight: np.ndarray


class _Pieces(NamedTuple):
    """Pieces of lines as :func:`~scenes.kit.face_raster.draw_items` draws them: the lines'
    curves (m, 8) on screen and whether each is straight; each piece's curves ``[start, end)``
    (p, 2), color (RGBA, 0-1), half width, whether its ends and joins are round (else butt ends),
    depth and box ``(x0, y0, x1, y1)``. In scene units, or in a frame's pixels (:meth:`in_pixels`)."""

    curves: np.ndarray
    straight: np.ndarray
    bounds: np.ndarray
    colors: np.ndarray
    halves: np.ndarray
    rounded: np.ndarray
    depths: np.ndarray
    boxes: np.ndarray

    @classmethod
    def none(cls) -> _Pieces:
        shapes = [(0, 8), (0,), (0, 2), (0, 4), (0,), (0,), (0,), (0, 4)]
        types = [float, bool, np.int64, float, float, bool, float, float]
        return cls(*(np.zeros(shape, dtype=kind) for shape, kind in zip(shapes, types)))

    def joined(self, other: _Pieces) -> _Pieces:
        """These pieces and then ``other``'s, their curves after these."""
        if not len(other.depths):
            return self
        joined = _Pieces(*(np.concatenate([a, b]) for a, b in zip(self, other)))
        return joined._replace(bounds=np.concatenate([self.bounds, other.bounds + len(self.curves)]))

    def in_pixels(self, matrix: cairo.Matrix) -> _Pieces:
        """The pieces in the pixels of a frame whose cairo ``matrix`` maps scene to pixels."""
        xx, yx, xy, yy, _, _ = matrix
        curves = _points_in_pixels(self.curves.reshape(-1, 4, 2), matrix).reshape(-1, 8)
        halves = self.halves * np.sqrt(abs(xx * yy - xy * yx))
        boxes = _boxes_in_pixels(self.boxes, matrix)
        return self._replace(curves=curves, halves=halves, boxes=boxes, bounds=self.bounds.astype(np.int64))


def _points_in_pixels(points: np.ndarray, matrix: cairo.Matrix) -> np.ndarray:
    """Scene points ``(..., 2)`` in the pixels of a frame whose cairo ``matrix`` maps scene to
    pixels: :math:`(m_{xx} x + m_{xy} y + x_0, m_{yx} x + m_{yy} y + y_0)`."""
    xx, yx, xy, yy, x0, y0 = matrix
    x, y = points[..., 0], points[..., 1]
    return np.stack([xx * x + xy * y + x0, yx * x + yy * y + y0], axis=-1)


def _boxes_in_pixels(boxes: np.ndarray, matrix: cairo.Matrix) -> np.ndarray:
    """Scene boxes ``(x0, y0, x1, y1)`` (n, 4) as pixel boxes under ``matrix`` (the boxes of
    their corners' images), 2 pixels wider on each side (anti-aliasing). An infinite box stays
    infinite."""
    xx, yx, xy, yy, x0, y0 = matrix
    low_x, low_y, high_x, high_y = boxes.T

    def span(a: float, b: float, offset: float) -> tuple[np.ndarray, np.ndarray]:
        """The least and greatest :math:`a x + b y` + ``offset`` over each box."""
        low, high = np.full(len(boxes), offset), np.full(len(boxes), offset)
        for scale, lo, hi in ((a, low_x, high_x), (b, low_y, high_y)):
            if scale:  # 0 adds nothing, even to an infinite box
                low += scale * (lo if scale > 0 else hi)
                high += scale * (hi if scale > 0 else lo)
        return low, high

    (left, right), (top, bottom) = span(xx, xy, x0), span(yx, yy, y0)
    return np.stack([left - 2, top - 2, right + 2, bottom + 2], axis=1)


def _fast_surface_arrays(surface: FastSurface) -> _FaceArrays:
    """The faces of a fast surface that are shown, its colors stretched to one per face."""
    n, shown = surface.n_faces, surface.shown
    index = np.where(shown, np.cumsum(shown) - 1, -1)  # of each face among those shown
    neighbours = surface.face_neighbours()[shown]
    return _FaceArrays(
        surface.points[surface.face_corners[shown]],
        stretch_array_to_length(surface.get_fill_rgbas(), n)[shown],
        stretch_array_to_length(surface.get_stroke_rgbas(), n)[shown],
        np.full(n, surface.get_stroke_width())[shown],
        np.full(n, surface.shade_in_3d)[shown],
        np.where(neighbours >= 0, index[neighbours], -1),
    )


def _stock_face_arrays(faces: list[ThreeDVMobject]) -> _FaceArrays:
    """The faces of stock surfaces: 4 cubic curves each, starting at the 4 corners."""
    return _FaceArrays(
        np.array([face.points[::4] for face in faces]),
        np.array([face.get_fill_rgbas()[0] for face in faces]),
        np.array([face.get_stroke_rgbas()[0] for face in faces]),
        np.array([face.get_stroke_width() for face in faces]),
        np.array([face.shade_in_3d for face in faces]),
        np.full((len(faces), 4), -1),
    )


class StockThreeDCamera(ThreeDCamera):
    """Manim's ``ThreeDCamera``, with a clear error for a :class:`FastSurface` or
    :class:`SurfaceLine`, which it would not draw (or not sort) right."""

    def get_mobjects_to_display(self, *args: Any, **kwargs: Any) -> list[Mobject]:
        mobjects = super().get_mobjects_to_display(*args, **kwargs)
        for mob in mobjects:
            if isinstance(mob, (FastSurface, SurfaceLine)):
                raise TypeError(
                    f"a {type(mob).__name__} is drawn only by FastThreeDCamera, and "
                    f"{STOCK_3D_VARIABLE}=1 asks for stock Manim's camera: add its to_stock() "
                    f"instead, or unset {STOCK_3D_VARIABLE}"
                )
        return mobjects


