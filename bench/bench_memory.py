"""Peak memory of a render against its number of frames: the same scene rendered twice at 1080p,
at 60 and at 120 frames per second (the same content, twice the frames), each in a fresh process.

Usage, from the repository root::

    .venv/bin/python bench/bench_memory.py [Scene ...]

Default scenes: GradientMap2D (the largest rise between half time and the end in
``bench/results/scenes.md``), OptimizerRace (lines that grow every frame) and Bowl3D (3-D).
Memory that grew with the frames would be higher at 120 fps; equal peaks show it is bounded by
what the scene holds, not by how many frames it renders. Writes ``bench/results/memory.md``.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import manim

from bench_scenes import ROOT, every_scene, render

DEFAULT_SCENES = ["GradientMap2D", "OptimizerRace", "Bowl3D"]
FRAME_RATES = (60, 120)


def main() -> None:
    scenes = every_scene()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenes", nargs="*", metavar="Scene", help=f"scenes to run (default {' '.join(DEFAULT_SCENES)})")
    args = parser.parse_args()
    if unknown := sorted(set(args.scenes) - set(scenes)):
        parser.error(f"not a scene of the collection: {', '.join(unknown)}; choose from {', '.join(sorted(scenes))}")
    rows = [
        "# Peak memory against the number of frames",
        "",
        f"Manim {manim.__version__}, Python {platform.python_version()}, {os.cpu_count()} cores, "
        f"{time.strftime('%Y-%m-%d')}, the project's manim.cfg, `-qh` (1080p) at 60 and at 120 frames per "
        "second: the same content, twice the frames. Command: `.venv/bin/python bench/bench_memory.py`.",
        "",
        "| scene | frames at 60 fps | peak MiB | frames at 120 fps | peak MiB | change |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as scratch:
        for name in args.scenes or DEFAULT_SCENES:
            runs = [render(scenes[name], "h", Path(scratch) / f"{name}-{rate}", frame_rate=rate) for rate in FRAME_RATES]
            (frames, peak), (more_frames, more_peak) = ((run["frames"], run["memory"][1]) for run in runs)
            rows.append(f"| {name} | {frames} | {peak:.0f} | {more_frames} | {more_peak:.0f} | {100 * (more_peak / peak - 1):+.0f}% |")
            print(rows[-1], flush=True)
    rows += ["", "Peak: the render process's peak resident set (`VmHWM`) at its end."]
    report = "\n".join(rows) + "\n"
    print(report)
    (ROOT / "bench" / "results" / "memory.md").write_text(report)


if __name__ == "__main__":
    main()
