"""LaTeX compiled by processes side by side into one media folder: none loses a formula; a
copied formula shares only the parsed SVG paths its glyphs were made from."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
from manim import RIGHT, MathTex

import scenes.kit  # noqa: F401  (copies share parsed paths)

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


def test_a_copied_formula_shares_only_its_parsed_svg_paths():
    formula = MathTex(r"f(x, y) = x^2 + \sin(x y)")
    copied = formula.copy()
    for glyph, twin in zip(formula.family_members_with_points(), copied.family_members_with_points(), strict=True):
        assert twin is not glyph and twin.path_obj is glyph.path_obj
        np.testing.assert_array_equal(twin.points, glyph.points)
        assert twin.points is not glyph.points and twin.fill_rgbas is not glyph.fill_rgbas
    copied.shift(RIGHT).set_color("#ff0000")
    assert not np.array_equal(formula[0][0].points, copied[0][0].points)
    assert formula[0][0].get_fill_color() != copied[0][0].get_fill_color()


def test_a_text_writes_its_svg_under_the_lock(monkeypatch, tmp_path):
    """While ``Text`` writes its SVG, the media folder's lock is held: another process that
    takes it (to read that SVG) waits until the file is whole."""
    import fcntl

    import manimpango
    from manim import Text, config

    monkeypatch.setattr(config, "media_dir", str(tmp_path))
    write = manimpango.text2svg
    held = []

    def writing(*args, **kwargs):
        with open(Path(config.get_dir("tex_dir")).parent / "tex.lock", "a") as other:  # another open file: as another process
            try:
                fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                held.append(True)
            else:
                fcntl.flock(other, fcntl.LOCK_UN)
                held.append(False)
        return write(*args, **kwargs)

    monkeypatch.setattr(manimpango, "text2svg", writing)
    Text(f"locked {uuid.uuid4().hex[:6]}")  # not in any cache yet
    assert held == [True]
