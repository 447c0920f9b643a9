"""Inline labels on level lines, like matplotlib's ``clabel``: where they go and how they look.

:class:`LabelPlacer` is the placement alone, in plain numpy on scene coordinates (testable
without rendering): it finds, on a polyline, a spot for a label box that stays inside the map,
clear of obstacles and of the labels placed before. :class:`ContourLabels` puts the numbers of
a :class:`~scenes.kit.contours.ContourMap` on its lines with it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
from manim import Axes, BackgroundRectangle, ManimColor, MathTex, VGroup

from scenes.kit.axes import to_scene
from scenes.kit.contours import ContourMap
from scenes.kit.numbers import light_copy
from scenes.kit.theme import TEXT_CONTRAST, with_contrast

__all__ = ["ContourLabels", "LabelPlacer", "LabelSpot", "quads_overlap", "resample", "typeset_each"]


class LabelSpot(NamedTuple):
    """Where a label goes: its ``center`` ``(2,)``, its ``angle`` (radians, within
    :math:`(-\\pi/2, \\pi/2]`, so text never reads upside down) and the ``quad`` ``(4, 2)`` of
    its box's corners with the margin."""

    center: np.ndarray
    angle: float
    quad: np.ndarray


class LabelPlacer:
    """Places label boxes on polylines, one after another, without overlaps.

    A spot on a line is a candidate every quarter of the label's width along it, at least
    0.75 widths from either end; it is taken only if the line is nearly straight under the
    box (turned along the line), the box (grown by ``margin``) lies inside ``box`` and
    overlaps no box placed before, and no obstacle point comes under it. Among the
    candidates, one with room to spare (up to the label's height) around the box wins, then
    the flattest. Lines shorter than 2.5 label widths get no label.

    Parameters
    ----------
    box
        ``[[xmin, ymin], [xmax, ymax]]``: where labels may go (scene coordinates).
    margin
        Free space kept around each label's box.

    Attributes
    ----------
    placed : list of ndarray, shape (4, 2)
        The corner quads of the labels placed so far.
    """

    def __init__(self, box: np.ndarray, margin: float = 0.06) -> None:
        self.box = np.asarray(box, dtype=float)
        self.margin = margin
        self.placed: list[np.ndarray] = []

    def place(self, points: np.ndarray, width: float, height: float, obstacles: np.ndarray) -> LabelSpot | None:
        """The best spot for a ``width`` x ``height`` label on polyline ``points`` ``(n, 2)``, kept
        clear of ``obstacles`` ``(m, 2)`` (points), or None; a spot found is added to :attr:`placed`."""
        spot = self._best(resample(points), width, height, obstacles)
        if spot is not None:
            self.placed.append(spot.quad)
        return spot

    def _best(self, line: np.ndarray, width: float, height: float, obstacles: np.ndarray) -> LabelSpot | None:
        if len(line) < 3:
            return None
        arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(line, axis=0), axis=1))])
        if arc[-1] < 2.5 * width:
            return None
        margin, best, best_score = self.margin, None, (-np.inf, -np.inf)
        for s in np.arange(0.75 * width, arc[-1] - 0.75 * width, 0.25 * width):
            near = np.abs(arc - s) <= width / 2
            center = np.array([np.interp(s, arc, line[:, i]) for i in range(2)])
            chord = line[near][-1] - line[near][0]
            if np.linalg.norm(chord) < 1e-9:
                continue
            u = chord / np.linalg.norm(chord)
            n = np.array([-u[1], u[0]])
            if np.abs((line[near] - center) @ n).max() > 0.25 * height:  # too curved under the label
                continue
            half = np.array([width / 2 + margin, height / 2 + margin])
            quad = center + np.array([[-1, -1], [1, -1], [1, 1], [-1, 1]]) * half @ np.array([u, n])
            if np.any(quad < self.box[0] + margin) or np.any(quad > self.box[1] - margin):
                continue
            if any(quads_overlap(quad, other) for other in self.placed):
                continue
            local = np.abs((obstacles - center) @ np.array([u, n]).T) - half
            room = np.max(local, axis=1).min() if len(local) else np.inf
            angle = np.arctan2(u[1], u[0])
            angle = angle - np.pi if angle > np.pi / 2 else angle + np.pi if angle <= -np.pi / 2 else angle
            score = (min(room, height), -abs(angle))  # enough room first, then the flattest
            if room > 0 and score > best_score:
                best, best_score = LabelSpot(center, angle, quad), score
        return best


class ContourLabels(VGroup):
    """Inline numbers on the level lines of a :class:`~scenes.kit.contours.ContourMap`.

    Each line long enough gets at most one label (placed by :class:`LabelPlacer`), turned
    along the line where the line is nearly straight, on a box of ``background`` color that
    cuts a gap into it. No other level's line, no earlier label and no polyline of ``avoid``
    comes under a label. Labels take their level's color unless ``color`` is given, darkened or
    lightened where needed to read as text on ``background`` (:data:`~scenes.kit.theme.TEXT_CONTRAST`).

    Parameters
    ----------
    axes
        The map's axes; labels stay inside their ranges.
    contours
        The level lines to label.
    background
        Color of the box under each number (the scene's background).
    font_size, color, fmt
        The numbers: size, color (default: the line's), format of the level.
    avoid
        Scene polylines ``(n, 3)`` to keep clear, e.g. descent paths.
    """

    def __init__(
        self,
        axes: Axes,
        contours: ContourMap,
        background: ManimColor | str,
        *,
        font_size: float = 20,
        color: ManimColor | str | None = None,
        fmt: str = "{:.3g}",
        avoid: Sequence[np.ndarray] = (),
    ) -> None:
        super().__init__()
        placer = LabelPlacer(_map_box(axes))
        others = [
            np.concatenate([resample(line.points[::4, :2]) for line in group] or [np.empty((0, 2))])
            for group in contours
        ]
        numbers = typeset_each([fmt.format(group.level) for group in contours], font_size)
        for index, group in enumerate(contours):
            obstacles = np.concatenate([o for j, o in enumerate(others) if j != index] + [np.empty((0, 2))])
            obstacles = np.concatenate([obstacles, *(resample(np.asarray(p, dtype=float)[:, :2]) for p in avoid)])
            for line in group:
                text = light_copy(numbers[fmt.format(group.level)])
                ink = color if color is not None else line.get_stroke_color()
                text.set_color(with_contrast(ink, background, TEXT_CONTRAST))
                spot = placer.place(line.points[::4, :2], text.width, text.height, obstacles)
                if spot is None:
                    continue
                label = VGroup(BackgroundRectangle(text, color=background, fill_opacity=1, buff=0.04), text)
                self.add(label.rotate(spot.angle).move_to([*spot.center, 0.0]))


def typeset_each(texts: list[str], font_size: float) -> dict[str, VGroup]:
    """Each distinct text as ``MathTex(text)`` draws it, from one LaTeX run for all of them
    (each in braces, so a leading minus stays a sign, as in a formula of its own)."""
    distinct = list(dict.fromkeys(texts))
    return dict(zip(distinct, MathTex(*(f"{{{text}}}" for text in distinct), font_size=font_size))) if distinct else {}


def resample(points: np.ndarray, spacing: float = 0.05) -> np.ndarray:
    """The polyline ``points`` ``(n, 2)`` resampled so consecutive points are at most ``spacing`` apart."""
    if len(points) < 2:
        return points
    arc = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))])
    s = np.linspace(0.0, arc[-1], max(2, int(arc[-1] / spacing) + 1))
    return np.stack([np.interp(s, arc, points[:, i]) for i in range(2)], axis=-1)


def quads_overlap(a: np.ndarray, b: np.ndarray) -> bool:
    """Whether two convex quadrilaterals ``(4, 2)`` overlap (separating axis test)."""
    for quad in (a, b):
        for edge in np.diff(np.vstack([quad, quad[:1]]), axis=0):
            axis = np.array([-edge[1], edge[0]])
            pa, pb = a @ axis, b @ axis
            if pa.max() < pb.min() or pb.max() < pa.min():
                return False
    return True


def _map_box(axes: Axes) -> np.ndarray:
    """``[[xmin, ymin], [xmax, ymax]]`` of the axes' ranges in the scene."""
    (x0, x1), (y0, y1) = (axes.x_range[:2], axes.y_range[:2])
    corners = to_scene(axes, np.array([(x0, y0), (x1, y1)]))[:, :2]
    return np.array([corners.min(axis=0), corners.max(axis=0)])
