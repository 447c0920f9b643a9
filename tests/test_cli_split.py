"""Split rendering (``gradscenes split``, :mod:`gradscenes.split`): ranges cover every animation
once, and a scene rendered on two processes and joined equals the scene rendered on one, frame
for frame."""

from __future__ import annotations

import subprocess
from pathlib import Path

import av
import numpy as np
import pytest

from gradscenes.launch import manim_command
from gradscenes.split import plan_durations, render_split, split_ranges

DEMO = Path(__file__).resolve().parent / "data" / "split_demo.py"


@pytest.mark.parametrize("parts", [1, 2, 3, 7])
def test_split_ranges_cover_each_animation_once_in_order(parts):
    durations = [2.0, 0.5, 0.5, 3.0, 1.0, 1.0]
    ranges = split_ranges(durations, parts)
    assert len(ranges) == min(parts, len(durations))
    covered = [i for first, last in ranges for i in range(first, last + 1)]
    assert covered == list(range(len(durations)))


def test_split_ranges_balance_run_time():
    ranges = split_ranges([1.0] * 10, 2)
    assert ranges == [(0, 4), (5, 9)]


def frames(video: Path) -> list[np.ndarray]:
    with av.open(str(video)) as container:
        return [f.to_ndarray(format="rgb24").astype(int) for f in container.decode(video=0)]


@pytest.mark.render
def test_split_render_joins_to_the_same_frames_as_one_process(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # nothing may depend on running from the repository root
    assert plan_durations(DEMO, "SplitDemo") == [0.5, 1.0, 1.0, 0.5, 1.0]
    joined = render_split(DEMO, "SplitDemo", "l", jobs=2, media_dir=tmp_path / "split")
    assert joined == tmp_path / "split" / "videos" / "split_demo" / "480p15" / "SplitDemo.mp4"
    subprocess.run(manim_command(DEMO, "SplitDemo", ["-ql", "--progress_bar", "none",
                                                     "--media_dir", str(tmp_path / "one")]),
                   check=True, capture_output=True)
    single = frames(tmp_path / "one" / "videos" / "split_demo" / "480p15" / "SplitDemo.mp4")
    split = frames(joined)
    assert len(split) == len(single), (len(split), len(single))
    worst = max(np.abs(a - b).mean() / 255 for a, b in zip(single, split))
    assert worst < 0.02, f"frames differ by {worst:.2%} of full scale"
