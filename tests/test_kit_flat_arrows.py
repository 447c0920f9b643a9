"""A field of arrows drawn as a few mobjects and grown with numpy looks, frame for frame, like the
same arrows grown one by one with ``LaggedStart(GrowArrow ...)``."""

from __future__ import annotations

import numpy as np
from manim import LaggedStart, GrowArrow, Scene
from scene_render import render_scene

from gradcore import get_surface
from scenes.kit import ArrowField, FastCamera, FlatArrows, GrowArrows, map_axes


class Field(Scene):
    flat = False

    def __init__(self, **kwargs):
        super().__init__(camera_class=FastCamera, **kwargs)

    def construct(self):
        surface = get_surface("himmelblau")
        field = ArrowField(map_axes(surface.domain, "#e8e8ee"), surface, shape=(12, 12), stops=["#440154", "#21918c", "#fde725"])
        if self.flat:
            self.flat_arrows = FlatArrows(field)
            self.play(GrowArrows(self.flat_arrows, lag_ratio=0.01), run_time=2)
        else:
            self.play(LaggedStart(*(GrowArrow(arrow) for arrow in field), lag_ratio=0.01), run_time=2)


class FlatField(Field):
    flat = True


def test_a_flat_field_grows_like_its_arrows_one_by_one():
    one_by_one = render_scene(Field, width=640, height=360, fps=15)
    flat = render_scene(FlatField, width=640, height=360, fps=15)
    assert len(flat.frames) == len(one_by_one.frames) >= 25
    for a, b in zip(one_by_one.frames, flat.frames, strict=True):
        differ = np.abs(np.asarray(a[..., :3], dtype=int) - np.asarray(b[..., :3], dtype=int)).max(axis=-1)
        assert differ.mean() < 0.2 and (differ > 8).mean() < 1e-3  # anti-aliasing where shafts meet tips
