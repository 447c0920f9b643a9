"""Frames recorded by the 3-D camera and painted on the painter's thread: the same pictures as
frames drawn directly, every frame painted before it is encoded, errors passed on, and the
scene never more than a few frames ahead of the painter."""

from __future__ import annotations

import threading
import time

import av
import cairo
import numpy as np
import pytest
from manim import PMobject, Square, Text, tempconfig
from manim.renderer.cairo_renderer import CairoRenderer
from test_fast_surface import FastColorscaleScene

import scenes.kit.painter as painter
from scenes.kit import FastSurface, FastThreeDCamera
from scenes.kit.encoding import KitRenderer
from scenes.kit.painter import FramePainter, wait_painted


def video_frames(tmp_path, name: str, stock: bool) -> tuple[list[np.ndarray], object]:
    """FastColorscaleScene's video (faces, axes, a ball, an arrow, a title fixed in the frame,
    the camera turning), rendered by the kit's renderer or by stock's (no painter)."""
    settings = {"media_dir": str(tmp_path / name), "pixel_width": 192, "pixel_height": 108, "frame_rate": 15,
                "disable_caching": True, "progress_bar": "none", "verbosity": "WARNING"}  # fmt: skip
    with tempconfig(settings):
        renderer = CairoRenderer(camera_class=FastThreeDCamera) if stock else None
        scene = FastColorscaleScene(renderer=renderer)
        scene.render()
    (path,) = (tmp_path / name).rglob("FastColorscaleScene.mp4")
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)], scene


@pytest.mark.render
def test_painted_frames_make_the_video_frames_drawn_directly_make(tmp_path, monkeypatch):
    submitted = []
    submit = FramePainter.submit
    monkeypatch.setattr(FramePainter, "submit", lambda self, *a: (submitted.append(1), submit(self, *a)))
    painted, scene = video_frames(tmp_path, "painted", stock=False)
    assert isinstance(scene.renderer, KitRenderer) and scene.renderer.camera.painter is not None
    assert len(submitted) == len(painted) == 15
    direct, stock_scene = video_frames(tmp_path, "direct", stock=True)
    assert stock_scene.renderer.camera.painter is None
    assert len(direct) == 15
    for ours, theirs in zip(painted, direct):
        np.testing.assert_array_equal(ours, theirs)


def test_a_recorded_frame_is_the_frame_drawn_directly():
    """Faces, a stock-drawn square and a title fixed in the frame (from the layer cache after
    two frames alike), drawn three times: directly, and recorded then painted."""

    def frames(with_painter: bool) -> list[np.ndarray]:
        with tempconfig({"pixel_width": 160, "pixel_height": 90}):
            camera = FastThreeDCamera()
            camera.painter = FramePainter() if with_painter else None
            camera.set_phi(1.0)
            camera.set_theta(-0.8)
            surface = FastSurface(lambda u, v: (u, v, 0.3 * u * v), u_range=(-2, 2), v_range=(-2, 2), resolution=6)
            surface.set_fill("#3388ff", opacity=0.7)
            title = Text("painted", font_size=40).to_corner((-1, 1, 0))
            camera.add_fixed_in_frame_mobjects(title)
            out = []
            for _ in range(3):
                camera.pixel_array = np.empty_like(camera.pixel_array)
                camera.reset()
                camera.capture_mobjects([surface, Square(color="#ff8800"), title])
                wait_painted(camera.pixel_array)
                out.append(camera.pixel_array.copy())
            return out

    for direct, painted in zip(frames(False), frames(True)):
        np.testing.assert_array_equal(painted, direct)
        assert len(np.unique(direct.reshape(-1, 4), axis=0)) > 20  # a real picture


def test_a_frame_with_a_point_cloud_is_drawn_directly(monkeypatch):
    """Stock draws a point cloud into the pixels, not with cairo: no recording can hold it."""
    monkeypatch.setattr(FramePainter, "submit", lambda *a: pytest.fail("a point cloud was recorded"))
    with tempconfig({"pixel_width": 64, "pixel_height": 36}):
        camera = FastThreeDCamera()
        camera.painter = FramePainter()
        camera.reset()
        cloud = PMobject(stroke_width=8).add_points(np.array([[0.0, 0.0, 0.0]]), color="#ffffff")
        camera.capture_mobjects([Square(color="#ff8800"), cloud])
        assert camera.pixel_array[17:19, 31:33, :3].max() == 255
        assert (camera.pixel_array[0, 0] == camera.background[0, 0]).all()


def test_a_paints_error_reaches_whoever_waits_for_the_frame():
    frame = np.zeros((10, 12, 4), np.uint8)[:, ::2]  # not contiguous: cairo cannot paint it
    recording = FramePainter.recording(frame, 0xFF000000, cairo.Matrix())
    FramePainter().submit(frame, recording)
    with pytest.raises(BufferError):
        wait_painted(frame)
    wait_painted(frame)  # waited for once: nothing pending any more


def test_what_runs_before_the_replay_draws_into_a_surface_the_recording_paints():
    """The camera's face layers: painted into the recording empty, drawn by the painter's thread
    just before the replay, and the frame has them."""
    layer = np.zeros((4, 6, 4), np.uint8)
    surface = cairo.ImageSurface.create_for_data(layer.data, cairo.FORMAT_ARGB32, 6, 4)
    frame = np.zeros((10, 10, 4), np.uint8)
    recording = FramePainter.recording(frame, 0xFF102030, cairo.Matrix())
    recording.set_source_surface(surface, 3, 5)
    recording.paint()
    frames_painter = FramePainter()
    frames_painter.submit(frame, recording, [lambda: layer.__setitem__(np.s_[1:3], (1, 2, 3, 255))])
    wait_painted(frame)
    assert frame[6:8, 3:9].tolist() == [[[1, 2, 3, 255]] * 6] * 2  # drawn late, painted
    assert frame[5, 3].tolist() == frame[0, 0].tolist() == [0x30, 0x20, 0x10, 255]  # transparent: the background


def test_the_scene_stays_at_most_ahead_frames_before_the_painter(monkeypatch):
    painting, most = [0], [0]
    lock = threading.Lock()

    def slow_paint(pixels, recording, before, held):
        time.sleep(0.02)
        with lock:
            painting[0] -= 1

    monkeypatch.setattr(painter, "_paint", slow_paint)
    frames_painter = FramePainter(ahead=2)
    frames = [np.zeros((4, 4, 4), np.uint8) for _ in range(8)]
    for frame in frames:
        with lock:
            painting[0] += 1
        frames_painter.submit(frame, FramePainter.recording(frame, 0xFF000000, cairo.Matrix()))
        with lock:
            most[0] = max(most[0], painting[0])
    assert most[0] == 2
    for frame in frames:
        wait_painted(frame)
    assert painting[0] == 0
    assert not any(id(frame) in painter._pending for frame in frames)
