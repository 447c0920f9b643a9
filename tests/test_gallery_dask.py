"""``gradscenes gallery`` on Dask: a scheduler and two workers started by hand in a folder that
is not the repository (no ``manim.cfg`` there) render what the client asks, each job carrying
its configuration, and the clips and subtitles come back to the client's ``--media_dir``; a
split scene's pieces come back and are joined here; a failing job is reported with its log
tail (on the default local cluster)."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np
import pytest
import srt

from gradscenes.catalog import encode_scene
from gradscenes.distributed import RenderJob, config_text, module_name, render_job
from gradscenes.launch import project_config

ROOT = Path(__file__).resolve().parent.parent
DASK = str(Path(sys.executable).parent / "dask")
GRADSCENES = [sys.executable, "-m", "gradscenes"]
CLIPS = {"GradientMap1D": "gradient_maps", "InsideOneStep": "inside_one_step"}  # quick scenes
PROJECT_BACKGROUND = (15, 17, 23)  # manim.cfg's #0f1117; Manim's own default is black


def gallery(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([*GRADSCENES, "gallery", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=900)


def frames(video: Path) -> Iterator[np.ndarray]:
    """The clip's frames, decoded one at a time (as RGB ints)."""
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            yield frame.to_ndarray(format="rgb24").astype(int)


def count(video: Path) -> int:
    return sum(1 for _ in frames(video))


def cues(video: Path) -> list[srt.Subtitle]:
    return list(srt.parse(video.with_suffix(".srt").read_text()))


def clip(media: Path, scene: str) -> Path:
    return media / "videos" / CLIPS[scene] / "480p15" / f"{scene}.mp4"


@pytest.fixture
def scheduler(tmp_path_factory):
    """The address of a scheduler with two single-threaded workers, started as the README says
    (``dask scheduler``, ``dask worker tcp://...``) in a folder of their own."""
    from distributed import Client

    folder = tmp_path_factory.mktemp("dask-cluster")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    address = f"tcp://127.0.0.1:{port}"
    commands = [[DASK, "scheduler", "--port", str(port), "--dashboard-address", ":0"],
                *[[DASK, "worker", address, "--nthreads", "1"]] * 2]
    processes = []
    try:
        for index, command in enumerate(commands):
            with open(folder / f"process{index}.log", "w") as log:
                processes.append(subprocess.Popen(command, cwd=folder, stdout=log,
                                                  stderr=subprocess.STDOUT))
        with Client(address, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


# no render


def test_a_job_names_its_module_as_the_worker_imports_it_and_where_manim_writes_its_clip():
    assert module_name(ROOT / "scenes" / "bowl.py") == "scenes.bowl"
    assert module_name(ROOT / "gradscenes" / "custom.py") == "gradscenes.custom"
    job = RenderJob("scenes.bowl", "BowlDescent", "h", "")
    assert job.clip == "videos/bowl/1080p60/BowlDescent.mp4"


def test_the_job_takes_the_configuration_a_render_here_would_use(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no manim.cfg here: the project's
    assert config_text() == project_config().read_text()
    assert config_text(ROOT / "light.cfg") == (ROOT / "light.cfg").read_text()
    (tmp_path / "manim.cfg").write_text("[CLI]\nbackground_color = #123456\n")
    assert config_text() == "[CLI]\nbackground_color = #123456\n"


def test_an_unreachable_scheduler_is_one_line_and_exit_status_1(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    done = gallery("--scheduler", f"tcp://127.0.0.1:{port}", "GradientMap1D", cwd=tmp_path)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    (line,) = [line for line in done.stderr.splitlines() if "gradscenes gallery: error" in line]
    assert f"127.0.0.1:{port}" in line
    assert not (tmp_path / "renders").exists()


# renders


@pytest.mark.render
def test_a_customized_scene_travels_in_the_job_to_the_worker(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    spec = encode_scene("gradient_maps", "GradientMap2D", {"formula": "log(x - 10)"})
    done = render_job(RenderJob("gradscenes.custom", "GradientMap2D", "l", "", scene_spec=spec))
    assert not done.ok and done.clip is None
    assert "log(x - 10)" in done.log and "finite" in done.log, done.log[-2000:]


@pytest.mark.render
def test_workers_elsewhere_bring_back_clips_subtitles_and_the_pieces_of_a_split_scene(
        scheduler, tmp_path):
    # Whole scenes, the gallery called from a folder without a manim.cfg.
    done = gallery("--scheduler", scheduler, "--media_dir", "whole", *CLIPS, cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "on the Dask cluster at tcp://127.0.0.1:" in done.stdout
    assert re.search(r"^\[1/2\] ok +\w+\.\w+ \(\d+\.\d s\)$", done.stdout, re.M), done.stdout
    media = tmp_path / "whole"
    for scene in CLIPS:
        video = clip(media, scene)
        row = next(line for line in done.stdout.splitlines()
                   if line.startswith(f"{CLIPS[scene]}.{scene} "))
        output = f"whole/videos/{CLIPS[scene]}/480p15/{scene}.mp4"
        assert row.split()[1:3] == [output, str(count(video))]
        # the project's manim.cfg went with the job: the workers' folder has none
        corner = next(frames(video))[2, 2]
        assert np.abs(corner - PROJECT_BACKGROUND).max() <= 2, corner
        assert len(cues(video)) >= 3
        assert cues(video)[-1].end.total_seconds() <= count(video) / 15 + 1e-6
        assert (media / "logs" / "gallery" / f"{CLIPS[scene]}.{scene}.log").is_file()

    # One scene split in two ranges of animations, rendered by the two workers, joined here.
    done = gallery("--scheduler", scheduler, "--split", "-j", "2", "--media_dir", "split",
                   "GradientMap1D", cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "each scene split in 2" in done.stdout
    media = tmp_path / "split"
    work = media / "split" / "gradient_maps.GradientMap1D"
    pieces = sorted(work.glob("part*/videos/*/*/*.mp4"))
    assert len(pieces) == 2
    joined, single = clip(media, "GradientMap1D"), clip(tmp_path / "whole", "GradientMap1D")
    assert count(joined) == sum(count(p) for p in pieces) == count(single)
    worst = max(np.abs(a - b).mean() / 255 for a, b in zip(frames(single), frames(joined)))
    assert worst < 0.02, f"frames differ by {worst:.2%} of full scale"
    assert [c.content for c in cues(joined)] == [c.content for c in cues(single)]
    for a, b in zip(cues(joined), cues(single)):
        assert abs((a.start - b.start).total_seconds()) <= 0.2, (a, b)
    for index in (0, 1):
        assert (media / "logs" / "gallery" / f"{work.name}.part{index}.log").is_file()


@pytest.mark.render
def test_a_failing_job_is_reported_with_its_log_tail_and_tried_once_more(tmp_path):
    (tmp_path / "broken.cfg").write_text("[CLI]\nframe_rate = fast\n")
    done = gallery("-j", "2", "-c", "broken.cfg", "--media_dir", "out", "GradientMap1D",
                   cwd=tmp_path)  # the default: a local cluster of 2 worker processes
    assert done.returncode == 1, done.stdout + done.stderr
    assert "on a local Dask cluster of 2 worker processes" in done.stdout
    log = Path("out/logs/gallery/gradient_maps.GradientMap1D.log")
    for counter in ("1/1", "again"):
        report = done.stdout.split(f"[{counter}] FAIL gradient_maps.GradientMap1D")[1]
        tail = report.split("\n[")[0]
        assert "ValueError: could not convert string to float: 'fast'" in tail
        assert f"(full log: {log})" in tail
    assert "could not convert string to float" in (tmp_path / log).read_text()
    assert re.search(r"^gradient_maps\.GradientMap1D +FAILED", done.stdout, re.M)
    assert "gallery: 0/1 rendered" in done.stdout
