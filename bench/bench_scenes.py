"""Every scene of the collection rendered as a user would, against the video encoder alone.

Usage, from the repository root::

    .venv/bin/python bench/bench_scenes.py [-q h] [--no-stock] [Scene ...]

For every scene (or the ones named) runs ``manim render -q<quality> --disable_caching`` in a
fresh process with a fresh media folder and the project's ``manim.cfg``, and times the whole
command.  Then, in this process, libx264 with the options that render used (Manim's own
``VideoSegmentEncoder`` and the resolved encoder settings) encodes up to 240 of that scene's
own frames, decoded into memory first, with nothing else running, three times: the fastest is
the "encoder alone" rate (a single run varied by a third between runs on this machine).
Their ratio is the share of the encoder's speed that the whole render reaches; 1 would mean
rendering cost nothing.  The peak memory of each render is read at half its time and at its
end (equal when memory does not grow with the number of frames).

The scenes built on :class:`~scenes.kit.scene3d.FastThreeDScene` are also rendered with
``GRADSCENES_STOCK_3D=1`` (stock Manim's ``Surface`` and ``ThreeDCamera``: the same content
as plain Manim draws it), unless ``--no-stock``; the second table gives fast over stock and
the mean absolute pixel difference of the two videos every half second.

Writes both tables to ``bench/results/scenes.md``.
"""

from __future__ import annotations

import argparse
import inspect
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av
import manim
import numpy as np
from manim import config
from manim._config.render_session import resolve_render_session
from manim.renderer.cairo_renderer import CairoRenderer
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from gradscenes.launch import QUALITIES
from scenes import scene_module_names, scenes_in
from scenes.kit import STOCK_3D_VARIABLE, FastThreeDScene

ROOT = Path(__file__).resolve().parent.parent
ENCODED_FRAMES = 240
ENCODER_RUNS = 3
QUALITY_NAMES = {"l": "low_quality", "m": "medium_quality", "h": "high_quality", "p": "production_quality",
                 "k": "fourk_quality"}  # fmt: skip


def every_scene() -> dict[str, type]:
    """The collection's scenes by name."""
    return {cls.__name__: cls for module in scene_module_names() for cls in scenes_in(module)}


def render(scene: type, quality: str, media: Path, stock: bool = False, frame_rate: int | None = None) -> dict:
    """Render ``scene`` with ``manim`` in a fresh process (at ``frame_rate`` if given, else the
    quality's); time it and follow its peak memory."""
    module_file = Path(inspect.getfile(scene)).relative_to(ROOT)
    env = {**os.environ, STOCK_3D_VARIABLE: "1" if stock else "0"}
    rate = ["--frame_rate", str(frame_rate)] if frame_rate else []
    command = [sys.executable, "-m", "manim", "render", f"-q{quality}", *rate, "--progress_bar", "none",
               "--disable_caching", "--media_dir", str(media), str(module_file), scene.__name__]  # fmt: skip
    log = media / "render.log"
    media.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        peaks = []  # (seconds, peak resident MiB so far)
        while process.poll() is None:
            peaks.append((time.perf_counter() - start, _peak_mib(process.pid)))
            time.sleep(0.1)
        seconds = time.perf_counter() - start
    if process.returncode:
        raise RuntimeError(f"{scene.__name__} failed ({process.returncode}); see {log}")
    folder = QUALITIES[quality] if frame_rate is None else f"{QUALITIES[quality].split('p')[0]}p{frame_rate}"
    video = media / "videos" / module_file.stem / folder / f"{scene.__name__}.mp4"
    with av.open(str(video)) as container:
        frames = container.streams.video[0].frames
    known = [(t, peak) for t, peak in peaks if peak]
    half = min(known, key=lambda sample: abs(sample[0] - seconds / 2))[1] if known else float("nan")
    end = known[-1][1] if known else float("nan")
    return {"seconds": seconds, "frames": frames, "video": video, "memory": (half, end)}


def _peak_mib(pid: int) -> float | None:
    """The process's peak resident memory so far (``VmHWM``), in MiB; None once it has gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    for line in status.splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return None


def encoder_alone(video: Path, quality: str, scratch: Path) -> float:
    """Frames per second of Manim's encoder on ``video``'s first frames, alone, from memory: the
    fastest of :data:`ENCODER_RUNS` runs."""
    with av.open(str(video)) as container:
        frames = []
        for frame in container.decode(video=0):
            frames.append(np.ascontiguousarray(frame.to_ndarray(format="rgba")))
            if len(frames) == ENCODED_FRAMES:
                break
    config.quality = QUALITY_NAMES[quality]
    spec = resolve_render_session(config, CairoRenderer.capabilities, renderer_name="cairo").video_encoder
    fastest = np.inf
    for _ in range(ENCODER_RUNS):
        start = time.perf_counter()
        encoder = VideoSegmentEncoder(target=scratch / "encoder_alone.mp4", spec=spec)
        for pixels in frames:
            encoder.write_frame(pixels)
        encoder.finish()
        fastest = min(fastest, time.perf_counter() - start)
    return len(frames) / fastest


def sampled_frames(video: Path, every: int) -> list[np.ndarray]:
    """Every ``every``-th frame of ``video`` as RGB arrays."""
    with av.open(str(video)) as container:
        return [
            frame.to_ndarray(format="rgb24")
            for index, frame in enumerate(container.decode(video=0))
            if index % every == 0
        ]


def mean_abs_difference(first: Path, second: Path, every: int) -> float:
    """Mean absolute RGB difference of the sampled frames, in percent of full scale."""
    a, b = sampled_frames(first, every), sampled_frames(second, every)
    if len(a) != len(b):
        raise RuntimeError(f"{first} and {second} have different frame counts")
    return 100 * float(np.mean([np.abs(x.astype(np.int16) - y).mean() for x, y in zip(a, b)])) / 255


def main() -> None:
    scenes = every_scene()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", "-q", default="h", choices=sorted(QUALITIES))
    parser.add_argument("--no-stock", action="store_true", help="skip the 3-D scenes on stock Manim")
    parser.add_argument("scenes", nargs="*", metavar="Scene",
                        help=f"scenes to run (default all: {', '.join(sorted(scenes))})")
    args = parser.parse_args()
    if unknown := sorted(set(args.scenes) - set(scenes)):
        parser.error(f"not a scene of the collection: {', '.join(unknown)}; choose from {', '.join(sorted(scenes))}")
    names = args.scenes or sorted(scenes)
    fps = int(QUALITIES[args.quality].split("p")[1])
    command = " ".join(["`.venv/bin/python bench/bench_scenes.py", *sys.argv[1:]]) + "`"
    rows = [
        f"# Every scene at -q{args.quality} ({QUALITIES[args.quality]}) against the encoder alone",
        "",
        f"Manim {manim.__version__}, Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')}, the project's manim.cfg. Command: {command}.",
        "",
        "| scene | frames | s | fps | encoder alone fps | ratio | peak MiB at half time / end |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    stock_rows = [
        "| scene | frames | stock s | stock fps | fast s | fast fps | ratio | mean abs pixel diff |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory(prefix="bench-scenes-") as scratch:
        for name in names:
            fast = render(scenes[name], args.quality, Path(scratch) / name)
            encoder = encoder_alone(fast["video"], args.quality, Path(scratch))
            rate = fast["frames"] / fast["seconds"]
            half, end = fast["memory"]
            rows.append(f"| {name} | {fast['frames']} | {fast['seconds']:.1f} | {rate:.1f} | {encoder:.1f} "
                        f"| **{rate / encoder:.2f}** | {half:.0f} / {end:.0f} |")  # fmt: skip
            print(rows[-1], flush=True)
            if args.no_stock or not issubclass(scenes[name], FastThreeDScene):
                continue
            stock = render(scenes[name], args.quality, Path(scratch) / f"{name}-stock", stock=True)
            if stock["frames"] != fast["frames"]:
                raise RuntimeError(f"{name}: stock has {stock['frames']} frames, fast {fast['frames']}")
            diff = mean_abs_difference(stock["video"], fast["video"], every=max(1, fps // 2))
            stock_rate = stock["frames"] / stock["seconds"]
            stock_rows.append(f"| {name} | {fast['frames']} | {stock['seconds']:.1f} | {stock_rate:.2f} "
                              f"| {fast['seconds']:.1f} | {rate:.2f} | **{rate / stock_rate:.2f}** | {diff:.3f}% |")  # fmt: skip
            print(stock_rows[-1], flush=True)
    rows += [
        "",
        "Seconds: wall time of the whole `manim render --disable_caching` command into a fresh media "
        "folder (start-up, LaTeX, building, rendering, encoding). Encoder alone: Manim's "
        f"`VideoSegmentEncoder` with the settings that render used, encoding the scene's first "
        f"{ENCODED_FRAMES} frames from memory with nothing else running, the fastest of {ENCODER_RUNS} runs. Ratio: fps over encoder-alone "
        "fps, the goal is at least 0.5. Peak memory: the render's peak resident set at half its "
        "time and at its end.",
    ]
    if len(stock_rows) > 2:
        rows += ["", "## The 3-D scenes against stock Manim", "", *stock_rows, "",
                 "Stock: `GRADSCENES_STOCK_3D=1`, Manim's `Surface` and `ThreeDCamera` on the same "
                 "content. Pixel difference: mean over RGB of |fast - stock| at every half second, in "
                 "percent of 255. The goal is a ratio of at least 6."]  # fmt: skip
    report = "\n".join(rows) + "\n"
    print(report)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "scenes.md").write_text(report)


if __name__ == "__main__":
    main()
