from __future__ import annotations

import time

import numpy as np
import pytest
import sympy as sp
from scipy.integrate import solve_ivp

from gradcore.quadratic import bowl, saddle
from gradcore.registry import get_surface
from gradcore.flow import MAX_SAMPLES
from gradcore.rolling import roll

G = 9.81
SMALL_SLOPE_PERIOD = 2 * np.pi / np.sqrt(2 * G)  # x'' = -g ∇f on x² + y²


def oscillation_period(motion):
    """Twice the mean time between zero crossings of x (linear interpolation)."""
    x, t = motion.points[:, 0], motion.t
    i = np.nonzero(np.sign(x[:-1]) != np.sign(x[1:]))[0]
    crossings = t[i] - x[i] * (t[i + 1] - t[i]) / (x[i + 1] - x[i])
    return 2 * np.mean(np.diff(crossings))


@pytest.mark.parametrize(
    "surface, start, velocity, domain",
    [
        (bowl(), (1.0, 0.5), (0.0, 1.0), None),
        (saddle(), (0.8, 5e-4), (0.0, 0.0), None),  # leaves [-1, 1]^2 after about 2 s
        (saddle(), (0.8, 0.0), (0.0, 0.3), ((-3, 3), (-3, 3))),
        (get_surface("gaussian_difference"), (0.5, -0.5), (0.0, 0.0), None),
        (get_surface("gaussian_difference"), (-1.0, 0.0), (0.5, 0.5), None),
    ],
)
def test_energy_is_conserved_without_friction(surface, start, velocity, domain):
    motion = roll(surface, start, velocity=velocity, t_span=(0, 10), domain=domain)
    assert motion.status in {"time_up", "left_domain"}
    np.testing.assert_allclose(motion.energy, motion.energy[0], rtol=1e-6)
    assert np.ptp(motion.heights) > 0.1  # the ball really moved


def test_small_oscillations_on_the_bowl_have_the_small_slope_period():
    motion = roll(bowl(), (0.01, 0.0), t_eval=np.linspace(0, 10, 10001))
    np.testing.assert_allclose(oscillation_period(motion), SMALL_SLOPE_PERIOD, rtol=1e-3)


def test_large_oscillations_on_the_bowl_are_slower_than_the_small_slope_model():
    # x'' = -g ∇f would keep the period 2π/√(2g) at every amplitude; on the real surface
    # the ball travels the steep walls and gravity only pulls along them.
    small = oscillation_period(roll(bowl(), (0.1, 0.0), t_eval=np.linspace(0, 10, 10001)))
    large = oscillation_period(roll(bowl(), (1.0, 0.0), t_eval=np.linspace(0, 10, 10001)))
    assert SMALL_SLOPE_PERIOD < small < large
    assert large > 1.5 * SMALL_SLOPE_PERIOD


def test_motion_matches_euler_lagrange_equations_derived_independently():
    # Euler-Lagrange with Rayleigh dissipation for L = m/2 |v|² - m g f on the radial sine,
    # derived by sympy from scratch, then integrated with solve_ivp.
    t = sp.symbols("t")
    mass, friction = 1.3, 0.4
    X, Y = sp.Function("X")(t), sp.Function("Y")(t)
    z = sp.sin((sp.Rational(3, 4) * X) ** 2 + Y**2 + sp.Rational(1, 100))
    speed_sq = X.diff(t) ** 2 + Y.diff(t) ** 2 + z.diff(t) ** 2
    L = mass / 2 * speed_sq - mass * G * z
    D = friction / 2 * speed_sq
    equations = [sp.diff(L.diff(q.diff(t)), t) - L.diff(q) + D.diff(q.diff(t)) for q in (X, Y)]
    x, y, vx, vy, ax, ay = sp.symbols("x y vx vy ax ay")
    plain = {X.diff(t, 2): ax, Y.diff(t, 2): ay}, {X.diff(t): vx, Y.diff(t): vy}, {X: x, Y: y}
    for substitution in plain:
        equations = [e.subs(substitution) for e in equations]
    solution = sp.solve(equations, [ax, ay], dict=True)[0]
    acceleration = sp.lambdify((x, y, vx, vy), [solution[ax], solution[ay]], "numpy")

    times = np.linspace(0, 3, 31)
    reference = solve_ivp(
        lambda t, s: [s[2], s[3], *acceleration(*s)],
        (0, 3),
        [1.5, -0.5, 0.0, 1.0],
        t_eval=times,
        rtol=1e-11,
        atol=1e-12,
        method="DOP853",
    )
    surface = get_surface("radial_sine")
    motion = roll(surface, (1.5, -0.5), (0.0, 1.0), friction=friction, mass=mass, t_span=(0, 3), t_eval=times)
    assert motion.status == "time_up"
    np.testing.assert_allclose(motion.points, reference.y[:2].T, atol=1e-8)
    np.testing.assert_allclose(motion.velocities, reference.y[2:].T, atol=1e-8)


def test_with_friction_the_ball_comes_to_rest_at_the_minimum_of_the_bowl():
    motion = roll(bowl(), (2.0, 1.0), velocity=(0.0, 2.0), friction=1.0, t_span=(0, 60))
    assert motion.status == "resting" and motion.t[-1] < 60
    np.testing.assert_allclose(motion.points[-1], (0.0, 0.0), atol=1e-4)
    assert np.all(np.diff(motion.energy) <= 1e-12)


@pytest.mark.parametrize("start", [(-1.2, 1.0), (1.0, -1.5)])
def test_with_friction_the_ball_comes_to_rest_at_the_minimum_of_gaussian_difference(start):
    surface = get_surface("gaussian_difference")
    (minimum,) = [c.point for c in surface.critical_points if c.kind == "minimum"]
    motion = roll(surface, start, friction=1.0, t_span=(0, 100))
    assert motion.status == "resting"
    np.testing.assert_allclose(motion.points[-1], minimum, atol=1e-4)
    assert motion.speeds[-1] < 1.01e-4  # the rest event fires at speed and slope = rest_tol


def test_two_balls_a_millimetre_apart_across_the_saddle_ridge_part_ways():
    # Seed 002: saddle x² - y² on [-1, 1]^2; starts 1e-3 apart across y = 0.
    upper = roll(saddle(), (0.8, 5e-4))
    lower = roll(saddle(), (0.8, -5e-4))
    assert upper.status == lower.status == "left_domain"
    assert upper.points[-1, 1] > 0.5 and lower.points[-1, 1] < -0.5
    np.testing.assert_allclose(upper.points * [1, -1], lower.points, atol=1e-12)  # mirror images


def test_friction_is_a_force_so_a_heavier_ball_needs_more_of_it():
    # m q'' = ... - c v: the path depends on c / m only; the energy scales with m.
    light = roll(bowl(), (1.0, 0.5), friction=0.5, mass=1.0, t_span=(0, 3))
    heavy = roll(bowl(), (1.0, 0.5), friction=1.5, mass=3.0, t_span=(0, 3))
    np.testing.assert_allclose(heavy.points, light.points, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(heavy.energy, 3 * light.energy, rtol=1e-9)
    slower = roll(bowl(), (1.0, 0.5), friction=0.5, mass=3.0, t_span=(0, 3))
    assert slower.energy[-1] / slower.energy[0] > light.energy[-1] / light.energy[0]


def test_default_samples_are_a_uniform_grid_at_fps():
    motion = roll(bowl(), (1.0, 0.0), t_span=(0, 2), fps=30)
    np.testing.assert_allclose(motion.t, np.arange(61) / 30, rtol=0, atol=1e-15)
    assert motion.points.shape == motion.velocities.shape == (61, 2)
    assert motion.heights.shape == motion.speeds.shape == motion.energy.shape == (61,)


def test_a_motion_that_stops_ends_with_the_stop_time():
    motion = roll(saddle(), (0.8, 5e-4), t_span=(0, 10), fps=60)
    assert motion.status == "left_domain" and 1 < motion.t[-1] < 10
    np.testing.assert_allclose(motion.t[:-1], np.arange(len(motion.t) - 1) / 60, atol=1e-14)
    assert motion.t[-2] < motion.t[-1] <= motion.t[-2] + 1 / 60
    assert np.max(np.abs(motion.points[-1])) == pytest.approx(1.0, abs=1e-9)


def test_a_ball_at_rest_at_a_minimum_stays_resting():
    motion = roll(bowl(), (0.0, 0.0))
    assert motion.status == "resting"
    np.testing.assert_array_equal(motion.points, [[0.0, 0.0]])


@pytest.mark.parametrize(
    "kwargs, name",
    [
        (dict(start=(1.0, 2.0, 3.0)), "start"),
        (dict(start=(5.0, 0.0)), "start"),
        (dict(velocity=(1.0, 2.0, 3.0)), "velocity"),
        (dict(velocity=(np.nan, 0.0)), "velocity"),
        (dict(gravity=-1.0), "gravity"),
        (dict(friction=-0.1), "friction"),
        (dict(mass=0.0), "mass"),
        (dict(t_span=(0.0, -1.0)), "t_span"),
        (dict(t_eval=[0.0, 20.0]), "t_eval"),
        (dict(fps=0.0), "fps"),
        (dict(rest_tol=0.0), "rest_tol"),
        (dict(domain=((0, 0), (0, 1))), "domain"),
    ],
)
def test_bad_input_raises_value_error_naming_the_parameter(kwargs, name):
    arguments = dict(surface=bowl(), start=(1.0, 1.0)) | kwargs
    with pytest.raises(ValueError, match=rf"^{name}"):
        roll(**arguments)


# --- bounded work: the samples and the solver's steps


def test_a_ball_at_rest_ends_a_huge_time_span_at_once_and_samples_only_up_to_rest():
    start = time.perf_counter()
    motion = roll(bowl(), (1, 1), friction=1, t_span=(0, 1e9))
    assert time.perf_counter() - start < 5
    assert motion.status == "resting" and motion.t[-1] < 60
    assert len(motion.t) == np.floor(motion.t[-1] * 60) + 2  # the 60 fps grid up to rest, and the rest time


def test_a_ball_that_never_rests_stops_after_max_steps():
    motion = roll(bowl(), (1, 1), t_span=(0, 1e9), max_steps=100)
    assert motion.status == "max_steps" and 0 < motion.t[-1] < 1e9
    np.testing.assert_allclose(motion.energy, motion.energy[0], rtol=1e-6)


def test_the_default_grid_stops_at_max_samples():
    # no gravity, a slow ball on a huge flat-bottomed bowl: the solver's steps are long
    surface = bowl(domain=((-1e6, 1e6), (-1e6, 1e6)))
    motion = roll(surface, (1.0, 1.0), velocity=(1e-3, 0.0), gravity=0.0, t_span=(0, 1e12), rest_tol=1e-9)
    assert motion.status == "max_steps" and len(motion.t) == MAX_SAMPLES


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(max_steps=0), "max_steps must be an integer from 1"),
        (dict(t_eval=np.linspace(0, 10, MAX_SAMPLES + 1)), "t_eval must hold at most"),
    ],
)
def test_work_parameters_beyond_their_limits_raise_value_error_naming_them(kwargs, message):
    with pytest.raises(ValueError, match=message):
        roll(bowl(), (1.0, 1.0), **kwargs)
