"""tools/formula.py: a formula string renders through the collection's scenes, and a bad one
stops with the parser's message before anything renders."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
TOOL = [sys.executable, str(ROOT / "tools" / "formula.py")]


@pytest.mark.parametrize(
    "formula, message",
    [("__import__('os').system('true')", "attribute access"), ("x +", "x +"),
     ("foo(x)", "foo")],
)
def test_bad_formula_stops_before_rendering(formula, message, tmp_path):
    done = subprocess.run([*TOOL, formula, "GradientMap2D", "-ql", "--media_dir", str(tmp_path)],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 2
    assert "cannot use" in done.stderr and message in done.stderr
    assert not any(tmp_path.iterdir()), "something rendered despite the bad formula"


def test_scene_without_a_surface_is_refused(tmp_path):
    done = subprocess.run([*TOOL, "x*y", "GradientMap1D", "-ql"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 2 and "cannot take a formula" in done.stderr


@pytest.mark.render
def test_formula_renders_gradient_map_with_its_latex(tmp_path):
    formula = "x**2 - y**2 + 0.3*x*y"
    done = subprocess.run(
        [*TOOL, formula, "GradientMap2D", "-s", "-ql", "--progress_bar", "none",
         "--media_dir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    (still,) = (tmp_path / "images" / "formula_scenes").glob("GradientMap2D*.png")
    pixels = np.asarray(Image.open(still).convert("L"), dtype=float)
    assert pixels.std() > 10

    sys.path.insert(0, str(ROOT / "renders"))
    import formula_scenes
    from gradcore import from_expression, get_surface

    assert formula_scenes.GradientMap2D.surface_name == "formula"
    assert get_surface("formula").latex == from_expression(formula).latex
