"""The ``gradscenes`` command: list, customize and render the collection's scenes.

::

    gradscenes list [SCENE_OR_MODULE ...]
    gradscenes render SCENE [--formula F | --surface NAME] [--domain XMIN XMAX YMIN YMAX]
                            [--start X,Y ...] [--set ATTR=VALUE ...] [manim render options]
    gradscenes gallery [--quality Q] [--jobs N] [--split] [--media_dir DIR] [-c CONFIG]
                       [--scheduler ADDRESS] [SCENE_OR_MODULE ...]
    gradscenes split [--quality Q] [--jobs N] [--media_dir DIR] SCENE
    gradscenes slides SCENE [SCENE ...] --output PAGE.html [--quality Q] [--media_dir DIR]
                      [-r W,H] [--fps N] [-c CONFIG] [--title TEXT]

Bad input (an unknown scene or attribute, a formula that does not parse, a domain or start
that cannot work) ends with one line on stderr and exit status 2, before anything renders.
``manim`` runs in the working directory; see :mod:`gradscenes.launch` for its configuration.
"""

from __future__ import annotations

import argparse
import inspect
import math
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gradscenes.catalog import (
    SCENE_VARIABLE,
    check,
    compact,
    describe,
    discover,
    encode_scene,
    parse_value,
    scene_attributes,
    scene_from_json,
)
from gradscenes.launch import QUALITIES, manim_command, media_dir, shown

__all__ = ["main"]

CUSTOM_FILE = Path(__file__).with_name("custom.py")
"""The fixed file manim loads for a customized scene (:mod:`gradscenes.custom`)."""

VALUE_OPTIONS = ("--formula", "--surface", "--start", "--set")
"""Options of ``render`` that take one value, which may start with ``-`` (see :func:`_glue_values`)."""


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line: ``gradscenes render: error: ...``."""

    def error(self, message: str) -> None:
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class _ManimOption(argparse.Action):
    """An option of ``manim render``, collected in its long form, in order, in ``manim``."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        name = max(self.option_strings, key=len)
        namespace.manim = [*namespace.manim, name, *([] if self.nargs == 0 else [values])]


def _add_manim_options(parser: argparse.ArgumentParser) -> None:
    """Every option of ``manim render`` (read from its click command), passed on unchanged."""
    import click
    from manim.cli.render.commands import render

    for param in render.params:
        if not isinstance(param, click.Option):
            continue
        for names, flag in ((param.opts, param.is_flag or param.count), (param.secondary_opts, True)):
            # "-0" (zero padding) would make argparse read negative numbers as options
            names = [n for n in names if not (len(n) == 2 and n[1].isdigit())]
            if names:
                parser.add_argument(*names, action=_ManimOption, nargs=0 if flag else None,
                                    dest="manim", default=[], help=argparse.SUPPRESS)


def _glue_values(argv: list[str]) -> list[str]:
    """``--formula -x**2`` as ``--formula=-x**2`` (likewise ``--start -1,2``), and the four
    numbers of ``--domain -inf 3 -2 2`` (or ``--domain "-3 3 -2 2"``) as one ``--domain=`` value:
    argparse would take a value starting with ``-`` for an option."""
    glued, i = [], 0
    while i < len(argv):
        if argv[i] == "--domain":
            numbers, i = [], i + 1
            while i < len(argv) and len(numbers) < 4:
                numbers += argv[i].replace(",", " ").split()
                i += 1
            glued.append(f"--domain={' '.join(numbers)}")
        elif argv[i] in VALUE_OPTIONS and i + 1 < len(argv):
            glued.append(f"{argv[i]}={argv[i + 1]}")
            i += 2
        else:
            glued.append(argv[i])
            i += 1
    return glued


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a whole number of processes, 1 or more, not {text!r}")
    return value


def _point(text: str) -> tuple[float, float]:
    try:
        x, y = (float(part) for part in text.strip("() ").split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"a start point is X,Y (two numbers), not {text!r}") from None
    if not (math.isfinite(x) and math.isfinite(y)):
        raise argparse.ArgumentTypeError(f"a start point must be finite, not {text!r}")
    return (x, y)


def _domain(text: str) -> tuple[tuple[float, float], tuple[float, float]]:
    try:
        values = [float(part) for part in text.replace(",", " ").split()]
    except ValueError:
        values = []
    if len(values) != 4:
        raise argparse.ArgumentTypeError(f"takes four numbers XMIN XMAX YMIN YMAX, not {text!r}")
    if not all(map(math.isfinite, values)):
        raise argparse.ArgumentTypeError(f"must be finite numbers, not {text!r}")
    xmin, xmax, ymin, ymax = values
    if not (xmin < xmax and ymin < ymax):
        raise argparse.ArgumentTypeError(f"needs XMIN < XMAX and YMIN < YMAX, not {text!r}")
    return ((xmin, xmax), (ymin, ymax))


def _refuse(command: str, error: Exception | str) -> int:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    print(f"gradscenes {command}: error: {'; '.join(lines)}", file=sys.stderr)
    return 2


# list


def list_scenes(args: argparse.Namespace) -> int:
    """Print each scene with its description and the class attributes it takes."""
    catalog = discover()
    try:
        selected = catalog.select(args.names)
    except ValueError as error:
        return _refuse("list", error)
    width = min(shutil.get_terminal_size().columns, 100)
    for module, classes in catalog.modules.items():
        for scene in (c for c in classes if c in selected):
            print(f"{scene.__name__}  ({shown(Path(inspect.getfile(scene)))})")
            print(f"    {describe(scene)}")
            line = "   "
            for name, value in scene_attributes(scene).items():
                item = f" {name}={compact(value)}"
                if len(line) + len(item) > width and line.strip():
                    print(line)
                    line = "   "
                line += item
            print(line)
    broken = catalog.broken_among(args.names)
    for module, error in broken.items():
        print(f"gradscenes list: module {module} does not import: {error}", file=sys.stderr)
    return 1 if broken else 0


# render


def _start_attribute(scene: type, takes: dict[str, Any]) -> str:
    """``"starts"`` for a scene that takes several start points, ``"start"`` for one."""
    names = [name for name in ("starts", "start") if name in takes]
    if not names:
        raise ValueError(f"{scene.__name__} takes no start point")
    return next((name for name in names if takes[name] is not None), names[0])


def scene_settings(scene: type, args: argparse.Namespace) -> dict[str, Any]:
    """The class attributes that ``render``'s options give ``scene``; ``ValueError`` for an
    attribute the scene does not take, one given twice or a start point too many."""
    takes = scene_attributes(scene)
    settings: dict[str, Any] = {}

    def put(name: str, value: Any) -> None:
        if name not in takes:
            raise ValueError(f"{scene.__name__} has no attribute {name!r}; it takes: "
                             f"{', '.join(takes)}")
        if name in settings:
            raise ValueError(f"{name} is given twice")
        settings[name] = value

    for name, value in (("formula", args.formula), ("surface_name", args.surface),
                        ("domain", args.domain)):
        if value is not None:
            put(name, value)
    if args.start:
        name = _start_attribute(scene, takes)
        if name == "start" and len(args.start) > 1:
            raise ValueError(f"{scene.__name__} takes a single start point (start = "
                             f"{compact(takes['start'])}), got {len(args.start)} --start")
        put(name, args.start[0] if name == "start" else tuple(args.start))
    for item in args.set:
        name, equals, text = item.partition("=")
        if not (equals and name.isidentifier()):
            raise ValueError(f"--set takes ATTR=VALUE, not {item!r}")
        default = takes.get(name)
        string = isinstance(default, str) or name in ("formula", "surface_name")
        try:
            value = parse_value(text, default, string=string)
        except ValueError as error:
            raise ValueError(f"--set {name}: {error}") from None
        put(name, value)
    return settings


def render(args: argparse.Namespace) -> int:
    """Check the customized scene in memory, then render it with ``manim`` in a subprocess."""
    catalog = discover()
    try:
        scene = catalog.scene(args.scene)
        settings = scene_settings(scene, args)
        environment = {k: v for k, v in os.environ.items() if k != SCENE_VARIABLE}
        if settings:
            spec = encode_scene(catalog.module_of(scene), scene.__name__, settings)
            check(scene_from_json(spec, __name__))  # the very class the manim process builds
            environment[SCENE_VARIABLE] = spec
            module_file = CUSTOM_FILE
        else:
            check(scene)
            module_file = Path(inspect.getfile(scene))
    except (ValueError, TypeError) as error:
        return _refuse("render", error)
    command = manim_command(module_file, scene.__name__, args.manim)
    return subprocess.run(command, env=environment).returncode


# gallery and split


def gallery(args: argparse.Namespace) -> int:
    """Render the selected scenes on a Dask cluster (a local one by default) and print the
    table of results."""
    from gradscenes.distributed import config_text
    from gradscenes.gallery import Job, render_on_dask, table

    catalog = discover()
    try:
        scenes = catalog.select(args.names)
        if args.config_file and not Path(args.config_file).is_file():
            raise ValueError(f"--config_file {args.config_file!r} is not a file")
    except ValueError as error:
        return _refuse("gallery", error)
    broken = catalog.broken_among(args.names)
    for module, error in broken.items():
        print(f"FAIL {module}: cannot import: {error}", flush=True)
    options = [*(["--config_file", args.config_file] if args.config_file else []),
               *(["--media_dir", args.media_dir] if args.media_dir else [])]
    jobs = [Job.of(scene, args.quality, media_dir(options)) for scene in scenes]
    start = time.perf_counter()
    try:
        results = render_on_dask(jobs, args.jobs, args.split, args.scheduler,
                                 config_text(args.config_file))
    except OSError as error:
        print(f"gradscenes gallery: error: {error}", file=sys.stderr)
        return 1
    print()
    print(table(results))
    rendered = sum(r.ok for r in results)
    print(f"\ngallery: {rendered}/{len(results)} rendered in {time.perf_counter() - start:.1f} s")
    return 0 if rendered == len(results) and not broken else 1


def split(args: argparse.Namespace) -> int:
    """Render one scene with its animations split across processes, joined into one clip."""
    from gradscenes.split import render_split

    try:
        scene = discover().scene(args.scene)
    except ValueError as error:
        return _refuse("split", error)
    media = media_dir(["--media_dir", args.media_dir] if args.media_dir else [])
    start = time.perf_counter()
    try:
        output = render_split(inspect.getfile(scene), scene.__name__, args.quality, args.jobs, media)
    except RuntimeError as error:
        print(f"gradscenes split: {error}", file=sys.stderr)
        return 1
    print(f"{shown(output)} in {time.perf_counter() - start:.1f} s on {args.jobs} processes")
    return 0


# slides


def slides(args: argparse.Namespace) -> int:
    """Render scenes as one manim-slides deck and convert it into a page that plays offline."""
    catalog = discover()
    try:
        for name in args.scenes:
            check(catalog.scene(name))
        if args.output.suffix.lower() != ".html":
            raise ValueError(f"--output is the deck's page, a NAME.html, not {str(args.output)!r}")
    except ValueError as error:
        return _refuse("slides", error)
    try:
        from gradscenes.slides import assets_folder, deck_references, make_deck, revealjs_folder

        revealjs_folder()
    except (ImportError, FileNotFoundError) as error:
        if isinstance(error, ImportError):
            error = (f"manim-slides is not installed ({error}); install it with "
                     f"`{Path(sys.executable).parent / 'pip'} install -e .[slides]`")
        print(f"gradscenes slides: error: {error}", file=sys.stderr)
        return 1
    options = [*args.manim, "--quality", args.quality]
    start = time.perf_counter()
    try:
        page = make_deck(args.scenes, args.output, options, media_dir=media_dir(options),
                         title=args.title)
    except RuntimeError as error:
        print(f"gradscenes slides: {error}", file=sys.stderr)
        return 1
    clips = [url for url in deck_references(page) if url.endswith((".mp4", ".webm", ".png"))]
    print(f"{shown(page)}: {len(clips)} slides of {', '.join(args.scenes)} in "
          f"{time.perf_counter() - start:.1f} s; it plays offline with the folder "
          f"{shown(assets_folder(page))}/ beside it")
    return 0


# the parser


def _command(subparsers: Any, name: str, run: Callable[[argparse.Namespace], int],
             description: str, **kwargs: Any) -> argparse.ArgumentParser:
    parser = subparsers.add_parser(name, help=description.splitlines()[0], description=description,
                                   allow_abbrev=False, **kwargs)
    parser.set_defaults(run=run)
    return parser


def _add_rendering_options(parser: argparse.ArgumentParser, jobs_default: int) -> None:
    parser.add_argument("--quality", "-q", default="l", choices=list(QUALITIES),
                        help="l (480p15, default), m (720p30), h (1080p60), p (1440p60), k (2160p60)")
    parser.add_argument("--jobs", "-j", type=_positive, default=jobs_default,
                        help=f"processes in parallel (default: {jobs_default})")
    parser.add_argument("--media_dir", help="output folder (default: media_dir of the manim "
                        "configuration, renders/ for the project's)")


def build_parser() -> argparse.ArgumentParser:
    """The ``gradscenes`` argument parser with its five subcommands."""
    parser = _Parser(prog="gradscenes", description="List, customize and render the scenes of "
                     "gradscenes.", allow_abbrev=False)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    listing = _command(subparsers, "list", list_scenes,
                       "List the scenes with their description and the class attributes they take "
                       "(with their defaults).")
    listing.add_argument("names", nargs="*", metavar="SCENE_OR_MODULE", help="only these")

    one = _command(
        subparsers, "render", render,
        "Render one scene, its class attributes changed from the command line.\n\n"
        "Other options are those of `manim render` (-ql, -s, --format gif, -c light.cfg, "
        "--media_dir DIR, -n 0,2, -t, ...), passed on. A customized scene renders through the "
        "fixed file gradscenes/custom.py into <media_dir>/videos/custom/, an unchanged one "
        "from its own file. The scene checks its attributes before anything renders.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    one.add_argument("scene", metavar="SCENE", help="a scene class (see gradscenes list)")
    surface = one.add_mutually_exclusive_group()
    surface.add_argument("--formula", metavar="F", help='your own f(x, y), e.g. "sin(x)*cos(y)" '
                         "(parsed by sympy, never run as Python)")
    surface.add_argument("--surface", metavar="NAME", help="a registered surface (surface_name)")
    one.add_argument("--domain", type=_domain, metavar="XMIN XMAX YMIN YMAX",
                     help="the input box: four numbers, e.g. --domain -3 3 -2 2")
    one.add_argument("--start", type=_point, action="append", default=[], metavar="X,Y",
                     help="a start point; repeat it for a scene with several starts")
    one.add_argument("--set", action="append", default=[], metavar="ATTR=VALUE",
                     help="any class attribute; VALUE is a Python literal (1, 0.5, (1, 2), "
                     "'text', None) or else a plain string")
    _add_manim_options(one)

    many = _command(subparsers, "gallery", gallery,
                    "Render scenes of the collection (all, or those named) in parallel processes "
                    "on a Dask cluster, then print a table of scene, output file, frames and "
                    "seconds.\n\nBy default the cluster is local: --jobs worker processes. With "
                    "--scheduler, the workers of a cluster started elsewhere (`dask scheduler`, "
                    "`dask worker tcp://HOST:8786`, gradscenes installed beside each) render, "
                    "as many scenes at once as they have threads; each job takes the manim "
                    "configuration along and the clips come back here.")
    _add_rendering_options(many, jobs_default=os.cpu_count() or 1)
    many.add_argument("--split", action="store_true",
                      help="each scene's animations split in --jobs pieces, joined here")
    many.add_argument("--config_file", "-c", metavar="CONFIG",
                      help="a manim configuration, e.g. light.cfg (default: ./manim.cfg, else "
                      "the project's)")
    many.add_argument("--scheduler", metavar="ADDRESS",
                      help="a Dask scheduler's address, e.g. tcp://10.0.0.5:8786 (default: a "
                      "local cluster of --jobs processes)")
    many.add_argument("names", nargs="*", metavar="SCENE_OR_MODULE", help="only these")

    pieces = _command(subparsers, "split", split,
                      "Render one scene with its animations split across processes (manim -n "
                      "a,b), joined without re-encoding.")
    _add_rendering_options(pieces, jobs_default=2)
    pieces.add_argument("scene", metavar="SCENE", help="a scene class (see gradscenes list)")

    deck = _command(
        subparsers, "slides", slides,
        "Render scenes as one slide deck (a slide per beat of each scene, the scenes in the "
        "order given) and convert it into a reveal.js page that plays offline.\n\n"
        "It runs `manim-slides render` of scenes/slides.py and `manim-slides convert`, with "
        "reveal.js loaded from a copy beside the page instead of a CDN: carry PAGE.html with "
        "the folder PAGE_assets/ (the clips and reveal.js) and open it in a browser.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    deck.add_argument("scenes", nargs="+", metavar="SCENE", help="scene classes (see gradscenes list)")
    deck.add_argument("--output", "-o", type=Path, required=True, metavar="PAGE.html",
                      help="the deck's page; its clips and reveal.js go to PAGE_assets/ beside it")
    deck.add_argument("--quality", "-q", default="l", choices=list(QUALITIES),
                      help="l (480p15, default), m (720p30), h (1080p60), p (1440p60), k (2160p60)")
    deck.add_argument("--title", help="the page's title (default: the scene names)")
    for names, metavar, help_ in (
        (("--media_dir",), "DIR", "where the renders go, the slides in DIR/slides (default: "
                                  "media_dir of the manim configuration, renders/ for the project's)"),
        (("-r", "--resolution"), "W,H", "pixels, over the quality's"),
        (("--fps", "--frame_rate"), "N", "frames per second, over the quality's"),
        (("-c", "--config_file"), "FILE", "a manim configuration, e.g. light.cfg"),
        (("--progress_bar",), "MODE", "display, leave or none"),
    ):
        deck.add_argument(*names, action=_ManimOption, dest="manim", default=[], metavar=metavar,
                          help=help_)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the ``gradscenes`` command with ``argv`` (default: the process's arguments)."""
    argv = _glue_values(list(sys.argv[1:] if argv is None else argv))
    args = build_parser().parse_args(argv)
    return args.run(args)
