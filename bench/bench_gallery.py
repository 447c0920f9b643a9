"""The gallery on a local Dask cluster against the single-machine runner, same scenes, same -j.

Usage, from the repository root::

    .venv/bin/python bench/bench_gallery.py [-q l] [-j 2] [--repeat 1] [SCENE ...]

Renders the scenes with :func:`gradscenes.gallery.render_all` and :func:`gradscenes.gallery.render`
(``-j`` ``manim`` processes started here: the runner before Dask) and with
:func:`gradscenes.gallery.render_on_dask` (what ``gradscenes gallery`` runs: a ``LocalCluster``
of ``-j`` worker processes, started and stopped inside the measured time; each job renders in
a temporary folder of its worker and sends its clip back). Each run writes into a fresh media
folder under ``renders/bench/``, so both start with an empty LaTeX cache. With ``--repeat``
the two alternate and the faster run of each counts. Writes ``bench/results/gallery.md``: wall
seconds, their ratio and each scene's frames (which must agree).
"""

from __future__ import annotations

import argparse
import os
import shutil
import time
from pathlib import Path

from gradscenes.catalog import discover
from gradscenes.distributed import config_text
from gradscenes.gallery import Job, render_all, render_on_dask
from gradscenes.launch import QUALITIES

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCENES = ["GradientMap1D", "InsideOneStep", "InsideOneStepAdam"]


def run(runner: str, scenes: list[type], quality: str, processes: int) -> tuple[float, dict]:
    """Wall seconds of one gallery run, and frames per scene (None for a failed one)."""
    media = ROOT / "renders" / "bench" / f"gallery-{runner}"
    shutil.rmtree(media, ignore_errors=True)
    jobs = [Job.of(scene, quality, media) for scene in scenes]
    start = time.perf_counter()
    if runner == "dask":
        results = render_on_dask(jobs, processes, config=config_text())
    else:
        results = render_all(jobs, processes)
    seconds = time.perf_counter() - start
    return seconds, {r.job.scene: r.frames if r.ok else None for r in results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", "-q", default="l", choices=sorted(QUALITIES))
    parser.add_argument("--jobs", "-j", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("scenes", nargs="*", default=DEFAULT_SCENES)
    args = parser.parse_args()
    os.chdir(ROOT)  # the project's manim.cfg for both runners
    scenes = discover().select(args.scenes)
    load = os.getloadavg()[0]

    best: dict[str, tuple[float, dict]] = {}
    for _ in range(args.repeat):
        for runner in ("local", "dask"):
            seconds, frames = run(runner, scenes, args.quality, args.jobs)
            if runner not in best or seconds < best[runner][0]:
                best[runner] = (seconds, frames)
    local, dask = best["local"], best["dask"]
    assert local[1] == dask[1], f"frame counts differ: {local[1]} != {dask[1]}"

    names = ", ".join(f"{s.__name__} ({local[1][s.__name__]} frames)" for s in scenes)
    table = "\n".join([
        f"The gallery of {len(scenes)} scenes at -q{args.quality} ({QUALITIES[args.quality]}), "
        f"-j {args.jobs}, on {os.cpu_count()} cores (load average {load:.1f} before), "
        f"best of {args.repeat}: {names}",
        "",
        "| runner | processes | seconds | ratio |",
        "|---|---:|---:|---:|",
        f"| single machine: `manim` processes started here | {args.jobs} | {local[0]:.1f} | 1.00 |",
        f"| local Dask cluster: worker processes, clips sent back | {args.jobs} | {dask[0]:.1f} "
        f"| {local[0] / dask[0]:.2f} |",
        "",
        "Ratio: single-machine seconds / Dask seconds (above 1: Dask faster). The Dask time "
        "includes starting and stopping the cluster.",
        "",
    ])
    print(table)
    results = ROOT / "bench" / "results" / "gallery.md"
    results.parent.mkdir(exist_ok=True)
    results.write_text(table)


if __name__ == "__main__":
    main()
