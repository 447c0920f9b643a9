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
