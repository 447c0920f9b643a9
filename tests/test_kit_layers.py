"""drawn_state: what a layer is kept by changes with everything the camera reads, and only then."""

from __future__ import annotations

from manim import LEFT, RIGHT, Square

from scenes.kit.layers import drawn_state


def test_drawn_state_changes_with_points_moved_in_place_color_width_and_joints_only():
    square = Square()
    state = drawn_state([square])
    assert drawn_state([square]) == state
    changes = [
        lambda s: s.shift(0.001 * RIGHT),  # points moved in place
        lambda s: s.set_fill("#ff0000", opacity=0.5),
        lambda s: s.set_stroke(width=7),
        lambda s: setattr(s, "joint_type", "round"),
    ]
    for change in changes:
        change(square)
        assert drawn_state([square]) != state
        state = drawn_state([square])
    assert drawn_state([square, Square()]) != drawn_state([square])


def test_mobjects_missing_a_style_attribute_never_look_the_same_so_they_are_drawn_every_frame():
    from scenes.kit.layers import faded_state

    square = Square()
    del square.sheen_direction
    assert drawn_state([square]) != drawn_state([square])
    assert not faded_state([square]).looks_like(faded_state([square]))
    assert faded_state([Square()]).looks_like(faded_state([Square()])) is False  # other ids
    kept = [Square()]
    assert faded_state(kept).looks_like(faded_state(kept)) and drawn_state(kept) == drawn_state(kept)


def test_a_layer_is_drawn_once_its_mobjects_look_the_same_two_frames_in_a_row_and_matches_drawing_them():
    import numpy as np
    from manim import Camera

    from scenes.kit.layers import LayerCache

    camera = Camera(pixel_width=160, pixel_height=90)
    drawn = []

    def draw_into(mobjects, pixels):
        drawn.append(len(mobjects))
        camera.display_multiple_vectorized_mobjects(mobjects, pixels)

    def frame(mobjects):
        """One frame: the layer composited if the cache has it, else the mobjects drawn."""
        camera.reset()
        ctx = camera.get_cairo_context(camera.pixel_array)
        if not cache.draw(mobjects, ctx, camera.pixel_array.shape, draw_into):
            camera.display_multiple_vectorized_mobjects(mobjects, camera.pixel_array)
        cache.end_frame()
        return camera.pixel_array.copy()

    cache = LayerCache()
    squares = [Square(1.5, fill_color="#3366ff", fill_opacity=0.6, stroke_width=4), Square(0.7).shift(RIGHT)]
    direct = frame(squares)  # first seen: drawn directly
    assert drawn == []
    for _ in range(3):
        layered = frame(squares)
        assert np.abs(layered.astype(int) - direct.astype(int)).max() <= 1
    assert drawn == [2]  # drawn into the layer once, on the second frame
    for k in range(4):  # changing every frame (a fade): never drawn into a layer
        squares[0].set_fill(opacity=0.1 * k)
        frame(squares)
    assert drawn == [2]
    frame(squares)
    assert drawn == [2, 2]
    frame(squares[:1])  # another run: the layer of both is dropped at the end of the frame
    assert len(cache._layers) == 1


def test_a_fade_of_the_whole_run_is_its_layer_composited_at_the_fading_opacity():
    """Every opacity of the run scaled by one factor, as ``FadeIn`` does (its points and colors
    interpolated, up to rounding): one layer, drawn once, composited at that opacity; the
    frames are stock's drawing of the faded mobjects (which do not overlap) up to rounding."""
    import numpy as np
    from manim import Camera, Circle, FadeIn, Square, VGroup

    from scenes.kit.layers import LayerCache

    camera = Camera(pixel_width=160, pixel_height=90)
    drawn = []

    def draw_into(mobjects, pixels):
        drawn.append(len(mobjects))
        camera.display_multiple_vectorized_mobjects(mobjects, pixels)

    def frame(mobjects, layered=True):
        """A frame with the cache, or (not ``layered``) stock's drawing, the cache left alone."""
        camera.reset()
        ctx = camera.get_cairo_context(camera.pixel_array)
        if not (layered and cache.draw(mobjects, ctx, camera.pixel_array.shape, draw_into)):
            camera.display_multiple_vectorized_mobjects(mobjects, camera.pixel_array)
        if layered:
            cache.end_frame()
        return camera.pixel_array.copy()

    cache = LayerCache()
    group = VGroup(Square(1.5, fill_color="#3366ff", fill_opacity=0.6, stroke_width=0).shift(LEFT * 2), Circle(0.6).shift(RIGHT))
    fade = FadeIn(group)
    fade.begin()
    mobjects = group.family_members_with_points()
    for k, alpha in enumerate(np.linspace(0.1, 1.0, 7)):
        fade.interpolate(alpha)
        ours, stock = frame(mobjects), frame(mobjects, layered=False)
        difference = np.abs(ours.astype(int) - stock.astype(int))
        assert difference.max() <= 2 and difference.mean() < 0.05  # rounding
        assert drawn == ([] if k == 0 else [2])  # seen once, then drawn into the layer once
    fade.finish()
    group[0].set_fill(opacity=0.3)  # one part alone: not a fade, drawn by the caller
    frame(mobjects)
    assert drawn == [2]


def test_a_recorded_frame_replayed_after_its_layer_was_redrawn_shows_the_layer_it_recorded():
    """For a frame recorded now and replayed later on the painter's thread (``keep``): the layer
    the recording paints is the one of its frame, though the run changed and its layer was drawn
    again before the replay (a layer's pixels never change once drawn)."""
    import cairo
    import numpy as np
    from manim import Camera

    from scenes.kit.layers import LayerCache
    from scenes.kit.painter import FramePainter, _paint

    camera = Camera(pixel_width=160, pixel_height=90)
    matrix = camera.get_cairo_context(camera.pixel_array).get_matrix()
    cache = LayerCache()
    square = Square(2, fill_color="#3366ff", fill_opacity=1, stroke_width=0)
    corner = Square(2, fill_color="#3366ff", fill_opacity=1, stroke_width=0).move_to([7, -4, 0])  # the box meets the bottom

    def recorded_frame():
        """A frame recorded as for the painter, with what it holds; the layer must be drawn."""
        pixels, held = np.zeros_like(camera.pixel_array), []
        ctx = FramePainter.recording(pixels, 0xFF000000, matrix)
        assert cache.draw([square, corner], ctx, pixels.shape, camera.display_multiple_vectorized_mobjects, keep=held.append)
        cache.end_frame()
        return pixels, ctx.get_target(), held

    def center_rgb(pixels):
        return pixels[45, 80, :3].tolist()

    for color in ("#3366ff", "#ff3322"):
        square.set_fill(color)
        assert not cache.draw([square, corner], camera.get_cairo_context(camera.pixel_array), camera.pixel_array.shape, None)
        cache.end_frame()  # seen once: the caller draws it
        if color == "#3366ff":
            blue = recorded_frame()
        red = recorded_frame()
    assert len(blue[2]) == 1 and isinstance(blue[2][0], cairo.ImageSurface)
    for (pixels, recording, held), expected in ((blue, [51, 102, 255]), (red, [255, 51, 34])):
        _paint(pixels, recording, (), held)
        assert center_rgb(pixels) == expected
        assert pixels[-1, -1, :3].tolist() == [51, 102, 255] and pixels[0, 0, :3].tolist() == [0, 0, 0]
