from __future__ import annotations

import pytest


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
