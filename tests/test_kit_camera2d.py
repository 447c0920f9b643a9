"""The 2-D camera's path cache: a kept path is reused only for the same points, and a mobject's
path goes with the mobject, so that a scene redrawing a mobject every frame keeps no more paths
than it has mobjects alive, and draws the same pixels as stock Manim."""

from __future__ import annotations

import gc

import numpy as np
from manim import Arrow, Circle, Scene, Square, ValueTracker, always_redraw, linear
from scene_render import render_scene

from scenes.kit import FastCamera, PathCache


def test_a_kept_path_is_returned_for_the_same_points_only():
    cache, square = PathCache(), Square()
    cache.put(square, b"points", "path")
    assert cache.get(square, b"points") == "path"
    assert cache.get(square, b"moved") is None
    assert cache.get(Circle(), b"points") is None


def test_a_path_goes_with_its_mobject():
    cache = PathCache()
    squares = [Square() for _ in range(5)]
    for square in squares:
        cache.put(square, b"a", "path")
        cache.put(square, b"b", "path")  # a new path for the same mobject replaces the old
    assert len(cache) == 5
    del square, squares
    gc.collect()
    assert len(cache) == 0


class RedrawnArrow(Scene):
    """An arrow made anew every frame (``always_redraw``) as a tracker turns it."""

    def construct(self):
        self.angle = ValueTracker(0)
        self.add(Circle(radius=3), always_redraw(self.arrow))
        self.play(self.angle.animate.set_value(3), run_time=4, rate_func=linear)

    def arrow(self) -> Arrow:
        angle = self.angle.get_value()
        return Arrow(np.zeros(3), 2 * np.array([np.cos(angle), np.sin(angle), 0.0]))


class RedrawnArrowFast(RedrawnArrow):
    def __init__(self, **kwargs):
        super().__init__(camera_class=FastCamera, **kwargs)


def test_redrawing_every_frame_keeps_no_more_paths_than_mobjects_alive_and_draws_stock_pixels():
    stock, fast = render_scene(RedrawnArrow, fps=10), render_scene(RedrawnArrowFast, fps=10)
    assert len(fast.frames) == len(stock.frames) >= 40
    gc.collect()
    alive = sum(len(m.get_family()) for m in fast.scene.mobjects)
    assert 0 < len(fast.scene.renderer.camera.paths) <= alive
    for a, b in zip(stock.frames, fast.frames, strict=True):
        np.testing.assert_array_equal(a, b)
