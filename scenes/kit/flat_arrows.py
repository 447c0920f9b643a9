"""A field of arrows merged by style, and grown as ``LaggedStart(GrowArrow ...)`` would.

Manim's camera costs Python per mobject, and ``LaggedStart(GrowArrow ...)`` a ``Transform`` per
growing arrow every frame. :class:`FlatArrows` holds every shaft of a style in one ``VMobject``
and every tip in another (arrows colored one by one, by magnitude, stay one pair each);
:class:`GrowArrows` reproduces the lagged growth frame for frame with numpy, the growing shafts
of a color filled as one path.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
from manim import Animation, Arrow, GrowArrow, VGroup, VMobject
from manim.utils.bezier import interpolate
from manim.utils.rate_functions import linear

from scenes.kit.layers import STYLE_ARRAYS, STYLE_VALUES

__all__ = ["FlatArrows", "GrowArrows"]


class FlatArrows(VGroup):
    """``arrows`` drawn as a few mobjects: per style, one ``VMobject`` holds every shaft, another every tip.

    For arrows that do not overlap, such as an :class:`~scenes.kit.ArrowField`'s, this is the
    picture the arrows make drawn one by one, up to anti-aliasing (cairo samples the edges of
    one path a little differently from those of many): the camera's cost is a few paths instead
    of two per arrow, and what costs in a field of a few hundred arrows is the camera's Python per
    mobject, not the ink. ``arrows`` are :class:`~manim.Arrow` s with one tip each
    (:func:`~scenes.kit.vector_arrows`); they are read, not changed. :class:`GrowArrows` grows
    them; :meth:`single_out` hands some back to be animated one by one. The merged paths are
    made from the arrows as they were given: move the group as a whole, not the arrows.

    Attributes
    ----------
    arrows : tuple of Arrow
        The arrows drawn, in the order given (shared, not copied, by copies of the group).
    """

    def __init__(self, arrows: Iterable[Arrow]) -> None:
        super().__init__()
        self.arrows = _Source(arrows)
        self.shaft_points = [a.points for a in self.arrows]
        self.tip_points = [a.tip.points for a in self.arrows]
        self.shafts = _by_style(self.arrows)  # (indices, VMobject) per style of shaft
        self.tips = _by_style([a.tip for a in self.arrows])
        self.add(*(m for _, m in self.shafts), *(m for _, m in self.tips))
        self.show(np.ones(len(self.arrows), dtype=bool))

    def show(self, shafts: np.ndarray, tips: np.ndarray | None = None, tip_points: list | None = None) -> None:
        """Draw the shafts where the mask ``shafts`` is set and the tips where ``tips`` is (default:
        the same), the tips at ``tip_points`` (default: the arrows')."""
        tips = shafts if tips is None else tips
        tip_points = self.tip_points if tip_points is None else tip_points
        for index, merged in self.shafts:
            merged.points = _joined(self.shaft_points, index[shafts[index]])
        for index, merged in self.tips:
            merged.points = _joined(tip_points, index[tips[index]])

    def single_out(self, arrows: Iterable[Arrow]) -> list[Arrow]:
        """Take ``arrows`` (some of :attr:`arrows`) out of the merged paths and add them as they
        are, to be animated one by one in the group's place in the drawing order."""
        arrows = list(arrows)
        self.show(~np.isin(np.arange(len(self.arrows)), [self.arrows.index(a) for a in arrows]))
        self.add(*arrows)
        return arrows

    def rejoin(self) -> None:
        """Draw the arrows taken out by :meth:`single_out` in the merged paths again (as they were
        given: an arrow faded out and removed is left as it was before the fade)."""
        self.remove(*self.arrows)
        self.show(np.ones(len(self.arrows), dtype=bool))


class _Source(tuple):
    """A tuple that a deep copy leaves shared: what a :class:`FlatArrows` was made from, not its
    parts (a copy for a ``Transform`` would otherwise copy a few hundred arrows it does not draw)."""

    def __deepcopy__(self, memo: dict) -> _Source:
        return self


class GrowArrows(Animation):
    """``LaggedStart(*(GrowArrow(a) for a in flat.arrows), lag_ratio=lag_ratio)``, frame for frame,
    on a :class:`FlatArrows`.

    Each arrow is where its ``GrowArrow`` would put it at LaggedStart's time (GrowArrow's starting
    copy and Transform's interpolation, found with numpy for the arrows that move): not yet
    started, not drawn; grown, in the merged paths; growing, its tip with the merged tips and its
    shaft, whose width grows from 0 with it, as the bar its stroke covers (butt ends, Manim's
    default), filled, with the other growing shafts of its color: one path for all of them where a
    stroke each would cost a mobject each.
    """

    def __init__(self, flat: FlatArrows, lag_ratio: float, **kwargs: Any) -> None:
        grows = [GrowArrow(a) for a in flat.arrows]
        run_times = np.array([g.run_time for g in grows], dtype=float)
        self.starts = np.zeros(len(grows))  # LaggedStart's timings (AnimationGroup's arithmetic)
        self.starts[1:] = np.add.accumulate(run_times[:-1] * lag_ratio)
        self.ends = self.starts + run_times
        self.max_end = float(self.ends.max(initial=0.0))
        self.grows = grows
        kwargs = {"run_time": self.max_end, "rate_func": linear, **kwargs}
        super().__init__(flat, introducer=True, **kwargs)

    def begin(self) -> None:
        flat = self.mobject
        self.starting_mobject = self.create_starting_mobject()
        first = [g.create_starting_mobject() for g in self.grows]  # each GrowArrow's start
        self.first_shafts = np.array([f.points for f in first]).reshape(len(first), -1, 3)
        self.last_shafts = np.array(flat.shaft_points).reshape(len(first), -1, 3)
        self.first_tips = [f.tip.points for f in first]
        self.first_widths = np.array([f.stroke_width for f in first], dtype=float)
        self.widths = np.array([a.stroke_width for a in flat.arrows], dtype=float)
        self.bars = _by_color(flat.arrows)  # (indices, filled VMobject) per shaft color
        flat.submobjects[len(flat.shafts) : len(flat.shafts)] = [m for _, m in self.bars]  # before the tips
        self.interpolate(0)

    def create_starting_mobject(self) -> FlatArrows:
        return self.mobject  # nothing to copy: the states come from the arrows

    def interpolate_mobject(self, alpha: float) -> None:
        flat = self.mobject
        time = self.rate_func(alpha) * self.max_end  # LaggedStart's clock
        with np.errstate(invalid="ignore", divide="ignore"):
            progress = (time - self.starts) / (self.ends - self.starts)
        begun = time >= self.starts
        done = begun & (progress >= 1)
        growing = np.flatnonzero(begun & ~done)
        a = np.array([self.grows[i].rate_func(progress[i]) for i in growing])  # GrowArrow's rate function
        shafts = interpolate(self.first_shafts[growing], self.last_shafts[growing], a[:, None, None])
        widths = interpolate(self.first_widths[growing], self.widths[growing], a)  # Transform's interpolation
        bars = [None] * len(flat.arrows)
        for i, bar in zip(growing, _bar_outlines(shafts[:, 0], shafts[:, -1], widths)):
            bars[i] = bar
        for index, filled in self.bars:
            filled.points = _joined(bars, index[begun[index] & ~done[index]])
        tip_points = list(flat.tip_points)
        for k, i in enumerate(growing):
            tip_points[i] = interpolate(self.first_tips[i], flat.tip_points[i], a[k])
        flat.show(done, begun, tip_points)

    def clean_up_from_scene(self, scene: Any) -> None:
        super().clean_up_from_scene(scene)
        self.mobject.remove(*(m for _, m in self.bars))


_LINE_WIDTH = 0.01
"""Scene units of stroke per unit of Manim stroke width (the Cairo camera's ``cairo_line_width_multiple``)."""


def _styled_like(vmobject: VMobject) -> VMobject:
    """A ``VMobject`` without points, drawn as ``vmobject`` is drawn (what the Cairo camera reads)."""
    styled = VMobject()
    for name in STYLE_ARRAYS:
        setattr(styled, name, np.array(getattr(vmobject, name)))
    for name in STYLE_VALUES:
        setattr(styled, name, getattr(vmobject, name))
    return styled


def _by_color(arrows: list[Arrow]) -> list[tuple[np.ndarray, VMobject]]:
    """``arrows`` grouped by the color of their shafts: the indices of each group, and an empty
    mobject filled with that color (nothing else drawn)."""
    groups: dict[bytes, list[int]] = {}
    for i, arrow in enumerate(arrows):
        groups.setdefault(np.asarray(arrow.stroke_rgbas).tobytes(), []).append(i)
    filled = []
    for index in groups.values():
        bar = VMobject(stroke_width=0)
        bar.fill_rgbas = np.array(arrows[index[0]].stroke_rgbas)
        filled.append((np.array(index), bar))
    return filled


def _bar_outlines(tails: np.ndarray, heads: np.ndarray, widths: np.ndarray) -> np.ndarray:
    """Outlines ``(k, 16, 3)`` (four straight cubic curves, closed) of what strokes of Manim widths
    ``widths`` from ``tails`` to ``heads`` ``(k, 3)`` cover with butt ends: bars."""
    along = heads - tails
    length = np.linalg.norm(along[:, :2], axis=1)
    half = 0.5 * _LINE_WIDTH * widths / np.where(length > 0, length, 1.0)
    side = np.stack([-along[:, 1], along[:, 0], np.zeros(len(along))], axis=-1) * half[:, None]
    corners = np.stack([tails + side, heads + side, heads - side, tails - side], axis=1)  # (k, 4, 3)
    edges = np.roll(corners, -1, axis=1) - corners
    t = np.array([0, 1 / 3, 2 / 3, 1])[:, None]
    return (corners[:, :, None, :] + t * edges[:, :, None, :]).reshape(-1, 16, 3)


def _by_style(vmobjects: list[VMobject]) -> list[tuple[np.ndarray, VMobject]]:
    """``vmobjects`` grouped by how the camera draws them: the indices of each group, and an empty
    mobject in its style. A gradient (more than one color) follows its mobject's own points: such a
    mobject is a group of its own."""
    groups: dict[tuple, list[int]] = {}
    for i, vmobject in enumerate(vmobjects):
        colors = [np.asarray(getattr(vmobject, n)) for n in ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas")]
        key = (*(c.tobytes() for c in colors), *(getattr(vmobject, n) for n in STYLE_VALUES))
        groups.setdefault(key if all(len(c) == 1 for c in colors) else (i,), []).append(i)
    return [(np.array(index), _styled_like(vmobjects[index[0]])) for index in groups.values()]


def _joined(points: list[np.ndarray], index: np.ndarray) -> np.ndarray:
    """The point arrays ``points[i]`` for ``i`` in ``index``, one after the other."""
    return np.concatenate([points[i] for i in index]) if len(index) else np.zeros((0, 3))
