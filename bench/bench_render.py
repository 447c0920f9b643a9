"""Render benchmark: the fast 3-D surface path against stock Manim, same content, same run.

The scene: the saddle :math:`z = x^2 - y^2` on :math:`[-1, 1]^2` as a 24x24 surface with
Manim's default checkerboard colors and mesh lines, ``ThreeDAxes``, and a camera rotating for
``--seconds``. ``StockSaddle`` draws it with Manim's ``Surface`` and ``ThreeDScene``;
``FastSaddle`` with :class:`~scenes.kit.surface3d.FastSurface` and
:class:`~scenes.kit.scene3d.FastThreeDScene`. Each render runs in a fresh Python process, one
after the other, under ``tempconfig`` from the repository root (so with the project's
``manim.cfg``), and writes an mp4 into ``renders/bench/``. Its time covers ``scene.render()``:
building the scene, rendering and encoding every frame, joining the video (not the saving of
the frames sampled for the pixel comparison).

Both sides run (``--repeat`` times, alternating; the fastest run counts) for every pair of an
x264 ``--presets`` entry (``medium`` is Manim's default; the encoder shares the cores with the
renderer) and an ``--axis-pieces`` entry (20 is ``ThreeDAxes``' default, 1 a cheap setting).
Run from the repository root::

    .venv/bin/python bench/bench_render.py --quality h --repeat 2

It prints a markdown table (frames, seconds, frames per second, the fast/stock ratio, the frames
per second of the encoder alone on the same frames (the bound on any renderer), the mean
absolute pixel difference between the two renders' frames at the same time stamps, peak
memory) and writes it to ``bench/results/render.md``.
"""

from __future__ import annotations

import argparse
import itertools as it
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av
import manim
import numpy as np
from manim import DEGREES, Surface, ThreeDAxes, ThreeDScene, tempconfig

from scenes.kit import FastSurface, FastThreeDScene

__all__ = ["FastSaddle", "StockSaddle", "main"]

ROOT = Path(__file__).resolve().parents[1]
QUALITIES = {"l": (854, 480, 15), "m": (1280, 720, 30), "h": (1920, 1080, 60)}


class StockSaddle(ThreeDScene):
    """The benchmark content, drawn by stock Manim."""

    surface_class = Surface
    axis_pieces = 20
    seconds = 4.0

    def construct(self):
        axes = ThreeDAxes(
            x_range=(-1, 1, 0.5),
            y_range=(-1, 1, 0.5),
            z_range=(-1, 1, 0.5),
            x_length=6,
            y_length=6,
            z_length=4,
            num_axis_pieces=self.axis_pieces,
        )
        surface = self.surface_class(
            lambda u, v: axes.c2p(u, v, u * u - v * v),
            u_range=(-1, 1),
            v_range=(-1, 1),
            resolution=24,
        )
        self.set_camera_orientation(phi=65 * DEGREES, theta=-50 * DEGREES)
        self.add(axes, surface)
        self.begin_ambient_camera_rotation(rate=0.4)
        self.wait(self.seconds)


class FastSaddle(FastThreeDScene, StockSaddle):
    """The same content on the fast path."""

    surface_class = FastSurface


SIDES = {"stock": StockSaddle, "fast": FastSaddle}


def peak_rss_mib() -> float:
    """Peak resident memory of this process so far, in MiB.

    On Linux, ``VmHWM`` of ``/proc/self/status``: ``ru_maxrss`` would carry the parent's peak
    into a process started by ``fork`` and ``exec``.
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 2**10  # kB
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def render(
    side: str, quality: str, seconds: float, preset: str, pieces: int, samples: Path
) -> dict:
    """Render one side to a video; save a frame every half second into ``samples``."""
    width, height, fps = QUALITIES[quality]
    base = SIDES[side]
    scene_class = type(base.__name__, (base,), {"seconds": seconds, "axis_pieces": pieces})
    options = {
        "pixel_width": width,
        "pixel_height": height,
        "frame_rate": fps,
        "media_dir": str(ROOT / "renders" / "bench"),
        "output_file": f"{base.__name__}_{quality}_{preset}_{pieces}pieces",
        "format": "mp4",
        "video_encoder_options": {**manim.config.video_encoder_options, "preset": preset},
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "WARNING",
    }
    with tempconfig(options):
        scene = scene_class()
        renderer = scene.renderer
        emit = renderer.add_frame
        count, saving, half, peak_at_half = 0, 0.0, round(seconds * fps / 2), None

        def add_frame(frame, num_frames=1):
            nonlocal count, saving, peak_at_half
            if count % (fps // 2) == 0:
                begin = time.perf_counter()
                np.save(samples / f"{count:05d}.npy", frame)
                saving += time.perf_counter() - begin
            if count == half:
                peak_at_half = peak_rss_mib()
            count += num_frames
            emit(frame, num_frames)

        renderer.add_frame = add_frame
        start = time.perf_counter()
        scene.render()
        elapsed = time.perf_counter() - start - saving
        writer = renderer.file_writer
    if not Path(writer.movie_file_path).is_file():
        raise RuntimeError(f"{side}: no video at {writer.movie_file_path}")
    return {
        "frames": count,
        "seconds": elapsed,
        "encoder": " ".join(f"{key}={value}" for key, value in writer.video_encoder.options),
        "options": dict(writer.video_encoder.options),
        "video": str(writer.movie_file_path),
        "peak_rss_mib": (peak_at_half, peak_rss_mib()),
    }


def encoder_alone_fps(video: str, options: dict[str, str], fps: int) -> float:
    """Frames per second of libx264 alone, with ``options``, on the frames of ``video``.

    The frames are decoded into memory first, then encoded as Manim encodes them (RGBA arrays
    to ``VideoFrame``, ``yuv420p``); the time of the encoding alone bounds any renderer's
    frames per second on this machine with these options.
    """
    with av.open(video) as container:
        frames = [frame.to_ndarray(format="rgba") for frame in container.decode(video=0)]
    with tempfile.TemporaryDirectory() as tmp, av.open(f"{tmp}/alone.mp4", "w") as out:
        stream = out.add_stream("libx264", rate=fps, options=options)
        stream.pix_fmt, (stream.height, stream.width) = "yuv420p", frames[0].shape[:2]
        start = time.perf_counter()
        for pixels in frames:
            out.mux(stream.encode(av.VideoFrame.from_ndarray(pixels, format="rgba")))
        out.mux(stream.encode())
        return len(frames) / (time.perf_counter() - start)


def run_worker(
    side: str, args: argparse.Namespace, preset: str, pieces: int, samples: Path
) -> dict:
    """Run :func:`render` for ``side`` in a fresh Python process and return its result."""
    command = [
        sys.executable, __file__, "--worker", side, "--quality", args.quality,
        "--seconds", str(args.seconds), "--presets", preset, "--axis-pieces", str(pieces),
        "--samples", str(samples),
    ]  # fmt: skip
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.splitlines()[-1])


def mean_abs_difference(first: Path, second: Path) -> float:
    """Mean absolute RGB difference of the sampled frames, in percent of full scale."""
    names = sorted(path.name for path in first.glob("*.npy"))
    if not names or names != sorted(path.name for path in second.glob("*.npy")):
        raise RuntimeError("the two renders sampled different frames")
    diffs = [
        np.abs(
            np.load(first / name)[..., :3].astype(np.int16)
            - np.load(second / name)[..., :3].astype(np.int16)
        ).mean()
        for name in names
    ]
    return 100 * float(np.mean(diffs)) / 255


def table(args: argparse.Namespace, rows: list[tuple[dict, dict, float, float]]) -> str:
    """The results as a markdown table, one pair of rows (stock, fast) per configuration."""
    width, height, fps = QUALITIES[args.quality]
    lines = [
        "# Render benchmark: fast 3-D surface path vs stock Manim",
        "",
        f"Saddle, 24x24 surface, ThreeDAxes, rotating camera, {args.seconds:g} s at "
        f"{width}x{height} {fps} fps (`--quality {args.quality}`), mp4. "
        f"Manim {manim.__version__}, Python {platform.python_version()}, "
        f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}. "
        f"Fastest of {args.repeat} alternating run(s) per side. "
        f"Command: `.venv/bin/python bench/bench_render.py {' '.join(sys.argv[1:])}`.",
        "",
        "| libx264 options | axis pieces | path | frames | seconds | fps | ratio "
        "| encoder alone fps (ratio) | mean abs pixel diff | peak RSS MiB at half time / end |",
        "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for stock, fast, diff, alone in rows:
        stock_fps = stock["frames"] / stock["seconds"]
        ratio = (fast["frames"] / fast["seconds"]) / stock_fps
        for name, result in (("stock", stock), ("fast", fast)):
            lines.append(
                f"| {result['encoder']} | {result['axis_pieces']} | {name} "
                f"| {result['frames']} | {result['seconds']:.1f} "
                f"| {result['frames'] / result['seconds']:.2f} "
                f"| {'1.00' if name == 'stock' else f'**{ratio:.2f}**'} "
                f"| {'' if name == 'stock' else f'{alone:.1f} ({alone / stock_fps:.2f})'} "
                f"| {'' if name == 'stock' else f'{diff:.3f}%'} "
                f"| {result['peak_rss_mib'][0]:.0f} / {result['peak_rss_mib'][1]:.0f} |"
            )
    lines += [
        "",
        "Ratio: fast frames per second over stock's, measured in the same run. Encoder "
        "alone: libx264 with the same options encoding the fast render's frames, decoded "
        "into memory beforehand, with nothing else running; its ratio to stock's frames per "
        "second is the most any renderer could reach here with that encoder. Pixel "
        "difference: mean over RGB of |fast - stock| on the frames at every half second, in "
        "percent of 255. Peak memory at half time and at the end: equal when it does not grow "
        "with the number of frames. Videos: `renders/bench/`.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quality", choices=sorted(QUALITIES), default="h", help="l 480p15, m 720p30, h 1080p60"
    )
    parser.add_argument("--seconds", type=float, default=4.0, help="length of the clip")
    parser.add_argument(
        "--presets",
        nargs="+",
        default=["medium", "veryfast"],
        help="libx264 presets to run (medium is Manim's default)",
    )
    parser.add_argument(
        "--axis-pieces",
        type=int,
        nargs="+",
        default=[20, 1],
        help="ThreeDAxes num_axis_pieces values to run (20 is Manim's default)",
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="render each side this many times, alternating, and keep the fastest",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=ROOT / "bench" / "results" / "render.md",
        help="where to write the table",
    )
    parser.add_argument("--worker", choices=sorted(SIDES), help=argparse.SUPPRESS)
    parser.add_argument("--samples", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        (preset,), (pieces,) = args.presets, args.axis_pieces
        result = render(args.worker, args.quality, args.seconds, preset, pieces, args.samples)
        print(json.dumps({**result, "axis_pieces": pieces}))
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for preset, pieces in it.product(args.presets, args.axis_pieces):
            samples = {side: Path(tmp) / f"{preset}-{pieces}-{side}" for side in SIDES}
            runs = {side: [] for side in SIDES}
            for _, (side, folder) in it.product(range(args.repeat), samples.items()):
                folder.mkdir(exist_ok=True)
                runs[side].append(run_worker(side, args, preset, pieces, folder))
            best = {side: min(runs[side], key=lambda run: run["seconds"]) for side in SIDES}
            diff = mean_abs_difference(samples["stock"], samples["fast"])
            fps = QUALITIES[args.quality][2]
            alone = encoder_alone_fps(best["fast"]["video"], best["fast"]["options"], fps)
            rows.append((best["stock"], best["fast"], diff, alone))
    report = table(args, rows)
    print(report)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(report)


if __name__ == "__main__":
    main()
