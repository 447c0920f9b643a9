"""Each 3-D scene of the collection, rendered before (stock Manim) and after (the fast path).

Usage, from the repository root::

    .venv/bin/python bench/bench_scenes.py [-q h] [--repeat 1] [Scene ...]

For every scene built on :class:`~scenes.kit.scene3d.FastThreeDScene` (or the ones named), runs
``manim render -q<quality>`` twice in fresh processes, as a user would, with the project's
``manim.cfg``: once with ``GRADSCENES_STOCK_3D=1`` (stock Manim's ``Surface`` and
``ThreeDCamera``, one Python object per face: the scene as it would be without this project's
renderer) and once without (the fast path). Each side writes its own mp4 under
``renders/bench/scenes/``. Prints and writes to ``bench/results/scenes.md`` the frames, wall
seconds (the whole ``manim`` command), frames per second, the fast/stock ratio and the mean
absolute pixel difference between the two videos at every half second (stock paints a moving
ball over a still image of the surface, in front of every face, so this shows where stock
misdraws as well as where the two paths differ).
"""

from __future__ import annotations

import argparse
import inspect
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import av
import manim
import numpy as np

from gradscenes.launch import QUALITIES
from scenes import scene_module_names, scenes_in
from scenes.kit import STOCK_3D_VARIABLE, FastThreeDScene

ROOT = Path(__file__).resolve().parent.parent
SIDES = {"stock": "1", "fast": "0"}


def three_d_scenes() -> dict[str, type]:
    """The collection's scenes that draw surfaces on the fast path, by name."""
    return {
        cls.__name__: cls
        for module in scene_module_names()
        for cls in scenes_in(module)
        if issubclass(cls, FastThreeDScene)
    }


def render(scene: type, quality: str, side: str) -> dict:
    """Render ``scene`` with ``manim`` in a fresh process on ``side``; time the command."""
    module_file = Path(inspect.getfile(scene)).relative_to(ROOT)
    media = ROOT / "renders" / "bench" / "scenes" / side
    env = {**os.environ, STOCK_3D_VARIABLE: SIDES[side]}
    command = [sys.executable, "-m", "manim", "render", f"-q{quality}", "--progress_bar", "none",
               "--disable_caching", "--media_dir", str(media), str(module_file), scene.__name__]  # fmt: skip
    start = time.perf_counter()
    subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - start
    video = media / "videos" / module_file.stem / QUALITIES[quality] / f"{scene.__name__}.mp4"
    with av.open(str(video)) as container:
        frames = container.streams.video[0].frames
    return {"seconds": seconds, "frames": frames, "video": video}


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
    scenes = three_d_scenes()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", "-q", default="h", choices=sorted(QUALITIES))
    parser.add_argument("--repeat", type=int, default=1,
                        help="render each side this many times, alternating; the fastest counts")
    parser.add_argument("scenes", nargs="*", metavar="Scene",
                        help=f"scenes to run (default all: {', '.join(sorted(scenes))})")
    args = parser.parse_args()
    if unknown := sorted(set(args.scenes) - set(scenes)):
        parser.error(f"not a 3-D scene of the collection: {', '.join(unknown)}; "
                     f"choose from {', '.join(sorted(scenes))}")
    names = args.scenes or sorted(scenes)
    shutil.rmtree(ROOT / "renders" / "bench" / "scenes", ignore_errors=True)
    fps = int(QUALITIES[args.quality].split("p")[1])
    rows = [
        f"# 3-D scenes at -q{args.quality} ({QUALITIES[args.quality]}): stock Manim vs the fast path",
        "",
        f"Manim {manim.__version__}, Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')}, the project's manim.cfg. Fastest of {args.repeat} "
        f"alternating run(s) per side. Command: "
        f"`.venv/bin/python bench/bench_scenes.py {' '.join(sys.argv[1:])}`.",
        "",
        "| scene | frames | stock s | stock fps | fast s | fast fps | ratio | mean abs pixel diff |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in names:
        runs = {side: [] for side in SIDES}
        for _ in range(args.repeat):
            for side in SIDES:
                runs[side].append(render(scenes[name], args.quality, side))
                print(f"{name} {side}: {runs[side][-1]['seconds']:.1f} s", flush=True)
        stock, fast = (min(runs[side], key=lambda run: run["seconds"]) for side in SIDES)
        if stock["frames"] != fast["frames"]:
            raise RuntimeError(f"{name}: stock has {stock['frames']} frames, fast {fast['frames']}")
        diff = mean_abs_difference(stock["video"], fast["video"], every=max(1, fps // 2))
        stock_fps, fast_fps = (run["frames"] / run["seconds"] for run in (stock, fast))
        rows.append(
            f"| {name} | {fast['frames']} | {stock['seconds']:.1f} | {stock_fps:.2f} "
            f"| {fast['seconds']:.1f} | {fast_fps:.2f} | **{fast_fps / stock_fps:.2f}** | {diff:.3f}% |"
        )
    rows += [
        "",
        "Seconds: wall time of the whole `manim render` command (start-up, LaTeX, building, "
        "rendering, encoding). Stock: `GRADSCENES_STOCK_3D=1`, Manim's `Surface` and "
        "`ThreeDCamera`. Pixel difference: mean over RGB of |fast - stock| at every half "
        "second, in percent of 255. Videos: `renders/bench/scenes/`.",
    ]
    report = "\n".join(rows) + "\n"
    print(report)
    (ROOT / "bench" / "results").mkdir(exist_ok=True)
    (ROOT / "bench" / "results" / "scenes.md").write_text(report)


if __name__ == "__main__":
    main()
