"""The gallery's render jobs on a Dask cluster: a local one, or workers on other machines.

``gradscenes gallery`` hands every render to :mod:`dask.distributed`
(:func:`gradscenes.gallery.render_on_dask`): by default to a ``LocalCluster`` of ``--jobs``
worker processes with one thread each, with ``--scheduler ADDRESS`` to the workers of a
cluster started with ``dask scheduler`` and ``dask worker ADDRESS``. A worker needs only the
installed package (``pip install -e .``), and no file system is shared:

- a :class:`RenderJob` carries all that the render depends on: the scene's module and class,
  the quality, the text of the manim configuration (the theme is its ``background_color``), a
  customized scene's ``GRADSCENES_SCENE`` value (:mod:`gradscenes.custom`) and, for a piece
  of a split scene, its range of animations;
- on a worker, :func:`render_job` writes that configuration into a temporary folder of its
  own, runs ``manim`` there, and returns the clip, its ``.srt`` subtitles and the log as bytes
  (:class:`Rendered`); :func:`plan_job` plans a split scene
  (:func:`gradscenes.split.plan_durations`);
- on the client, :class:`DaskRenderer` writes them where a render here would have: the clip
  and subtitles under the client's media folder, the log in ``<media_dir>/logs/gallery/``;
  the pieces of a split scene under ``<media_dir>/split/``, joined with
  :func:`gradscenes.split.join_videos`.

A worker keeps Manim's LaTeX and text caches in its Dask scratch folder for its next jobs, so
the pieces of a scene compile its formulas once per worker (under the lock of
:mod:`scenes.kit.tex`). Settings in the configuration that name other files (a TeX template)
must name files that exist on the workers.
"""

from __future__ import annotations

import configparser
import importlib.util
import io
import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from gradscenes.catalog import SCENE_VARIABLE
from gradscenes.gallery import Job, Result, count_frames, log_tail
from gradscenes.launch import QUALITIES, config_options, option_value
from gradscenes.split import join_videos, plan_durations, split_ranges

__all__ = ["DaskRenderer", "RenderJob", "Rendered", "config_text", "module_name", "plan_job",
           "render_job"]

CONNECT_TIMEOUT = 20
"""Seconds to reach a scheduler given with ``--scheduler``, and again for its first worker."""


@dataclass(frozen=True)
class RenderJob:
    """What a worker renders: everything it depends on, as data.

    Parameters
    ----------
    module
        The scene's module as the worker imports it, e.g. ``"scenes.bowl"``
        (``"gradscenes.custom"`` for a customized scene).
    scene
        The scene class.
    quality
        Manim's quality letter (``l``, ``m``, ``h``, ``p``, ``k``).
    config
        The text of the manim configuration to render with.
    animations
        ``(first, last)``: only these animations (``manim -n first,last``); ``None``: all.
    scene_spec
        The value of ``GRADSCENES_SCENE`` for a customized scene, else ``None``.
    """

    module: str
    scene: str
    quality: str
    config: str
    animations: tuple[int, int] | None = None
    scene_spec: str | None = None

    @property
    def clip(self) -> str:
        """Where Manim writes the clip, below its media folder."""
        return f"videos/{self.module.rpartition('.')[2]}/{QUALITIES[self.quality]}/{self.scene}.mp4"


@dataclass(frozen=True)
class Rendered:
    """What a worker sends back: whether it rendered, manim's log, the clip and subtitles."""

    ok: bool
    log: str
    clip: bytes | None = None
    subtitles: bytes | None = None


# on a worker


def _module_file(module: str) -> str:
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.origin:
        raise ModuleNotFoundError(f"No module named {module!r}")
    return spec.origin


def _environment(job: RenderJob) -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k != SCENE_VARIABLE}
    if job.scene_spec is not None:
        environment[SCENE_VARIABLE] = job.scene_spec
    return environment


def _with_worker_caches(config: str) -> str:
    """``config`` with Manim's LaTeX and text caches in this Dask worker's scratch folder (kept
    for its next jobs); unchanged outside a worker."""
    from distributed import get_worker

    try:
        cache = Path(get_worker().local_directory) / "gradscenes-cache"
    except ValueError:  # not on a Dask worker
        return config
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(config)
    except configparser.Error:  # manim says what is wrong, in the log
        return config
    if not parser.has_section("CLI"):
        parser.add_section("CLI")
    parser["CLI"]["tex_dir"] = str(cache / "Tex")
    parser["CLI"]["text_dir"] = str(cache / "texts")
    text = io.StringIO()
    parser.write(text)
    return text.getvalue()


def render_job(job: RenderJob) -> Rendered:
    """Render ``job`` with ``manim`` in a temporary folder; what it made, as bytes."""
    try:
        module_file = _module_file(job.module)
    except ModuleNotFoundError as error:
        return Rendered(False, f"{error} on the worker (Python {sys.executable}): install "
                               "gradscenes there, e.g. pip install -e .")
    with tempfile.TemporaryDirectory(prefix="gradscenes-job-") as folder:
        folder = Path(folder)
        (folder / "manim.cfg").write_text(_with_worker_caches(job.config))
        media = folder / "media"
        command = [sys.executable, "-m", "manim", "render", "--config_file", "manim.cfg",
                   f"-q{job.quality}", "--progress_bar", "none", "--media_dir", str(media)]
        if job.animations is not None:
            command += ["-n", "{},{}".format(*job.animations)]
        done = subprocess.run([*command, module_file, job.scene], cwd=folder,
                              env=_environment(job), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, errors="replace")
        clip = media / job.clip
        subtitles = clip.with_suffix(".srt")
        return Rendered(done.returncode == 0 and clip.is_file(), done.stdout,
                        clip.read_bytes() if clip.is_file() else None,
                        subtitles.read_bytes() if subtitles.is_file() else None)


def plan_job(job: RenderJob) -> list[float]:
    """The run time of each animation of ``job``'s scene (``RuntimeError`` if it fails)."""
    return plan_durations(_module_file(job.module), job.scene, env=_environment(job))


# on the client


def config_text(config_file: str | Path | None = None) -> str:
    """The text of the configuration a render here would use: ``config_file``, else the
    working directory's ``manim.cfg``, else the project's (:mod:`gradscenes.launch`); empty
    where there is none (Manim's defaults)."""
    options = ["--config_file", str(config_file)] if config_file else []
    path = option_value([*config_options(options), *options], "--config_file")
    if path is None and Path("manim.cfg").is_file():
        path = "manim.cfg"
    return Path(path).read_text() if path else ""


def module_name(module_file: Path | str) -> str:
    """The name under which a module file is imported: ``scenes/bowl.py`` -> ``scenes.bowl``
    (the folders above it with an ``__init__.py`` are its packages)."""
    path = Path(module_file).resolve()
    parts, folder = [path.stem], path.parent
    while (folder / "__init__.py").is_file():
        parts.insert(0, folder.name)
        folder = folder.parent
    return ".".join(parts)


def _keep(done: Rendered, video: Path, log: Path) -> None:
    """Write what a worker sent back: the clip to ``video``, the subtitles beside it, the log."""
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text(done.log)
    for data, path in ((done.clip, video), (done.subtitles, video.with_suffix(".srt"))):
        if data is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)


class DaskRenderer:
    """Renders :class:`gradscenes.gallery.Job` s on the workers of a Dask ``client``, each with
    the manim configuration ``config`` (its text): a renderer for
    :func:`gradscenes.gallery.render_all`, as :func:`gradscenes.gallery.render` is here.

    ``where`` says which cluster, for the gallery's first line.
    """

    def __init__(self, client: Any, config: str, where: str) -> None:
        self.client, self.config, self.where = client, config, where

    @classmethod
    @contextmanager
    def connect(cls, scheduler: str | None, processes: int, config: str) -> Iterator[DaskRenderer]:
        """A renderer on the cluster of ``scheduler``, or on a local cluster of ``processes``
        worker processes; both closed (the local one stopped) on leaving the block."""
        from distributed import Client, LocalCluster

        if scheduler is None:
            logger = logging.getLogger("distributed")  # its scheduler and nannies run here
            level = logger.level
            logger.setLevel(logging.WARNING)
            try:  # its dashboard on any free port: several galleries may run at once
                with LocalCluster(n_workers=processes, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, Client(cluster) as client:
                    yield cls(client, config, f"a local Dask cluster of {processes} worker "
                                              "processes")
            finally:
                logger.setLevel(level)
            return
        with Client(scheduler, timeout=CONNECT_TIMEOUT) as client:
            try:
                client.wait_for_workers(1, timeout=CONNECT_TIMEOUT)
            except TimeoutError:
                raise OSError(f"no worker joined the scheduler at {scheduler} in {CONNECT_TIMEOUT}"
                              f" s; start one with `dask worker {scheduler}`") from None
            workers = len(client.nthreads())
            yield cls(client, config, f"the Dask cluster at {scheduler} ({workers} worker"
                                      f"{'s' if workers > 1 else ''})")

    @property
    def slots(self) -> int:
        """How many jobs the cluster's workers run at once (their threads)."""
        return sum(self.client.nthreads().values())

    def __call__(self, job: Job, split_jobs: int = 1) -> Result:
        """Render ``job`` on the cluster, or its animations in ``split_jobs`` ranges joined here."""
        start = time.perf_counter()
        spec = RenderJob(module_name(job.module_file), job.scene, job.quality, self.config)
        try:
            if split_jobs > 1:
                self._split(job, spec, split_jobs)
            else:
                done = self.client.submit(render_job, spec, pure=False).result()
                _keep(done, job.video, job.log)
                if not done.ok:
                    raise RuntimeError(log_tail(job.log))
        except Exception as error:  # a failed job (or a worker lost): the others go on
            message = str(error) if isinstance(error, RuntimeError) else repr(error)
            return Result(job, False, time.perf_counter() - start, None, message)
        return Result(job, True, time.perf_counter() - start, count_frames(job.video), "")

    def _split(self, job: Job, spec: RenderJob, parts: int) -> None:
        """Plan on a worker, render the ranges on the workers, join the pieces here."""
        ranges = split_ranges(self.client.submit(plan_job, spec, pure=False).result(), parts)
        futures = [self.client.submit(render_job, replace(spec, animations=r), pure=False)
                   for r in ranges]
        work = job.media_dir / "split" / job.name
        shutil.rmtree(work, ignore_errors=True)
        pieces = []
        for index, ((first, last), future) in enumerate(zip(ranges, futures)):
            done = future.result()
            piece = work / f"part{index}" / spec.clip
            log = job.log.parent / f"{job.name}.part{index}.log"
            _keep(done, piece, log)
            if not done.ok:
                self.client.cancel(futures)
                raise RuntimeError(f"animations {first}..{last} failed:\n{log_tail(log)}")
            pieces.append(piece)
        join_videos(pieces, job.video)
        # The last piece ran the scene to its end on the scene's clock: it has every cue.
        subtitles = pieces[-1].with_suffix(".srt")
        if subtitles.is_file():
            shutil.copyfile(subtitles, job.video.with_suffix(".srt"))
