"""drawn_state: what a layer is kept by changes with everything the camera reads, and only then."""

from __future__ import annotations

from manim import RIGHT, Square

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


def test_drawn_state_of_a_mobject_missing_a_style_attribute_has_none_in_its_place():
    square = Square()
    del square.sheen_direction
    state = drawn_state([square])
    assert None in state and drawn_state([square]) == state


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
