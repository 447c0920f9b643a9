"""LaTeX compiled by processes side by side into one media folder: none loses a formula."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

COMPILE = """
import sys
from manim import MathTex, config
import scenes.kit  # installs the locked compile
config.media_dir = sys.argv[1]
for k in range(int(sys.argv[3])):
    MathTex(rf"x^{{{k}}} + \\\\text{{{sys.argv[2]}}}")
print("ok")
"""


def test_parallel_processes_compile_the_same_formulas_into_one_media_folder(tmp_path):
    tag = uuid.uuid4().hex[:8]  # formulas no cache holds yet
    command = [sys.executable, "-c", COMPILE, str(tmp_path), tag, "6"]
    runs = [subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(3)]  # fmt: skip
    results = [run.communicate(timeout=300) for run in runs]
    for run, (out, err) in zip(runs, results):
        assert run.returncode == 0 and out.strip().endswith("ok"), err[-2000:]
    assert len(list((tmp_path / "Tex").glob("*.svg"))) == 6
