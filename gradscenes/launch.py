"""Running ``manim render`` for the command: which configuration, and where the output goes.

Manim reads ``manim.cfg`` from the current working directory. The command runs ``manim`` in
the directory it is called from, so a ``manim.cfg`` there (or ``-c FILE``) decides, as with
plain ``manim``. Called from a directory without one and without ``-c``, the command passes
the project's own ``manim.cfg`` (the one beside ``scenes/``) with ``-c``: the same settings as
from the repository root, so output goes to ``renders/`` under the directory it was called
from, unless ``--media_dir`` says otherwise.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

__all__ = ["QUALITIES", "config_options", "manim_command", "media_dir", "option_value",
           "project_config", "shown"]

QUALITIES = {"l": "480p15", "m": "720p30", "h": "1080p60", "p": "1440p60", "k": "2160p60"}
"""Manim's quality flags and the folder each renders into."""


def project_config() -> Path | None:
    """The project's ``manim.cfg`` (beside the ``scenes`` package), if it is there."""
    import scenes

    config = Path(scenes.__file__).resolve().parent.parent / "manim.cfg"
    return config if config.is_file() else None


def option_value(options: Sequence[str], name: str) -> str | None:
    """The value given to the long option ``name`` in ``options`` (``[name, value]`` or
    ``name=value``), the last one if repeated; ``None`` when absent."""
    value = None
    for i, option in enumerate(options):
        if option == name and i + 1 < len(options):
            value = options[i + 1]
        elif option.startswith(name + "="):
            value = option.partition("=")[2]
    return value


def config_options(options: Sequence[str]) -> list[str]:
    """``["--config_file", <project manim.cfg>]`` when ``manim`` would otherwise run without
    the project's settings: ``options`` give no ``--config_file`` and the working directory
    has no ``manim.cfg``; else no options."""
    config = project_config()
    if option_value(options, "--config_file") or Path("manim.cfg").is_file() or config is None:
        return []
    return ["--config_file", str(config)]


def media_dir(options: Sequence[str] = ()) -> Path:
    """Where ``manim render`` with ``options`` writes: ``--media_dir``, else the configuration's
    ``media_dir`` (of ``--config_file``, the working directory's ``manim.cfg`` or the project's
    as :func:`config_options` chooses, on top of Manim's defaults)."""
    given = option_value(options, "--media_dir")
    if given:
        return Path(given)
    from manim import logger
    from manim._config.utils import make_config_parser

    config_file = option_value([*config_options(options), *options], "--config_file")
    level = logger.level
    logger.setLevel("WARNING")  # not the "Reading config file" lines
    try:
        return Path(make_config_parser(config_file)["CLI"]["media_dir"])
    finally:
        logger.setLevel(level)


def manim_command(module_file: Path | str, scene: str, options: Sequence[str] = ()) -> list[str]:
    """``python -m manim render`` of ``scene`` in ``module_file`` with ``options``, with the
    project's configuration where :func:`config_options` adds it."""
    return [sys.executable, "-m", "manim", "render", *config_options(options), *options,
            str(module_file), scene]


def shown(path: Path) -> str:
    """``path`` relative to the working directory where it lies below it, else as it is."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
