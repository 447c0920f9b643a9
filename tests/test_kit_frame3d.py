"""The 3-D camera's per-frame bulk work for what stock code draws: the paths and shading it
hands to stock drawing are stock's own, and nothing is kept past the frame it was made for."""

from __future__ import annotations

import cairo
import numpy as np
from manim import DEGREES, Arrow, Dot3D, Line, Square, ThreeDAxes, ThreeDCamera, VMobject

from scenes.kit.camera3d import FastThreeDCamera
from scenes.kit.frame3d import FrameProjection, ShadingCache


def _camera(cls: type[ThreeDCamera]) -> ThreeDCamera:
    camera = cls()
    camera.set_phi(65 * DEGREES)
    camera.set_theta(-40 * DEGREES)
    camera.reset_rotation_matrix()
    return camera


def _mobjects() -> list[VMobject]:
    """An arrow and its tip, a closed square, a line, an axis piece and a path of two subpaths."""
    arrow = Arrow([0, 0, 0], [2, 1, 1])
    two = VMobject()
    two.set_points_as_corners([[0, 0, 0], [1, 0, 0], [1, 1, 0]])
    two.start_new_path(np.array([2.0, 2, 1]))
    two.add_line_to(np.array([3.0, 1, 0]))
    axis_piece = ThreeDAxes().x_axis.pieces[3]
    return [arrow, arrow.tip, Square().rotate(40 * DEGREES, [1, 1, 0]), Line([0, 0, 0], [1, 2, 3]), two, axis_piece]


def _path(camera: ThreeDCamera, mob: VMobject, draw) -> list:
    surface = cairo.ImageSurface(cairo.FORMAT_ARGB32, 64, 64)
    ctx = cairo.Context(surface)
    ctx.scale(1024, 1024)  # cairo keeps points to 1/256 of a device unit: keep them fine in scene units
    draw(ctx, mob)
    return list(ctx.copy_path())


def assert_same_path(ours: list, theirs: list) -> None:
    """The same elements at the same points, but where stock's curve is straight, a line to its end
    (and none where that line goes back to the start of a subpath that closes: cairo drops it)."""
    mover = None
    for k, (kind, points) in enumerate(theirs):
        if kind == cairo.PATH_MOVE_TO:
            mover = points
        elif kind == cairo.PATH_CURVE_TO and points[-2:] == mover and theirs[k + 1][0] == cairo.PATH_CLOSE_PATH:
            if ours[k][0] == cairo.PATH_CLOSE_PATH:
                theirs = theirs[:k] + theirs[k + 1 :]
                break
    assert len(ours) == len(theirs)
    start = None
    for (kind, points), (stock_kind, stock_points) in zip(ours, theirs, strict=True):
        if kind == cairo.PATH_LINE_TO and stock_kind == cairo.PATH_CURVE_TO:
            a, h1, h2, b = np.reshape([*start, *stock_points], (4, 2))
            for h in (h1, h2):  # the handles on the segment from a to b
                (dx, dy), (hx, hy) = b - a, h - a
                assert abs(dx * hy - dy * hx) <= 1e-5 * np.hypot(dx, dy)
            stock_points = stock_points[4:]
        else:
            assert kind == stock_kind
        np.testing.assert_allclose(points, stock_points, atol=1e-9)
        start = points[-2:] if len(points) else start


def test_paths_and_points_are_stock_ones_projected_all_at_once():
    stock, fast = _camera(ThreeDCamera), _camera(ThreeDCamera)
    mobjects = _mobjects()
    projection = FrameProjection()
    projection.update(mobjects, fast.project_points)
    for mob in mobjects:
        np.testing.assert_allclose(projection.points(mob, mob.points), stock.transform_points_pre_display(mob, mob.points), atol=1e-12)
        ours = _path(fast, mob, lambda ctx, m: projection.set_path(ctx, m))
        theirs = _path(stock, mob, stock.set_cairo_context_path)
        assert_same_path(ours, theirs)
    assert sum(kind == cairo.PATH_MOVE_TO for kind, _ in _path(fast, mobjects[4], lambda c, m: projection.set_path(c, m))) == 2
    assert any(kind == cairo.PATH_CLOSE_PATH for kind, _ in _path(fast, mobjects[2], lambda c, m: projection.set_path(c, m)))


def test_a_mobject_with_new_points_or_not_finite_ones_is_left_to_stock_code():
    camera = _camera(ThreeDCamera)
    moved, broken = Line([0, 0, 0], [1, 1, 1]), Line([0, 0, 0], [1, 1, 1])
    broken.points[1, 0] = np.nan
    projection = FrameProjection()
    projection.update([moved, broken], camera.project_points)
    moved.points = moved.points + 1  # replaced since the projection
    assert projection.points(moved, moved.points) is None
    assert projection.points(broken, broken.points) is None
    assert not projection.set_path(cairo.Context(cairo.ImageSurface(cairo.FORMAT_ARGB32, 8, 8)), moved)
    projection.clear()
    assert projection.points(moved, moved.points) is None


def test_shading_is_stock_and_follows_the_points_the_colors_and_the_light():
    camera = _camera(ThreeDCamera)
    cache = ShadingCache()
    face = Dot3D(radius=0.5).submobjects[5]
    light = camera.light_source.points[0]

    def shaded():
        return cache.get(face, face.fill_rgbas, light, lambda: camera.modified_rgbas(face, face.fill_rgbas))

    first = shaded()
    np.testing.assert_array_equal(first, camera.modified_rgbas(face, face.fill_rgbas))
    calls = []
    cache.get(face, face.fill_rgbas, light, lambda: calls.append(1) or first)
    assert not calls  # kept
    face.rotate(70 * DEGREES, [1, 0, 0])
    np.testing.assert_array_equal(shaded(), camera.modified_rgbas(face, face.fill_rgbas))
    face.set_fill("#ff0000")
    np.testing.assert_array_equal(shaded(), camera.modified_rgbas(face, face.fill_rgbas))
    light = light + 1.0
    camera.light_source.move_to(light)
    np.testing.assert_array_equal(shaded(), camera.modified_rgbas(face, face.fill_rgbas))
    cache.end_frame()
    cache.end_frame()  # two frames unused: gone
    assert not cache._now and not cache._before


def test_the_fast_camera_keeps_no_projection_past_its_frame():
    camera = _camera(FastThreeDCamera)
    line = Line([0, 0, 0], [1, 1, 1])
    camera.capture_mobjects([line])
    line.points += 1  # moved in place after the frame
    np.testing.assert_allclose(camera.transform_points_pre_display(line, line.points), camera.project_points(line.points))


def test_depths_are_stocks_sort_keys():
    """Larger is nearer, as stock's ``z_key``: a curve whose handles bulge past its anchors is keyed
    by its anchors' box, a group and a mobject with a ``z_index_group`` by theirs, and what is not
    shaded in 3-D by infinity."""
    from manim import Arc, VGroup

    camera = _camera(FastThreeDCamera)
    arc = Arc(radius=2, angle=3, arc_center=[0.3, -1, 0.5]).rotate(50 * DEGREES, [1, 0, 1])
    grouped = Line([0, 0, 0], [1, 1, 1])
    grouped.z_index_group = Dot3D([2, 0, -1])
    flat = Square()  # not shaded in 3-D
    mobjects = [*_mobjects(), arc, VGroup(Line([1, 1, 1], [2, 3, 1]), Square()), grouped, flat]
    for mob in mobjects:
        mob.shade_in_3d = mob is not flat
    rotation = camera.get_rotation_matrix()
    stock = [np.dot(m.get_z_index_reference_point(), rotation.T)[2] if m is not flat else np.inf for m in mobjects]
    np.testing.assert_allclose(camera._depths(mobjects), stock, rtol=0, atol=1e-12)
    handles_too = (arc.points.min(axis=0) + arc.points.max(axis=0)) / 2 @ rotation[2]
    assert abs(handles_too - stock[len(mobjects) - 4]) > 1e-3  # its handles bulge: the anchors' box it is
