"""Pixel checks of the 3-D scenes: what is drawn lies where gradcore's numbers put it.

Each scene is rendered once per session at 480x270, 5 fps, with a probe that records, at every
frame, where the camera projects the ball centers computed here from gradcore (``descend`` /
``roll``, independently of the scene's mobjects) or the camera's angle; the checks find the
balls' (and the bowl's floor arrows') colored pixels in the frames and compare. Each scene is
also checked through a small subclass with other knobs.
"""

from __future__ import annotations

import functools

import numpy as np
import pytest
from scene_render import to_pixel

from gradcore.descent import descend
from gradcore.expression import from_expression
from gradcore.optimizers import sgd
from gradcore.registry import get_surface
from gradcore.rolling import roll
from scenes.bowl import Bowl3D, gradient_tex
from scenes.kit import floor_points, surface_points
from scenes.rolling import BallRolling
from scenes.saddle import SaddleDescent
from scenes.surfaces3d import RotatingSurface

pytestmark = pytest.mark.render

SIZE = {"width": 480, "height": 270}


class SaddleFromOtherStarts(SaddleDescent):
    """Both starts below the x axis: both balls run off to the side y < 0."""

    starts = ((0.8, -0.03), (0.5, -0.1))


def _ball_mask(frame: np.ndarray, color: str) -> np.ndarray:
    """Pixels of a shaded ball: red (``"red"``) or magenta (``"magenta"``) of any brightness."""
    r, g, b = (frame[..., k].astype(float) for k in range(3))
    reddish = (r > 110) & (g < 0.75 * r)
    return reddish & ((b < 0.75 * r) if color == "red" else (b > 0.75 * r))


def _core(mask: np.ndarray) -> np.ndarray:
    """Pixels of ``mask`` whose 3x3 neighbourhood is all in ``mask`` (drops thin trails)."""
    padded = np.pad(mask, 1)
    rows, cols = mask.shape
    return np.all(
        [padded[1 + dr : 1 + dr + rows, 1 + dc : 1 + dc + cols] for dr in (-1, 0, 1) for dc in (-1, 0, 1)], axis=0
    )


def _center(mask: np.ndarray) -> np.ndarray:
    """Mean (column, row) of the pixel centers in ``mask``."""
    rows, columns = np.nonzero(mask)
    return np.array([columns.mean() + 0.5, rows.mean() + 0.5])


def _near(mask: np.ndarray, pixel: np.ndarray, radius: float) -> np.ndarray:
    rows, columns = np.indices(mask.shape)
    return mask & (np.hypot(columns + 0.5 - pixel[0], rows + 0.5 - pixel[1]) < radius)


# --- SaddleDescent -----------------------------------------------------------------------


def _saddle_paths(scene_class: type[SaddleDescent]) -> list[np.ndarray]:
    surface = get_surface(scene_class.surface_name)
    return [
        descend(surface, start, sgd(scene_class.learning_rate), steps=scene_class.steps, domain=surface.domain).points
        for start in scene_class.starts
    ]


def _saddle_probe(scene: SaddleDescent):
    """Step index and projected ball centers (from gradcore's paths), once the balls exist."""
    if not hasattr(scene, "balls"):
        return None
    surface = get_surface(scene.surface_name)
    step = scene.step.get_value()
    pixels = []
    for path in _saddle_paths(type(scene)):
        t = min(step, len(path) - 1)  # a path that left the domain early stays at its end
        i = min(int(t), len(path) - 2)
        point = path[i] + (t - i) * (path[i + 1] - path[i])
        pixels.append(to_pixel(scene, surface_points(scene.axes, surface, point, scene.ball_radius)))
    return step, pixels


@pytest.fixture(scope="module", params=[SaddleDescent, SaddleFromOtherStarts], ids=lambda c: c.__name__)
def saddle(request, rendered):
    return rendered(request.param, probe=_saddle_probe, **SIZE)


def test_saddle_balls_drawn_at_projected_descent_points(saddle):
    checked = 0
    for frame, probe in zip(saddle.frames[::3], saddle.probes[::3]):
        if probe is None or probe[0] == 0:  # the balls are fading in until the descent starts
            continue
        _, pixels = probe
        for color, pixel in zip(("red", "magenta"), pixels):
            ball = _near(_core(_ball_mask(frame, color)), pixel, 8)
            assert ball.sum() >= 3, f"no {color} ball near {pixel}"
            np.testing.assert_allclose(_center(ball), pixel, atol=1.0)
            checked += 1
    assert checked >= 10


def test_saddle_balls_move_while_descending(saddle):
    probes = [p for p in saddle.probes if p is not None]
    first, last = probes[0][1], probes[-1][1]
    for start, end in zip(first, last):
        assert np.hypot(*(end - start)) > 20


def _ball_sides(result) -> list[float]:
    """Where the balls are in the last frame, found from pixels alone (the red and magenta
    pixels left after two erosions: the balls, not the thin trails), measured along the
    projected y axis from the saddle point in units of the projected length of y = 1."""
    scene, frame = result.scene, result.last_frame
    saddle_pixel = to_pixel(scene, scene.axes.c2p(0, 0, 0))
    y_axis = to_pixel(scene, scene.axes.c2p(0, 1, 0)) - saddle_pixel
    sides = []
    for color in ("red", "magenta"):
        core = _core(_core(_ball_mask(frame, color)))
        assert core.any(), f"no {color} ball in the last frame"
        sides.append(float((_center(core) - saddle_pixel) @ y_axis / (y_axis @ y_axis)))
    return sides


def test_saddle_balls_end_on_opposite_sides_in_frame(rendered):
    sides = _ball_sides(rendered(SaddleDescent, probe=_saddle_probe, **SIZE))
    assert sides[0] > 0.5 and sides[1] < -0.5, f"balls on sides {sides} of the saddle"


def test_other_starts_end_on_the_same_side_in_frame(rendered):
    sides = _ball_sides(rendered(SaddleFromOtherStarts, probe=_saddle_probe, **SIZE))
    assert sides[0] < -0.5 and sides[1] < -0.5, f"balls on sides {sides} of the saddle"


# --- RotatingSurface ---------------------------------------------------------------------


class RotatingBowl(RotatingSurface):
    """Another registered surface by name."""

    surface_name = "bowl"
    level_spacing = "linear"


class RotatingExpression(RotatingSurface):
    """A formula of one's own."""

    rotation_time = 8.0

    def surface(self):
        return from_expression("sin(x) * cos(y)", domain=((-3, 3), (-3, 3)))


def _camera_probe(scene):
    return scene.renderer.camera.get_theta(), to_pixel(scene, scene.axes.c2p(0, 0, 0)) if hasattr(scene, "axes") else None


@pytest.mark.parametrize("scene_class", [RotatingSurface, RotatingExpression], ids=lambda c: c.__name__)
def test_rotating_surface_turns_once_around_smoothly(rendered, scene_class):
    result = rendered(scene_class, probe=_camera_probe)
    thetas = np.array([theta for theta, _ in result.probes])
    rate = 2 * np.pi / scene_class.rotation_time
    # The angle follows the scene's clock at a constant rate, frame by frame, through waits too.
    np.testing.assert_allclose(thetas, scene_class.theta + rate * np.array(result.times), atol=1e-9)
    # One full turn, up to Manim's rounding of each animation up to whole frames (5 fps here).
    n_animations = result.scene.renderer.num_plays
    turn = thetas[-1] - scene_class.theta
    assert 2 * np.pi - 2 * rate / 5 < turn < 2 * np.pi + n_animations * rate / 5, f"turned {np.degrees(turn):.1f} degrees"


def test_rotating_surface_subclass_draws_its_own_surface(rendered):
    base = rendered(RotatingSurface, probe=_camera_probe).last_frame
    result = rendered(RotatingBowl, probe=_camera_probe)
    bowl = result.last_frame
    difference = np.abs(base[..., :3].astype(int) - bowl[..., :3].astype(int)).sum(axis=-1) > 60
    assert difference.mean() > 0.05
    # The bowl's lowest point, at the origin, shows the color map's low end (dark blue).
    pixel = to_pixel(result.scene, surface_points(result.scene.axes, get_surface("bowl"), np.zeros(2)))
    column, row = np.floor(pixel).astype(int)
    r, g, b = bowl[row, column, :3].astype(int)
    assert b > r and b > 80, f"origin of the bowl drawn as {(r, g, b)}"


# --- BallRolling -------------------------------------------------------------------------


class BallRollingWithoutFriction(BallRolling):
    """Other knobs: no friction, so the ball keeps swinging through the basin."""

    friction = 0.0
    roll_time = 6.0


@functools.cache
def _rolling_paths(cls: type[BallRolling]) -> tuple[np.ndarray, np.ndarray]:
    """The ball's and the descent's input points, computed here from gradcore."""
    surface = get_surface(cls.surface_name)
    motion = roll(
        surface, cls.start, friction=cls.friction, gravity=cls.gravity, t_span=(0.0, cls.roll_time),
        fps=cls.samples_per_second,
    )
    return motion.points, descend(surface, cls.start, sgd(cls.learning_rate), steps=cls.steps).points


def _rolling_probe(scene):
    """Projected centers of the ball and the descent point from gradcore's numbers, once they exist."""
    if not hasattr(scene, "ball"):
        return None
    cls = type(scene)
    surface = get_surface(cls.surface_name)
    pixels = []
    for points, tracker in zip(_rolling_paths(cls), (scene.clock, scene.descent_step)):
        t = min(tracker.get_value(), len(points) - 1)
        i = min(int(t), len(points) - 2)
        point = points[i] + (t - i) * (points[i + 1] - points[i])
        pixels.append(to_pixel(scene, surface_points(scene.axes, surface, point, cls.ball_radius)))
    return scene.clock.get_value(), pixels


@pytest.fixture(scope="module", params=[BallRolling, BallRollingWithoutFriction], ids=lambda c: c.__name__)
def rolling(request, rendered):
    return rendered(request.param, probe=_rolling_probe, **SIZE)


def test_rolling_ball_and_descent_point_drawn_at_gradcore_positions(rolling):
    errors = []
    for frame, probe in zip(rolling.frames[::2], rolling.probes[::2]):
        if probe is None or probe[0] == 0:  # fading in
            continue
        _, pixels = probe
        if np.hypot(*(pixels[0] - pixels[1])) < 14:  # the two balls overlap
            continue
        for color, pixel in zip(("red", "magenta"), pixels):
            ball = _near(_core(_ball_mask(frame, color)), pixel, 8)
            assert ball.sum() >= 3, f"no {color} ball near {pixel}"
            errors.append(np.hypot(*(_center(ball) - pixel)))
    # The surface in front may hide a sliver of a ball (9 px wide) and shift its visible center.
    assert len(errors) >= 6 and max(errors) < 2.0 and np.median(errors) < 0.75, errors



# --- Bowl3D --------------------------------------------------------------------------------


class Bowl3DLongArrows(Bowl3D):
    """Other knobs: longer floor arrows on a coarser grid."""

    quiver_shape = (4, 4)
    floor_scale = 0.2


def _floor_arrow_hits(scene_class, rendered, turn=np.eye(2)) -> float:
    """Fraction of gradcore's floor gradients (``turn``-ed; tail -> tail + scale * grad) whose
    projected midpoints show the arrow color in the last frame."""
    result = rendered(scene_class, **SIZE)
    scene, frame = result.scene, result.last_frame
    points = scene.quiver_points
    gradients = get_surface(scene_class.surface_name).gradient(points) @ turn
    middle = floor_points(scene.axes, points + 0.25 * scene.floor_scale_used * gradients)
    r, g, b = (frame[..., k].astype(float) for k in range(3))
    arrow = (r > 150) & (g < 0.7 * r) & (b < 0.6 * r)
    return float(np.mean([_near(arrow, pixel, 2.5).any() for pixel in to_pixel(scene, middle)]))


@pytest.mark.parametrize("scene_class", [Bowl3D, Bowl3DLongArrows], ids=lambda c: c.__name__)
def test_bowl_floor_arrows_drawn_along_gradcore_gradients(rendered, scene_class):
    assert _floor_arrow_hits(scene_class, rendered) > 0.95


def test_bowl_floor_arrows_missing_where_gradient_is_rotated(rendered):
    """The check above can fail: gradients turned by 90 degrees mostly miss the arrows."""
    assert _floor_arrow_hits(Bowl3D, rendered, turn=np.array([[0, 1], [-1, 0]])) < 0.7


# --- any surface ---------------------------------------------------------------------------


def test_bowl_floor_caption_is_the_gradient_of_the_surface_shown():
    quadratic = type("Quadratic3D", (Bowl3D,), {"formula": "x**2 + 3*y**2"})._build_surface()
    assert gradient_tex(get_surface("bowl")) == r"\nabla f = \left(2 x,\ 2 y\right)"
    assert gradient_tex(quadratic) == r"\nabla f = \left(2 x,\ 6 y\right)"
    assert gradient_tex(from_expression("x*y**2")) == r"\nabla f = \left(y^{2},\ 2 x y\right)"
    assert gradient_tex(get_surface("himmelblau")) == r"\nabla f(x, y)"  # no formula to show


class Bowl3DOn(Bowl3D):
    """A surface defined on half the domain."""

    formula = "sqrt(x) + y**2"


def test_bowl3d_draws_arrows_only_where_the_graph_is_drawn(rendered):
    scene = rendered(Bowl3DOn, width=256, height=144).scene
    assert len(scene.quiver_points) and np.all(scene.quiver_points[:, 0] > 0)  # sqrt(x) needs x >= 0
    assert np.all(np.isfinite(scene.floor_tails)) and np.all(np.isfinite(scene.floor_tips))


@pytest.mark.parametrize("scene_class, name", [(SaddleDescent, "starts"), (BallRolling, "start")])
def test_default_starts_move_into_a_formula_domain_where_it_is_finite(scene_class, name):
    variant = type(scene_class.__name__, (scene_class,), {"formula": "log(x - 4) + y**2", "domain": ((2, 9), (2, 9))})
    variant.validate()
    scene = variant.__new__(variant)  # fitted_points needs no camera
    points = np.atleast_2d(scene.fitted_points(name))
    assert np.all((points[:, 0] > 4) & (points <= 9) & (points >= 2))  # log(x - 4) needs x > 4


@pytest.mark.parametrize(
    "scene_class, name, value",
    [(SaddleDescent, "starts", ((-1.0, 0.0), (1.0, 0.0))), (BallRolling, "start", (-1.0, 0.5))],
)
def test_a_users_start_where_f_is_not_finite_is_refused(scene_class, name, value):
    variant = type(scene_class.__name__, (scene_class,), {"formula": "sqrt(x) + y**2", name: value})
    with pytest.raises(ValueError, match=rf"{name} .*\(-1.*where f or its gradient is not finite"):
        variant.validate()
