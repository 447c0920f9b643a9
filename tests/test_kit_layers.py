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
