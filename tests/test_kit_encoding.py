"""The kit's video encoder: the same video as Manim's, the frames handed over without a copy,
and the encoder's threads below the scene's in priority."""

from __future__ import annotations

import os
import sys
import threading
from fractions import Fraction

import av
import numpy as np
import pytest
from manim import RIGHT, Dot, Scene, Square, tempconfig
from manim._config.video_encoder import VideoEncoderSpec
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from scenes.kit import FastCamera, FastThreeDCamera, GradScene, GradThreeDScene
from scenes.kit.camera3d import STOCK_3D_VARIABLE, StockThreeDCamera
from scenes.kit.encoding import ENCODER_NICENESS, KitFileWriter, KitRenderer, SharedFrameEncoder

SPEC = VideoEncoderSpec("mp4", "libx264", "yuv420p", 64, 48, Fraction(15), (("crf", "23"), ("preset", "veryfast")))


def frames(count: int) -> list[np.ndarray]:
    rng = np.random.default_rng(1)
    ramp = np.linspace(0, 255, 64 * 48 * 4).reshape(48, 64, 4)
    return [((ramp + 40 * k + rng.integers(0, 30, ramp.shape)) % 256).astype(np.uint8) for k in range(count)]


def decoded(path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]


def in_a_thread(work) -> None:
    """Run ``work`` on a thread of its own, as Manim runs an encoder (it lowers its priority)."""
    thread = threading.Thread(target=work)
    thread.start()
    thread.join()


def test_the_video_is_the_one_manims_encoder_makes(tmp_path):
    for encoder_class, name in [(VideoSegmentEncoder, "stock.mp4"), (SharedFrameEncoder, "kit.mp4")]:
        encoder = encoder_class(target=tmp_path / name, spec=SPEC)

        def encode() -> None:
            for k, frame in enumerate(frames(6)):
                encoder.write_frame(frame, repeat=1 + k % 2)
            encoder.finish()

        in_a_thread(encode)
    stock, kit = decoded(tmp_path / "stock.mp4"), decoded(tmp_path / "kit.mp4")
    assert len(stock) == len(kit) == 9
    for ours, theirs in zip(kit, stock):
        np.testing.assert_array_equal(ours, theirs)


def test_bad_frames_get_manims_errors(tmp_path):
    encoder = SharedFrameEncoder(target=tmp_path / "bad.mp4", spec=SPEC)
    with pytest.raises(ValueError, match="shape"):
        encoder.write_frame(np.zeros((10, 10, 4), np.uint8))
    with pytest.raises(ValueError, match="repeat"):
        encoder.write_frame(frames(1)[0], repeat=0)
    encoder.abort()


@pytest.mark.skipif(sys.platform != "linux", reason="a nice value belongs to a thread on Linux only")
def test_the_encoding_thread_and_the_threads_it_starts_run_below_the_scene(tmp_path):
    niceness = {}

    def encode() -> None:
        encoder = SharedFrameEncoder(target=tmp_path / "nice.mp4", spec=SPEC)
        encoder.write_frame(frames(1)[0])
        in_a_thread(lambda: niceness.update(child=os.getpriority(os.PRIO_PROCESS, 0)))
        niceness["worker"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
        encoder.finish()

    scene_niceness = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    in_a_thread(encode)
    expected = min(19, scene_niceness + ENCODER_NICENESS)
    assert niceness == {"worker": expected, "child": expected}
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == scene_niceness


class Plain(GradScene):
    pass


class Solid(GradThreeDScene):
    pass


@pytest.mark.parametrize("scene_class, camera_class", [(Plain, FastCamera), (Solid, FastThreeDCamera)])
def test_the_collections_scenes_write_with_the_kits_writer(scene_class, camera_class, tmp_path):
    with tempconfig({"media_dir": str(tmp_path), "pixel_width": 64, "pixel_height": 36}):
        scene = scene_class()
        assert type(scene.renderer.file_writer) is KitFileWriter
        assert type(scene.renderer.camera) is camera_class
        assert type(Scene().renderer.file_writer) is SceneFileWriter


def test_stock_3d_keeps_manims_writer(monkeypatch, tmp_path):
    monkeypatch.setenv(STOCK_3D_VARIABLE, "1")
    with tempconfig({"media_dir": str(tmp_path), "pixel_width": 64, "pixel_height": 36}):
        scene = Solid()
        assert type(scene.renderer.file_writer) is SceneFileWriter
        assert type(scene.renderer.camera) is StockThreeDCamera


class Moving(GradScene):
    """A dot moving, then a wait (Manim keeps its frame as the still background)."""

    def construct(self) -> None:
        dot = Dot(color="#ff8800")
        self.add(Square(color="#3388ff"))
        self.play(dot.animate.shift(2 * RIGHT), run_time=1)
        self.wait(0.5)
        self.play(dot.animate.scale(3), run_time=0.5)


def rendered(tmp_path, name: str, stock: bool = False) -> list[np.ndarray]:
    """The frames of Moving's video, rendered by the kit's renderer or by stock's."""
    settings = {"media_dir": str(tmp_path / name), "pixel_width": 96, "pixel_height": 54, "frame_rate": 15,
                "disable_caching": True, "progress_bar": "none"}  # fmt: skip
    with tempconfig(settings):
        scene = Moving(renderer=CairoRenderer(camera_class=FastCamera) if stock else None)
        assert isinstance(scene.renderer, KitRenderer) != stock
        scene.render()
    (video,) = (tmp_path / name).rglob("Moving.mp4")
    return decoded(video)


def test_frames_handed_over_make_the_video_copies_make(tmp_path):
    ours, theirs = rendered(tmp_path, "kit"), rendered(tmp_path, "stock", stock=True)
    assert len(ours) == len(theirs) == 30
    assert len({frame.tobytes() for frame in ours}) > 10  # the dot moves
    for mine, stocks in zip(ours, theirs):
        np.testing.assert_array_equal(mine, stocks)


def test_a_frame_handed_over_is_not_drawn_on_again():
    with tempconfig({"pixel_width": 64, "pixel_height": 36}):
        scene = Moving()
        renderer = scene.renderer
        renderer.update_frame(scene)
        frame = renderer.get_frame()
        assert frame is renderer.camera.pixel_array  # no copy; still the camera's to read
        kept = frame.copy()
        scene.add(Dot(radius=1, color="#ffffff"))
        renderer.update_frame(scene)
        assert renderer.camera.pixel_array is not frame
        np.testing.assert_array_equal(frame, kept)
        assert not np.array_equal(renderer.camera.pixel_array, kept)
