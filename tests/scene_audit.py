"""Audit what a scene draws: the contrast of every colour against the background, and whether
the last frame is drawn at all and stays inside the frame.

``render_audited(SceneClass, background=..., surface=...)`` renders a scene in-process at a
tiny resolution (see :mod:`scene_render`) and, after every ``play`` and ``wait`` (the states a
viewer looks at), walks the family of every mobject on screen:

- text (``MathTex``, ``Tex``, ``Text``, ``DecimalNumber``, ``Integer``): the fill colour of each
  glyph needs a WCAG 2 contrast ratio of at least 4.5:1 against the background;
- strokes (any other ``VMobject`` with a visible stroke) and marker fills (dots, ball heads:
  opaque fills): at least 3:1.

Colours are taken as seen: a colour of opacity ``a`` is blended over the background. What is
translucent on purpose (opacity under :data:`FAINT`, e.g. a faded trail) and area fills that
show values (shaded surfaces, height maps, the colour bar's strip) are not strokes or text and
are not checked. Background boxes behind labels have the background's colour by design.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
from manim import DecimalNumber, ManimColor, Mobject, SingleStringMathTex, Text, VMobject
from scene_render import Rendered, render_scene

__all__ = ["FAINT", "Problem", "contrast", "edge_ink", "ink_fraction", "render_audited"]

FAINT = 0.5
"""Opacity under which a stroke or fill counts as deliberately faint and is not checked."""

TEXT_RATIO, STROKE_RATIO = 4.5, 3.0

_TEXT = (SingleStringMathTex, Text, DecimalNumber)
# Area fills that show values by colour, and boxes painted in the background's own colour.
_AREAS = {"FastSurface", "Surface", "HeightMap", "ColorBar", "BackgroundRectangle", "SurroundingRectangle"}


def _luminance(rgb: np.ndarray) -> np.ndarray:
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def contrast(rgb: np.ndarray, background: np.ndarray) -> np.ndarray:
    """WCAG 2 contrast ratio of colours ``(..., 3)`` in [0, 1] against one background colour."""
    a, b = _luminance(np.asarray(rgb, dtype=float)), _luminance(np.asarray(background, dtype=float))
    return (np.maximum(a, b) + 0.05) / (np.minimum(a, b) + 0.05)


@dataclass(frozen=True)
class Problem:
    """A colour drawn with too little contrast: which mobject, as what, which colour, what ratio."""

    mobject: str
    role: str
    color: str
    ratio: float

    def __str__(self) -> str:
        return f"{self.role} of {self.mobject}: {self.color} has contrast {self.ratio:.2f}"


@dataclass
class Audit:
    rendered: Rendered
    problems: set[Problem] = field(default_factory=set)


def _walk(mobject: Mobject, in_text: bool = False) -> Iterator[tuple[VMobject, bool]]:
    if type(mobject).__name__ in _AREAS:
        return
    in_text = in_text or isinstance(mobject, _TEXT)
    if isinstance(mobject, VMobject) and mobject.has_points():
        yield mobject, in_text
    for sub in mobject.submobjects:
        yield from _walk(sub, in_text)


def _seen(rgbas: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Colours of ``rgbas`` rows that are not faint, blended over the background."""
    rgbas = np.asarray(rgbas, dtype=float).reshape(-1, 4)
    rgbas = rgbas[rgbas[:, 3] >= FAINT]
    return rgbas[:, 3:] * rgbas[:, :3] + (1 - rgbas[:, 3:]) * background


def problems_on_screen(scene, background: np.ndarray) -> set[Problem]:
    """Every colour on screen in ``scene`` now that lacks contrast against ``background``."""
    found = set()
    for top in scene.mobjects:
        for mob, is_text in _walk(top):
            checks = []
            if is_text:
                checks.append(("text", mob.fill_rgbas, TEXT_RATIO))
            else:
                if mob.get_stroke_width() > 0:
                    checks.append(("stroke", mob.stroke_rgbas, STROKE_RATIO))
                checks.append(("fill", mob.fill_rgbas, STROKE_RATIO))
            for role, rgbas, needed in checks:
                for rgb in _seen(rgbas, background):
                    ratio = float(contrast(rgb, background))
                    if ratio < needed - 1e-9:
                        hex_color = ManimColor.from_rgb(np.clip(rgb, 0, 1)).to_hex()
                        found.add(Problem(type(mob).__name__, role, hex_color, round(ratio, 2)))
    return found


def render_audited(scene_class, *, background: str | None = None, **options) -> Audit:
    """Render ``scene_class`` (``options`` go to :func:`render_scene`) and audit every state."""
    config = dict(options.pop("config", {}) or {})
    if background is not None:
        config["background_color"] = background
    audit_box: dict[str, Audit] = {}

    original_play = scene_class.play
    original_wait = scene_class.wait

    def after(scene) -> None:
        bg = np.asarray(ManimColor(scene.camera.background_color).to_rgb(), dtype=float)
        audit_box["audit"].problems |= problems_on_screen(scene, bg)

    class Audited(scene_class):  # type: ignore[misc, valid-type]
        def play(self, *args, **kwargs):
            original_play(self, *args, **kwargs)
            after(self)

        def wait(self, *args, **kwargs):
            original_wait(self, *args, **kwargs)
            after(self)

    Audited.__name__ = Audited.__qualname__ = scene_class.__name__
    audit_box["audit"] = Audit(Rendered(None))  # type: ignore[arg-type]
    rendered = render_scene(Audited, config=config, **options)
    audit_box["audit"].rendered = rendered
    after(rendered.scene)
    return audit_box["audit"]


def ink_fraction(frame: np.ndarray, background) -> float:
    """Fraction of pixels that differ visibly from the background colour."""
    rgb = frame[..., :3].astype(int)
    bg = np.asarray(ManimColor(background).to_int_rgb() if isinstance(background, str) else background)[:3]
    return float((np.abs(rgb - bg).sum(axis=-1) > 30).mean())


def edge_ink(frame: np.ndarray, background, ring: int = 1) -> float:
    """Fraction of the outermost ``ring`` pixels that are drawn on (something cut off at the edge)."""
    rgb = frame[..., :3].astype(int)
    bg = np.asarray(ManimColor(background).to_int_rgb() if isinstance(background, str) else background)[:3]
    drawn = np.abs(rgb - bg).sum(axis=-1) > 60
    edge = np.concatenate([drawn[:ring].ravel(), drawn[-ring:].ravel(), drawn[:, :ring].ravel(), drawn[:, -ring:].ravel()])
    return float(edge.mean())
