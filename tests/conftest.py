from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings
from manim import config

# Manim reads manim.cfg from the working directory; the tests render with the project's
# settings (its dark background above all) from wherever pytest is started.
# What the in-process renders cache (LaTeX, text glyphs) goes to pytest's own cache folder, so
# that a test run writes nothing into renders/ (the command-line tests check the repository).
ROOT = Path(__file__).resolve().parent.parent
config.digest_file(ROOT / "manim.cfg")
config.media_dir = str(ROOT / ".pytest_cache" / "manim-media")

# CI runs the property tests on a fixed seed, so a submission is judged on reproducible examples;
# local runs keep exploring new ones.
settings.register_profile("ci", derandomize=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-references",
        action="store_true",
        help="rewrite tests/reference_frames/*.png from the current renders (look at them first)",
    )


@pytest.fixture
def update_references(request: pytest.FixtureRequest) -> bool:
    """Whether reference frames are being regenerated rather than compared."""
    return request.config.getoption("--update-references")


_renders: dict = {}


@pytest.fixture(scope="session")
def rendered():
    """``rendered(SceneClass, **options)``: render once per session, shared between tests."""
    from scene_render import render_scene

    def get(scene_class, **options):
        key = (scene_class, tuple(sorted(options.items())))
        if key not in _renders:
            _renders[key] = render_scene(scene_class, **options)
        return _renders[key]

    return get


@pytest.fixture
def central_differences():
    """``central_differences(f, p, h)``: derivatives of ``f`` at points ``p`` (..., d) by finite differences.

    Richardson-extrapolated central differences, :math:`(4 D(h/2) - D(h)) / 3` with
    :math:`D(h) = (f(p + h e_k) - f(p - h e_k)) / 2h`, error :math:`O(h^4)`; the
    derivative along coordinate ``k`` goes to the last axis of the result.
    """

    def differences(f, p, h):
        p = np.asarray(p, dtype=float)
        columns = []
        for k in range(p.shape[-1]):
            e = np.zeros(p.shape[-1])
            e[k] = 1.0
            d1, d2 = ((f(p + s * e) - f(p - s * e)) / (2 * s) for s in (h, h / 2))
            columns.append((4 * d2 - d1) / 3)
        return np.stack(columns, axis=-1)

    return differences
