"""Split rendering: one scene on 1 process against the same scene split across N processes.

Usage, from the repository root::

    .venv/bin/python bench/bench_split.py [-q h] [-j 2] [scenes/module.py Scene] [--append]

Renders the scene once with plain ``manim`` (one process) and once split with
:func:`gradscenes.split.render_split` (``-j`` processes), then compares: wall time and ratio,
frame counts, and the mean absolute pixel difference (in % of full scale) over all frames and
at the seams (the two frames either side of each join). Writes ``bench/results/split.md``.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import av
import numpy as np

from gradscenes.launch import QUALITIES
from gradscenes.split import plan_durations, render_split, split_ranges

ROOT = Path(__file__).resolve().parent.parent


def frames(video: Path) -> list[np.ndarray]:
    with av.open(str(video)) as container:
        return [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", "-q", default="h", choices=sorted(QUALITIES))
    parser.add_argument("--jobs", "-j", type=int, default=2)
    parser.add_argument("module_file", nargs="?", default="scenes/level_sets.py")
    parser.add_argument("scene", nargs="?", default="GradientOrthogonalToLevelSets")
    parser.add_argument("--append", action="store_true",
                        help="add the table to bench/results/split.md instead of replacing it")
    args = parser.parse_args()
    module = Path(args.module_file).stem
    folder = QUALITIES[args.quality]

    # One process, plain manim, into its own media folder.
    single_media = ROOT / "renders" / "bench" / "single"
    shutil.rmtree(single_media, ignore_errors=True)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "manim", "render", f"-q{args.quality}",
                    "--progress_bar", "none", "--media_dir", str(single_media),
                    args.module_file, args.scene], cwd=ROOT, check=True, capture_output=True)
    single_seconds = time.perf_counter() - start
    single = frames(single_media / "videos" / module / folder / f"{args.scene}.mp4")

    start = time.perf_counter()
    joined_path = render_split(args.module_file, args.scene, args.quality, args.jobs,
                               media_dir=ROOT / "renders")
    split_seconds = time.perf_counter() - start
    joined = frames(joined_path)

    # Seams: the first frame index of each piece after the first.
    fps = int(folder.split("p")[1])
    ranges = split_ranges(plan_durations(args.module_file, args.scene), args.jobs)
    pieces = sorted((ROOT / "renders" / "split" / f"{module}.{args.scene}").glob("part*"))
    seams, count = [], 0
    for piece in pieces[:-1]:
        count += len(frames(piece / "videos" / module / folder / f"{args.scene}.mp4"))
        seams.append(count)

    def diff(i: int) -> float:
        return float(np.abs(single[i].astype(int) - joined[i].astype(int)).mean() / 255)

    n = min(len(single), len(joined))
    all_diff = float(np.mean([diff(i) for i in range(0, n, max(1, n // 60))]))
    seam_diff = max((diff(i) for s in seams for i in (s - 1, s) if 0 <= i < n), default=0.0)
    table = "\n".join([
        f"Split rendering of `{args.scene}` at -q{args.quality} ({folder}), "
        f"{len(ranges)} pieces {ranges}, fps {fps}",
        "",
        "| render | processes | frames | seconds | ratio | mean abs diff (all) | "
        "max mean abs diff at seams |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| plain manim | 1 | {len(single)} | {single_seconds:.1f} | 1.00 | | |",
        f"| split + join | {args.jobs} | {len(joined)} | {split_seconds:.1f} | "
        f"{single_seconds / split_seconds:.2f} | {all_diff:.3%} | {seam_diff:.3%} |",
        "",
    ])
    print(table)
    results = ROOT / "bench" / "results" / "split.md"
    results.parent.mkdir(exist_ok=True)
    previous = results.read_text() + "\n" if args.append and results.exists() else ""
    results.write_text(previous + table)


if __name__ == "__main__":
    main()
