"""A frame rasterized on a thread of its own while the scene builds the next: :class:`FramePainter`.

A 3-D frame is a few thousand cairo fills and strokes, and most of their time is cairo turning
paths into pixels, done without holding Python's GIL. The camera records the frame's drawing
instead (a cairo ``RecordingSurface`` keeps each call's path, source and settings, and touches
no pixel), hands the recording to the painter, and goes on with the next frame; the painter's
thread replays the recording as the frame's pixels. A recording starts with the frame's
background and is replayed with cairo's SOURCE operator: the same calls in the same order on
the same background, so the same pixels, bit for bit. (Replayed over a frame already cleared,
cairo would draw it into a scratch image first and composite that: slower, and off by rounding.)

Whoever reads a frame's pixels waits for its paint first: :func:`wait_painted` (the encoder,
before it encodes the frame; the renderer, before it hands a frame out otherwise).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait

import cairo
import numpy as np

__all__ = ["FramePainter", "wait_painted"]

_pending: dict[int, tuple[np.ndarray, Future]] = {}  # id of a frame's pixels -> (pixels, its paint)
_lock = threading.Lock()


def wait_painted(pixels: np.ndarray) -> None:
    """Return once the paint of ``pixels`` (if one was started) is done; raise its error."""
    with _lock:
        entry = _pending.get(id(pixels))
        if entry is not None and entry[0] is pixels:
            del _pending[id(pixels)]
        else:
            entry = None
    if entry is not None:
        entry[1].result()


def _paint(
    pixels: np.ndarray, recording: cairo.RecordingSurface, before: Sequence[Callable[[], None]] = (), held: Sequence[object] = ()
) -> None:
    """Run ``before``, then replay ``recording``, which paints every pixel, as ``pixels``
    (cairo's ARGB32, as Manim's camera draws); ``held`` is kept alive until then."""
    for draw in before:
        draw()
    height, width = pixels.shape[:2]
    surface = cairo.ImageSurface.create_for_data(pixels.data, cairo.FORMAT_ARGB32, width, height)
    ctx = cairo.Context(surface)
    ctx.set_operator(cairo.Operator.SOURCE)
    ctx.set_source_surface(recording, 0, 0)
    ctx.paint()
    surface.finish()
    recording.finish()


class FramePainter:
    """Replays recorded frames onto their pixels, in order, on one thread of its own, at most
    ``ahead`` frames behind the scene (the scene waits beyond that: memory stays bounded)."""

    def __init__(self, ahead: int = 2) -> None:
        self.ahead = ahead
        self._threads = ThreadPoolExecutor(max_workers=1, thread_name_prefix="frame-painter")
        self._in_flight: deque[Future] = deque()  # paints submitted, oldest first, maybe not done

    @staticmethod
    def recording(pixels: np.ndarray, background: int, matrix: cairo.Matrix) -> cairo.Context:
        """A context recording a frame the size of ``pixels`` in user space ``matrix``, its
        first call painting every pixel ``background`` (an opaque ARGB32 pixel)."""
        height, width = pixels.shape[:2]
        surface = cairo.RecordingSurface(cairo.Content.COLOR_ALPHA, cairo.Rectangle(0, 0, width, height))
        ctx = cairo.Context(surface)
        ctx.set_source_rgba(*((background >> shift & 255) / 255 for shift in (16, 8, 0, 24)))
        ctx.set_operator(cairo.Operator.SOURCE)
        ctx.paint()
        ctx.set_operator(cairo.Operator.OVER)
        ctx.set_matrix(matrix)
        return ctx

    def submit(
        self, pixels: np.ndarray, recording: cairo.Context, before: Sequence[Callable[[], None]] = (), held: Sequence[object] = ()
    ) -> None:
        """Paint what ``recording`` holds as ``pixels`` on the painter's thread, after running
        ``before`` there; first wait for the paints more than ``ahead`` frames back.

        ``before`` may draw into the pixels of image surfaces the recording paints, which it
        reads when it is replayed (a recording holds a surface it paints as a snapshot that
        is copied only when the surface is flushed, changed through cairo or destroyed: a
        callable keeps its surface alive until the replay is done, and cairo never sees it
        changed). ``held`` keeps other surfaces the recording paints alive until then."""
        surface = recording.get_target()
        future = self._threads.submit(_paint, pixels, surface, before, held)
        with _lock:
            _pending[id(pixels)] = (pixels, future)
        self._in_flight.append(future)
        while len(self._in_flight) > self.ahead:
            wait([self._in_flight.popleft()])  # its outcome is left to wait_painted
