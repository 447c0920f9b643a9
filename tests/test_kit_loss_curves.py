"""The loss-curve panel: what it draws is log10(f(x_k) - f*) of gradcore's values mapped through its
axes, in step with the tracker; f* is the known minimum or, failing that, the lowest value
reached; gaps under the floor and diverging runs are drawn honestly (at the floor, said so;
stopped, with a cross)."""

from __future__ import annotations

import numpy as np
import pytest
from manim import ValueTracker

from gradcore import from_expression
from gradcore.descent import descend
from gradcore.leastsquares import least_squares, line_data
from gradcore.optimizers import adam, momentum, sgd
from gradcore.registry import get_surface
from scenes.kit import FLOOR, LossCurves, known_minimum, log_gaps, reference_value

WHITE = "#ffffff"


def _beale_paths():
    beale = get_surface("beale")
    return beale, [descend(beale, (1.0, 1.0), rule, steps=60) for rule in (sgd(0.04), adam(0.4), momentum(0.016))]


def _drawn(panel: LossCurves, i: int) -> np.ndarray:
    """The corners of curve ``i`` as drawn: the first anchor of each segment, and the last."""
    points = panel.curves[i].points
    return np.vstack([points[::4], points[-1:]])


def test_known_minimum_is_the_surfaces_own():
    x, y = line_data(20, seed=4)
    loss = least_squares(x, y)
    assert known_minimum(loss) == loss.minimum > 0
    assert known_minimum(get_surface("beale")) == 0.0
    assert known_minimum(get_surface("saddle")) is None


def test_reference_value_is_the_known_minimum_else_the_lowest_value_reached():
    beale, paths = _beale_paths()
    assert reference_value(beale, [p.values for p in paths]) == (0.0, True)
    saddle = get_surface("saddle")
    values = [np.array([0.5, 0.2, -0.3]), np.array([0.1, -0.7])]
    assert reference_value(saddle, values) == (-0.7, False)
    # a known minimum that a path went below (a local one, or a surface unbounded below) is not f*
    cubic = from_expression("x**3 - 3*x + y**2")
    assert reference_value(cubic, [np.array([1.0, -2.0, -5.0])]) == (-5.0, False)


def test_log_gaps_put_zero_and_rounding_on_a_whole_decade_floor():
    logs, clipped = log_gaps(np.array([1.0, 1e-3, 0.0, -1e-20]), 0.0)
    np.testing.assert_array_equal(logs, [0.0, -3.0, np.log10(FLOOR), np.log10(FLOOR)])
    np.testing.assert_array_equal(clipped, [False, False, True, True])
    # near f* = 100, gaps under 4 eps |f*| ~ 8.9e-14 are rounding: the floor is 1e-13
    logs, clipped = log_gaps(100 + np.array([1.0, 5e-14]), 100.0)
    assert logs[1] == -13.0 and clipped.tolist() == [False, True]


def test_drawn_points_are_log_gaps_mapped_to_the_panels_axes():
    beale, paths = _beale_paths()
    tracker = ValueTracker(0)
    panel = LossCurves(paths, tracker, ["#ff0000", "#00ff00", "#0000ff"], WHITE, surface=beale)
    tracker.set_value(60)
    panel.update()
    for i, path in enumerate(paths):
        k = np.arange(path.n_steps + 1)
        expected = [panel.axes.c2p(j, np.log10(path.values[j] - 0.0)) for j in k]
        np.testing.assert_allclose(_drawn(panel, i)[: len(k)], expected, atol=1e-9)
        np.testing.assert_allclose(panel.heads[i].get_center(), expected[-1], atol=1e-9)
    assert panel.f_star == 0.0 and panel.f_star_known


def test_curves_grow_with_the_tracker_and_follow_the_panel_when_it_moves():
    beale, paths = _beale_paths()
    tracker = ValueTracker(2.5)
    panel = LossCurves(paths, tracker, ["#ff0000"] * 3, WHITE, surface=beale)
    family = [id(m) for m in panel.get_family()]
    panel.shift(np.array([1.5, -2.0, 0.0]))
    panel.update()
    log = np.log10(paths[0].values[:4])
    corners = [panel.axes.c2p(k, log[k]) for k in range(3)]
    halfway = panel.axes.c2p(2.5, (log[2] + log[3]) / 2)
    np.testing.assert_allclose(_drawn(panel, 0), [*corners, halfway], atol=1e-9)
    assert [id(m) for m in panel.get_family()] == family  # points set, no mobject made per frame


def test_a_diverging_run_stops_where_it_diverged_with_a_cross_once_reached():
    bowl = get_surface("bowl")
    paths = [descend(bowl, (2.0, 1.0), sgd(1.5), steps=100), descend(bowl, (2.0, 1.0), sgd(0.1), steps=30)]
    assert paths[0].status == "diverged"
    tracker = ValueTracker(0)
    panel = LossCurves(paths, tracker, ["#ff0000", "#0000ff"], WHITE, surface=bowl)
    stop = paths[0].n_steps
    assert len(panel.data[0]) == stop + 1 and len(panel.ends) == 1
    tracker.set_value(stop - 1)
    panel.update()
    assert panel.ends[0].get_stroke_opacity() == 0
    tracker.set_value(stop + 5)
    panel.update()
    assert panel.ends[0].get_stroke_opacity() == 1
    assert len(_drawn(panel, 0)) == stop + 2  # its last corner repeated: it ends at its last finite value
    np.testing.assert_allclose(panel.ends[0].get_center(), panel.scene_points(0)[-1], atol=1e-9)


def test_each_curve_can_follow_its_own_tracker_and_its_cross_with_it():
    bowl = get_surface("bowl")
    paths = [descend(bowl, (2.0, 1.0), sgd(1.5), steps=100), descend(bowl, (2.0, 1.0), sgd(0.1), steps=30)]
    trackers = [ValueTracker(paths[0].n_steps + 1), ValueTracker(3)]
    panel = LossCurves(paths, trackers, ["#ff0000", "#0000ff"], WHITE, surface=bowl)
    assert len(_drawn(panel, 0)) == paths[0].n_steps + 2 and len(_drawn(panel, 1)) == 3 + 2
    assert panel.ends[0].get_stroke_opacity() == 1  # the diverged run's own tracker is past its end
    trackers[0].set_value(1)
    panel.update()
    assert len(_drawn(panel, 0)) == 1 + 2 and panel.ends[0].get_stroke_opacity() == 0
    with pytest.raises(ValueError, match="3 trackers for 2 paths"):
        LossCurves(paths, [ValueTracker(0)] * 3, ["#ff0000", "#0000ff"], WHITE, surface=bowl)


def test_gaps_of_zero_are_drawn_on_the_floor_and_the_panel_says_so():
    x, y = line_data(10, noise=0.0)  # an exact line: f* = 0 and full-batch descent reaches it
    loss = least_squares(x, y)
    path = descend(loss, (0.0, 0.0), sgd(0.5), steps=400, tol=0)
    panel = LossCurves([path], ValueTracker(400), ["#ff0000"], WHITE, surface=loss)
    assert panel.clipped
    assert panel.axes.y_range[0] == np.log10(FLOOR)
    assert np.min(panel.data[0][:, 1]) == np.log10(FLOOR)
    notes = [m.tex_string for m in panel.get_family() if hasattr(m, "tex_string")]
    assert any("drawn at" in note for note in notes)


@pytest.mark.parametrize("f_star", [None, 0.5])
def test_a_given_f_star_wins(f_star):
    beale, paths = _beale_paths()
    panel = LossCurves(paths[:1], ValueTracker(0), ["#ff0000"], WHITE, surface=beale, f_star=f_star)
    assert panel.f_star == (0.0 if f_star is None else f_star)
