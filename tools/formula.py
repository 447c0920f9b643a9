"""Render scenes of the collection for your own formula f(x, y), in one line.

Usage, from the repository root::

    .venv/bin/python tools/formula.py "x**2 - y**2 + 0.3*x*y" GradientMap2D RotatingSurface GaussianDescent -ql
    .venv/bin/python tools/formula.py "sin(x)*cos(y)" GradientMap2D --domain -3 3 -2 2 -qh

The formula is parsed safely by ``gradcore.from_expression`` (sympy; never evaluated as
Python) *before* anything renders: a bad formula stops here with the parser's message. It is
registered as the surface ``"formula"`` and each scene is rendered as a subclass with
``surface_name = "formula"``, so its LaTeX is the one shown on screen. Options after the scene
names (``-ql``, ``-s``, ``--format gif`` ...) go to ``manim render`` unchanged; clips land in
``renders/videos/formula_scenes/``.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULE = ROOT / "renders" / "formula_scenes.py"

TEMPLATE = '''"""Scenes for the formula {formula!r} (written by tools/formula.py)."""
from gradcore import SURFACES, from_expression

SURFACES["formula"] = lambda: from_expression({formula!r}, domain={domain!r})
{classes}
'''


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0],
        epilog="Options not listed here are passed to manim render.",
    )
    parser.add_argument("formula", help='f(x, y), e.g. "sin((0.75*x)**2 + y**2 + 0.01)"')
    parser.add_argument("scenes", nargs="+", help="scene classes of the collection")
    parser.add_argument("--domain", nargs=4, type=float, metavar=("XMIN", "XMAX", "YMIN", "YMAX"))
    args, manim_args = parser.parse_known_args(argv)

    sys.path.insert(0, str(ROOT))
    from gradcore import from_expression
    from scenes import scene_module_names, scenes_in

    domain = None if args.domain is None else (tuple(args.domain[:2]), tuple(args.domain[2:]))
    try:
        from_expression(args.formula, domain=domain)
    except ValueError as error:
        print(f"formula: cannot use {args.formula!r}: {error}", file=sys.stderr)
        return 2

    known = {cls.__name__: cls for m in scene_module_names() for cls in scenes_in(m)}
    usable = {name: cls for name, cls in known.items() if hasattr(cls, "surface_name")}
    unknown = [name for name in args.scenes if name not in usable]
    if unknown:
        print(f"formula: {', '.join(unknown)} cannot take a formula; scenes with a "
              f"surface_name: {', '.join(sorted(usable))}", file=sys.stderr)
        return 2

    classes = "".join(
        f"\n\nfrom {usable[name].__module__} import {name} as _{name}\n\n"
        f"class {name}(_{name}):\n    surface_name = \"formula\"\n"
        for name in args.scenes
    )
    MODULE.parent.mkdir(exist_ok=True)
    MODULE.write_text(TEMPLATE.format(formula=args.formula, domain=domain, classes=classes))
    command = [sys.executable, "-m", "manim", "render", *manim_args,
               str(MODULE.relative_to(ROOT)), *args.scenes]
    return subprocess.run(command, cwd=ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
