"""The render's video encoder, fed without stopping the scene: :func:`kit_renderer`.

Stock Manim's renderer copies each finished frame for the encoder (``get_frame``), and the
camera draws the next frame over the same array. :class:`KitRenderer` hands the array itself to
the encoder and lets the camera draw the next frame on a new one: one 8 MB copy less per frame
at 1080p (a new array from a recent one's freed memory costs less than the copy). A camera with
a ``painter`` (the 3-D camera, :mod:`~scenes.kit.painter`) gets one for a video: it records
each frame and a thread of its own paints it, and the encoder waits for a frame's paint before
encoding it, so the scene goes on with the next frame meanwhile.

Manim encodes each segment of a video on a worker thread while the scene draws the next frames.
Its ``VideoSegmentEncoder`` wraps every frame with ``av.VideoFrame.from_ndarray``, a copy of the
whole frame (8 MB at 1080p, about 3 ms) made while holding the GIL, so the scene's own thread
waits that long every frame. ``SceneFileWriter.write_frame`` already takes ownership of the
array (the caller must not reuse it), so :class:`SharedFrameEncoder` hands the array to the
encoder as it is, with ``av.VideoFrame.from_numpy_buffer``: the same frame, no copy.

The scene's thread is the render's bottleneck, and the encoder's threads (the worker and
libx264's own) compete with it for the same cores. On Linux, where a nice value belongs to a
thread and the threads it starts, the worker lowers its own priority by
:data:`ENCODER_NICENESS` before its first frame, and so before libx264 starts its threads: the
scene's thread runs whenever it can, and the encoder gets the rest of the machine (a bounded
queue makes the scene wait when the encoder falls behind, so no frame is lost).
"""

from __future__ import annotations

import os
import sys
import threading
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np
from manim import Camera, config
from manim.constants import RendererType
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from scenes.kit.painter import FramePainter, wait_painted

__all__ = ["ENCODER_NICENESS", "KitFileWriter", "KitRenderer", "SharedFrameEncoder", "kit_renderer"]

ENCODER_NICENESS = 10
"""How much the encoder's threads lower their priority below the scene's (Linux only)."""


class SharedFrameEncoder(VideoSegmentEncoder):
    """Manim's segment encoder, wrapping each frame's array instead of copying it."""

    def write_frame(self, pixels: np.ndarray, *, repeat: int = 1) -> None:
        """Encode ``pixels`` (owned from now on) ``repeat`` times at the next time stamps."""
        self._validate_frame(pixels, repeat)
        wait_painted(pixels)
        if self._next_pts == 0:
            _lower_this_threads_priority(ENCODER_NICENESS)
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            for _ in range(repeat):
                frame = av.VideoFrame.from_numpy_buffer(pixels, format="rgba")
                frame.pts, frame.time_base = self._next_pts, time_base
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error


class KitFileWriter(SceneFileWriter):
    """Manim's file writer, encoding segments with :class:`SharedFrameEncoder`."""

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        if self.video_encoder is None:
            return super()._create_segment_encoder(target)  # raises Manim's error
        return SharedFrameEncoder(target=target, spec=self.video_encoder)


class KitRenderer(CairoRenderer):
    """Manim's Cairo renderer, handing the camera's frame over instead of a copy of it, and
    writing with :class:`KitFileWriter`.

    ``get_frame`` returns the camera's array itself; the array stays the camera's
    ``pixel_array``, to be read, until the next ``update_frame`` gives the camera a new one.
    So a frame handed over (to the encoder, or kept as the still background of a wait) is never
    drawn on again.
    """

    def __init__(self, camera_class: type[Camera], skip_animations: bool = False) -> None:
        super().__init__(file_writer_class=KitFileWriter, camera_class=camera_class, skip_animations=skip_animations)
        self._handed_over: np.ndarray | None = None

    def init_scene(self, scene: Any, session_spec: Any, file_writer_settings: Any) -> None:
        """Stock's; a camera that can leave its frames to a painter gets one when they go into
        a video (whose encoder waits for each frame's paint)."""
        super().init_scene(scene, session_spec, file_writer_settings)
        if hasattr(self.camera, "painter") and self.file_writer.output_spec.is_video:
            self.camera.painter = FramePainter()

    def render(self, scene: Any, time: float, moving_mobjects: Any = None) -> None:
        """Stock's: draw the frame and add it to the video. The frame may still be painting:
        the encoder waits for it, not the scene."""
        self.update_frame(scene, moving_mobjects)
        self._handed_over = self.camera.pixel_array
        self.add_frame(self._handed_over)

    def get_frame(self) -> np.ndarray:
        """The camera's frame, painted, not a copy: no longer the camera's to draw on."""
        wait_painted(self.camera.pixel_array)
        self._handed_over = self.camera.pixel_array
        return self._handed_over

    def update_frame(self, scene: Any, mobjects: Any = None, include_submobjects: bool = True,
                     ignore_skipping: bool = True, **kwargs: Any) -> None:  # fmt: skip
        """Stock's, on a new array if the camera's was handed over (stock clears it first)."""
        camera = self.camera
        draws = not self.skip_animations or ignore_skipping  # stock returns at once otherwise
        if draws and camera.pixel_array is self._handed_over:
            camera.pixel_array_to_cairo_context.pop(id(camera.pixel_array), None)  # it holds the array
            camera.pixel_array = np.empty_like(camera.pixel_array)
        elif draws:  # drawn on again: its paint first
            wait_painted(camera.pixel_array)
        super().update_frame(scene, mobjects, include_submobjects, ignore_skipping, **kwargs)


def kit_renderer(camera_class: type[Camera], skip_animations: bool = False) -> KitRenderer | None:
    """The Cairo renderer Manim's ``Scene`` would make, as a :class:`KitRenderer`; None under
    another renderer (OpenGL), which then keeps its own."""
    if config.renderer != RendererType.CAIRO:
        return None
    return KitRenderer(camera_class, skip_animations)


def _lower_this_threads_priority(by: int) -> None:
    """Raise the calling thread's nice value by ``by`` (at most 19), on Linux; threads it
    starts later inherit it. Elsewhere a nice value belongs to the whole process: no change."""
    if sys.platform != "linux":
        return
    thread = threading.get_native_id()
    try:
        os.setpriority(os.PRIO_PROCESS, thread, min(19, os.getpriority(os.PRIO_PROCESS, thread) + by))
    except OSError:  # not allowed here (a sandbox): the render is only slower
        pass
