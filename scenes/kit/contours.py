"""Level lines of a surface on a map: :class:`ContourMap`, one :class:`LevelLines` per level.

The lines come from :func:`gradcore.level_sets`; labels on them are :mod:`scenes.kit.labels`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Axes, ManimColor, VGroup, VMobject

from gradcore.fields import grid
from gradcore.levels import LevelSet, level_sets, map_levels
from gradcore.surface import Domain, Surface
from scenes.kit.axes import nice_ticks, to_scene

__all__ = ["ContourMap", "LevelLines", "level_arc", "map_levels", "round_levels"]


class LevelLines(VGroup):
    """The lines of one level of a :class:`ContourMap`: a ``VMobject`` per line of ``level_set``.

    Parameters
    ----------
    axes
        The map's axes; the lines are ``level_set``'s polylines mapped through them.
    level_set
        The level's lines in the input plane, from :func:`gradcore.level_sets`.
    color, stroke_width
        Style of the lines.

    Attributes
    ----------
    level_set : LevelSet
        The lines in the input plane and their level, as gradcore traced them.
    """

    level_set: LevelSet

    def __init__(self, axes: Axes, level_set: LevelSet, color: ManimColor | str, *, stroke_width: float = 2.0) -> None:
        super().__init__(
            *(
                VMobject(stroke_color=color, stroke_width=stroke_width).set_points_as_corners(to_scene(axes, line))
                for line in level_set.lines
                if len(line) > 1
            )
        )
        self.level_set = level_set

    @property
    def level(self) -> float:
        """The value :math:`c` of the level set :math:`f = c`."""
        return self.level_set.level


class ContourMap(VGroup):
    """Level lines of ``surface`` at ``levels`` on a map, one :class:`LevelLines` per level.

    Parameters
    ----------
    axes
        The map's axes (e.g. :func:`~scenes.kit.axes.map_axes`).
    surface
        A gradcore surface.
    levels
        The values :math:`c` of the level sets :math:`f = c`, in drawing order.
    colors
        One color per level (e.g. :func:`~scenes.kit.theme.level_colors`, or one color repeated).
    domain
        The box traced, ``((xmin, xmax), (ymin, ymax))``; default ``surface.domain``.
    stroke_width
        Width of the lines.
    resolution
        Grid points along each side of the box where ``surface`` is sampled.

    Attributes
    ----------
    levels : ndarray, shape (n,)
        The levels, in the order of the groups.

    Examples
    --------
    .. manim:: LabeledLevels

        from scenes.kit import ContourLabels, ContourMap, GradScene, level_colors, map_axes

        class LabeledLevels(GradScene):
            surface_name = "himmelblau"

            def construct(self):
                surface = self.surface()
                axes = map_axes(surface.domain, self.theme.foreground)
                levels = [10, 30, 60, 100, 200, 400]
                lines = ContourMap(axes, surface, levels, level_colors(levels, self.theme.colormap))
                self.add(axes)
                self.play(Create(lines))
                self.pause()
                self.play(FadeIn(ContourLabels(axes, lines, self.theme.background)))
    """

    levels: np.ndarray

    def __init__(
        self,
        axes: Axes,
        surface: Surface,
        levels: Sequence[float],
        colors: Sequence[ManimColor | str],
        *,
        domain: Domain | None = None,
        stroke_width: float = 2.0,
        resolution: int = 200,
    ) -> None:
        if len(colors) != len(levels):
            raise ValueError(f"colors must give one color per level ({len(levels)}), got {len(colors)}")
        traced = level_sets(surface, levels, domain=domain, resolution=resolution)
        super().__init__(
            *(LevelLines(axes, level_set, color, stroke_width=stroke_width) for level_set, color in zip(traced, colors))
        )
        self.levels = np.asarray(levels, dtype=float)


def level_arc(
    axes: Axes,
    surface: Surface,
    point: np.ndarray,
    color: ManimColor | str,
    *,
    radius: float = 1.0,
    stroke_width: float = 4.0,
) -> VMobject:
    """The piece of the level line through input-plane ``point`` within ``radius`` (scene units) of it.

    Traced by :func:`gradcore.level_sets` on a small box around the point, inside the axes' ranges;
    an empty ``VMobject`` where no level line passes (a constant surface).
    """
    point = np.asarray(point, dtype=float)
    unit = np.linalg.norm(to_scene(axes, np.array([1.0, 0.0])) - to_scene(axes, np.zeros(2)))
    r = 1.2 * radius / unit
    (x0, x1), (y0, y1) = axes.x_range[:2], axes.y_range[:2]
    box = ((max(x0, point[0] - r), min(x1, point[0] + r)), (max(y0, point[1] - r), min(y1, point[1] + r)))
    (level_set,) = level_sets(surface, [float(surface.value(point))], domain=box)
    lines = [to_scene(axes, line) for line in level_set.lines if len(line) > 1]
    if not lines:  # a flat spot or a singular point: no level line through it
        return VMobject(stroke_color=color, stroke_width=stroke_width)
    at = to_scene(axes, point)
    line = min(lines, key=lambda p: np.min(np.linalg.norm(p - at, axis=1)))
    distance = np.linalg.norm(line - at, axis=1)
    i = int(np.argmin(distance))
    low, high = i, i
    while low > 0 and distance[low - 1] <= radius:
        low -= 1
    while high < len(line) - 1 and distance[high + 1] <= radius:
        high += 1
    return VMobject(stroke_color=color, stroke_width=stroke_width).set_points_as_corners(line[low : high + 1])


def round_levels(levels: Sequence[float]) -> np.ndarray:
    """About as many round numbers (1, 2 or 5 times a power of ten apart) over the range of ``levels``.

    Turns e.g. :func:`gradcore.default_levels` into levels whose labels read well.
    """
    levels = np.asarray(levels, dtype=float)
    if levels.size == 0:
        return levels
    return nice_ticks(levels.min(), levels.max(), len(levels))
