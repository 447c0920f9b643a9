"""Light theme: on a white background the scenes draw dark, contrasting ink by themselves, and
light.cfg repeats every project setting of manim.cfg (Manim's -c replaces, not merges)."""

from __future__ import annotations

import configparser
from pathlib import Path

import numpy as np
import pytest
from scene_render import render_scene

from scenes.bowl import BowlDescent
from scenes.saddle import SaddleDescent

ROOT = Path(__file__).resolve().parent.parent


def relative_luminance(rgb: np.ndarray) -> np.ndarray:
    c = rgb[..., :3] / 255.0
    linear = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def ink(frame: np.ndarray) -> np.ndarray:
    """Pixels that differ visibly from the background (the top-left pixel)."""
    rgb = frame[..., :3].astype(int)
    return np.abs(rgb - rgb[0, 0]).sum(axis=-1) > 40


def test_light_cfg_repeats_every_project_setting():
    def settings(name):
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(ROOT / name)
        return {(s, k): v for s in parser.sections() for k, v in parser[s].items()}

    project, light = settings("manim.cfg"), settings("light.cfg")
    assert light.pop(("CLI", "background_color")) == "#ffffff"
    project.pop(("CLI", "background_color"))
    assert light == project


@pytest.mark.render
@pytest.mark.parametrize("scene_class", [BowlDescent, SaddleDescent], ids=lambda c: c.__name__)
def test_white_background_gives_dark_contrasting_ink(scene_class):
    size = {"width": 640, "height": 360}  # text and thin lines need some pixels
    dark = render_scene(scene_class, **size).last_frame
    light = render_scene(scene_class, **size, config={"background_color": "#ffffff"}).last_frame
    assert (light[0, 0, :3] == 255).all()

    # As much is drawn on white as on the dark theme (nothing vanished into the background).
    assert ink(light).mean() > 0.7 * ink(dark).mean()

    # WCAG contrast against white: the cores of strokes and glyphs are dark (anti-aliased
    # edges are not). The dark theme's light colors on white score 0.06-0.14 here, the light
    # theme 0.29-0.52.
    contrast = 1.05 / (relative_luminance(light[ink(light)]) + 0.05)
    assert (contrast > 3).mean() > 0.2
