"""Numbers that change every frame: :class:`Readout`, a DecimalNumber built from reused glyphs.

Manim's :class:`~manim.DecimalNumber` compiles LaTeX once per character it meets (a dozen runs
for the digits, about 0.1 s each) and, on every ``set_value``, deep-copies each glyph (its SVG
data included: thousands of Python objects per digit), lays the glyphs out with bounding-box
queries and matches their style pairwise: 32 of 46 s of a race scene at 480p.  A
:class:`Readout` takes its glyphs from one LaTeX run for all of ``0123456789.-+,``, copies only
their arrays, places them with the same rules from their known boxes, and does nothing when
the text it would show is the one shown.  It draws the same glyphs in the same places.
"""

from __future__ import annotations

import copy
import math
from typing import Any, NamedTuple

import numpy as np
from manim import DEFAULT_FONT_SIZE, DecimalNumber, MathTex, Mobject, VMobject

from scenes.kit.marks import anchors

__all__ = ["GLYPH_CHARACTERS", "Readout", "glyph", "light_copy"]

GLYPH_CHARACTERS = "0123456789.-+,"
"""The characters a :class:`Readout` draws from its shared glyphs (any other falls back to
``DecimalNumber``'s own)."""

_GLYPHS: dict[str, VMobject] = {}


def glyph(character: str) -> VMobject:
    """The glyph of ``character`` (one of :data:`GLYPH_CHARACTERS`) at Manim's default font
    size, all of them compiled in one LaTeX run on first use."""
    if not _GLYPHS:
        _GLYPHS.update(zip(GLYPH_CHARACTERS, MathTex(*GLYPH_CHARACTERS)))
    return _GLYPHS[character]


class _Sized(NamedTuple):
    """A glyph scaled about the origin, with the box of its points."""

    template: VMobject
    low: np.ndarray
    high: np.ndarray


_SIZED: dict[tuple[str, float], _Sized] = {}


def _sized_glyph(character: str, scale: float) -> _Sized:
    """The glyph of ``character`` scaled by ``scale`` about the origin; made once per character
    and scale."""
    kept = _SIZED.get((character, scale))
    if kept is None:
        template = light_copy(glyph(character)).scale(scale, about_point=np.zeros(3))
        points = template.get_all_points()
        kept = _SIZED[character, scale] = _Sized(template, points.min(axis=0), points.max(axis=0))
    return kept


def _critical_point(low: np.ndarray, high: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """The point of the box ``low``-``high`` in ``direction``, as ``get_critical_point``."""
    return np.where(direction < 0, low, np.where(direction > 0, high, (low + high) / 2))


def light_copy(mobject: Mobject) -> Mobject:
    """A copy of ``mobject`` and its family that shares no array or list with it.

    Every numpy array (points, colours) and every list or dict attribute is copied; other
    attributes (strings, numbers, the glyph's parsed SVG) are shared, which is safe for a
    mobject whose shape is only ever moved, scaled and recoloured.
    """
    new = copy.copy(mobject)
    for name, value in vars(mobject).items():
        if isinstance(value, np.ndarray):
            setattr(new, name, value.copy())
        elif isinstance(value, (list, dict)):
            setattr(new, name, copy.copy(value))
    new.submobjects = [light_copy(part) for part in mobject.submobjects]
    return new


class Readout(DecimalNumber):
    """A :class:`~manim.DecimalNumber` for values that change while a scene plays.

    Same arguments and pictures as ``DecimalNumber``; ``Readout(0, num_decimal_places=0)`` is
    an integer counter.  The glyphs are laid out as ``DecimalNumber`` does: side by side
    ``digit_buff_per_font_unit * font_size`` apart with their bottoms aligned, the whole
    centred, a minus sign lowered to the middle of the digit after it, a comma by half its
    height.  Units, ellipses, background rectangles and complex numbers use
    ``DecimalNumber``'s own code.
    """

    def _plain(self, text: str) -> bool:
        return (
            self.mob_class is MathTex
            and not (self.unit or self.show_ellipsis or self.include_background_rectangle)
            and all(c in GLYPH_CHARACTERS for c in text)
        )

    def _set_submobjects_from_number(self, number: float) -> None:
        text = self._get_num_string(number)
        if isinstance(number, complex) or not self._plain(text):
            super()._set_submobjects_from_number(number)
            self._shown = None
            return
        self.number = number
        sized = [_sized_glyph(c, self._font_size / DEFAULT_FONT_SIZE) for c in text]
        lows, highs = np.array([g.low for g in sized]), np.array([g.high for g in sized])
        widths, heights = (highs - lows)[:, 0], (highs - lows)[:, 1]
        buff = self.digit_buff_per_font_unit * self._font_size
        lefts = np.concatenate([[0.0], np.cumsum(widths[:-1] + buff)])
        shifts = np.zeros((len(sized), 3))
        shifts[:, 0], shifts[:, 1] = lefts - lows[:, 0], -lows[:, 1]  # bottoms on y = 0
        shifts -= ((lows + shifts).min(axis=0) + (highs + shifts).max(axis=0)) / 2  # centred
        for i, c in enumerate(text):
            if c == "-" and i + 1 < len(text):  # top to the next glyph's top, then half its height down
                shifts[i, 1] += highs[i + 1, 1] + shifts[i + 1, 1] - highs[i, 1] - shifts[i, 1] - heights[i + 1] / 2
            elif c == ",":
                shifts[i, 1] -= heights[i] / 2
        shown = getattr(self, "_shown", None) or ""
        parts = []
        for i, (c, g, shift) in enumerate(zip(text, sized, shifts)):
            same = i < len(shown) and shown[i] == c  # the glyph shown there now, moved
            part = self.submobjects[i] if same else light_copy(g.template)
            for mob, model in zip(part.get_family(), g.template.get_family()):
                mob.points = model.points + shift
            parts.append(part)
        self.submobjects = parts
        self._shown = text
        self.initial_height = float((highs + shifts)[:, 1].max() - (lows + shifts)[:, 1].min())

    def set_value(self, number: float) -> Readout:
        """Show ``number``; nothing to do when its text is the one shown."""
        text = self._get_num_string(number)
        shown = getattr(self, "_shown", None)
        if shown is None and getattr(self, "number", None) is not None:
            shown = self._get_num_string(self.number)
        if text == shown:
            self.number = number
            return self
        if isinstance(number, complex) or not self._plain(text):
            return super().set_value(number)
        members = self.family_members_with_points()
        points, ends = np.concatenate([m.points for m in members]), anchors(members)
        old_font_size = float(np.ptp(points[:, 1])) / self.initial_height * self._font_size  # its font_size
        anchor = _critical_point(ends.min(axis=0), ends.max(axis=0), self.edge_to_fix)
        old_family = self.get_family()[1:]
        self._set_submobjects_from_number(number)
        if not math.isclose(old_font_size, self._font_size, rel_tol=1e-12):  # scaled since it was made
            self.font_size = old_font_size
        ends = anchors(self.family_members_with_points())
        self.shift(anchor - _critical_point(ends.min(axis=0), ends.max(axis=0), self.edge_to_fix))
        family = self.get_family()[1:]
        kept = set(map(id, family))
        for mob in old_family:  # as DecimalNumber does: a frame's list may still hold the old glyphs
            if id(mob) not in kept:
                mob.points[:] = 0
        for mob in family:  # DecimalNumber's init_colors: the number's style on every glyph
            for name in _STYLE:
                value = getattr(self, name)
                setattr(mob, name, value.copy() if isinstance(value, np.ndarray) else value)
        return self


_STYLE = ("fill_rgbas", "stroke_rgbas", "background_stroke_rgbas", "stroke_width", "background_stroke_width",
          "sheen_factor", "sheen_direction")  # fmt: skip
"""The attributes that style a glyph."""
