"""Shaded 3-D surfaces as one mobject each, and lines drawn on them, for the fast 3-D path.

Stock Manim draws a ``Surface`` as one ``VMobject`` per face. :class:`FastSurface` holds the
whole grid of vertices in one mobject (quick to build and to color by height), and
:class:`SurfaceLine` is a line on or above a surface (a level line); the
:class:`~scenes.kit.camera3d.FastThreeDCamera` of a
:class:`~scenes.kit.scene3d.FastThreeDScene` projects, shades, depth-sorts and draws their faces
and pieces in bulk. For stock Manim's path (``GRADSCENES_STOCK_3D=1``), :meth:`FastSurface.to_stock`
and :meth:`SurfaceLine.to_stock` give the same thing as stock mobjects.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from manim import BLUE_D, BLUE_E, LIGHT_GREY, ManimColor, Mobject, Surface, ThreeDAxes, VGroup, VMobject
from manim.utils.iterables import stretch_array_to_length

if TYPE_CHECKING:
    from manim.utils.color import ParsableManimColor

    from gradcore import Surface as GradcoreSurface

__all__ = ["FastSurface", "SurfaceLine"]


class FastSurface(VMobject):
    r"""A parametric surface drawn in bulk by :class:`FastThreeDCamera`.

    The surface samples ``func`` on a ``(resolution + 1)``-grid of :math:`(u, v)` and keeps the
    vertices as its points, so ``shift``, ``rotate``, ``apply_function``, ``Transform`` and
    ``FadeIn`` work as on any mobject. Face :math:`(i, j)` has the corners
    :math:`P_{i,j}, P_{i+1,j}, P_{i+1,j+1}, P_{i,j+1}`, in the order of Manim's ``Surface``.
    Fill colors are per face (``fill_rgbas`` holds one row per face, or one row for all);
    the stroke draws the mesh lines. The arguments mirror Manim's ``Surface``.

    Parameters
    ----------
    func
        :math:`(u, v) \mapsto (x, y, z)` in scene coordinates, called once per vertex.
    u_range, v_range
        ``(min, max)`` of each parameter.
    resolution
        Number of faces along :math:`u` and :math:`v`, one int for both or a pair.
    fill_color, fill_opacity
        Fill of every face unless ``checkerboard_colors`` is given.
    checkerboard_colors
        Colors alternating over the faces, or ``None`` for ``fill_color`` alone.
    stroke_color, stroke_width
        Style of the mesh lines (``stroke_width=0`` draws none).
    **kwargs
        Passed to :class:`~manim.mobject.types.vectorized_mobject.VMobject`.

    Notes
    -----
    ``Create`` and other partial-path animations do not apply (the points are a grid, not a
    path): bring a surface in with ``FadeIn``. The surface needs a :class:`~scenes.kit.scene3d.FastThreeDScene`.

    Examples
    --------
    .. manim:: RotatingSaddle

        from scenes.kit import FastSurface, FastThreeDScene

        class RotatingSaddle(FastThreeDScene):
            def construct(self):
                axes = ThreeDAxes(x_range=(-1, 1, 0.5), y_range=(-1, 1, 0.5),
                                  z_range=(-1, 1, 0.5), x_length=6, y_length=6, z_length=4)
                surface = FastSurface(
                    lambda u, v: axes.c2p(u, v, u * u - v * v),
                    u_range=(-1, 1), v_range=(-1, 1), resolution=24,
                )
                surface.set_fill_by_value(axes, colorscale=[BLUE, GREEN, YELLOW])
                ball = Dot3D(axes.c2p(0.5, 0, 0.25), radius=0.12, color=RED)
                title = Text("z = x² - y²").to_corner(UL)
                self.set_camera_orientation(phi=65 * DEGREES, theta=-50 * DEGREES)
                self.add(axes, surface, ball)
                self.add_fixed_in_frame_mobjects(title)
                self.begin_ambient_camera_rotation(rate=0.4)
                self.wait(4)
    """

    def __init__(
        self,
        func: Callable[[float, float], Sequence[float]],
        u_range: tuple[float, float] = (0, 1),
        v_range: tuple[float, float] = (0, 1),
        resolution: int | tuple[int, int] = 32,
        fill_color: ParsableManimColor = BLUE_D,
        fill_opacity: float = 1.0,
        checkerboard_colors: Sequence[ParsableManimColor] | None = (BLUE_D, BLUE_E),
        stroke_color: ParsableManimColor = LIGHT_GREY,
        stroke_width: float = 0.5,
        **kwargs: Any,
    ) -> None:
        nu, nv = (resolution, resolution) if isinstance(resolution, int) else resolution
        if nu < 1 or nv < 1:
            raise ValueError(
                f"resolution must be at least 1 face along u and v, got {resolution!r}; "
                "pass e.g. 24 or (24, 12)"
            )
        super().__init__(
            fill_color=fill_color,
            fill_opacity=fill_opacity,
            stroke_color=stroke_color,
            stroke_width=stroke_width,
            shade_in_3d=True,
            **kwargs,
        )
        self._func = func
        self.u_range, self.v_range, self.resolution = u_range, v_range, (nu, nv)
        us, vs = np.linspace(*u_range, nu + 1), np.linspace(*v_range, nv + 1)
        self.set_points(np.array([self.func(u, v) for u in us for v in vs], dtype=float))
        i, j = np.meshgrid(np.arange(nu), np.arange(nv), indexing="ij")
        first = (i * (nv + 1) + j).ravel()
        #: Vertex indices of the 4 corners of each face, shape (n_faces, 4).
        self.face_corners = np.stack([first, first + nv + 1, first + nv + 2, first + 1], axis=1)
        #: Whether each face is drawn, shape (n_faces,); :meth:`from_surface` leaves out faces
        #: where the graph is not finite or leaves the axes' range.
        self.shown = np.ones(len(self.face_corners), dtype=bool)
        if checkerboard_colors:
            self.set_fill_by_checkerboard(*checkerboard_colors)

    @classmethod
    def from_surface(
        cls,
        surface: GradcoreSurface,
        axes: ThreeDAxes,
        domain: tuple[tuple[float, float], tuple[float, float]] | None = None,
        **kwargs: Any,
    ) -> FastSurface:
        """The graph :math:`z = f(x, y)` of a gradcore surface over ``domain`` in ``axes``, where
        it is drawable.

        ``domain`` defaults to ``surface.domain``; ``kwargs`` go to :class:`FastSurface`. The
        graph is cut to the z range of ``axes``: a face with a corner or its center where
        :math:`f` is not finite or lies beyond that range (by more than 1% of it: near a
        singularity) is left out (:attr:`shown`), and every vertex is kept inside the range, so
        the points stay finite.
        """
        (xmin, xmax), (ymin, ymax) = surface.domain if domain is None else domain
        low, high = (float(v) for v in axes.z_range[:2])
        slack = 0.01 * (high - low)

        def height(x: float, y: float) -> float:
            with np.errstate(all="ignore"):
                z = float(surface.value((x, y)))
            return float(np.clip(z, low, high)) if np.isfinite(z) else low

        graph = cls(lambda x, y: axes.c2p(x, y, height(x, y)), u_range=(xmin, xmax), v_range=(ymin, ymax), **kwargs)
        nu, nv = graph.resolution
        xs, ys = np.linspace(xmin, xmax, nu + 1), np.linspace(ymin, ymax, nv + 1)
        vertices = np.stack(np.meshgrid(xs, ys, indexing="ij"), axis=-1).reshape(-1, 2)
        centers = vertices[graph.face_corners].mean(axis=1)
        with np.errstate(all="ignore"):
            corner_values = np.asarray(surface.value(vertices), dtype=float)[graph.face_corners]
            values = np.column_stack([corner_values, np.asarray(surface.value(centers), dtype=float)])
        drawable = np.isfinite(values) & (values >= low - slack) & (values <= high + slack)
        graph.shown = np.all(drawable, axis=1)
        return graph

    def func(self, u: float, v: float) -> Sequence[float]:
        """The point of the surface at :math:`(u, v)`; override it in a subclass."""
        return self._func(u, v)

    @property
    def n_faces(self) -> int:
        """Number of faces, ``nu * nv``."""
        return len(self.face_corners)

    def get_points_defining_boundary(self) -> np.ndarray:
        """All vertices: the points are a grid, not Bézier anchors and handles."""
        return np.concatenate([mob.points for mob in self.get_family()])

    def apply_function(
        self, function: Callable[[np.ndarray], np.ndarray], **kwargs: Any
    ) -> FastSurface:
        """Map every vertex through ``function`` (no Bézier handle rescaling)."""
        return Mobject.apply_function(self, function, **kwargs)

    def face_neighbours(self) -> np.ndarray:
        """For each face and each of its sides, the face across that side, or -1 at the grid's
        border, shape (n_faces, 4). Side :math:`k` runs from corner :math:`k` to corner
        :math:`k + 1`: face :math:`(i, j)` meets :math:`(i, j - 1), (i + 1, j), (i, j + 1),
        (i - 1, j)`."""
        nu, nv = self.resolution
        i, j = np.divmod(np.arange(self.n_faces), nv)
        across = np.stack([i * nv + j - 1, (i + 1) * nv + j, i * nv + j + 1, (i - 1) * nv + j], axis=1)
        inside = np.stack([j > 0, i < nu - 1, j < nv - 1, i > 0], axis=1)
        return np.where(inside, across, -1)

    def face_centers(self) -> np.ndarray:
        """Mean of the 4 corners of each face, shape (n_faces, 3)."""
        return self.points[self.face_corners].mean(axis=1)

    def set_face_colors(self, rgbs: np.ndarray, *, stroke: bool = False) -> FastSurface:
        """Give each face its own fill color (``rgbs`` of shape (n_faces, 3), floats in [0, 1]).

        Opacities are kept; with ``stroke=True`` the mesh lines take the same colors.
        """
        for name in ("fill_rgbas", "stroke_rgbas") if stroke else ("fill_rgbas",):
            rgbas = stretch_array_to_length(getattr(self, name), self.n_faces)  # a copy
            rgbas[:, :3] = rgbs
            setattr(self, name, rgbas)
        return self

    def to_stock(self) -> Surface:
        """This surface as Manim's ``Surface``: one ``ThreeDVMobject`` per face with the same
        corners, fill, mesh lines and shading, for stock Manim's ``ThreeDCamera``."""
        nu, nv = self.resolution
        stock = Surface(
            self.func, u_range=self.u_range, v_range=self.v_range, resolution=(nu, nv),
            checkerboard_colors=False, shade_in_3d=self.shade_in_3d,
        )  # fmt: skip
        n = self.n_faces
        fills = stretch_array_to_length(self.get_fill_rgbas(), n)
        strokes = stretch_array_to_length(self.get_stroke_rgbas(), n)
        width = self.get_stroke_width()
        for face, corners, fill, stroke in zip(
            stock, self.points[self.face_corners], fills, strokes, strict=True
        ):
            face.set_points_as_corners([*corners, corners[0]])
            face.fill_rgbas, face.stroke_rgbas = fill[None].copy(), stroke[None].copy()
            face.stroke_width = width
        stock.remove(*(face for face, shown in zip(stock, self.shown, strict=True) if not shown))
        return stock

    def set_fill_by_checkerboard(
        self, *colors: ParsableManimColor, opacity: float | None = None
    ) -> FastSurface:
        r"""Alternate ``colors`` over the faces: face :math:`(i, j)` gets color
        :math:`(i + j) \bmod n`."""
        nu, nv = self.resolution
        i, j = np.meshgrid(np.arange(nu), np.arange(nv), indexing="ij")
        palette = np.array([ManimColor(color).to_rgb() for color in colors])
        self.set_face_colors(palette[((i + j) % len(colors)).ravel()])
        if opacity is not None:
            self.set_fill(opacity=opacity)
        return self

    def set_fill_by_value(
        self,
        axes: ThreeDAxes,
        colorscale: Iterable[ParsableManimColor] | Iterable[tuple[ParsableManimColor, float]],
        axis: int = 2,
    ) -> FastSurface:
        """Color each face by the ``axis`` coordinate (in ``axes``) of its center.

        ``colorscale`` is a list of colors spread evenly over the axis range, or a list of
        ``(color, value)`` pivots; colors are interpolated linearly in RGB between pivots and
        held beyond them. As with Manim's ``Surface.set_fill_by_value``, the mesh lines take
        the face colors too: call ``set_stroke`` afterwards for contrasting lines.
        """
        scale = list(colorscale)
        if not scale:
            raise ValueError("colorscale must hold at least one color; pass e.g. [BLUE, YELLOW]")
        if isinstance(scale[0], tuple):
            colors, pivots = zip(*scale, strict=True)
        else:
            low, high = (axes.x_range, axes.y_range, axes.z_range)[axis][:2]
            colors, pivots = scale, np.linspace(low, high, len(scale))
        palette = np.array([ManimColor(color).to_rgb() for color in colors])
        values = np.asarray(axes.point_to_coords(self.face_centers()))[:, axis]
        rgbs = np.stack([np.interp(values, pivots, channel) for channel in palette.T], axis=1)
        return self.set_face_colors(rgbs, stroke=True)


class SurfaceLine(VMobject):
    r"""A line on or above a 3-D surface, drawn in bulk among the surface's faces.

    :class:`FastThreeDCamera` cuts it into pieces of ``piece_curves`` curves, puts each piece
    among the depth-sorted faces by the depth of its center (as stock Manim sorts separate
    ``shade_in_3d`` mobjects: faces nearer the viewer hide the piece) and strokes the pieces in
    the line's own color, not light-shaded, with round joins and caps, so they join into one
    even line (stock Manim shades every piece after a normal of its own). A gradient of
    stroke colors is spread over the pieces.

    A line on the floor under a graph is ``beneath`` it: seen from above the floor, everything
    else drawn with it is between it and the viewer, so the camera strokes it whole before
    everything else (the pieces of such lines, depth-sorted one by one, were most of a turning
    scene's strokes). Seen from below, it is cut and sorted like any other.

    Parameters
    ----------
    points
        Corners of the polyline, shape (n, 3), or ``None`` to set the points later.
    piece_curves
        Number of curves (segments) per depth-sorted piece.
    beneath
        For a line in a plane under everything else drawn with it: that plane's normal
        pointing up, toward the rest (scene coordinates, shape (3,)); ``None`` otherwise.
    **kwargs
        Passed to :class:`~manim.mobject.types.vectorized_mobject.VMobject`.
    """

    def __init__(
        self,
        points: np.ndarray | None = None,
        piece_curves: int = 1,
        beneath: Sequence[float] | None = None,
        **kwargs: Any,
    ) -> None:
        if piece_curves < 1:
            raise ValueError(f"piece_curves must be at least 1, got {piece_curves!r}")
        super().__init__(shade_in_3d=True, **kwargs)
        self.piece_curves = piece_curves
        self.beneath = None if beneath is None else np.asarray(beneath, dtype=float)
        if points is not None:
            self.set_points_as_corners(np.asarray(points, dtype=float))

    def to_stock(self) -> VGroup:
        """The pieces as separate ``shade_in_3d`` VMobjects, as stock Manim needs them."""
        curves = self.points.reshape(-1, 4, 3)
        pieces = VGroup()
        for start in range(0, len(curves), self.piece_curves):
            piece = VMobject(shade_in_3d=True).match_style(self)
            piece.points = curves[start : start + self.piece_curves].reshape(-1, 3).copy()
            pieces.add(piece)
        return pieces

