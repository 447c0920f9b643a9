"""Render many scenes of the collection in parallel processes and report them in a table.

``gradscenes gallery`` (what ``make gallery`` runs) hands its render jobs to a Dask cluster
(:func:`render_on_dask`, :mod:`gradscenes.distributed`): a local one of ``--jobs`` worker
processes, or with ``--scheduler`` the workers of a cluster on other machines. Each scene is
rendered in its own ``manim`` process, or with ``--split`` as contiguous ranges of its
animations, joined into one clip. :func:`render_all` with :func:`render` is the same without
Dask, on this machine (``manim`` processes, :func:`gradscenes.split.render_split`).

Each scene's log goes to ``<media_dir>/logs/gallery/``. A failing scene is reported with the
tail of its log while the others go on, and tried once more, alone, after them: processes that
start at once in a fresh media folder can race in Manim's shared LaTeX cache (two of them
compiling the same formula, one reading the other's half-written file). The table at the end
gives scene, output file, frames and seconds.
"""

from __future__ import annotations

import inspect
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from gradscenes.launch import QUALITIES, manim_command, shown
from gradscenes.split import render_split

__all__ = ["Job", "Result", "count_frames", "log_tail", "render", "render_all", "render_on_dask",
           "table"]


@dataclass(frozen=True)
class Job:
    """One scene to render: its class name, the file that defines it, quality and media folder."""

    scene: str
    module_file: Path
    quality: str
    media_dir: Path

    @classmethod
    def of(cls, scene: type, quality: str, media_dir: Path) -> Job:
        return cls(scene.__name__, Path(inspect.getfile(scene)), quality, media_dir)

    @property
    def name(self) -> str:
        return f"{self.module_file.stem}.{self.scene}"

    @property
    def video(self) -> Path:
        return (self.media_dir / "videos" / self.module_file.stem / QUALITIES[self.quality]
                / f"{self.scene}.mp4")

    @property
    def log(self) -> Path:
        return self.media_dir / "logs" / "gallery" / f"{self.name}.log"


@dataclass(frozen=True)
class Result:
    job: Job
    ok: bool
    seconds: float
    frames: int | None
    error: str


def count_frames(video: Path) -> int | None:
    """Number of frames of a rendered clip, read with PyAV (a Manim dependency)."""
    import av

    try:
        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            return stream.frames or sum(1 for _ in container.demux(stream) if _.size)
    except (OSError, av.error.FFmpegError, IndexError):
        return None


def log_tail(log: Path, lines: int = 15) -> str:
    """The last ``lines`` lines of the log file ``log``, and where the full log is."""
    tail = log.read_text(errors="replace").strip().splitlines()[-lines:]
    return "\n".join(tail) + f"\n(full log: {log})"


def render(job: Job, split_jobs: int = 1) -> Result:
    """Render ``job`` in one ``manim`` process, or split across ``split_jobs`` processes."""
    job.log.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    if split_jobs > 1:
        try:
            render_split(job.module_file, job.scene, job.quality, split_jobs, job.media_dir,
                         log_dir=job.log.parent)
        except RuntimeError as error:
            return Result(job, False, time.perf_counter() - start, None, str(error))
    else:
        options = [f"-q{job.quality}", "--progress_bar", "none", "--media_dir", str(job.media_dir)]
        with job.log.open("w") as out:
            proc = subprocess.run(manim_command(job.module_file, job.scene, options), stdout=out,
                                  stderr=subprocess.STDOUT)
        if proc.returncode != 0 or not job.video.exists():
            return Result(job, False, time.perf_counter() - start, None, log_tail(job.log))
    return Result(job, True, time.perf_counter() - start, count_frames(job.video), "")


def render_all(jobs: list[Job], processes: int, split: bool = False,
               renderer: Callable[[Job, int], Result] | None = None,
               slots: int | None = None) -> list[Result]:
    """Render ``jobs`` on ``processes`` processes, printing one line per finished scene; with
    ``split``, each scene with its animations split across ``processes`` processes.

    ``renderer(job, split_jobs)`` renders one scene (default :func:`render`, here);
    ``slots`` processes render at once (default ``processes``): a scene at a time per slot, or
    with ``split`` one per ``processes`` slots.
    """
    run = renderer or render
    per_scene = processes if split else 1
    results = []
    with ThreadPoolExecutor(max_workers=max(1, (slots or processes) // per_scene)) as pool:
        futures = [pool.submit(run, job, per_scene) for job in jobs]
        for done, future in enumerate(as_completed(futures), 1):
            results.append(_report(future.result(), f"{done}/{len(jobs)}"))
    failed = [r for r in results if not r.ok]
    for r in failed:  # once more, alone (see the module's docstring)
        results[results.index(r)] = _report(run(r.job, per_scene), "again")
    return results


def render_on_dask(jobs: list[Job], processes: int, split: bool = False,
                   scheduler: str | None = None, config: str = "") -> list[Result]:
    """:func:`render_all` on a Dask cluster: a local one of ``processes`` worker processes, or
    the workers of the scheduler at ``scheduler`` (``tcp://host:8786``), every thread of them
    a slot; ``config`` is the text of the manim configuration to render with (see
    :func:`gradscenes.distributed.config_text`). Prints first a line that says what renders
    where.

    Raises ``OSError`` when the scheduler cannot be reached or has no worker.
    """
    from gradscenes.distributed import DaskRenderer

    if not jobs:
        return []
    quality = jobs[0].quality
    split_in = f", each scene split in {processes}" if split else ""
    with DaskRenderer.connect(scheduler, processes, config) as renderer:
        print(f"gallery: {len(jobs)} scenes at -q{quality} ({QUALITIES[quality]}), "
              f"{renderer.slots} parallel jobs{split_in}, on {renderer.where}", flush=True)
        return render_all(jobs, processes, split, renderer, renderer.slots)


def _report(r: Result, counter: str) -> Result:
    """Print one line for a finished scene (and the tail of its log when it failed)."""
    status = "ok  " if r.ok else "FAIL"
    print(f"[{counter}] {status} {r.job.name} ({r.seconds:.1f} s)", flush=True)
    if not r.ok:
        print("    " + r.error.replace("\n", "\n    "), flush=True)
    return r


def table(results: list[Result]) -> str:
    """The results as a text table: scene, output file, frames, seconds."""
    rows = [("scene", "output file", "frames", "seconds")]
    for r in sorted(results, key=lambda r: r.job.name):
        output = shown(r.job.video) if r.ok else "FAILED"
        frames = "" if r.frames is None else str(r.frames)
        rows.append((r.job.name, output, frames, f"{r.seconds:.1f}"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = ["  ".join(cell.ljust(w) if j < 2 else cell.rjust(w)
                       for j, (cell, w) in enumerate(zip(row, widths))) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
