"""Formulas typeset ahead in one LaTeX run (scenes/kit/tex_ahead.py)."""

from __future__ import annotations

import numpy as np
import pytest
from manim import MathTex, config, tempconfig
from manim.mobject.text import tex_mobject
from manim.utils import tex_file_writing

from scenes import scene_module_names, scenes_in
from scenes.kit import tex_ahead
from scenes.kit.tex_ahead import listed_formulas, tex_code, typeset_ahead

FORMULAS = [r"x_{k+1} = x_k - \eta \nabla f(x_k)", r"\text{Adam}", r"\eta = 0.0398", r"{10^{-4}}"]


def _points(formula: MathTex) -> np.ndarray:
    return np.concatenate([glyph.points for glyph in formula.family_members_with_points()])


def _no_single_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("a formula was typeset on its own")

    monkeypatch.setattr(tex_file_writing, "compile_tex", refuse)


def _made(formulas: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[list[np.ndarray], list[tuple[str, str]]]:
    """The points of ``MathTex(f)`` for each formula, and what each handed to LaTeX."""
    handed, typeset = [], tex_mobject.tex_to_svg_file

    def recording(expression, environment=None, tex_template=None):  # noqa: ANN001, ANN202
        handed.append((expression, environment))
        return typeset(expression, environment, tex_template)

    monkeypatch.setattr(tex_mobject, "tex_to_svg_file", recording)
    points = [_points(MathTex(f)) for f in formulas]
    monkeypatch.setattr(tex_mobject, "tex_to_svg_file", typeset)
    return points, handed


def test_formulas_typeset_ahead_are_the_drawings_typeset_alone(tmp_path, monkeypatch):
    with tempconfig({"media_dir": str(tmp_path / "alone")}):
        alone, handed = _made(FORMULAS, monkeypatch)
    with tempconfig({"media_dir": str(tmp_path / "ahead")}):
        assert typeset_ahead(handed) == len(FORMULAS)
        assert typeset_ahead(handed) == 0  # all cached now
        _no_single_runs(monkeypatch)
        ahead = [_points(MathTex(f)) for f in FORMULAS]
    for one, other in zip(alone, ahead):
        np.testing.assert_allclose(one, other, atol=1e-12)


def test_a_formula_made_while_the_listed_ones_are_typeset_waits_for_them(tmp_path, monkeypatch):
    """typeset_listed returns at once, its run on a thread holding the LaTeX lock: a formula
    made meanwhile is read from the run's pages, not typeset alone."""
    with tempconfig({"media_dir": str(tmp_path / "alone")}):
        _, handed = _made(FORMULAS, monkeypatch)
    monkeypatch.setattr(tex_ahead, "listed_formulas", lambda scene: handed)
    with tempconfig({"media_dir": str(tmp_path / "ahead")}):
        typeset = tex_ahead.typeset_listed(object)
        _no_single_runs(monkeypatch)
        made = MathTex(FORMULAS[0])
        assert typeset.done() and typeset.result() == len(FORMULAS)
    assert len(made.family_members_with_points()) > 5


def test_a_batch_that_does_not_compile_leaves_each_formula_to_its_own_run(tmp_path):
    broken = [(r"\frac{1}{", "align*"), (r"\text{fine}", "align*")]
    with tempconfig({"media_dir": str(tmp_path)}):
        assert typeset_ahead(broken) == 0
        tex_dir = tmp_path / "Tex"
        assert not list(tex_dir.glob("*.svg")) and not list(tex_dir.glob("batch-*"))
        assert len(MathTex(r"\text{fine}")) == 1  # typeset alone, as before


def test_one_missing_formula_is_left_to_its_own_run(tmp_path):
    with tempconfig({"media_dir": str(tmp_path)}):
        assert typeset_ahead([(FORMULAS[0], "align*")]) == 0


def test_a_template_other_than_latex_to_dvi_is_not_batched(tmp_path):
    from manim import TexTemplate

    template = TexTemplate(tex_compiler="xelatex", output_format=".xdv")
    with tempconfig({"media_dir": str(tmp_path)}):
        assert typeset_ahead([(f, "align*") for f in FORMULAS], template) == 0


def test_every_scene_has_a_list_and_subclasses_take_their_parents(monkeypatch):
    scenes = {cls.__name__: cls for module in scene_module_names() for cls in scenes_in(module)}
    manifest = tex_ahead._manifest()
    assert set(manifest) == set(scenes), "run tools/formulas.py after adding or renaming a scene"
    assert all(manifest[name] for name in scenes)

    class MyRace(scenes["OptimizerRace"]):
        pass

    assert listed_formulas(MyRace) == listed_formulas(scenes["OptimizerRace"])
    codes = {tex_code(e, env, config.tex_template) for e, env in listed_formulas(MyRace)}
    assert len(codes) == len(manifest["OptimizerRace"])
