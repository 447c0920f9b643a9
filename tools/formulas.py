"""Write scenes/formulas.json: the formulas each scene of the collection makes at its defaults.

Usage, from the repository root::

    .venv/bin/python tools/formulas.py

Runs every scene's storyboard without writing frames (Manim's dry run, at low quality), two
at a time, each in a fresh process (module-level caches would hide formulas), and records every
formula handed to LaTeX. Rerun it after changing what a scene writes on screen: a formula missing
from the list is typeset on its own when it is made (about 0.2 s), a listed one no longer made
costs a page of the batch.
"""

from __future__ import annotations

import json
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def formulas_of(module: str, name: str) -> list[list[str | None]]:
    """Every (expression, environment) the scene ``module.name`` typesets, in first-made order."""
    import importlib

    from manim import config, tempconfig
    from manim.mobject.text import tex_mobject

    made: dict[tuple[str, str | None], None] = {}
    typeset = tex_mobject.tex_to_svg_file

    def recording(expression: str, environment: str | None = None, tex_template=None):  # noqa: ANN001, ANN202
        made.setdefault((expression, environment), None)
        return typeset(expression, environment, tex_template)

    tex_mobject.tex_to_svg_file = recording
    config.digest_file(str(ROOT / "manim.cfg"))
    with tempfile.TemporaryDirectory() as media, tempconfig(
        {"quality": "low_quality", "dry_run": True, "disable_caching": True, "media_dir": media,
         "progress_bar": "none", "verbosity": "ERROR"}
    ):  # fmt: skip
        getattr(importlib.import_module(f"scenes.{module}"), name)().render()
    return [list(pair) for pair in made]


def main() -> None:
    from scenes import scene_module_names, scenes_in
    from scenes.kit.tex_ahead import FORMULAS

    jobs = [(module, cls.__name__) for module in scene_module_names() for cls in scenes_in(module)]
    with ProcessPoolExecutor(max_workers=2, max_tasks_per_child=1) as pool:
        lists = pool.map(formulas_of, *zip(*jobs))
        manifest = {name: formulas for (_, name), formulas in zip(jobs, lists)}
    FORMULAS.write_text(json.dumps(dict(sorted(manifest.items())), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{FORMULAS.relative_to(ROOT)}: {sum(map(len, manifest.values()))} formulas of {len(manifest)} scenes")


if __name__ == "__main__":
    main()
