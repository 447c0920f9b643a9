"""The fast 3-D surface path: same faces and colors as Manim's ``Surface``, same frames as
stock Manim's renders, and faces interleaved by depth with the other 3-D mobjects."""

from __future__ import annotations

import numpy as np
import pytest
from manim import (
    BLUE,
    DEGREES,
    DL,
    GREEN,
    GREY_E,
    IN,
    RED,
    UL,
    UR,
    YELLOW,
    Arrow3D,
    Cube,
    Dot3D,
    FadeIn,
    Surface,
    Text,
    ThreeDAxes,
    ThreeDScene,
)
from scene_render import is_nontrivial, render_scene

import scenes.kit.face_raster as face_raster
from scenes.kit.camera3d import _draws_nothing, _Pieces
from gradcore import from_expression, saddle
from scenes.kit import (
    STOCK_3D_VARIABLE,
    VIRIDIS,
    FastSurface,
    FastThreeDCamera,
    FastThreeDScene,
    StockThreeDCamera,
    SurfaceLine,
    ThreeDMode,
    graph_range,
    shaded_surface,
    stock_3d,
    surface_axes,
    surface_levels,
    three_d_mode,
)


def saddle_point(u, v):
    return np.array([u, v, u * u - v * v])


def test_faces_have_the_corners_and_checkerboard_colors_of_manim_surface():
    fast = FastSurface(saddle_point, u_range=(-1, 1), v_range=(-2, 1), resolution=(3, 4))
    stock = Surface(saddle_point, u_range=(-1, 1), v_range=(-2, 1), resolution=(3, 4))
    np.testing.assert_allclose(
        fast.points[fast.face_corners],
        [face.points[::4] for face in stock.list_of_faces],
        atol=1e-12,
    )
    np.testing.assert_allclose(
        fast.get_fill_rgbas(), [face.get_fill_rgbas()[0] for face in stock.list_of_faces]
    )


def test_fill_by_value_interpolates_colorscale_at_face_center_heights():
    axes = ThreeDAxes(x_range=(-1, 1, 1), y_range=(-1, 1, 1), z_range=(-1, 1, 1))
    surface = FastSurface(lambda u, v: axes.c2p(u, v, u * v), u_range=(-1, 1), v_range=(-1, 1))
    surface.set_fill_by_value(axes, colorscale=[(BLUE, -0.5), (RED, 0.5)])
    heights = axes.point_to_coords(surface.face_centers())[:, 2]
    weight = np.clip(heights + 0.5, 0, 1)[:, None]
    expected = (1 - weight) * BLUE.to_rgb() + weight * RED.to_rgb()
    np.testing.assert_allclose(surface.get_fill_rgbas()[:, :3], expected, atol=1e-12)
    np.testing.assert_allclose(surface.get_stroke_rgbas()[:, :3], expected, atol=1e-12)


def test_from_surface_samples_the_graph_of_a_gradcore_surface():
    axes = ThreeDAxes(x_range=(-1, 1, 1), y_range=(-1, 1, 1), z_range=(-1, 1, 1))
    surface = FastSurface.from_surface(saddle(), axes, resolution=4)
    xy = np.stack(np.meshgrid(*[np.linspace(-1, 1, 5)] * 2, indexing="ij"), -1).reshape(-1, 2)
    coords = np.column_stack([xy, xy[:, 0] ** 2 - xy[:, 1] ** 2])
    np.testing.assert_allclose(axes.point_to_coords(surface.points), coords, atol=1e-9)


def test_from_surface_leaves_out_faces_where_the_graph_is_not_finite_or_beyond_the_axes():
    axes = ThreeDAxes(x_range=(-1, 1, 1), y_range=(-1, 1, 1), z_range=(-1, 1, 1))
    surface = FastSurface.from_surface(from_expression("sqrt(x) + 2*y", domain=((-1, 1), (-1, 1))), axes, resolution=4)
    # Faces (i, j) of the 4 x 4 grid: x in [-1 + i/2, -1/2 + i/2], y likewise. Shown: x >= 0 and
    # the corners' and center's values sqrt(x) + 2y within [-1, 1] (up to 1% of the range).
    x0, y0 = np.meshgrid(np.arange(4) / 2 - 1, np.arange(4) / 2 - 1, indexing="ij")
    corners_and_center = [(0, 0), (0.5, 0), (0.5, 0.5), (0, 0.5), (0.25, 0.25)]
    values = np.stack([np.sqrt(np.maximum(x0 + dx, 0)) + 2 * (y0 + dy) for dx, dy in corners_and_center])
    expected = ((x0 >= 0) & np.all(np.abs(values) <= 1.02, axis=0)).ravel()
    np.testing.assert_array_equal(surface.shown, expected)
    assert 0 < expected.sum() < surface.n_faces
    assert np.all(np.isfinite(surface.points))  # vertices kept in the range, not NaN
    stock = surface.to_stock()
    assert len(stock) == expected.sum()
    np.testing.assert_allclose([face.points[::4] for face in stock], surface.points[surface.face_corners[expected]])


def test_graph_range_cuts_a_pole_and_gives_a_constant_room():
    np.testing.assert_allclose(graph_range(from_expression("x**2 + y**2"), ((-3, 3), (-3, 3))), (0, 18), atol=1e-3)
    low, high = graph_range(from_expression("1/(x - y)"), ((-3, 3), (-3, 3)))
    assert -5 < low < -2 and 2 < high < 5
    assert graph_range(from_expression("3"), ((-3, 3), (-3, 3))) == (1.5, 4.5)
    low, high = graph_range(from_expression("exp(-4*(x**2 + y**2))"), ((-3, 3), (-3, 3)))
    assert high > 0.99  # a narrow peak is not a pole


def test_apply_function_maps_every_vertex():
    surface = FastSurface(saddle_point, u_range=(-1, 1), v_range=(-1, 1), resolution=5)
    before = surface.points.copy()
    surface.apply_function(lambda p: p + np.array([0, 0, p[2] ** 2]))
    np.testing.assert_allclose(surface.points[:, 2], before[:, 2] + before[:, 2] ** 2)


def test_center_is_the_center_of_the_box_around_all_vertices():
    # 6 vertices, not whole cubic curves: VMobject's anchor-based boundary would not apply
    surface = FastSurface(lambda u, v: np.array([u, v, u + v]), resolution=(1, 2))
    np.testing.assert_allclose(surface.get_center(), [0.5, 0.5, 1.0])


def test_resolution_below_one_face_raises():
    with pytest.raises(ValueError, match="resolution"):
        FastSurface(saddle_point, resolution=(0, 4))


# Frames against stock Manim: the benchmark's content at a small resolution.


class StockSaddleScene(ThreeDScene):
    surface_class = Surface
    colorscale = None
    opacity = 1.0

    def construct(self):
        axes = ThreeDAxes(
            x_range=(-1, 1, 0.5),
            y_range=(-1, 1, 0.5),
            z_range=(-1, 1, 0.5),
            x_length=6,
            y_length=6,
            z_length=4,
        )
        surface = self.surface_class(
            lambda u, v: axes.c2p(u, v, u * u - v * v),
            u_range=(-1, 1),
            v_range=(-1, 1),
            resolution=24,
        )
        if self.colorscale:
            surface.set_fill_by_value(axes, colorscale=self.colorscale)
        surface.set_fill(opacity=self.opacity)
        ball = Dot3D(axes.c2p(0.6, 0.2, 0.9), radius=0.3, color=RED)
        arrow = Arrow3D(axes.c2p(-0.5, -0.5, 0.3), axes.c2p(-0.5, -0.5, 1.2), resolution=6)
        self.set_camera_orientation(phi=65 * DEGREES, theta=-50 * DEGREES)
        self.add(axes, surface, ball, arrow)
        self.add_fixed_in_frame_mobjects(Text("saddle", font_size=64).to_corner(UL))
        self.begin_ambient_camera_rotation(rate=1.5)
        self.wait(1)


class StockColorscaleScene(StockSaddleScene):
    """Colored by height, and translucent: faces are filled and stroked, not banded."""

    colorscale = (BLUE, GREEN, YELLOW)
    opacity = 0.7


class FastSaddleScene(FastThreeDScene, StockSaddleScene):
    surface_class = FastSurface


class FastColorscaleScene(FastThreeDScene, StockColorscaleScene):
    surface_class = FastSurface


class StockSurfaceOnFastCamera(FastThreeDScene, StockSaddleScene):
    """Manim's own ``Surface``, its faces drawn in bulk."""


def assert_same_pictures(stock, fast):
    """Frame by frame: mean absolute difference under 2 % of full scale overall and under
    8 % in every 16x16 tile (a missing label, ball or arrow shows up in its tiles)."""
    assert len(stock.frames) == len(fast.frames) >= 4
    assert fast.times == stock.times
    for a, b in zip(stock.frames, fast.frames, strict=True):
        diff = np.abs(a[..., :3].astype(float) - b[..., :3].astype(float)).mean(axis=-1) / 255
        tiles = diff.reshape(diff.shape[0] // 16, 16, diff.shape[1] // 16, 16).mean(axis=(1, 3))
        assert diff.mean() < 0.02
        assert tiles.max() < 0.08
        assert is_nontrivial(b, min_fraction=0.05)


@pytest.mark.render
@pytest.mark.parametrize(
    ("stock_class", "fast_class"),
    [
        (StockSaddleScene, FastSaddleScene),
        (StockColorscaleScene, FastColorscaleScene),
        (StockSaddleScene, StockSurfaceOnFastCamera),
    ],
    ids=["checkerboard", "translucent-colorscale", "stock-surface"],
)
def test_fast_frames_match_stock_frames_under_rotating_camera(stock_class, fast_class, rendered):
    assert_same_pictures(rendered(stock_class, fps=4), rendered(fast_class, fps=4))


# Depth: a ball is drawn in front of the faces nearer the camera than itself, behind the others.

BALLS = {
    "dot3d": lambda center: Dot3D(center, radius=0.5, color=RED),  # faces drawn in bulk
    "cube": lambda center: Cube(0.8, fill_color=RED, fill_opacity=1).move_to(center),  # by stock
}


class BallAndPlane(FastThreeDScene):
    """A red ball 1 unit above (or below) an opaque blue plane, seen from above."""

    ball_kind = "dot3d"
    ball_z = 1.0
    move_ball = False

    def construct(self):
        self.plane = FastSurface(
            lambda u, v: np.array([u, v, 0.0]),
            u_range=(-4, 4),
            v_range=(-4, 4),
            resolution=6,
            checkerboard_colors=None,
            fill_color=BLUE,
        )
        self.ball = BALLS[self.ball_kind](np.array([0, 0, self.ball_z]))
        self.set_camera_orientation(phi=20 * DEGREES, theta=-90 * DEGREES)
        self.add(self.plane, self.ball)  # the ball last: depth, not order, decides
        if self.move_ball:  # only the ball moves: stock would paint it over a still plane
            self.play(self.ball.animate.shift(2 * IN), run_time=0.5)
        else:
            self.play(FadeIn(self.plane), run_time=0.5)


class BallBelowPlane(BallAndPlane):
    ball_z = -1.0


class BallMovingBelowStillPlane(BallAndPlane):
    move_ball = True


def render_with_ball(scene_class, ball_kind):
    return render_scene(type(scene_class.__name__, (scene_class,), {"ball_kind": ball_kind}))


def ball_pixel_is_red(result) -> bool:
    column, row = np.round(result.pixel(result.scene.ball.get_center())).astype(int)
    red, _, blue = result.last_frame[row, column, :3].astype(int)
    return red - blue > 80


@pytest.mark.render
@pytest.mark.parametrize("ball_kind", sorted(BALLS))
def test_ball_above_the_plane_covers_it(ball_kind):
    assert ball_pixel_is_red(render_with_ball(BallAndPlane, ball_kind))


@pytest.mark.render
@pytest.mark.parametrize("ball_kind", sorted(BALLS))
@pytest.mark.parametrize("scene_class", [BallBelowPlane, BallMovingBelowStillPlane])
def test_ball_below_the_plane_is_hidden(scene_class, ball_kind):
    result = render_with_ball(scene_class, ball_kind)
    assert is_nontrivial(result.last_frame, min_fraction=0.3)
    assert not ball_pixel_is_red(result)


@pytest.mark.render
def test_fade_in_brings_the_surface_from_nothing_to_full_opacity():
    result = render_scene(BallBelowPlane)
    assert not is_nontrivial(result.frames[0], min_fraction=0.3)
    np.testing.assert_allclose(result.scene.plane.get_fill_opacity(), 1.0)
    assert is_nontrivial(result.frames[-1], min_fraction=0.3)


# The stock path: GRADSCENES_STOCK_3D=1 renders the same scenes with Manim's own Surface and
# ThreeDCamera (the "before" of bench/bench_scenes.py).


@pytest.mark.parametrize(("value", "stock"), [(None, False), ("", False), ("0", False), ("1", True)])
def test_stock_3d_reads_the_environment(monkeypatch, value, stock):
    if value is None:
        monkeypatch.delenv(STOCK_3D_VARIABLE, raising=False)
    else:
        monkeypatch.setenv(STOCK_3D_VARIABLE, value)
    assert stock_3d() is stock


def test_stock_3d_rejects_other_values(monkeypatch):
    monkeypatch.setenv(STOCK_3D_VARIABLE, "yes")
    with pytest.raises(ValueError, match="GRADSCENES_STOCK_3D='yes'.*set it to 1"):
        stock_3d()


def test_three_d_mode_is_the_one_switch_for_camera_surfaces_and_lines(monkeypatch):
    axes = surface_axes(saddle())
    monkeypatch.setenv(STOCK_3D_VARIABLE, "1")
    assert three_d_mode() == ThreeDMode(stock=True)
    assert three_d_mode().camera_class is StockThreeDCamera
    assert type(shaded_surface(axes, saddle(), VIRIDIS, "#000000")) is Surface
    assert not any(isinstance(m, SurfaceLine) for m in surface_levels(axes, saddle(), [0.2], ["#ffffff"]).get_family())
    monkeypatch.setenv(STOCK_3D_VARIABLE, "0")
    assert three_d_mode().camera_class is FastThreeDCamera
    assert type(shaded_surface(axes, saddle(), VIRIDIS, "#000000")) is FastSurface
    assert all(isinstance(m, SurfaceLine) for m in surface_levels(axes, saddle(), [0.2], ["#ffffff"]))


def test_to_stock_keeps_corners_colors_and_mesh_lines():
    axes = ThreeDAxes(x_range=(-1, 1, 1), y_range=(-1, 1, 1), z_range=(-1, 1, 1))
    fast = FastSurface(lambda u, v: axes.c2p(u, v, u * v), u_range=(-1, 1), v_range=(-1, 1), resolution=(3, 5))
    fast.set_fill_by_value(axes, colorscale=[BLUE, RED]).set_fill(opacity=0.6)
    fast.set_stroke(YELLOW, width=0.7, opacity=0.5).shift(2 * IN)  # moved after building
    stock = fast.to_stock()
    assert isinstance(stock, Surface) and len(stock) == fast.n_faces == 15
    np.testing.assert_allclose([face.points[::4] for face in stock], fast.points[fast.face_corners])
    np.testing.assert_allclose([face.get_fill_rgbas()[0] for face in stock], fast.get_fill_rgbas())
    np.testing.assert_allclose([face.get_stroke_rgbas()[0] for face in stock], [[*YELLOW.to_rgb(), 0.5]] * 15)
    assert {face.get_stroke_width() for face in stock} == {0.7}
    assert all(face.shade_in_3d for face in stock)


class ShadedSaddle(FastThreeDScene):
    """A graph built by ``shaded_surface``, as the collection's 3-D scenes build theirs."""

    axis_color = "#8a8d99"  # surface_axes's

    def construct(self):
        axes = surface_axes(saddle(), color=self.axis_color)
        self.add(axes, shaded_surface(axes, saddle(), VIRIDIS, "#000000"))
        self.add(Dot3D(axes.c2p(0.5, 0.5, 0.0), radius=0.3, color=RED))
        self.set_camera_orientation(phi=65 * DEGREES, theta=-50 * DEGREES)
        self.begin_ambient_camera_rotation(rate=1.5)
        self.wait(1)


@pytest.mark.render
def test_stock_path_renders_the_same_scene_with_manim_surface_and_camera(monkeypatch):
    fast = render_scene(ShadedSaddle, fps=4)
    monkeypatch.setenv(STOCK_3D_VARIABLE, "1")
    stock = render_scene(ShadedSaddle, fps=4)
    assert type(stock.scene.renderer.camera) is StockThreeDCamera
    assert type(fast.scene.renderer.camera) is FastThreeDCamera
    assert any(isinstance(mob, Surface) for mob in stock.scene.mobjects)
    assert_same_pictures(stock, fast)


@pytest.mark.render
def test_stock_path_refuses_a_fast_surface_with_a_clear_error(monkeypatch):
    monkeypatch.setenv(STOCK_3D_VARIABLE, "1")
    with pytest.raises(TypeError, match=r"FastSurface is drawn only by FastThreeDCamera.*add its to_stock\(\)"):
        render_scene(BallAndPlane)


# Lines on surfaces: depth-sorted among the faces piece by piece, one even line.


class LevelCircle(FastThreeDScene):
    """A red circle of radius 2 lifted ``lift`` above (or below) the bumpy graph
    z = 0.3 sin(2x) cos(2y), seen at a steep angle."""

    lift = 0.05
    piece_curves = 1

    def construct(self):
        def height(x, y):
            return 0.3 * np.sin(2 * x) * np.cos(2 * y)

        self.plane = FastSurface(
            lambda u, v: np.array([u, v, height(u, v)]),
            u_range=(-3, 3), v_range=(-3, 3), resolution=24,
            checkerboard_colors=None, fill_color=GREY_E, stroke_width=0,
        )  # fmt: skip
        angles = np.linspace(0, 2 * np.pi, 121)
        x, y = 2 * np.cos(angles), 2 * np.sin(angles)
        self.corners = np.column_stack([x, y, height(x, y) + self.lift])
        self.line = SurfaceLine(self.corners, piece_curves=self.piece_curves, stroke_color=RED, stroke_width=6)
        self.set_camera_orientation(phi=70 * DEGREES, theta=-60 * DEGREES)
        self.add(self.plane, self.line)
        self.wait(0.2)


def red_fraction_along(result, points) -> float:
    """Fraction of the midpoints of consecutive ``points`` whose pixel is red."""
    middles = (points[1:] + points[:-1]) / 2
    columns, rows = np.round(result.pixel(middles)).astype(int).T
    red, _, blue = result.last_frame[rows, columns, :3].astype(int).T
    return float(np.mean(red - blue > 80))


@pytest.mark.render
def test_a_line_on_a_surface_shows_where_above_it_and_hides_where_below():
    # Depth sorting by piece and face centers (the painter's algorithm, as stock Manim sorts)
    # misorders a few pieces on this grazing view of a bumpy graph: at most 1 in 10.
    above = render_scene(LevelCircle, width=512, height=288)
    assert red_fraction_along(above, above.scene.corners) >= 0.9
    below = render_scene(type("Below", (LevelCircle,), {"lift": -0.05}), width=512, height=288)
    assert red_fraction_along(below, below.scene.corners) <= 0.1


class FloorCircle(FastThreeDScene):
    """A red circle of radius 2 on the floor z = -1, under an opaque square z = 0 of half-side 1.5
    (part of the circle is under it, part is not), seen from above or from below the floor."""

    phi = 60 * DEGREES
    beneath = (0, 0, 1)

    def construct(self):
        self.plane = FastSurface(
            lambda u, v: np.array([u, v, 0.0]), u_range=(-1.5, 1.5), v_range=(-1.5, 1.5), resolution=8,
            checkerboard_colors=None, fill_color=GREY_E, stroke_width=0,
        )  # fmt: skip
        angles = np.linspace(0, 2 * np.pi, 121)
        self.corners = np.column_stack([2 * np.cos(angles), 2 * np.sin(angles), np.full(121, -1.0)])
        self.line = SurfaceLine(self.corners, beneath=self.beneath, stroke_color=RED, stroke_width=6)
        self.set_camera_orientation(phi=self.phi, theta=-60 * DEGREES)
        self.add(self.plane, self.line)
        self.wait(0.2)


@pytest.mark.render
@pytest.mark.parametrize("phi", [30, 60])
def test_a_line_beneath_is_hidden_where_the_graph_covers_it_as_a_sorted_line_is(phi):
    """Seen from above, the floor line is stroked whole before the faces: the same picture as
    its pieces sorted among them, hidden under the square, seen beyond it."""
    scene = type("Above", (FloorCircle,), {"phi": phi * DEGREES})
    whole = render_scene(scene, width=512, height=288)
    sorted_pieces = render_scene(type("Sorted", (scene,), {"beneath": None}), width=512, height=288)
    assert 0.2 < red_fraction_along(whole, whole.scene.corners) < 0.8
    diff = np.abs(whole.last_frame[..., :3].astype(int) - sorted_pieces.last_frame[..., :3].astype(int))
    assert (diff.max(axis=-1) > 64).mean() < 0.001


class MovingFloorCircle(FloorCircle):
    """The floor circle shifted in place as the camera turns, then still."""

    def construct(self):
        super().construct()
        self.begin_ambient_camera_rotation(rate=1.0)
        self.play(self.line.animate.shift([0.6, -0.4, 0]), run_time=0.6)
        self.wait(0.4)


@pytest.mark.render
def test_lines_are_cut_again_when_their_points_change_and_not_while_they_stay(monkeypatch):
    """The camera keeps how lines are cut from frame to frame: a line moved in place is cut
    again (the frames are those of a camera that keeps nothing), a still one is not."""
    cut = []
    line_cuts = FastThreeDCamera._line_cuts

    def counting(self, lines):
        before = dict(self._cuts)
        cuts = line_cuts(self, lines)
        cut.append(all(cuts is not kept for kept in before.values()))
        return cuts

    monkeypatch.setattr(FastThreeDCamera, "_line_cuts", counting)
    kept = render_scene(MovingFloorCircle, fps=10, width=256, height=144)
    assert cut[0] and sum(cut[:6]) >= 5  # the moving frames
    assert not any(cut[-3:])  # still again
    monkeypatch.setattr(FastThreeDCamera, "_line_cuts", lambda self, lines: (self._cuts.clear(), line_cuts(self, lines))[1])
    fresh = render_scene(MovingFloorCircle, fps=10, width=256, height=144)
    for a, b in zip(kept.frames, fresh.frames, strict=True):
        np.testing.assert_array_equal(a, b)


@pytest.mark.render
def test_a_line_beneath_seen_from_below_is_sorted_in_front_of_the_graph():
    below = render_scene(type("Below", (FloorCircle,), {"phi": 150 * DEGREES}), width=512, height=288)
    assert red_fraction_along(below, below.scene.corners) > 0.95


def test_surface_line_to_stock_cuts_pieces_with_the_same_curves_and_style():
    corners = np.column_stack([np.arange(11.0), np.zeros(11), np.zeros(11)])
    line = SurfaceLine(corners, piece_curves=4, stroke_color=RED, stroke_width=3)
    pieces = line.to_stock()
    assert [len(piece.points) // 4 for piece in pieces] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([piece.points for piece in pieces]), line.points)
    assert all(piece.shade_in_3d and piece.get_stroke_width() == 3 for piece in pieces)
    assert {piece.get_stroke_color().to_hex() for piece in pieces} == {RED.to_hex()}


def test_surface_line_needs_a_curve_per_piece():
    with pytest.raises(ValueError, match="piece_curves must be at least 1"):
        SurfaceLine(piece_curves=0)


# Ambient camera rotation follows the scene's clock: a render of the later animations only
# (``manim -n``, as split rendering does) shows the same frames as the whole render.


class TurningSaddle(FastThreeDScene):
    def construct(self):
        axes = surface_axes(saddle())
        self.add(axes, shaded_surface(axes, saddle(), VIRIDIS, "#000000"))
        self.set_camera_orientation(phi=65 * DEGREES, theta=-50 * DEGREES)
        self.begin_ambient_camera_rotation(rate=0.8)
        self.play(FadeIn(Dot3D(axes.c2p(0.5, 0.5, 0.0), radius=0.3, color=RED)), run_time=1)
        self.wait(1)
        self.wait(1)


@pytest.mark.render
def test_camera_rotation_of_a_partial_render_matches_the_whole_render():
    whole = render_scene(TurningSaddle, fps=5)
    part = render_scene(TurningSaddle, fps=5, config={"from_animation_number": 2})
    assert len(whole.frames) == 15 and len(part.frames) == 5
    np.testing.assert_allclose(part.times, whole.times[10:], atol=1e-12)
    for a, b in zip(whole.frames[10:], part.frames, strict=True):
        np.testing.assert_array_equal(a, b)


def test_ambient_rotation_about_an_unknown_angle_raises():
    with pytest.raises(ValueError, match="about must be 'theta', 'phi' or 'gamma'"):
        TurningSaddle().begin_ambient_camera_rotation(about="roll")


# Fitting the camera: the largest zoom of the list at which everything stays in the frame and
# clear of the fixed-in-frame boxes from every view, here checked against that definition.


def fitting_zoom(camera, points, views, half, boxes, zooms, heights):
    """The definition ``fit_camera`` follows, point by point: (zoom, height)."""
    best = (zooms[-1], 0.0)
    for height in sorted(heights, key=abs):
        for zoom in zooms:
            if zoom <= best[0]:
                break
            ok = True
            for phi, theta in views:
                camera.set_phi(phi)
                camera.set_theta(theta)
                camera.set_zoom(1.0)
                camera.reset_rotation_matrix()
                at = zoom * camera.project_points(points - [0, 0, height])[:, :2]
                ok &= bool(np.all(np.abs(at) <= half))
                ok &= not any(np.all((low <= at) & (at <= high), axis=1).any() for low, high in boxes)
            if ok:
                best = (zoom, height)
                break
    return best


@pytest.mark.parametrize("corner", [UL, UR])
def test_fit_camera_zooms_in_as_far_as_every_view_and_the_boxes_allow(corner):
    from manim import config as manim_config
    from manim import tempconfig

    from scenes.kit.scene3d import _outline

    with tempconfig({"pixel_width": 160, "pixel_height": 90}):
        scene = FastThreeDScene()
        axes = ThreeDAxes(x_range=(-1, 1, 0.5), y_range=(-1, 1, 0.5), z_range=(-1, 1, 0.5), x_length=5, y_length=5, z_length=3)
        surface = FastSurface(lambda u, v: axes.c2p(u, v, u * u - v * v), u_range=(-1, 1), v_range=(-1, 1), resolution=8)
        ball = Dot3D(axes.c2p(0.6, 0.2, 0.9), radius=0.3, resolution=(6, 6))
        title = Text("a long title over the corner", font_size=40).to_corner(corner)
        views = [(65 * DEGREES, theta) for theta in np.linspace(-1, 1, 5)]
        zoom = scene.fit_camera(axes, surface, ball, views=views, avoid=[title])
        camera = scene.renderer.camera
        center = camera.frame_center.copy()
        half = np.array([manim_config.frame_width, manim_config.frame_height]) / 2 - 0.2
        boxes = [(title.get_corner(DL)[:2] - 0.1, title.get_corner(UR)[:2] + 0.1)]
        points = np.concatenate([_outline(m) for m in (axes, surface, ball)])
        zooms = np.geomspace(1.5, 1.5 / 8, 64)
        expected = fitting_zoom(camera, points, views, half, boxes, zooms, np.linspace(-2, 2, 9))
    assert zoom == pytest.approx(expected[0], rel=1e-12)
    np.testing.assert_allclose(center, [0, 0, expected[1]], atol=1e-12)
    assert zoom < zooms[0]  # the title, not the largest zoom, limits it


@pytest.mark.render
@pytest.mark.parametrize("scene_class", [FastColorscaleScene, ShadedSaddle])
def test_plain_mobjects_drawn_as_rows_among_the_faces_give_stocks_drawing_exactly(monkeypatch, scene_class):
    """The axis pieces and the axes' tips, stroked and filled from rows merged with the faces: pixel
    for pixel what stock's drawing of each (its path, shaded colors or gradient, width, joins)
    gives at that depth. Faces between two rows go in a layer of their own, as they do between
    two mobjects stock draws (a row may otherwise wait for faces that do not meet it, and the
    layers' rounding differ by a level or two)."""
    taken = []
    rows_of = FastThreeDCamera._plain_mobjects
    after_each_row = lambda is_face, boxes: np.cumsum(np.r_[False, is_face[1:] & ~is_face[:-1]])  # noqa: E731
    monkeypatch.setattr(face_raster, "layer_steps", after_each_row)
    monkeypatch.setattr(FastThreeDCamera, "_plain_mobjects", lambda self, mobs: taken.append(rows_of(self, mobs)) or taken[-1])
    monkeypatch.setattr(FastThreeDCamera, "_straight_strokes", lambda self, mobs: (_Pieces.none(), mobs))  # all rows
    fast = render_scene(scene_class, fps=4, width=512, height=288)
    assert all(len(mobs) >= 60 for mobs in taken)  # 3 axes of 20 pieces, every frame
    nothing = lambda self, mobs: [mob for mob in rows_of(self, mobs) if _draws_nothing(mob)]  # noqa: E731 - dropped by both
    monkeypatch.setattr(FastThreeDCamera, "_plain_mobjects", nothing)
    stock = render_scene(scene_class, fps=4, width=512, height=288)
    for a, b in zip(fast.frames, stock.frames, strict=True):
        np.testing.assert_array_equal(a, b)


class RedAxesSaddle(ShadedSaddle):
    """``ShadedSaddle`` with red axes (a red and blue swapped would show)."""

    axis_color = "#ff3020"


@pytest.mark.render
def test_axis_pieces_drawn_in_the_layers_are_stocks_strokes(monkeypatch):
    """The axis pieces (one straight curve in one color each) go into the faces' layers as
    strokes with butt ends in stock's shaded color, at stock's depth: the frames are stock's
    drawing of them but for anti-aliasing, tile by tile, and the layers are few."""
    strokes, layers = [], []
    strokes_of, paint = FastThreeDCamera._straight_strokes, FastThreeDCamera._paint_layer
    monkeypatch.setattr(FastThreeDCamera, "_straight_strokes", lambda self, mobs: strokes.append(strokes_of(self, mobs)) or strokes[-1])
    monkeypatch.setattr(FastThreeDCamera, "_paint_layer", lambda self, *args: layers.append(len(args[2])) or paint(self, *args))
    fast = render_scene(RedAxesSaddle, fps=4, width=512, height=288)
    assert all(len(pieces.depths) == 60 and len(rows) == 6 for pieces, rows in strokes)  # 3 axes of 20; tips, axes of width 0
    assert sum(n > 0 for n in layers) <= 3 * len(strokes)
    monkeypatch.setattr(FastThreeDCamera, "_straight_strokes", lambda self, mobs: (_Pieces.none(), mobs))
    stock = render_scene(RedAxesSaddle, fps=4, width=512, height=288)
    for a, b in zip(fast.frames, stock.frames, strict=True):
        diff = np.abs(a[..., :3].astype(int) - b[..., :3].astype(int))
        tiles = diff.mean(axis=-1).reshape(18, 16, 32, 16).mean(axis=(1, 3))
        assert diff.mean() < 0.05 and tiles.max() < 1.5  # of 255 (measured: 0.02 and 0.65)
        assert np.percentile(diff, 99.9) <= 10


@pytest.mark.render
@pytest.mark.parametrize("scene_class", [ShadedSaddle, MovingFloorCircle])
def test_the_rasterizer_is_loaded_ahead_for_the_types_the_camera_passes(monkeypatch, scene_class):
    """The camera loads numba's compiled code on a thread while the scene is built
    (``load_compiled``); for that to spare its first frame the wait, the loaded code must be
    the code its frames call: the same argument types, faces or none."""
    from numba import typeof

    from scenes.kit import camera3d

    seen, steps = set(), set()
    draw_layer, layer_steps = camera3d._draw_layer, face_raster.layer_steps
    monkeypatch.setattr(camera3d, "_draw_layer", lambda surface, args: seen.add(tuple(map(typeof, args))) or draw_layer(surface, args))
    monkeypatch.setattr(face_raster, "layer_steps", lambda *args: steps.add(tuple(map(typeof, args))) or layer_steps(*args))
    render_scene(scene_class, fps=4, width=128, height=72)
    assert seen == {tuple(map(typeof, face_raster.empty_items()))}
    assert steps == {(typeof(np.zeros(0, np.bool_)), typeof(np.zeros((0, 4))))}
