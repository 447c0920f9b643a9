"""A frame is cleared by a fill where the background is one color, and by stock's copy otherwise."""

from __future__ import annotations

import numpy as np
import pytest
from manim import tempconfig

from scenes.kit import FastCamera, FastThreeDCamera
from scenes.kit.frame_reset import reset_frame


@pytest.mark.parametrize("camera_class", [FastCamera, FastThreeDCamera])
@pytest.mark.parametrize("color", ["#0f1115", "#ffffff", "#12345678"])
def test_reset_leaves_the_background_in_the_frame(camera_class, color):
    with tempconfig({"pixel_width": 64, "pixel_height": 36, "background_color": color}):
        camera = camera_class()
        camera.reset()
        camera.pixel_array[:] = np.random.default_rng(0).integers(0, 256, camera.pixel_array.shape)
        frame = camera.pixel_array
        camera.reset()
        assert camera.pixel_array is frame
        np.testing.assert_array_equal(camera.pixel_array, camera.background)


def test_a_background_of_many_colors_is_left_to_stocks_copy():
    with tempconfig({"pixel_width": 64, "pixel_height": 36}):
        camera = FastCamera()
        camera.reset()
        camera.background = camera.background.copy()
        camera.background[5, 7] = (1, 2, 3, 255)
        assert not reset_frame(camera)
        camera.reset()
        np.testing.assert_array_equal(camera.pixel_array, camera.background)
