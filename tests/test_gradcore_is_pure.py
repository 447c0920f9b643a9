from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import importlib, pkgutil, sys
import gradcore
for module in pkgutil.iter_modules(gradcore.__path__):
    importlib.import_module(f"gradcore.{module.name}")
print(sorted(name for name in sys.modules if name.split(".")[0] in ("manim", "manimlib", "manim_slides")))
"""


def test_importing_gradcore_does_not_import_manim():
    result = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_sympy_is_loaded_for_a_formula_only():
    """Parsing formulas needs sympy, about half a second to import: a scene of a surface given
    by name starts without it, and a formula loads it."""
    script = """
import sys
import gradcore, scenes.bowl, scenes.gradient_maps
from scenes.bowl import gradient_tex
print("sympy" in sys.modules, gradient_tex(gradcore.get_surface("bowl")))
print(gradient_tex(gradcore.from_expression("x * y")), "sympy" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    by_name, formula = result.stdout.strip().splitlines()
    assert by_name == r"False \nabla f = \left(2 x,\ 2 y\right)"
    assert formula == r"\nabla f = \left(y,\ x\right) True"
