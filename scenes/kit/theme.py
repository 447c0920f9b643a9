"""Colors of the scenes: luminance and contrast, the theme of a background, color maps.

Every color a scene draws should stay readable on the background it is rendered on (dark by
default, white with ``-c light.cfg``, or any ``background_color`` of one's own). The WCAG 2
contrast ratio measures that: :func:`contrast_ratio`; :func:`with_contrast` darkens or lightens a
color, keeping its hue, until it reaches a given ratio; :class:`Theme` derives from the
background a foreground, a categorical :attr:`Theme.palette` and named roles
(:attr:`Theme.accent`, ...), all at least :data:`GRAPHICS_CONTRAST` against it, and
:meth:`Theme.readable` for text (:data:`TEXT_CONTRAST`).
"""

from __future__ import annotations

import colorsys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

import numpy as np
from manim import ManimColor

__all__ = [
    "CATEGORICAL",
    "GRAPHICS_CONTRAST",
    "TEXT_CONTRAST",
    "VIRIDIS",
    "Theme",
    "colormap",
    "colors_of",
    "contrast_ratio",
    "faded",
    "level_colors",
    "luminance",
    "with_contrast",
]

VIRIDIS = ("#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58", "#b5de2b", "#fde725")
"""Stops of matplotlib's viridis color map, low to high."""

CATEGORICAL = (
    "#ff6b6b",  # red
    "#4dabf7",  # blue
    "#ffa94d",  # orange
    "#69db7c",  # green
    "#da77f2",  # grape
    "#ffd43b",  # yellow
    "#3bc9db",  # cyan
    "#f783ac",  # pink
    "#9775fa",  # violet
)
"""Hues of :attr:`Theme.palette` before they are fitted to a background (Open Color, shades 4-5),
ordered so that neighbours differ most."""

GRAPHICS_CONTRAST = 3.0
"""Least contrast ratio of lines, markers and trails against the background (WCAG 2, 1.4.11)."""
TEXT_CONTRAST = 4.5
"""Least contrast ratio of text against the background (WCAG 2, 1.4.3, level AA)."""
_MAP_MARGIN = 1.05
"""Color-map stops are fitted to this much more than the ratio they need: colors interpolated
between two fitted stops are a little darker (in linear light) than either."""


def luminance(color: ManimColor | str) -> float:
    r"""Relative luminance (WCAG) of a color, 0 for black to 1 for white.

    .. math:: L = 0.2126 R + 0.7152 G + 0.0722 B \quad \text{on linearized sRGB.}
    """
    rgb = np.asarray(ManimColor(color).to_rgb(), dtype=float)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(linear @ (0.2126, 0.7152, 0.0722))


def contrast_ratio(a: ManimColor | str, b: ManimColor | str) -> float:
    r"""WCAG 2 contrast ratio of two colors, from 1 (equal luminance) to 21 (black on white).

    .. math:: \frac{L_1 + 0.05}{L_2 + 0.05}, \quad L_1 \ge L_2 \text{ their luminances.}

    Examples
    --------
    >>> round(contrast_ratio("#000000", "#ffffff"), 6)
    21.0
    >>> contrast_ratio("#ffffff", "#000000") == contrast_ratio("#000000", "#ffffff")
    True
    """
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def with_contrast(
    color: ManimColor | str, background: ManimColor | str, ratio: float, *, side: str | None = None
) -> ManimColor:
    """``color`` darkened or lightened, keeping its hue and saturation, until its contrast
    ratio against ``background`` is at least ``ratio``.

    A color that already has the contrast (on ``side``, if given) comes back unchanged.
    Otherwise its HSL lightness moves away from the background's luminance to the first
    lightness with enough contrast (bisection): towards ``side`` (``"lighter"`` or
    ``"darker"`` than the background) if given and white or black there reaches ``ratio``,
    else on the color's own side when that reaches it, else on the other side. Any ratio up
    to 4.58 can be reached on any background; should ``ratio`` be more than the background
    allows, the result is black or white, whichever contrasts more.

    Examples
    --------
    >>> dark = with_contrast("#ffd43b", "#ffffff", 3.0)
    >>> contrast_ratio(dark, "#ffffff") >= 3.0
    True
    >>> with_contrast("#ffd43b", "#0f1117", 3.0).to_hex()  # already readable on the dark theme
    '#FFD43B'
    >>> luminance(with_contrast("#1b1b1f", "#777777", 3.0, side="lighter")) > luminance("#777777")
    True
    """
    if side not in (None, "lighter", "darker"):
        raise ValueError(f"side must be None, 'lighter' or 'darker', not {side!r}")
    color = ManimColor(color)
    back = luminance(background)
    room = {1.0: 1.05 / (back + 0.05), 0.0: (back + 0.05) / 0.05}  # contrast of white, black
    own = 1.0 if luminance(color) > back else 0.0
    wanted = own if side is None else 1.0 if side == "lighter" else 0.0
    far = wanted if room[wanted] >= ratio else own if room[own] >= ratio else max(room, key=room.get)
    if far == own and contrast_ratio(color, background) >= ratio:
        return color
    hue, near, saturation = colorsys.rgb_to_hls(*color.to_rgb())
    if far != own:  # start from the background's lightness, on the far side of it
        near = colorsys.rgb_to_hls(*ManimColor(background).to_rgb())[1]

    lighter = far == 1.0

    def enough(lightness: float) -> bool:
        candidate = _hls(hue, lightness, saturation)
        return contrast_ratio(candidate, background) >= ratio and (luminance(candidate) > back) == lighter

    # Luminance is monotonic in HSL lightness at fixed hue and saturation, so the lightnesses
    # with enough contrast on the far side run from some point to the extreme ``far``: bisect
    # between ``near`` (too little contrast) and ``far``.
    for _ in range(40):
        middle = 0.5 * (near + far)
        if enough(middle):
            far = middle
        else:
            near = middle
    return _hls(hue, far, saturation)


def _hls(hue: float, lightness: float, saturation: float) -> ManimColor:
    return ManimColor.from_rgb(np.clip(colorsys.hls_to_rgb(hue, lightness, saturation), 0.0, 1.0))


class _Role:
    """A named color of :class:`Theme`: ``color`` fitted to the theme's background with at
    least :data:`GRAPHICS_CONTRAST` (:meth:`Theme.readable`)."""

    def __init__(self, color: str, doc: str) -> None:
        self.color, self.__doc__ = color, doc

    def __get__(self, theme: Theme | None, owner: type) -> ManimColor:
        if theme is None:
            return self  # the class attribute, for documentation
        return theme.readable(self.color, GRAPHICS_CONTRAST)


@dataclass(frozen=True)
class Theme:
    """Colors that stay readable on a background: strokes and text contrast with it.

    ``foreground`` is for text, axes and main strokes, ``muted`` for secondary lines (grid,
    the background field; for text in it use ``readable(muted)``), ``colormap`` for values
    (contour levels, magnitudes): viridis, each color of it at least
    :data:`GRAPHICS_CONTRAST` against the background.

    Beyond those, derived from ``background`` alone so that any background works:
    :attr:`palette` (categorical colors for trails, legends and markers), the roles
    :attr:`accent`, :attr:`highlight`, :attr:`warning`, :attr:`positive` and :attr:`negative`,
    each at least :data:`GRAPHICS_CONTRAST` against the background, and :meth:`readable` for
    text in a color of one's own.

    Examples
    --------
    >>> theme = Theme.from_background("#f5deb3")
    >>> all(contrast_ratio(c, theme.background) >= 3 for c in theme.palette)
    True
    >>> contrast_ratio(theme.readable("#ffd43b"), theme.background) >= 4.5
    True
    """

    background: ManimColor
    foreground: ManimColor
    muted: ManimColor
    colormap: tuple[str, ...]

    @classmethod
    def from_background(cls, background: ManimColor | str) -> Theme:
        """Dark strokes on a light background (luminance above 0.4), light ones otherwise.

        The foreground has :data:`TEXT_CONTRAST` against ``background``, the muted color
        :data:`GRAPHICS_CONTRAST`, and every color the color map gives (its stops and the
        colors between them) at least :data:`GRAPHICS_CONTRAST`: viridis with each stop that
        lacks it moved, keeping its hue, to the foreground's side of the background
        (:func:`with_contrast`), so that level lines and arrows colored by value stay visible.
        """
        background = ManimColor(background)
        light = luminance(background) > 0.4
        dark_ink, light_ink = ("#1b1b1f", "#6f7079", VIRIDIS[:-2]), ("#e8e8ee", "#8a8d99", VIRIDIS[2:])
        foreground, muted, stops = dark_ink if light else light_ink
        foreground = with_contrast(foreground, background, TEXT_CONTRAST)
        side = "lighter" if luminance(foreground) > luminance(background) else "darker"
        # Colors between two stops that just reach the ratio may fall a little short of it.
        ratio = GRAPHICS_CONTRAST * _MAP_MARGIN
        fitted = tuple(with_contrast(stop, background, ratio, side=side).to_hex() for stop in stops)
        return cls(background, foreground, with_contrast(muted, background, GRAPHICS_CONTRAST), fitted)

    def readable(self, color: ManimColor | str, ratio: float = TEXT_CONTRAST) -> ManimColor:
        """``color`` with at least ``ratio`` contrast against the background (:func:`with_contrast`):
        the default, :data:`TEXT_CONTRAST`, is for text; :data:`GRAPHICS_CONTRAST` for strokes."""
        return with_contrast(color, self.background, ratio)

    def stroke(self, color: ManimColor | str | None, default: ManimColor | str) -> ManimColor:
        """A scene's color knob for strokes and markers: ``color`` made :meth:`readable` with
        :data:`GRAPHICS_CONTRAST`, or ``default`` (a role, a palette color) when ``color`` is None.

        Examples
        --------
        >>> theme = Theme.from_background("#ffffff")
        >>> theme.stroke(None, theme.accent) == theme.accent
        True
        >>> contrast_ratio(theme.stroke("#ffd43b", theme.accent), "#ffffff") >= GRAPHICS_CONTRAST
        True
        """
        return self.readable(default if color is None else color, GRAPHICS_CONTRAST)

    @cached_property
    def palette(self) -> tuple[ManimColor, ...]:
        """Nine categorical colors (:data:`CATEGORICAL`), each fitted to at least
        :data:`GRAPHICS_CONTRAST` against the background; take them in order."""
        return tuple(self.readable(color, GRAPHICS_CONTRAST) for color in CATEGORICAL)

    accent = _Role("#4dabf7", "The color of the one thing a shot is about (blue).")
    highlight = _Role("#ffd43b", "A mark that draws the eye: a start, a probe (gold).")
    warning = _Role("#ffa94d", "Something to watch: clipped, stalled (orange).")
    positive = _Role("#69db7c", "A good end: converged, a minimum (green).")
    negative = _Role("#ff6b6b", "A bad end: diverged, left the map (red).")


def colormap(values: np.ndarray, vmin: float, vmax: float, stops: Sequence[str] = VIRIDIS) -> np.ndarray:
    """RGB colors ``(..., 3)`` in [0, 1] of ``values`` on the linear map ``vmin -> vmax`` over ``stops``.

    Values outside ``[vmin, vmax]`` take the end colors; with ``vmax <= vmin`` the map spans 1
    from ``vmin``.
    """
    rgb = np.array([ManimColor(s).to_rgb() for s in stops])
    span = vmax - vmin if vmax > vmin else 1.0
    t = np.clip((np.asarray(values, dtype=float) - vmin) / span, 0.0, 1.0) * (len(stops) - 1)
    knots = np.arange(len(stops))
    return np.stack([np.interp(t, knots, rgb[:, i]) for i in range(3)], axis=-1)


def colors_of(values: np.ndarray, vmin: float, vmax: float, stops: Sequence[str]) -> list[ManimColor]:
    """:func:`colormap` as a flat list of ``ManimColor``, one per value."""
    return [ManimColor.from_rgb(c) for c in colormap(values, vmin, vmax, stops).reshape(-1, 3)]


def level_colors(levels: Sequence[float], stops: Sequence[str]) -> list[ManimColor]:
    """One color per level, spread over ``stops`` by the level's value."""
    levels = np.asarray(levels, dtype=float)
    if levels.size == 0:  # a constant surface has no levels
        return []
    return colors_of(levels, levels.min(), levels.max(), stops)


def faded(stops: Sequence[str], background: ManimColor | str, opacity: float) -> tuple[str, ...]:
    """Color-map ``stops`` seen at ``opacity`` over ``background`` (for maps under arrows)."""
    back = np.asarray(ManimColor(background).to_rgb())
    rgb = [opacity * np.asarray(ManimColor(s).to_rgb()) + (1 - opacity) * back for s in stops]
    return tuple(ManimColor.from_rgb(c).to_hex() for c in rgb)
