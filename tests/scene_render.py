"""Render a scene in-process at a tiny resolution and keep its frames for pixel checks.

``render_scene(SceneClass)`` runs the real Cairo renderer under ``tempconfig`` with no file
output (``format="none"``) and records every frame the renderer emits, together with the
scene time and anything a ``probe(scene)`` callback reads at that frame (for example where the
camera projects a point while it rotates).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from manim import Mobject, Scene, tempconfig
from manim import config as manim_config

__all__ = ["Rendered", "render_scene", "to_pixel", "is_nontrivial"]


@dataclass
class Rendered:
    """A finished scene with its frames (RGBA uint8, height x width x 4)."""

    scene: Scene
    frames: list[np.ndarray] = field(default_factory=list)
    times: list[float] = field(default_factory=list)
    probes: list[Any] = field(default_factory=list)

    @property
    def last_frame(self) -> np.ndarray:
        return self.scene.renderer.get_frame()

    def pixel(self, point) -> np.ndarray:
        """Sub-pixel (column, row) of a scene point under the camera as it is now."""
        return to_pixel(self.scene, point)


def to_pixel(scene: Scene, point) -> np.ndarray:
    """(column, row) of scene point(s) ``(..., 3)`` under the scene's current camera."""
    points = np.asarray(point, dtype=float)
    flat = points.reshape(-1, 3)
    coords = scene.renderer.camera.points_to_subpixel_coords(Mobject(), flat)
    return np.asarray(coords, dtype=float).reshape(points.shape[:-1] + (2,))


def render_scene(
    scene_class: type[Scene],
    *,
    width: int = 256,
    height: int = 144,
    fps: int = 5,
    probe: Callable[[Scene], Any] | None = None,
    config: dict | None = None,
    tmp_path=None,
) -> Rendered:
    """Render ``scene_class`` in-process and return its frames.

    ``probe(scene)``, when given, is called at every recorded frame; its results are kept in
    ``Rendered.probes`` in step with ``Rendered.frames``.
    """
    options = {
        "pixel_width": width,
        "pixel_height": height,
        "frame_rate": fps,
        "format": "none",
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
    }
    if tmp_path is not None:  # the files go there; LaTeX comes from the session's shared folder
        options["media_dir"] = str(tmp_path)
        options["tex_dir"] = manim_config.get_dir("tex_dir")
    options.update(config or {})
    with tempconfig(options):
        scene = scene_class()
        rendered = Rendered(scene)
        renderer = scene.renderer
        emit = renderer.add_frame

        def add_frame(frame, num_frames=1):
            if not renderer.skip_animations:
                rendered.frames.append(frame.copy())
                rendered.times.append(renderer.time)
                if probe is not None:
                    rendered.probes.append(probe(scene))
            emit(frame, num_frames)

        renderer.add_frame = add_frame
        scene.render()
    return rendered


def is_nontrivial(frame: np.ndarray, background=None, min_fraction: float = 0.01) -> bool:
    """True when at least ``min_fraction`` of the pixels differ from the background color."""
    rgb = frame[..., :3].astype(int)
    if background is None:
        background = rgb[0, 0]
    differs = np.abs(rgb - np.asarray(background)[:3]).sum(axis=-1) > 30
    return differs.mean() >= min_fraction


def rgb_of(color) -> np.ndarray:
    """``color`` as RGB in 0..255."""
    from manim import ManimColor

    return 255 * np.asarray(ManimColor(color).to_rgb())


def dot_at(frame: np.ndarray, pixel: np.ndarray, color) -> bool:
    """Whether every pixel whose center is within one pixel of sub-pixel ``(column, row)`` shows
    ``color``: a filled dot there, not a thin line passing by (a line covers well under a
    pixel's width at the tests' resolutions)."""
    rows, columns = np.mgrid[: frame.shape[0], : frame.shape[1]]
    close = np.hypot(columns + 0.5 - pixel[0], rows + 0.5 - pixel[1]) < 1.0
    return bool(close.sum() >= 2 and np.all(np.linalg.norm(frame[close, :3] - rgb_of(color), axis=-1) < 60))


def line_at(frame: np.ndarray, pixel: np.ndarray, color, least: float = 0.3) -> bool:
    """Whether a pixel of the 3 x 3 around ``pixel`` is at least ``least`` of ``color`` over the
    background (the top-left pixel): a thin anti-aliased line passes there."""
    rgb = frame[..., :3].astype(float)
    background, span = rgb[0, 0], rgb_of(color) - rgb[0, 0]
    column, row = np.floor(pixel).astype(int)
    window = rgb[row - 1 : row + 2, column - 1 : column + 2].reshape(-1, 3) - background
    alpha = window @ span / (span @ span)
    residual = np.linalg.norm(window - alpha[:, None] * span, axis=-1)
    return bool(np.any((alpha >= least) & (residual < 25)))
