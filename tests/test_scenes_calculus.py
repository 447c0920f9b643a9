"""Checks of the calculus scenes of issue 17: the directional derivative, the tangent plane and
Taylor models, Lagrange multipliers.

What a scene draws is compared with gradcore's numbers: the rate read out and plotted where the
turning vector runs along the level line (read from the frame's pixels), the tangent plane
around the point of the graph (pixels) and on it (its vertices), the gradient arrows at the
Lagrange points (the drawn arrows' directions). Each scene is also rendered through a subclass
with another surface, point or constraint, and bad attributes are refused up front.
"""

from __future__ import annotations

import numpy as np
import pytest
from manim import ManimColor
from scene_render import to_pixel

from gradcore.constrained import lagrange_point, projected_descent
from gradcore.expression import from_expression
from gradcore.local_models import directional_derivative, taylor
from gradcore.registry import get_surface
from scenes.directional_derivative import DirectionalDerivative
from scenes.kit import to_scene
from scenes.lagrange import LagrangeMultipliers, plan
from scenes.tangent_plane import TangentPlane, holds_within

pytestmark = pytest.mark.render

TAU = 2 * np.pi


def _rgb(color) -> np.ndarray:
    return 255 * np.asarray(ManimColor(color).to_rgb())


def _near(frame: np.ndarray, color, tolerance: float) -> np.ndarray:
    """Mask of pixels within ``tolerance`` (RGB distance, 0-255) of ``color``."""
    return np.linalg.norm(frame[..., :3].astype(float) - _rgb(color), axis=-1) < tolerance


def _coverage(frame: np.ndarray, color) -> np.ndarray:
    """How much of each pixel ``color`` covers, 0 to 1, as a blend over the background (the
    top-left pixel); 0 where the pixel is not such a blend (another color)."""
    rgb = frame[..., :3].astype(float)
    background, span = rgb[0, 0], _rgb(color) - rgb[0, 0]
    alpha = (rgb - background) @ span / (span @ span)
    residual = np.linalg.norm(rgb - background - alpha[..., None] * span, axis=-1)
    return np.where(residual < 25, np.clip(alpha, 0, 1), 0.0)


def _angle(u: np.ndarray, v: np.ndarray) -> float:
    """Angle in degrees between two vectors."""
    cosine = u @ v / (np.linalg.norm(u) * np.linalg.norm(v))
    return float(np.degrees(np.arccos(np.clip(cosine, -1, 1))))


# --- DirectionalDerivative -----------------------------------------------------------------


class DirectionalDerivativeOnWaves(DirectionalDerivative):
    """Another surface and a point of one's own."""

    formula = "sin(x) * cos(y)"
    point = (1.0, 0.5)
    turn_time = 4.0


def _turn_probe(scene):
    """The angle of u and the number the readout shows, once they exist."""
    if not hasattr(scene, "readout"):
        return None
    return scene.turn.get_value(), scene.readout.get_value()


def _zero_row(frame: np.ndarray, scene) -> float:
    """The row of the plot's zero line, read from the frame: over the columns of the plot away
    from the zeros of the rate (marks, the marker) and the ticks, the center of the
    foreground-colored pixels near it."""
    plot, foreground = scene.plot, scene.theme.foreground
    expected = to_pixel(scene, plot.c2p(0, 0))[1]
    ink = _coverage(frame, foreground)
    rows = []
    for angle in np.linspace(0.05, TAU - 0.05, 60):
        zeros = [(scene.gradient_angle + s * np.pi / 2) % TAU for s in (-1, 1)]
        if min(*(abs(angle - z) for z in zeros), abs(angle % (np.pi / 2)), abs(np.pi / 2 - angle % (np.pi / 2))) < 0.3:
            continue  # a mark of a zero and its marker, or a tick
        column = int(to_pixel(scene, plot.c2p(angle, 0))[0])
        window = np.arange(int(expected) - 6, int(expected) + 7)
        weights = np.where(ink[window, column] > 0.1, ink[window, column], 0.0)
        if weights.sum() > 0.5:
            rows.append(float((window + 0.5) @ weights / weights.sum()))
    assert len(rows) >= 20, "the zero line is not drawn"
    return float(np.median(rows))


def _marker_row(frame: np.ndarray, scene, theta: float, rate: float = 0.0) -> float:
    """The row of the center of the plotted marker near ``(theta, rate)``, read from the frame."""
    center = to_pixel(scene, scene.plot.c2p(theta, rate))
    mask = _near(frame, scene.marker.get_color(), 60)
    rows, columns = np.nonzero(mask)
    near = np.hypot(columns + 0.5 - center[0], rows + 0.5 - center[1]) < 12
    assert near.sum() >= 4, f"no marker near angle {np.degrees(theta):.1f} degrees"
    return float(rows[near].mean() + 0.5)


@pytest.mark.parametrize("scene_class", [DirectionalDerivative, DirectionalDerivativeOnWaves], ids=lambda c: c.__name__)
def test_readout_is_zero_where_u_runs_along_the_level_line(rendered, scene_class):
    result = rendered(scene_class, width=640, height=360, probe=_turn_probe)
    scene = result.scene
    surface, point = scene.surface(), scene.fitted_points("point")
    gradient = surface.gradient(point)
    assert scene.gradient_angle == pytest.approx(np.arctan2(gradient[1], gradient[0]) % TAU)
    assert scene.amplitude == pytest.approx(np.hypot(*gradient))
    tangents = [(scene.gradient_angle + s * np.pi / 2) % TAU for s in (1, -1)]
    seen = 0
    for frame, probe in zip(result.frames, result.probes):
        if probe is None:
            continue
        theta, shown = probe
        # The rate at every frame is gradcore's directional derivative, as shown.
        expected = float(directional_derivative(surface, point, (np.cos(theta), np.sin(theta))))
        assert shown == pytest.approx(expected, abs=0.51 * 10.0**-scene.readout.num_decimal_places)
        if not any(abs(theta - t) < 1e-9 for t in tangents):
            continue
        seen += 1
        assert shown == 0.0  # the readout shows 0 (not -0.00 or 1e-16)
        # Read from the frame: the plotted point sits on the panel's zero line.
        assert abs(_marker_row(frame, scene, theta) - _zero_row(frame, scene)) < 0.75
    assert seen >= 4, "the turn does not stop where u runs along the level line"


def test_marker_is_off_the_zero_line_along_the_gradient(rendered):
    """The check above can fail: where u runs along the gradient the marker is |grad f| up."""
    result = rendered(DirectionalDerivative, width=640, height=360, probe=_turn_probe)
    scene = result.scene
    theta = scene.gradient_angle
    frame = next(f for f, p in zip(result.frames, result.probes) if p is not None and abs(p[0] - theta) < 1e-9)
    lift = to_pixel(scene, scene.plot.c2p(theta, 0))[1] - to_pixel(scene, scene.plot.c2p(theta, scene.amplitude))[1]
    height = _zero_row(frame, scene) - _marker_row(frame, scene, theta, scene.amplitude)
    assert lift > 40 and abs(height - lift) < 1.0


def test_directional_derivative_refuses_a_point_without_a_gradient():
    flat = type("DirectionalDerivative", (DirectionalDerivative,), {"formula": "x**2 + y**2", "point": (0.0, 0.0)})
    with pytest.raises(ValueError, match=r"point \(0.0, 0.0\) is where grad f = 0: D_u f = 0 for every u; give a point where grad f is not 0"):
        flat.validate()
    constant = type("DirectionalDerivative", (DirectionalDerivative,), {"formula": "3"})
    with pytest.raises(ValueError, match=r"formula '3' is constant: D_u f = 0 in every direction"):
        constant.validate()
    outside = type("DirectionalDerivative", (DirectionalDerivative,), {"point": (80.0, 0.0)})
    with pytest.raises(ValueError, match=r"point \(80.0, 0.0\) is outside the domain"):
        outside.validate()


# --- LagrangeMultipliers -------------------------------------------------------------------


class LagrangeOnALine(LagrangeMultipliers):
    """The textbook problem: f = x + y on the circle x^2 + y^2 = 2."""

    formula = "x + y"
    start = (1.2, -0.6)
    learning_rate = 0.8
    slide_time = 4.0


class LagrangeOnAHyperbola(LagrangeMultipliers):
    """A constraint curve in two pieces; the slide runs along the one nearest the start."""

    formula = "x**2 + 3*y**2"
    constraint = "x*y - 1"
    start = (2.0, 1.0)
    learning_rate = 0.05


def _stop_probe(scene):
    """The arc length slid, and the drawn point and arrows of grad f and grad g, once they exist."""
    if not hasattr(scene, "moving") or not scene.moving.get_updaters():
        return None
    _, f_arrow, g_arrow, _, _, dot = scene.moving
    directions = [a.get_end() - a.get_start() if a.has_points() else None for a in (f_arrow, g_arrow)]
    return scene.slide.get_value(), dot.get_center(), directions


@pytest.mark.parametrize("scene_class", [LagrangeMultipliers, LagrangeOnALine], ids=lambda c: c.__name__)
def test_arrows_line_up_exactly_where_the_scene_stops(rendered, scene_class):
    result = rendered(scene_class, width=640, height=360, probe=_stop_probe)
    scene = result.scene
    f, g = scene.surface(), scene.g
    stops = scene.plan.stops
    assert stops, "no Lagrange point on the curve"
    at_stops, elsewhere = 0, []
    for probe in result.probes:
        if probe is None:
            continue
        length, center, (f_direction, g_direction) = probe
        stop = next((p for s, p in stops if abs(length - s) < 1e-9), None)
        if stop is None:
            elsewhere.append(min(_angle(f_direction, g_direction), 180 - _angle(f_direction, g_direction)))
            continue
        at_stops += 1
        # gradcore's numbers: on the curve, the gradients parallel with the multiplier shown.
        assert abs(float(g.value(stop.point))) < 1e-9
        grad_f, grad_g = f.gradient(stop.point), g.gradient(stop.point)
        np.testing.assert_allclose(grad_f, stop.multiplier * grad_g, atol=1e-9)
        # The drawn point is the Lagrange point, its arrows parallel (or opposite, as lambda's sign says).
        np.testing.assert_allclose(center, to_scene(scene.axes, stop.point), atol=1e-9)
        angle = _angle(f_direction, g_direction)
        assert (angle < 0.01) if stop.multiplier > 0 else (angle > 180 - 0.01), f"arrows at {angle} degrees"
    assert at_stops >= len(stops)
    assert max(elsewhere) > 20, "the arrows line up everywhere: the check cannot fail"


def test_textbook_problem_stops_at_its_known_lagrange_points(rendered):
    scene = rendered(LagrangeOnALine, width=640, height=360, probe=_stop_probe).scene
    found = sorted((tuple(np.round(p.point, 9)), round(p.multiplier, 9), p.kind) for _, p in scene.plan.stops)
    assert found == [((-1.0, -1.0), -0.5, "minimum"), ((1.0, 1.0), 0.5, "maximum")]
    assert scene.plan.path.status == "converged"
    np.testing.assert_allclose(scene.plan.path.points[-1], [-1.0, -1.0], atol=1e-6)


def test_default_problem_is_solved_by_gradcore():
    f = from_expression(LagrangeMultipliers.formula)
    g = from_expression(LagrangeMultipliers.constraint)
    plan_ = plan(f, g, np.array(LagrangeMultipliers.start), LagrangeMultipliers.learning_rate, LagrangeMultipliers.steps)
    minimum = next(p for _, p in plan_.stops if p.kind == "minimum")
    np.testing.assert_allclose(minimum.point, [1.0, 1.0], atol=1e-12)
    assert minimum.multiplier == pytest.approx(-1.5)
    path = projected_descent(f, g, plan_.path.points[0], LagrangeMultipliers.learning_rate, LagrangeMultipliers.steps)
    assert path.status == "converged" and np.linalg.norm(path.points[-1] - minimum.point) < 1e-6
    assert np.all(np.abs(g.value(path.points)) < 1e-8)  # the descent walks along the curve


def test_constraint_in_two_pieces_slides_along_the_nearest(rendered):
    scene = rendered(LagrangeOnAHyperbola, width=256, height=144).scene
    assert np.all(scene.plan.curve[:, 0] > 0)  # the branch x, y > 0 of xy = 1
    (_, stop), *_ = scene.plan.stops
    exact = lagrange_point(scene.surface(), scene.g, (1.5, 0.7))
    np.testing.assert_allclose(stop.point, exact.point, atol=1e-9)
    np.testing.assert_allclose(stop.point, [3**0.25, 3**-0.25], atol=1e-9)  # x^2 = 3 y^2 on xy = 1


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({"constraint": "x**2 + y**2 + 1"}, r"constraint 'x\*\*2 \+ y\*\*2 \+ 1' has no points g = 0 in the domain"),
        ({"constraint": "x**"}, r"constraint 'x\*\*' is not a valid formula"),
        ({"constraint": 3}, r"constraint 3 is not a string; give a formula in x and y"),
        ({"formula": "log(x)"}, r"meets \(.*\), where f or its gradient is not finite .*; give a constraint whose curve"),
        ({"formula": "1/(x - y)"}, r"meets \(.*\), where f or its gradient is not finite \(or f has a pole\)"),
        ({"formula": "3"}, r"formula '3' is constant"),
        ({"start": (9.0, 0.0)}, r"start \(9.0, 0.0\) is outside the domain"),
    ],
)
def test_lagrange_refuses_bad_attributes_up_front(attributes, message):
    with pytest.raises(ValueError, match=message) as error:
        type("LagrangeMultipliers", (LagrangeMultipliers,), attributes).validate()
    assert "\n" not in str(error.value)


# --- TangentPlane --------------------------------------------------------------------------


class TangentPlaneStill(TangentPlane):
    """The camera held still, to compare frames pixel by pixel."""

    rotation_rate = 0.0


class TangentPlaneOnABowl(TangentPlane):
    """A quadratic of one's own: its second-order model is the surface itself."""

    formula = "x**2 + 3*y**2"
    domain = ((-2, 2), (-2, 2))
    path = ((-1.5, -1.0), (0.5, 0.5))
    move_time = 2.0


def _plane_probe(scene):
    """The input point of the moving parts and their mobjects, once they exist."""
    if not hasattr(scene, "parts"):
        return None
    plane, _, floor, up, ball = scene.parts
    return scene.move.get_value(), plane.points.copy(), [a.get_start() for a in (floor, up)], [a.get_end() for a in (floor, up)], ball.get_center()


def test_tangent_plane_touches_the_graph_at_the_point_on_screen(rendered):
    result = rendered(TangentPlaneStill, width=480, height=270, probe=_plane_probe)
    scene = result.scene
    surface = get_surface("radial_sine", domain=TangentPlane.domain)
    p = scene.samples[0]
    before = [f for f, t in zip(result.frames, result.times) if t < 1.0 + 1e-6][-1]  # the graph alone
    during = [f for f, q in zip(result.frames, result.probes) if q is not None and q[0] == 0.0][-1]
    # The parts are what changed between the two frames; the thick ones (the disk) are left
    # after eroding away the lines and arrows.
    changed = np.abs(during[..., :3].astype(int) - before[..., :3].astype(int)).sum(axis=-1) > 30
    core = changed.copy()
    for _ in range(2):
        padded = np.pad(core, 1)
        core = np.all([padded[1 + r : 1 + r + core.shape[0], 1 + c : 1 + c + core.shape[1]] for r in (-1, 0, 1) for c in (-1, 0, 1)], axis=0)
    touch = to_pixel(scene, scene.axes.c2p(*p, float(surface.value(p))))  # the graph point, from gradcore
    rows, columns = np.indices(core.shape)
    distance = np.hypot(columns + 0.5 - touch[0], rows + 0.5 - touch[1])
    radius = np.hypot(*(to_pixel(scene, scene.axes.c2p(*(p + [scene.radius, 0]), 0)) - to_pixel(scene, scene.axes.c2p(*p, 0))))
    disk = core & (distance < 2 * radius)
    assert disk.sum() > 30, "no plane drawn around the point"
    assert distance[disk].min() < 2, "the point of the graph is not covered by the plane"
    center = np.array([columns[disk].mean() + 0.5, rows[disk].mean() + 0.5])
    assert np.hypot(*(center - touch)) < 0.25 * radius, f"the plane is centered at {center}, the graph point at {touch}"


@pytest.mark.parametrize("scene_class", [TangentPlane, TangentPlaneOnABowl], ids=lambda c: c.__name__)
def test_plane_and_arrows_are_the_tangent_plane_and_the_gradient(rendered, scene_class):
    result = rendered(scene_class, width=256, height=144, probe=_plane_probe)
    scene = result.scene
    surface, axes = scene.surface(), scene.axes
    checked = 0
    for probe in result.probes[::3]:
        if probe is None or probe[0] != int(probe[0]):  # at sample points of the path
            continue
        t, vertices, tails, tips, ball = probe
        p = scene.samples[int(t)]
        coords = np.asarray(axes.point_to_coords(vertices))
        plane = taylor(surface, p, order=1)
        low, high = axes.z_range[:2]
        # Every vertex of the disk lies on gradcore's tangent plane (cut at the drawn heights),
        # its center on the graph.
        np.testing.assert_allclose(coords[:, 2], np.clip(plane.value(coords[:, :2]), low, high), atol=1e-9)
        np.testing.assert_allclose(coords[0], [*p, surface.value(p)], atol=1e-9)
        # The floor arrow is the gradient, the one on the plane right above it, rising along the plane.
        gradient = surface.gradient(p)
        (floor_tail, up_tail), (floor_tip, up_tip) = (np.asarray(axes.point_to_coords(np.array(x))) for x in (tails, tips))
        run = floor_tip[:2] - floor_tail[:2]
        np.testing.assert_allclose(run, scene.arrow_scale * gradient, atol=1e-9)
        np.testing.assert_allclose(up_tip[:2] - up_tail[:2], run, atol=1e-9)
        assert up_tip[2] - up_tail[2] == pytest.approx(run @ gradient, abs=1e-9)
        checked += 1
    assert checked >= 3


def test_second_order_model_holds_farther_than_the_plane(rendered):
    scene = rendered(TangentPlane, width=256, height=144).scene
    first, second = scene.holds
    assert 0 < first < second
    end, surface = scene.samples[-1], scene.surface()
    epsilon = scene.tolerance * float(np.subtract(*scene.axes.z_range[1::-1]))
    for radius, order in ((first, 1), (second, 2)):  # just beyond the radius some point is off by epsilon
        model = taylor(surface, end, order=order)
        angles = np.linspace(0, TAU, 72, endpoint=False)
        ring = end + (radius + 0.02 * scene.radius) * np.stack([np.cos(angles), np.sin(angles)], axis=-1)
        assert np.max(np.abs(surface.value(ring) - model.value(ring))) >= epsilon
    on_bowl = rendered(TangentPlaneOnABowl, width=256, height=144).scene
    assert on_bowl.holds[1] == pytest.approx(2 * on_bowl.radius)  # a quadratic is its own model


def test_holds_within_is_the_radius_where_the_gap_reaches_the_tolerance():
    bowl = from_expression("x**2 + y**2")
    plane = taylor(bowl, (0.0, 0.0), order=1)  # the gap is |h|^2
    assert holds_within(bowl, plane, np.zeros(2), 0.25, 1.0) == pytest.approx(0.49, abs=0.011)


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({"formula": "1/(x - y)", "path": ((-1.0, 0.0), (1.0, 0.5))}, r"path .* passes \(.*\), where .*; give waypoints"),
        ({"path": ((5.0, 0.0),)}, r"path \(\(5.0, 0.0\),\) holds \(5, 0\), which is outside the domain"),
        ({"formula": "3"}, r"formula '3' is constant: its tangent plane is the graph itself"),
        ({"model_extent": 0}, r"model_extent 0 must be a positive number"),
    ],
)
def test_tangent_plane_refuses_bad_attributes_up_front(attributes, message):
    with pytest.raises(ValueError, match=message):
        type("TangentPlane", (TangentPlane,), attributes).validate()

