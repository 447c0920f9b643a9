"""Render many scenes of the collection in parallel processes and report them in a table.

``gradscenes gallery`` (what ``make gallery`` runs) renders each scene in its own ``manim``
process, or with ``--split`` one scene at a time across the processes
(:func:`gradscenes.split.render_split`). Each scene's log goes to
``<media_dir>/logs/gallery/``. A failing scene is reported with the tail of its log while the
others go on, and tried once more, alone, after them: processes that start at once in a fresh
media folder can race in Manim's shared LaTeX cache (two of them compiling the same formula,
one reading the other's half-written file). The table at the end gives scene, output file,
frames and seconds.
"""

from __future__ import annotations

import inspect
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from gradscenes.launch import QUALITIES, manim_command, shown
from gradscenes.split import render_split

__all__ = ["Job", "Result", "count_frames", "render", "render_all", "table"]


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
            tail = job.log.read_text(errors="replace").strip().splitlines()[-15:]
            return Result(job, False, time.perf_counter() - start, None,
                          "\n".join(tail) + f"\n(full log: {job.log})")
    return Result(job, True, time.perf_counter() - start, count_frames(job.video), "")


def render_all(jobs: list[Job], processes: int, split: bool = False) -> list[Result]:
    """Render ``jobs`` on ``processes`` processes, printing one line per finished scene; with
    ``split``, one scene at a time with its animations split across the processes."""
    per_scene = processes if split else 1
    results = []
    with ThreadPoolExecutor(max_workers=max(1, processes // per_scene)) as pool:
        futures = [pool.submit(render, job, per_scene) for job in jobs]
        for done, future in enumerate(as_completed(futures), 1):
            results.append(_report(future.result(), f"{done}/{len(jobs)}"))
    failed = [r for r in results if not r.ok]
    for r in failed:  # once more, alone (see the module's docstring)
        results[results.index(r)] = _report(render(r.job, per_scene), "again")
    return results


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
