"""Drawn once, shown every frame: a cache of rendered layers for mobjects that do not change.

A 3-D scene whose camera turns redraws every mobject every frame, the formula, colour bar and
captions fixed in the frame among them, though they look the same in each.  :class:`LayerCache`
draws such a run of mobjects once into a transparent layer and composites the layer (cairo's
OVER, clipped to where it has ink) while nothing about them changes: not their points, colours
or stroke; while they change, the camera draws them itself.  Drawing mobjects in order over a
picture equals drawing them over a transparent layer and compositing that layer over the picture
(OVER is associative), so the frames are the same up to rounding of a unit in 255.

A fade changes every opacity of the run by one factor :math:`k` and nothing else: the layer is
drawn at the run's opacities over :math:`k` and composited with opacity :math:`k`. Where the
run's parts overlap, that fades the run as a whole (a glyph on its background box shows none of
the box through it), where drawing each part at its opacity would show a little of what is under
it; elsewhere the two are the same picture.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, NamedTuple

import cairo
import numpy as np
from manim import VMobject

__all__ = ["STYLE_ARRAYS", "STYLE_VALUES", "FadedState", "LayerCache", "composite", "drawn_state", "faded_state"]

STYLE_ARRAYS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas", "sheen_direction")
"""The array attributes of a VMobject's style that a Cairo camera reads to draw it."""
STYLE_VALUES = ("stroke_width", "background_stroke_width", "sheen_factor", "joint_type", "cap_style")
"""The other attributes of its style that the camera reads."""


_ARRAYS = operator.attrgetter("points", *STYLE_ARRAYS)
_VALUES = operator.attrgetter(*STYLE_VALUES)
_ALPHAS = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas")
_COLORS = operator.attrgetter(*_ALPHAS)
_NBYTES = operator.attrgetter("nbytes")


class _NeverTheSame:
    """In the state of mobjects that a state cannot describe: equal to nothing, itself
    included, so they are drawn by the caller every frame."""

    def __eq__(self, other: object) -> bool:
        return False


def drawn_state(mobjects: list[VMobject]) -> tuple[Any, ...]:
    """Everything about ``mobjects`` that a stock Cairo camera reads to draw them in the frame:
    their ids, the bytes of their points and style arrays (and each array's size), their other
    style values and background images. Mobjects missing a style attribute, or with an array
    that is not contiguous, get a state equal to no other."""
    try:
        arrays = [array for mob in mobjects for array in _ARRAYS(mob)]
        return (*map(id, mobjects), *map(_NBYTES, arrays), b"".join(arrays), *_other_values(mobjects))
    except (AttributeError, TypeError):  # not set, or not an array's contiguous bytes
        return (_NeverTheSame(),)


def _other_values(mobjects: list[VMobject]) -> tuple[Any, ...]:
    """The style values (:data:`STYLE_VALUES`) and background images of ``mobjects``."""
    return (*map(_VALUES, mobjects), *[mob.get_background_image() for mob in mobjects])


class FadedState(NamedTuple):
    """What a camera reads to draw some mobjects, but for one factor on every opacity: their
    ids, the sizes of their arrays and their other style values (``kinds``), and every number
    of their points and colors, each opacity divided by the largest (``numbers``), and that
    largest opacity (``peak``, 0 if all are transparent)."""

    kinds: tuple[Any, ...]
    numbers: np.ndarray
    peak: float

    def looks_like(self, other: FadedState | None) -> bool:
        """The same picture but for the opacity factor: the same kinds, and numbers equal up to
        the rounding of an interpolation (a fade interpolates the points and colors it keeps)."""
        return (
            other is not None and self.kinds == other.kinds and self.numbers.shape == other.numbers.shape
            and bool(np.allclose(self.numbers, other.numbers, rtol=0, atol=1e-9))
        )  # fmt: skip


def faded_state(mobjects: list[VMobject]) -> FadedState:
    """The :class:`FadedState` of ``mobjects``: two frames of a fade, which scales every opacity
    by one factor, look alike. Mobjects :func:`drawn_state` cannot describe look like none."""
    try:
        points = [mob.points for mob in mobjects]
        colors = [array for mob in mobjects for array in _COLORS(mob)]
        sheens = [mob.sheen_direction for mob in mobjects]
        rgbas = np.concatenate(colors).reshape(-1, 4)  # a copy
        numbers = [np.concatenate(points).ravel(), rgbas.ravel(), np.concatenate(sheens).ravel()]
        kinds = (*map(id, mobjects), *map(_NBYTES, points + colors + sheens), *_other_values(mobjects))
    except (AttributeError, TypeError, ValueError):  # not set, or not arrays of points and colors
        return FadedState((_NeverTheSame(),), np.zeros(0), 1.0)
    peak = float(rgbas[:, 3].max()) if len(rgbas) else 0.0
    if 0.0 < peak < 1.0:
        rgbas[:, 3] /= peak  # seen through numbers[1], a view
    return FadedState(kinds, np.concatenate(numbers), peak)


@contextmanager
def _opacities_scaled(mobjects: list[VMobject], factor: float) -> Iterator[None]:
    """Within it, every opacity of ``mobjects`` is multiplied by ``factor`` (at most 1; their
    color arrays replaced, then put back)."""
    if factor == 1.0:
        yield
        return
    kept = [(mob, name, getattr(mob, name)) for mob in mobjects for name in _ALPHAS if getattr(mob, name, None) is not None]
    for mob, name, rgbas in kept:
        scaled = rgbas.copy()
        scaled[:, 3] = np.minimum(scaled[:, 3] * factor, 1.0)
        setattr(mob, name, scaled)
    try:
        yield
    finally:
        for mob, name, rgbas in kept:
            setattr(mob, name, rgbas)


class _Layer:
    """One cached layer: the (faded) state it was drawn from, its pixels and its inked box;
    until it is drawn, the state its mobjects were last seen in."""

    def __init__(self) -> None:
        self.pixels: np.ndarray | None = None
        self.surface: cairo.ImageSurface | None = None
        self.state: FadedState | None = None  # drawn from
        self.seen: FadedState | None = None  # in the last frame, not drawn into a layer
        self.last: tuple[tuple[Any, ...], float] | None = None  # drawn_state and opacity when last composited
        self.box: tuple[int, int, int, int] | None = None  # x, y, width, height in pixels

    def redraw(self, mobjects: list[VMobject], state: FadedState, shape: tuple[int, ...],
               draw_into: Callable[[list[VMobject], np.ndarray], None]) -> None:  # fmt: skip
        """Draw the layer anew, into new pixels: the old ones may still be read by a frame
        recorded for another thread (a layer's pixels never change once drawn)."""
        height, width = shape[:2]
        self.pixels = np.zeros((height + 1, *shape[1:]), dtype=np.uint8)[:height]  # a row to spare: see box_surface
        self.surface = cairo.ImageSurface.create_for_data(self.pixels.data, cairo.FORMAT_ARGB32, width, height)
        with _opacities_scaled(mobjects, 1 / state.peak):  # drawn at the faded state's opacities
            draw_into(mobjects, self.pixels)
        self.surface.mark_dirty()
        self.state, self.box = state, _inked_box(self.pixels)

    def box_surface(self) -> cairo.ImageSurface:
        """A surface of the layer's box, on its pixels (nothing copied; with the row to spare,
        the buffer from the box's first pixel holds its height in whole rows)."""
        x, y, width, height = self.box
        stride = self.pixels.strides[0]
        start = y * stride + 4 * x
        buffer = memoryview(self.pixels.base.reshape(-1))[start : start + height * stride]
        return cairo.ImageSurface.create_for_data(buffer, cairo.FORMAT_ARGB32, width, height, stride)


class LayerCache:
    """Layers for runs of unchanging mobjects, kept while they are drawn in consecutive frames.

    ``draw(mobjects, target, shape, draw_into)`` composites onto the cairo context ``target``
    the layer of ``mobjects``, drawing it with ``draw_into(mobjects, pixels)`` once they have
    looked the same in two frames in a row, but for their opacity :math:`k`
    (:func:`faded_state`), and composites it
    with opacity :math:`k`; it returns True. While they change otherwise (a move) it returns
    False, and the caller draws them itself: a layer the size of the frame is not cleared and
    drawn for one frame's use. Call :meth:`end_frame` after each frame: layers not used in it
    are dropped.

    For a ``target`` that records the frame, to be replayed on another thread, pass ``keep``:
    the layer's box is painted from a surface of its own for that frame (over the layer's
    pixels, which never change once drawn, so nothing is copied), handed to ``keep``, which must
    hold it until the replay is done. A recording holds what it paints as a cairo snapshot of
    the surface, copied if the surface is destroyed first (and once the recording has been
    replayed, cairo 1.16 copies it when it is destroyed: a copy of the box only); two threads
    must not share one surface's snapshots.
    """

    def __init__(self) -> None:
        self._layers: dict[tuple[int, ...], _Layer] = {}
        self._used: set[tuple[int, ...]] = set()

    def draw(
        self,
        mobjects: list[VMobject],
        target: cairo.Context,
        shape: tuple[int, ...],
        draw_into: Callable[[list[VMobject], np.ndarray], None],
        keep: Callable[[cairo.ImageSurface], None] | None = None,
    ) -> bool:
        key = tuple(map(id, mobjects))
        self._used.add(key)
        layer = self._layers.setdefault(key, _Layer())
        exact = drawn_state(mobjects)  # cheaper than faded_state: unchanged since the last frame?
        drawn = layer.pixels is not None and layer.pixels.shape == shape
        if drawn and layer.last is not None and layer.last[0] == exact:
            peak = layer.last[1]
        else:
            state = faded_state(mobjects)
            if state.peak == 0.0:  # all transparent: nothing to draw
                return True
            if not (drawn and state.looks_like(layer.state)):
                if not state.looks_like(layer.seen):
                    layer.seen = state
                    return False
                layer.redraw(mobjects, state, shape, draw_into)
            layer.last, peak = (exact, state.peak), state.peak
        if layer.box is None:
            return True
        if keep is None:
            composite(target, layer.surface, layer.box, (0, 0), peak)
        else:  # for a recording replayed later: a surface of this frame's own, of the box only
            surface = layer.box_surface()
            keep(surface)
            composite(target, surface, layer.box, layer.box[:2], peak)
        return True

    def end_frame(self) -> None:
        for key in set(self._layers) - self._used:
            del self._layers[key]
        self._used = set()


def composite(
    target: cairo.Context, surface: cairo.ImageSurface, box: tuple[int, int, int, int], at: tuple[int, int], opacity: float = 1.0
) -> None:
    """Paint ``surface``, its top-left corner at pixel ``at``, over ``target`` (cairo's OVER) at
    ``opacity``, clipped to the pixel ``box`` ``(x, y, width, height)``."""
    target.save()
    target.identity_matrix()
    target.new_path()  # a path left by the last fill would join the clip
    target.rectangle(*box)
    target.clip()
    target.set_source_surface(surface, *at)
    if opacity < 1.0:
        target.paint_with_alpha(opacity)
    else:
        target.paint()
    target.restore()


def _inked_box(pixels: np.ndarray) -> tuple[int, int, int, int] | None:
    """The smallest pixel box holding every pixel with some alpha, or None if there is none."""
    alpha = pixels[..., 3]
    rows, columns = np.flatnonzero(alpha.any(axis=1)), np.flatnonzero(alpha.any(axis=0))
    if not rows.size:
        return None
    return int(columns[0]), int(rows[0]), int(columns[-1] - columns[0] + 1), int(rows[-1] - rows[0] + 1)
