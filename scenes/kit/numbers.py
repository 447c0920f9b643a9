"""Numbers that change every frame: :class:`Readout`, a DecimalNumber without per-frame deep copies.

Manim's :class:`~manim.DecimalNumber` rebuilds its digits on every ``set_value`` from cached
glyphs, but takes each glyph with ``Mobject.copy``, a ``deepcopy`` of the whole LaTeX glyph
(its SVG data included): thousands of Python objects per digit, 32 of 46 s of a race scene at
480p.  A :class:`Readout` copies a glyph's family with its arrays and nothing else, and does
nothing when the shown text would not change.  It draws the same pixels.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
from manim import DecimalNumber, Mobject

__all__ = ["Readout", "light_copy"]

_GLYPHS: dict[tuple[Any, ...], Mobject] = {}
"""LaTeX glyphs built once per process: (class, text, options) -> glyph."""


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
    an integer counter.  ``set_value`` costs array copies instead of deep copies, and nothing
    at all when the text it would show is the one shown.
    """

    def _string_to_mob(self, string: str, mob_class: type | None = None, **kwargs: Any) -> Mobject:
        mob_class = mob_class or self.mob_class
        key = (mob_class, string, tuple(sorted(kwargs.items())))
        if key not in _GLYPHS:
            _GLYPHS[key] = mob_class(string, **kwargs)
        glyph = light_copy(_GLYPHS[key])
        glyph.font_size = self._font_size
        return glyph

    def set_value(self, number: float) -> Readout:
        if getattr(self, "number", None) is not None and self._get_num_string(number) == self._get_num_string(
            self.number
        ):
            self.number = number
            return self
        return super().set_value(number)
