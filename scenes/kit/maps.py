"""Values as colors: a surface as a :class:`HeightMap`, and the :class:`ColorBar` that reads it."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import UP, Axes, Line, ManimColor, MathTex, Rectangle, VGroup, VMobject

from gradcore.levels import finite_range
from gradcore.surface import Domain, Surface
from scenes.kit.axes import to_scene
from scenes.kit.numbers import Readout
from scenes.kit.theme import colormap, colors_of

__all__ = ["ColorBar", "HeightMap", "finite_range"]


SEAM_WIDTH = 0.6
"""Each cell is grown by this stroke width on every side, so neighbouring cells overlap and no
background shows along their shared edges (one fill covers an edge pixel once, where a fill and
a stroke of this width in the cell's color covered it twice, at three times the cost)."""
GROWN_CORNERS = SEAM_WIDTH * 0.01 * np.array(  # 0.01: Camera's cairo_line_width_multiple
    [[-1, -1, 0], [1, -1, 0], [1, 1, 0], [-1, 1, 0]]
)
"""Offsets of the corners (lower left, lower right, upper right, upper left) of a grown cell."""


class HeightMap(VGroup):
    """``surface.value`` over ``domain`` as cells colored by ``stops``, like a filled contour plot.

    The ``resolution`` columns of square cells are colored in ``bands`` steps from the lowest
    to the highest value (:func:`finite_range`: values beyond a clipped end take the end's
    color); each band is one ``VMobject`` made of runs of cells, filled only (see :data:`SEAM_WIDTH`), so
    the map draws fast.
    Cells where the surface is not finite are left out. (Manim 0.22's ``ImageMobject`` does
    not render with Pillow >= 11.3 in the Cairo renderer.)

    Parameters
    ----------
    axes
        The map's axes.
    surface
        A gradcore surface.
    stops
        The color map, low to high.
    domain
        The box shown; default ``surface.domain``.
    resolution, bands
        Cells across, and color steps.
    value_range
        ``(low, high)`` of the colors; default :func:`finite_range` of the cells' values.

    Attributes
    ----------
    value_range : tuple of float
        ``(lowest, highest)`` value over the cells: the ends of the colors (for a :class:`ColorBar`).
    """

    value_range: tuple[float, float]

    def __init__(
        self,
        axes: Axes,
        surface: Surface,
        stops: Sequence[str],
        *,
        domain: Domain | None = None,
        resolution: int = 160,
        bands: int = 32,
        value_range: tuple[float, float] | None = None,
    ) -> None:
        super().__init__()
        (xmin, xmax), (ymin, ymax) = surface.domain if domain is None else domain
        nx, ny = resolution, max(1, round(resolution * (ymax - ymin) / (xmax - xmin)))
        xs, ys = np.linspace(xmin, xmax, nx + 1), np.linspace(ymin, ymax, ny + 1)
        centers = np.stack(np.meshgrid((xs[:-1] + xs[1:]) / 2, (ys[:-1] + ys[1:]) / 2), axis=-1)
        with np.errstate(all="ignore"):
            values = np.asarray(surface.value(centers), dtype=float)
        low, high = value_range or finite_range(values) or (0.0, 0.0)
        span = high - low if high > low else 1.0  # a constant is one band
        with np.errstate(invalid="ignore"):
            band = np.clip(np.nan_to_num((values - low) / span * bands), 0, bands - 1).astype(int)
        band[~np.isfinite(values)] = -1  # no cell where the surface is not finite
        rgb = colormap((np.arange(bands) + 0.5) / bands, 0, 1, stops)
        for k in range(bands):
            rows, starts, ends = _runs(band == k)
            if len(rows) == 0:
                continue
            corners = np.stack(
                [
                    np.stack([xs[starts], ys[rows]], axis=-1),
                    np.stack([xs[ends], ys[rows]], axis=-1),
                    np.stack([xs[ends], ys[rows + 1]], axis=-1),
                    np.stack([xs[starts], ys[rows + 1]], axis=-1),
                ],
                axis=1,
            )
            start = to_scene(axes, corners) + GROWN_CORNERS  # (n, 4, 3)
            side = np.roll(start, -1, axis=1) - start
            t = np.array([0, 1 / 3, 2 / 3, 1])[:, None]
            segments = start[:, :, None, :] + t * side[:, :, None, :]  # (n, 4 sides, 4 Bezier points, 3)
            color = ManimColor.from_rgb(rgb[k])
            cells = VMobject(fill_color=color, fill_opacity=1, stroke_width=0)
            self.add(cells.set_points(segments.reshape(-1, 3)))
        self.value_range = (low, high)


def _decimals(step: float, *values: float) -> int:
    """Fewest decimals (up to 6) that show ``step`` to 1% (a nonzero value of ``values`` if ``step`` is 0)."""
    scale = step if step > 0 else max((abs(v) for v in values if v), default=1.0)
    return next((d for d in range(6) if abs(round(scale, d) - scale) <= 0.01 * scale), 6)


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, first column, end column) of every run of True in each row of a 2-D ``mask``."""
    padded = np.pad(mask.astype(np.int8), ((0, 0), (1, 1)))
    edges = np.diff(padded, axis=1)
    rows, starts = np.nonzero(edges == 1)
    _, ends = np.nonzero(edges == -1)
    return rows, starts, ends


class ColorBar(VGroup):
    """A vertical color bar for ``vmin -> vmax`` over ``stops``, with ``ticks`` numbers.

    Its parts are ``VGroup(strip, numbers[, title])``. The numbers are
    :class:`~scenes.kit.numbers.Readout` at ``linspace(vmin, vmax, ticks)``, the top one ``vmax``.

    Parameters
    ----------
    vmin, vmax
        The values at the bottom and the top.
    stops
        The color map, low to high.
    color
        Frame, tick marks, numbers and title.
    height, width
        Size of the strip (scene units).
    ticks, decimals
        How many numbers (one if ``vmax <= vmin``), and their decimals (None: enough to tell
        neighbouring numbers apart).
    title
        LaTeX above the strip, or None.
    font_size
        Size of the numbers (the title is 15% larger).

    Attributes
    ----------
    value_range : tuple of float
        ``(vmin, vmax)``.
    strip : VGroup
        The colors, their frame and the tick marks.
    numbers : VGroup
        The tick numbers, bottom to top.
    title : MathTex or None
        The title.
    """

    value_range: tuple[float, float]
    strip: VGroup
    numbers: VGroup
    title: MathTex | None

    def __init__(
        self,
        vmin: float,
        vmax: float,
        stops: Sequence[str],
        color: ManimColor | str,
        *,
        height: float = 4.0,
        width: float = 0.3,
        ticks: int = 5,
        decimals: int | None = 1,
        title: str | None = None,
        font_size: float = 24,
    ) -> None:
        if not (np.isfinite(vmin) and np.isfinite(vmax)):
            raise ValueError(f"ColorBar needs finite ends, got vmin={vmin!r}, vmax={vmax!r}")
        if vmax <= vmin:  # a constant: one number
            ticks = 1
        if decimals is None:
            decimals = _decimals((vmax - vmin) / max(ticks - 1, 1), vmin, vmax)
        slices = 64
        strip = VGroup(
            *(
                Rectangle(width=width, height=height / slices, stroke_width=0, fill_opacity=1, fill_color=c)
                for c in colors_of(np.linspace(vmin, vmax, slices), vmin, vmax, stops)
            )
        ).arrange(UP, buff=0)
        strip.add(Rectangle(width=width, height=height, stroke_color=color, stroke_width=1.5))
        numbers = VGroup()
        span = vmax - vmin if vmax > vmin else 1.0
        for value in np.linspace(vmin, vmax, ticks):
            y = strip.get_bottom()[1] + (value - vmin) / span * height
            right = strip.get_right()[0]
            mark = Line([right, y, 0], [right + 0.1, y, 0], stroke_color=color, stroke_width=1.5)
            strip.add(mark)
            number = Readout(value, num_decimal_places=decimals, font_size=font_size, color=color)
            numbers.add(number.next_to(mark, buff=0.08))
        super().__init__(strip, numbers)
        self.title = None
        if title is not None:
            self.title = MathTex(title, font_size=font_size * 1.15, color=color).next_to(strip, UP, buff=0.2)
            self.add(self.title)
        self.value_range, self.strip, self.numbers = (vmin, vmax), strip, numbers
