r"""Arrows in the input plane: :func:`vector_arrows` for given vectors, :class:`ArrowField` for
the gradient :math:`\nabla f` of a surface on a grid."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Arrow, Axes, ManimColor, VGroup

from gradcore.fields import clip_length, grid, normalized
from gradcore.surface import Domain, Surface
from scenes.kit.axes import to_scene
from scenes.kit.maps import finite_range
from scenes.kit.theme import colors_of

__all__ = ["ArrowField", "vector_arrows"]


def vector_arrows(
    axes: Axes,
    tails: np.ndarray,
    vectors: np.ndarray,
    colors: ManimColor | str | Sequence[ManimColor | str],
    *,
    stroke_width: float = 3.0,
    tip_ratio: float = 0.35,
    tip_length: float = 0.2,
) -> VGroup:
    """Arrows from input-plane ``tails`` ``(n, 2)`` along ``vectors`` ``(n, 2)`` (input units).

    Zero vectors, and non-finite tails or vectors, give no arrow. ``colors`` is one color or one per arrow. Tips are
    ``tip_length`` long (scene units), at most ``tip_ratio`` of the arrow.
    """
    tails, vectors = np.asarray(tails, dtype=float).reshape(-1, 2), np.asarray(vectors, dtype=float).reshape(-1, 2)
    if isinstance(colors, (str, ManimColor)):
        colors = [colors] * len(tails)
    starts, ends = to_scene(axes, tails), to_scene(axes, tails + vectors)
    return VGroup(
        *(
            Arrow(
                start,
                end,
                buff=0,
                color=color,
                stroke_width=stroke_width,
                tip_length=tip_length,
                max_tip_length_to_length_ratio=tip_ratio,
                max_stroke_width_to_length_ratio=20,
            )
            for start, end, vector, color in zip(starts, ends, vectors, colors)
            if np.any(vector != 0) and np.all(np.isfinite(start)) and np.all(np.isfinite(end))
        )
    )


class ArrowField(VGroup):
    r"""Arrows of :math:`\nabla f` at the centers of a ``shape = (nx, ny)`` grid of cells over ``domain``.

    Each arrow is centered on its grid point, so it stays in its cell. Length:
    :math:`s\,\nabla f`, with :math:`s` chosen so an arrow of magnitude ``clip_magnitude``
    (default: the largest, or the bulk's largest where a singularity stretches the magnitudes,
    see :func:`~scenes.kit.maps.finite_range`) fills 0.9 of a cell; longer ones are cut to
    that length (:func:`gradcore.fields.clip_length`) and take ``clip_color`` if given. With
    ``normalize`` all arrows are 0.8 of a cell long. Color: ``color``, or ``stops`` colored by
    magnitude from 0 to that reference. No arrow is drawn where the gradient is zero or where
    the value or the gradient is not finite, so a flat surface gives an empty field.

    Parameters
    ----------
    axes
        The map's axes.
    surface
        A gradcore surface; its gradient gives the arrows.
    domain
        The box covered by the grid; default ``surface.domain``.
    shape, normalize, clip_magnitude
        Grid and lengths, as above.
    color, stops, clip_color
        Colors, as above.
    stroke_width
        Width of the arrows.

    Attributes
    ----------
    centers, gradients : ndarray, shape (n, 2)
        Grid points (arrow centers) and :math:`\nabla f` there (from gradcore), one row per
        arrow drawn, in the order of the arrows.
    magnitudes : ndarray, shape (n,)
        :math:`\|\nabla f\|`.
    vectors : ndarray, shape (n, 2)
        The drawn arrows in input units (scaled, normalized or clipped).
    clipped : ndarray of bool, shape (n,)
        Arrows cut to the length of ``clip_magnitude``.
    length_scale : float or None
        The factor :math:`s` of the arrows :math:`s \nabla f` (None when normalized).

    Examples
    --------
    .. manim:: SaddleField

        from scenes.kit import ArrowField, GradScene, map_axes

        class SaddleField(GradScene):
            surface_name = "saddle"

            def construct(self):
                surface = self.surface()
                axes = map_axes(surface.domain, self.theme.foreground)
                field = ArrowField(axes, surface, stops=self.theme.colormap)
                self.add(axes)
                self.play(LaggedStart(*(GrowArrow(a) for a in field), lag_ratio=0.02))
    """

    centers: np.ndarray
    gradients: np.ndarray
    magnitudes: np.ndarray
    vectors: np.ndarray
    clipped: np.ndarray
    length_scale: float | None

    def __init__(
        self,
        axes: Axes,
        surface: Surface,
        *,
        domain: Domain | None = None,
        shape: tuple[int, int] = (15, 15),
        normalize: bool = False,
        clip_magnitude: float | None = None,
        color: ManimColor | str | None = None,
        stops: Sequence[str] | None = None,
        clip_color: ManimColor | str | None = None,
        stroke_width: float = 3.0,
    ) -> None:
        (xmin, xmax), (ymin, ymax) = surface.domain if domain is None else domain
        nx, ny = shape
        cx, cy = (xmax - xmin) / nx, (ymax - ymin) / ny
        inner = ((xmin + cx / 2, xmax - cx / 2), (ymin + cy / 2, ymax - cy / 2))
        points = grid(inner, shape).reshape(-1, 2)
        with np.errstate(all="ignore"):
            gradients = np.asarray(surface.gradient(points), dtype=float)
            values = np.asarray(surface.value(points), dtype=float)
        # No arrow where the surface or its gradient is not finite (log(x) has a gradient at x < 0).
        finite = np.all(np.isfinite(gradients), axis=-1) & np.isfinite(values)
        points, gradients = points[finite], gradients[finite]
        magnitudes = np.linalg.norm(gradients, axis=-1)
        cell = min(cx, cy)
        clipped = np.zeros(len(points), dtype=bool)
        # Default reference: the largest magnitude, or the bulk's where a singularity stretches it.
        reference = clip_magnitude if clip_magnitude is not None else (finite_range(magnitudes) or (0.0, 0.0))[1]
        if normalize:
            vectors, scale = normalized(gradients) * 0.8 * cell, None
        elif reference > 0:
            scale = 0.9 * cell / reference
            vectors, clipped = clip_length(scale * gradients, 0.9 * cell * (1 + 1e-9))  # to 1 part in 1e9
        else:  # a flat surface: no arrows
            vectors, scale = np.zeros_like(gradients), None
        if stops is not None:
            colors = colors_of(magnitudes, 0.0, reference if not normalize else magnitudes.max(initial=0.0), stops)
        else:
            colors = [color] * len(points)
        if clip_color is not None:
            colors = [clip_color if c else k for k, c in zip(colors, clipped)]
        keep = np.any(vectors != 0, axis=-1)  # a zero gradient draws no arrow
        colors = np.array(colors, dtype=object)[keep]
        tails = points[keep] - vectors[keep] / 2
        super().__init__(*vector_arrows(axes, tails, vectors[keep], colors, stroke_width=stroke_width))
        self.centers, self.gradients, self.magnitudes = points[keep], gradients[keep], magnitudes[keep]
        self.vectors, self.clipped, self.length_scale = vectors[keep], clipped[keep], scale
