"""Render every scene in ``scenes/`` into ``renders/``, in parallel processes.

Usage (from the repository root; ``make gallery`` calls this)::

    python tools/gallery.py [--quality l|m|h|k] [--jobs N] [SCENE_OR_MODULE ...]

A scene is a class defined in a module of ``scenes/`` that subclasses ``manim.Scene`` and
defines its own ``construct`` (base classes that only provide helpers are not rendered).
Each scene renders in its own ``manim`` process; its log goes to ``renders/logs/gallery/``.
A failing scene is reported with the tail of its error while the others go on; the exit
status is 0 only if every scene rendered.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import split_render
from split_render import QUALITIES

ROOT = Path(__file__).resolve().parent.parent
LOG_DIR = ROOT / "renders" / "logs" / "gallery"


@dataclass(frozen=True)
class Job:
    module: str
    scene: str
    quality: str

    @property
    def video(self) -> Path:
        folder = QUALITIES[self.quality]
        return ROOT / "renders" / "videos" / self.module / folder / f"{self.scene}.mp4"


@dataclass(frozen=True)
class Result:
    job: Job
    ok: bool
    seconds: float
    frames: int | None
    error: str


def discover(selection: list[str], quality: str) -> tuple[list[Job], list[Result]]:
    """Scenes of ``scenes/`` filtered by scene or module name.

    A module that fails to import is returned as a failed result, so the others still render.
    """
    sys.path.insert(0, str(ROOT))
    from scenes import scene_module_names, scenes_in

    jobs, broken = [], []
    for module in scene_module_names():
        try:
            classes = scenes_in(module)
        except Exception as error:  # report any import failure, render the rest
            if not selection or module in selection:
                broken.append(Result(Job(module, "<import>", quality), False, 0.0, None,
                                     f"{type(error).__name__}: {error}"))
            continue
        jobs += [Job(module, cls.__name__, quality) for cls in classes
                 if not selection or cls.__name__ in selection or module in selection]
    return jobs, broken


def count_frames(video: Path) -> int | None:
    """Number of frames of a rendered clip, read with PyAV (a Manim dependency)."""
    import av

    try:
        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            return stream.frames or sum(1 for _ in container.demux(stream) if _.size)
    except (OSError, av.error.FFmpegError, IndexError):
        return None


def render_split(job: Job, jobs: int) -> Result:
    """Render one scene with its animations split across ``jobs`` processes."""
    start = time.perf_counter()
    try:
        split_render.render_split(f"scenes/{job.module}.py", job.scene, job.quality, jobs,
                                  log_dir=LOG_DIR)
    except RuntimeError as error:
        return Result(job, False, time.perf_counter() - start, None, str(error))
    return Result(job, True, time.perf_counter() - start, count_frames(job.video), "")


def render(job: Job) -> Result:
    log = LOG_DIR / f"{job.module}.{job.scene}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable, "-m", "manim", "render", f"-q{job.quality}", "--progress_bar", "none",
        f"scenes/{job.module}.py", job.scene,
    ]
    start = time.perf_counter()
    with log.open("w") as out:
        proc = subprocess.run(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - start
    if proc.returncode != 0 or not job.video.exists():
        tail = log.read_text(errors="replace").strip().splitlines()[-15:]
        return Result(job, False, seconds, None, "\n".join(tail) + f"\n(full log: {log})")
    return Result(job, True, seconds, count_frames(job.video), "")


def print_table(results: list[Result]) -> None:
    rows = [("scene", "output file", "frames", "seconds")]
    for r in sorted(results, key=lambda r: (r.job.module, r.job.scene)):
        output = str(r.job.video.relative_to(ROOT)) if r.ok else "FAILED"
        frames = "" if r.frames is None else str(r.frames)
        rows.append((f"{r.job.module}.{r.job.scene}", output, frames, f"{r.seconds:.1f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(w) if j < 2 else cell.rjust(w)
                        for j, (cell, w) in enumerate(zip(row, widths))))
        if i == 0:
            print("  ".join("-" * w for w in widths))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", "-q", default="l", choices=sorted(QUALITIES))
    parser.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--split", action="store_true",
                        help="render scenes one at a time, each split across the jobs")
    parser.add_argument("names", nargs="*", help="scene classes or module names (default: all)")
    args = parser.parse_args(argv)

    jobs, results = discover(args.names, args.quality)
    for r in results:
        print(f"FAIL {r.job.module}: cannot import: {r.error}", flush=True)
    if not jobs and not results:
        print(f"gallery: no scene matches {args.names}", file=sys.stderr)
        return 2
    print(f"gallery: {len(jobs)} scenes at -q{args.quality} ({QUALITIES[args.quality]}), "
          f"{args.jobs} parallel jobs", flush=True)
    start = time.perf_counter()
    jobs_per_scene = max(1, args.jobs) if args.split else 1
    with ThreadPoolExecutor(max_workers=max(1, args.jobs // jobs_per_scene)) as pool:
        if args.split:
            futures = [pool.submit(render_split, job, jobs_per_scene) for job in jobs]
        else:
            futures = [pool.submit(render, job) for job in jobs]
        for done, future in enumerate(as_completed(futures), 1):
            r = future.result()
            results.append(r)
            status = "ok  " if r.ok else "FAIL"
            print(f"[{done}/{len(jobs)}] {status} {r.job.module}.{r.job.scene} ({r.seconds:.1f} s)",
                  flush=True)
            if not r.ok:
                print("    " + r.error.replace("\n", "\n    "), flush=True)
    print()
    print_table(results)
    failed = [r for r in results if not r.ok]
    total = time.perf_counter() - start
    print(f"\ngallery: {len(results) - len(failed)}/{len(results)} rendered in {total:.1f} s")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
