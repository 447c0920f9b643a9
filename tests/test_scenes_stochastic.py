"""The data scenes: minibatch gradients, the noisy path and learning-rate schedules come from
gradcore's least-squares loss and descend(batch_size=, seed=); what is drawn is where the maths
puts it.

Scenes render once per session at 256x144 (the shared ``rendered`` fixture); thin lines are read
from the pixels where they cover at least 30% of one."""

from __future__ import annotations

import numpy as np
import pytest
from scene_render import line_at, to_pixel

from gradcore.descent import descend
from gradcore.leastsquares import least_squares, line_data
from gradcore.optimizers import sgd
from gradcore.schedules import constant, exponential
from scenes.kit import to_scene
from scenes.schedules import LearningRateSchedules
from scenes.stochastic import LeastSquaresScene, StochasticGradient, minibatches, partition_gradients

pytestmark = pytest.mark.render


class OwnData(StochasticGradient):
    """Another line's samples (falling), its own batch size and number of steps."""

    data = line_data(30, w=-1.0, b=2.0, noise=0.3, seed=7)
    batch_size, steps, seed = 5, 25, 4


class TwoSchedules(LearningRateSchedules):
    """Fewer samples, two schedules (a number is a constant rate), another batch size."""

    n_samples, data_seed, batch_size, steps = 20, 2, 2, 60
    schedules = (0.1, exponential(0.3, 0.95))


# --- minibatch gradients and paths --------------------------------------------------------------


@pytest.mark.parametrize("batch_size", [1, 4, 5, 8, 40])
def test_minibatch_gradients_of_a_partition_average_to_the_full_gradient(batch_size):
    x, y = line_data(40, seed=3)
    loss = least_squares(x, y)
    for point in np.random.default_rng(0).uniform(-3, 3, (5, 2)):
        cloud = partition_gradients(loss, point, batch_size, seed=1)
        assert cloud.shape == (40 // batch_size, 2)
        np.testing.assert_allclose(cloud.mean(axis=0), loss.gradient(point), atol=1e-12)


def test_the_clouds_drawn_average_to_the_full_gradient_drawn(rendered):
    scene = rendered(StochasticGradient).scene
    surface = scene.surface()
    end = scene.noisy.points[scene.noisy.n_steps]
    np.testing.assert_allclose(scene.gradients.mean(axis=0), surface.gradient(end), atol=1e-12)
    arrows, mean, _ = scene.end_cloud
    tip = to_scene(scene.axes, end - scene.arrow_scale * scene.gradient)
    np.testing.assert_allclose(mean[0].get_end(), tip, atol=1e-6)
    tips = to_scene(scene.axes, end - scene.arrow_scale * scene.gradients)
    np.testing.assert_allclose([a.get_end() for a in arrows], tips, atol=1e-6)


def test_the_same_seed_draws_the_same_path_and_another_seed_another(rendered):
    scene = rendered(StochasticGradient).scene
    surface, cls = scene.surface(), StochasticGradient
    again = descend(
        surface,
        scene.start_point(),
        sgd(cls.learning_rate),
        cls.steps,
        domain=surface.domain,
        batch_size=cls.batch_size,
        seed=cls.seed,
    )
    np.testing.assert_array_equal(scene.noisy.points, again.points)
    other = descend(
        surface,
        scene.start_point(),
        sgd(cls.learning_rate),
        cls.steps,
        domain=surface.domain,
        batch_size=cls.batch_size,
        seed=cls.seed + 1,
    )
    assert np.abs(other.points - again.points).max() > 1e-3


def test_each_step_follows_the_gradient_of_the_minibatch_ringed(rendered):
    scene = rendered(StochasticGradient).scene
    surface, points, rate = scene.surface(), scene.noisy.points, StochasticGradient.learning_rate
    for k, batch in enumerate(scene.batches):
        assert len(set(batch.tolist())) == StochasticGradient.batch_size
        np.testing.assert_allclose(
            points[k + 1], points[k] - rate * surface.minibatch_gradient(points[k], batch), atol=1e-12
        )


def test_full_batch_descent_ends_on_the_least_squares_fit(rendered):
    scene = rendered(StochasticGradient).scene
    surface = scene.surface()
    np.testing.assert_allclose(scene.full.points[scene.full.n_steps], surface.minimizer, atol=1e-4)  # 40 steps
    assert scene.noisy.values[-1] - surface.minimum > 1e-4  # the noisy path is not there


def test_the_moving_lines_are_drawn_at_the_paths_parameters(rendered):
    result = rendered(StochasticGradient)
    scene, frame = result.scene, result.last_frame
    (x0, x1) = scene.data_axes.x_range[:2]
    for line, path in zip(scene.lines, (scene.full, scene.noisy)):
        w, b = path.points[path.n_steps]
        ends = to_scene(scene.data_axes, np.array([(x0, w * x0 + b), (x1, w * x1 + b)]))
        np.testing.assert_allclose(line.get_start(), ends[0], atol=1e-6)
    # the noisy line, drawn last of the two, passes where y = w x + b says, near the box's left end
    w, b = scene.noisy.points[scene.noisy.n_steps]
    for x in (x0 + 0.15, x0 + 0.3):
        pixel = to_pixel(scene, to_scene(scene.data_axes, np.array([x, w * x + b])))
        assert line_at(frame, pixel, scene.lines[1].get_stroke_color())


def test_a_subclass_fits_its_own_data(rendered):
    scene = rendered(OwnData).scene
    surface = scene.surface()
    np.testing.assert_array_equal(surface.x, OwnData.data[0])
    assert surface.minimizer[0] < 0  # a falling line
    assert scene.batches.shape == (scene.noisy.n_steps, 5)
    (w0, w1), (b0, b1) = surface.domain
    np.testing.assert_allclose(scene.noisy.points[0], (w0 + 0.1 * (w1 - w0), b1 - 0.1 * (b1 - b0)))
    assert len(scene.gradients) == 6  # 30 samples in minibatches of 5


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({"formula": "x**2 + 3*y**2"}, r"formula 'x\*\*2 \+ 3\*y\*\*2' does not apply: the loss is the least-squares"),
        ({"surface_name": "bowl"}, r"surface_name 'bowl' does not apply: .* set data = \(x, y\)"),
        ({"batch_size": 0}, r"batch_size 0 must be a whole number from 1"),
        ({"batch_size": 41}, r"batch_size 41 is more than the 40 samples"),
        ({"data": ((1.0, 1.0), (2.0, 3.0))}, r"data .* give no loss: x must hold at least two distinct values"),
        ({"start": (20.0, 0.0)}, r"start \(20.0, 0.0\) is outside the domain"),
        ({"learning_rate": 0}, r"learning_rate 0 must be a positive number"),
    ],
)
def test_stochastic_gradient_refuses_what_it_cannot_show_in_one_line(attributes, message):
    with pytest.raises(ValueError, match=message) as error:
        type("Custom", (StochasticGradient,), attributes).validate()
    assert "\n" not in str(error.value)


# --- schedules ----------------------------------------------------------------------------------


@pytest.mark.parametrize("scene_class", [LearningRateSchedules, TwoSchedules], ids=lambda c: c.__name__)
def test_every_schedule_runs_sgd_with_its_rate_on_the_same_minibatches(rendered, scene_class):
    scene = rendered(scene_class).scene
    surface = scene.surface()
    batches = minibatches(surface.n_samples, scene_class.batch_size, scene_class.seed, scene_class.steps)
    for schedule, path in zip(scene.rates(), scene.paths):
        points = path.points
        for k in range(path.n_steps):
            step = schedule(k) * surface.minibatch_gradient(points[k], batches[k])
            np.testing.assert_allclose(points[k + 1], points[k] - step, atol=1e-12)


def test_a_constant_rate_hovers_while_the_schedules_settle(rendered):
    scene = rendered(LearningRateSchedules).scene
    f_star = scene.surface().minimum
    late = [np.median(path.values[-30:] - f_star) for path in scene.paths]
    assert [s.name for s in scene.rates()] == ["constant", "step decay", "exponential", "inverse time", "cosine"]
    assert all(late[0] > 10 * gap for gap in late[1:]), late


def test_the_rate_panel_draws_each_schedules_rate_against_the_step(rendered):
    scene = rendered(TwoSchedules).scene
    axes, curves = scene.rate_axes, scene.rate_panel[1]
    k = np.arange(TwoSchedules.steps + 1)
    for schedule, curve in zip([constant(0.1), exponential(0.3, 0.95)], curves):
        expected = np.array([axes.c2p(j, schedule(j)) for j in k])
        np.testing.assert_allclose(np.vstack([curve.points[::4], curve.points[-1:]]), expected, atol=1e-9)


def test_loss_curves_end_at_each_schedules_last_gap(rendered):
    result = rendered(LearningRateSchedules)
    scene, frame = result.scene, result.last_frame
    panel = scene.loss_curves
    low, high = panel.axes.y_range[:2]
    pixels = []
    for path in scene.paths:
        gap = np.log10(path.values[path.n_steps - 2] - panel.f_star)  # a little before the head
        pixels.append(to_pixel(scene, panel.axes.c2p(path.n_steps - 2, np.clip(gap, low, high))))
    for i, (pixel, curve) in enumerate(zip(pixels, panel.curves)):
        if all(np.linalg.norm(pixel - other) > 3 for other in pixels[i + 1 :]):  # not drawn over
            assert line_at(frame, pixel, curve.get_stroke_color()), f"{scene.rates()[i].name}'s loss is not drawn there"
    assert pixels[0][1] < pixels[2][1] - 5  # the constant rate's gap ends far above the exponential's


@pytest.mark.parametrize(
    ("attributes", "message"),
    [
        ({"schedules": ()}, r"schedules \(\) must be a tuple of schedules"),
        ({"schedules": (0.1, "fast")}, r"must hold gradcore.schedules schedules or positive numbers"),
        ({"colors": ("#ff0000",)}, r"colors \('#ff0000',\) must give one to each of the 5 schedules"),
        ({"formula": "x**2"}, r"formula 'x\*\*2' does not apply"),
    ],
)
def test_learning_rate_schedules_refuses_what_it_cannot_show_in_one_line(attributes, message):
    with pytest.raises(ValueError, match=message):
        type("Custom", (LearningRateSchedules,), attributes).validate()


def test_the_data_scenes_build_their_loss_from_the_data_attributes():
    assert LearningRateSchedules.surface is LeastSquaresScene.surface is StochasticGradient.surface
    surface = TwoSchedules().surface()
    x, y = line_data(20, seed=2)
    np.testing.assert_array_equal(surface.x, x)
    assert surface.minimum == least_squares(x, y).minimum
