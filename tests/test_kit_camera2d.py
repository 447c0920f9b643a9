"""The 2-D camera: a kept path is reused only for the same points, and a mobject's path goes with
the mobject, so that a scene redrawing a mobject every frame keeps no more paths than it has
mobjects alive; runs of opaque fills of one color (text) are filled as one path; and it draws
stock Manim's pixels."""

from __future__ import annotations

import gc

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from manim import (
    DOWN, LEFT, RIGHT, UP, Arrow, Camera, Circle, DecimalNumber, Dot, GrowArrow, LaggedStart, MathTex, Scene, Square,
    ValueTracker, VGroup, VMobject, always_redraw, linear,
)  # fmt: skip
from manim.utils.family import extract_mobject_family_members
from scene_render import render_scene

from scenes.kit import FastCamera, PathCache, Trail
from scenes.kit.camera2d import MIN_RUN, RunLayers, plain_fill
from scenes.kit.family import mobjects_to_display


def assert_stock_pixels(stock: list[np.ndarray], fast: list[np.ndarray]) -> None:
    """Each fast frame is its stock frame up to anti-aliasing (where glyphs filled together touch,
    along the edges of a straight curve stroked as a line): no pixel more than 8 units in 255
    apart, and less than a tenth of a unit on average."""
    for a, b in zip(stock, fast, strict=True):
        differ = np.abs(np.asarray(a[..., :3], dtype=int) - np.asarray(b[..., :3], dtype=int)).max(axis=-1)
        assert differ.max() <= 8 and differ.mean() < 0.1


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
    assert_stock_pixels(stock.frames, fast.frames)


class Glyphs(Scene):
    """Text in two colors over an opaque box, and translucent squares that overlap."""

    def construct(self):
        box = Square(3, fill_color="#334455", fill_opacity=1, stroke_width=0)
        text = MathTex(r"f(x_k) - f^* = 10^{-3}", color="#ffffff").scale(1.5)
        text[0][:6].set_color("#ff8800")
        squares = VGroup(*(Square(1, fill_color="#00ff00", fill_opacity=0.5, stroke_width=0).shift(0.5 * i * RIGHT) for i in range(3)))
        self.add(box, text, squares.shift(2 * DOWN))
        self.wait(0.2)


class GlyphsFast(Glyphs):
    def __init__(self, **kwargs):
        super().__init__(camera_class=FastCamera, **kwargs)


def test_plain_fills_of_one_color_are_filled_together_with_stock_pixels():
    text = MathTex("x_k", color="#ffffff")
    assert all(plain_fill(glyph) == (1.0, 1.0, 1.0, 1.0) for glyph in text[0])
    assert plain_fill(Square(fill_opacity=0.5)) is None  # translucent: overlaps would differ
    assert plain_fill(Square(fill_opacity=1, stroke_width=2)) is None  # a stroke too
    assert plain_fill(Square(fill_opacity=1, stroke_width=2, stroke_opacity=0)) is not None
    stock, fast = render_scene(Glyphs, width=640, height=360), render_scene(GlyphsFast, width=640, height=360)
    a, b = (np.asarray(r.last_frame[..., :3], dtype=int) for r in (stock, fast))
    differ = np.abs(a - b).max(axis=-1)
    assert differ.max() <= 8 and (differ > 0).mean() < 2e-3  # anti-aliasing where glyphs touch, at most


class TextAfterAMovingDot(Scene):
    """Text drawn after (over) a dot that moves: by Manim's rule both are redrawn every frame;
    the text, unchanged, comes from a layer once it has been steady for a few frames."""

    def construct(self):
        dot = Dot(color="#ff0000", radius=0.3)
        tracker = ValueTracker(-4)
        dot.add_updater(lambda d: d.move_to([tracker.get_value(), 0.2, 0]))
        text = MathTex(r"\nabla f(x_k) = 10^{-3}", color="#ffffff").scale(1.6)
        number = DecimalNumber(0, color="#ffff00").next_to(text, DOWN)
        number.add_updater(lambda n: n.set_value(tracker.get_value()))
        self.add(dot, text, number)
        self.play(tracker.animate.set_value(4), run_time=2, rate_func=linear)


class TextAfterAMovingDotFast(TextAfterAMovingDot):
    def __init__(self, **kwargs):
        super().__init__(camera_class=FastCamera, **kwargs)


def test_steady_runs_come_from_layers_with_stock_pixels_while_the_rest_moves():
    stock = render_scene(TextAfterAMovingDot, width=640, height=360, fps=15)
    fast = render_scene(TextAfterAMovingDotFast, width=640, height=360, fps=15)
    layers = fast.scene.renderer.camera.runs._layers
    assert len(layers) == 1 and len(next(iter(layers))) >= MIN_RUN  # the formula's glyphs, not the ticking number
    assert len(fast.frames) == len(stock.frames) >= 25
    assert_stock_pixels(stock.frames, fast.frames)


def test_chunks_of_a_steady_run_stay_the_same_when_it_grows_or_shrinks_at_an_end():
    mobjects = [Dot() for _ in range(400)]
    layers = RunLayers()
    assert 4 <= sum(map(layers.ends_chunk, mobjects)) <= 40  # about one in 32

    def keys(run):
        return [tuple(map(id, chunk)) for chunk, _ in layers.chunks(run)]

    whole = keys(mobjects[50:350])
    assert all(len(key) >= MIN_RUN for key in whole)
    assert sum(map(len, whole)) == 300
    for run in (mobjects[50:351], mobjects[51:350], mobjects[60:340]):  # grown, shrunk at either end
        changed = set(keys(run)) ^ set(whole)
        assert len(set(keys(run)) - set(whole)) <= 2 and len(changed) <= 4  # only the chunks at the ends


def test_a_chunk_comes_from_a_layer_from_its_second_frame_the_same():
    mobjects = [Dot() for _ in range(100)]
    layers = RunLayers()
    assert not any(layered for _, layered in layers.chunks(mobjects))
    layers.end_frame()
    assert all(layered for _, layered in layers.chunks(mobjects))
    layers.end_frame()
    assert not any(layered for _, layered in layers.chunks(mobjects[:5]))  # too short for a layer


class GrowingField(Scene):
    """A field of arrows growing one after another (a moving LaggedStart window), under a dot."""

    def construct(self):
        arrows = VGroup(*(Arrow(ORIGIN_ROW[i % 10] + 0.6 * (i // 10) * DOWN, ORIGIN_ROW[i % 10] + 0.6 * (i // 10) * DOWN + 0.5 * UP, buff=0)
                          for i in range(80)))  # fmt: skip
        self.add(Dot(color="#ff0000"))
        self.play(LaggedStart(*(GrowArrow(arrow) for arrow in arrows), lag_ratio=0.05), run_time=2)


ORIGIN_ROW = [np.array([-5.0 + i, 2.5, 0.0]) for i in range(10)]


class GrowingFieldFast(GrowingField):
    def __init__(self, **kwargs):
        super().__init__(camera_class=FastCamera, **kwargs)


def test_a_growing_field_is_drawn_from_layers_with_stock_pixels_the_same_each_time():
    stock = render_scene(GrowingField, width=640, height=360, fps=15)
    fast = render_scene(GrowingFieldFast, width=640, height=360, fps=15)
    assert len(fast.scene.renderer.camera.runs._layers) >= 2  # the grown arrows, in chunks
    again = render_scene(GrowingFieldFast, width=640, height=360, fps=15)
    for a, b in zip(fast.frames, again.frames, strict=True):
        np.testing.assert_array_equal(a, b)  # chunks do not depend on where mobjects lie in memory
    assert len(fast.frames) == len(stock.frames) >= 25
    assert_stock_pixels(stock.frames, fast.frames)


def test_the_display_list_is_stocks_for_shared_and_z_indexed_mobjects():
    camera = Camera()
    shared = Dot()
    arrow = Arrow()
    trees = [
        [VGroup(MathTex("x^2"), arrow), Square(), VGroup(Circle(), VGroup(Dot()))],
        [VGroup(shared, Square()), VGroup(shared)],  # one mobject in two groups
        [arrow, arrow],
        [VGroup(VGroup(shared, Circle()), Square()), Dot(), VGroup(VGroup(Square(), shared)), shared],
        [VGroup(arrow, VGroup(arrow.tip, Square())), VGroup(Circle(), VGroup(arrow))],  # shared subtrees
    ]
    for mobjects in trees:
        assert mobjects_to_display(camera, mobjects) == extract_mobject_family_members(mobjects, only_those_with_points=True)
        flattened = extract_mobject_family_members(mobjects)  # as a renderer passes its moving mobjects
        assert mobjects_to_display(camera, flattened) == extract_mobject_family_members(flattened, only_those_with_points=True)
        assert mobjects_to_display(camera, flattened[::-1]) == extract_mobject_family_members(flattened[::-1], only_those_with_points=True)
    camera.use_z_index = True
    raised = VGroup(Square().set_z_index(2), Circle(), Dot().set_z_index(-1))
    assert mobjects_to_display(camera, [raised]) == Camera.get_mobjects_to_display(camera, [raised])
    assert mobjects_to_display(camera, [raised], excluded_mobjects=[raised[0]]) == [raised[2], raised[1]]


class GrowingLines(Scene):
    """A trail walking a spiral, a line of two pieces growing and a polygon closing up as it grows."""

    def construct(self):
        turns = np.linspace(0, 6 * np.pi, 240)
        spiral = np.column_stack([0.1 * turns * np.cos(turns), 0.1 * turns * np.sin(turns), 0 * turns])
        step = ValueTracker(0)
        trail = Trail(spiral, step, "#ffcc00")
        pieces, ring = VMobject(stroke_color="#00ccff", stroke_width=4), VMobject(stroke_color="#ff00ff", stroke_width=12)

        def grow(_):
            k = 2 + int(step.get_value() / 10)
            pieces.set_points_as_corners(spiral[:k] + [3, 0, 0])
            pieces.start_new_path(np.array([3.0, -2.0, 0.0]))
            pieces.add_points_as_corners(spiral[:k] * 0.5 + [3, -2, 0])
            angles = np.linspace(0, min(2 * np.pi, 0.4 * k), k)  # closed from k = 16 on
            ring.set_points_as_corners(np.column_stack([np.cos(angles) - 4, np.sin(angles), 0 * angles]))

        pieces.add_updater(grow)
        grow(pieces)
        self.add(trail, pieces, ring)
        self.play(step.animate.set_value(239), run_time=3, rate_func=linear)


class GrowingLinesFast(GrowingLines):
    def __init__(self, **kwargs):
        super().__init__(camera_class=FastCamera, **kwargs)


def test_growing_lines_extend_their_kept_paths_with_stock_pixels():
    stock = render_scene(GrowingLines, width=640, height=360, fps=15)
    fast = render_scene(GrowingLinesFast, width=640, height=360, fps=15)
    trail = next(mob for mob in fast.scene.mobjects if isinstance(mob, Trail))
    assert fast.scene.renderer.camera.paths.stem(trail.line) is not None  # the trail grew from its stem
    assert len(fast.frames) == len(stock.frames) >= 40
    assert_stock_pixels(stock.frames, fast.frames)


def test_a_shape_seen_elsewhere_is_drawn_from_its_recipe_with_the_path_a_fresh_build_gives():
    camera, fresh = FastCamera(pixel_width=320, pixel_height=180), FastCamera(pixel_width=320, pixel_height=180)
    ctx, fresh_ctx = (c.get_cairo_context(c.pixel_array) for c in (camera, fresh))
    dot, text = Dot(radius=0.3), MathTex("x_k = 0.25")
    for mob in (dot, *text[0]):
        camera.set_cairo_context_path(ctx, mob)
    kept = len(camera.shapes)
    assert kept == 1 + len(text[0])
    dot.shift(1.234567 * RIGHT + 0.5 * UP)
    text.shift(2.5 * LEFT)
    for mob in (dot, *text[0]):
        key = camera.shapes.key(mob.points[:, :2], mob.tolerance_for_point_equality)
        assert camera.shapes.get(key) is not None  # drawn from the kept recipe
        camera.set_cairo_context_path(ctx, mob)
        fresh.set_cairo_context_path(fresh_ctx, mob)
        assert list(ctx.copy_path()) == list(fresh_ctx.copy_path())
    assert len(camera.shapes) == kept


def test_a_shape_whose_subpaths_could_depend_on_its_place_is_not_kept_and_the_cache_is_bounded():
    from scenes.kit.camera2d import SHAPES

    camera = FastCamera(pixel_width=320, pixel_height=180)
    ctx = camera.get_cairo_context(camera.pixel_array)
    gap = VMobject().set_points_as_corners([[0, 0, 0], [1, 0, 0], [1, 1, 0]])
    gap.points[4:] += [2e-5, 0, 0]  # the second curve starts just off the first's end
    camera.set_cairo_context_path(ctx, gap)
    assert len(camera.shapes) == 0
    for k in range(SHAPES + 50):
        camera.set_cairo_context_path(ctx, Dot(radius=0.01 + 0.001 * k))
    assert len(camera.shapes) == SHAPES


def test_display_kind_is_stocks_type_or_raise_looked_up_once_per_class():
    from manim import ImageMobject, Mobject, PMobject

    from scenes.kit.family import display_kind

    camera = FastCamera()
    image = ImageMobject(np.zeros((4, 4, 4), dtype=np.uint8))
    for mob in (Dot(), Square(), PMobject(), image, Mobject(), Dot()):
        assert display_kind(camera, mob) is Camera.type_or_raise(camera, mob)
        assert camera.type_or_raise(mob) is Camera.type_or_raise(camera, mob)
    assert set(camera._display_kinds) == {Dot, Square, PMobject, ImageMobject, Mobject}
    with pytest.raises(TypeError, match="not supported"):
        display_kind(camera, object())


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_the_display_list_is_stocks_for_any_tree_with_shared_mobjects(data):
    """Any tree whose mobjects may sit in several groups (edges from a mobject only to later
    ones: no loops), some with points and some without, listed in any order, with repeats."""
    size = data.draw(st.integers(1, 12))
    nodes = [VMobject() for _ in range(size)]
    for k, node in enumerate(nodes):
        if data.draw(st.booleans()):
            node.points = np.zeros((4, 3))
        if k + 1 < size:
            node.submobjects = data.draw(st.lists(st.sampled_from(nodes[k + 1 :]), max_size=3))
    mobjects = data.draw(st.lists(st.sampled_from(nodes), min_size=1, max_size=8))
    expected = extract_mobject_family_members(mobjects, only_those_with_points=True)
    assert mobjects_to_display(Camera(), mobjects) == expected
