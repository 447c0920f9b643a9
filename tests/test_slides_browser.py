"""A deck of the project's own scenes plays offline in a real browser: headless Chromium, in
which every network request fails, shows the first slide as a frame of the scene, and the
right-arrow key brings the next slide, another frame.

Needs Debian's ``chromium`` and ``chromium-driver`` and the ``selenium`` package, which the
set-up installs (``make setup``); without them the test fails saying so, it never skips.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import av
import numpy as np
import pytest
from manim import config
from PIL import Image
from scene_render import is_nontrivial

from gradscenes.slides import deck_references

SCENE = "GradientMap1D"  # a curve on its first slide, its tangent added on the second
SIZE = (256, 144)  # the clips' pixels; the browser shows them at twice that
FPS = 5  # slides of one to two seconds
NO_NETWORK = [
    "--host-resolver-rules=MAP * ~NOTFOUND",  # no host name resolves,
    "--proxy-server=http://127.0.0.1:9",  # and any other request goes to a proxy that is not there
    "--proxy-bypass-list=<-loopback>",
]
SET_UP = "run the set-up (`make setup`, tools/setup.sh), which installs them"


def _driver_or_fail():
    """Selenium's ``webdriver`` with the paths of Chromium and its WebDriver; the test fails,
    saying to run the set-up, when any of them is missing."""
    missing = [name for name in ("chromium", "chromedriver") if shutil.which(name) is None]
    try:
        from selenium import webdriver
    except ImportError:
        missing.append("selenium (the Python package)")
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: {SET_UP} (Debian's chromium and "
                    "chromium-driver, selenium from PyPI)", pytrace=False)
    return webdriver, shutil.which("chromium"), shutil.which("chromedriver")


@contextmanager
def offline_chromium() -> Iterator:
    """Headless Chromium without network, its page 512 x 288 CSS pixels at one device pixel each."""
    webdriver, chromium, chromedriver = _driver_or_fail()
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--mute-audio",
                     *NO_NETWORK]:
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(chromedriver), options=options)
    try:
        width, height = (2 * n for n in SIZE)
        browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                {"width": width, "height": height, "deviceScaleFactor": 1,
                                 "mobile": False})
        yield browser
    finally:
        browser.quit()


def wait_until(condition: Callable[[], object], what: str, timeout: float = 30) -> object:
    deadline = time.monotonic() + timeout
    while not (value := condition()):
        if time.monotonic() > deadline:
            pytest.fail(f"after {timeout} s still not {what}")
        time.sleep(0.1)
    return value


STYLED = """
return [getComputedStyle(document.querySelector('.reveal .slides')).position,  // reveal.css
        getComputedStyle(document.documentElement).getPropertyValue('--r-background-color')];
"""  # the second from the theme, black.css
CURRENT_CLIP = """
const video = Reveal.getCurrentSlide().slideBackgroundContentElement.querySelector('video');
return {slide: Reveal.getIndices().h, src: video && video.currentSrc, ended: video && video.ended,
        error: video && video.error && video.error.code};
"""


def shown_when_played(browser, slide: int) -> np.ndarray:
    """The page's pixels (RGB, at the clips' size) once slide ``slide``'s clip played to its end."""
    def ended():
        state = browser.execute_script(CURRENT_CLIP)
        assert not state["error"], f"the clip of slide {slide} does not play: {state}"
        return state["slide"] == slide and state["ended"]

    wait_until(ended, f"at the end of slide {slide}'s clip")
    picture = Image.open(io.BytesIO(browser.get_screenshot_as_png())).convert("RGB")
    return np.asarray(picture.resize(SIZE, Image.Resampling.BOX), dtype=float)


def last_frame(clip: Path) -> np.ndarray:
    with av.open(str(clip)) as container:
        *_, frame = container.decode(video=0)
    return frame.to_ndarray(format="rgb24").astype(float)


def distance(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per pixel, how far two pictures' colours are apart (the sum over R, G, B, 0 to 765)."""
    return np.abs(a - b).sum(axis=-1)


def saturated(rgb: np.ndarray) -> np.ndarray:
    """Where a picture is coloured (not grey, black or white): the scene's curves and marks."""
    return (rgb.max(axis=-1) - rgb.min(axis=-1)) > 40


@pytest.mark.render
def test_deck_plays_offline_in_headless_chromium_and_a_key_shows_the_next_slide(tmp_path):
    _driver_or_fail()  # before rendering anything
    # Set up: the project's deck of one scene, tiny, with reveal.js beside it ...
    page = tmp_path / "deck" / "talk.html"
    done = subprocess.run(
        [sys.executable, "-m", "gradscenes", "slides", SCENE, "--output", str(page),
         "-r", ",".join(map(str, SIZE)), "--fps", str(FPS), "--media_dir", str(tmp_path / "media"),
         "--progress_bar", "none"],
        cwd=tmp_path, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    clips = [page.parent / url for url in deck_references(page) if url.endswith(".mp4")]
    assert len(clips) >= 2
    # ... and the same slides as manim-slides' own page, which loads reveal.js from a CDN
    cdn_page = tmp_path / "cdn" / "talk.html"
    subprocess.run([sys.executable, "-m", "manim_slides", "--silent", "convert", "--folder",
                    str(tmp_path / "media" / "slides"), SCENE, str(cdn_page)],
                   check=True, capture_output=True, timeout=120)
    background = np.asarray(config.background_color.to_rgb()) * 255  # the project's manim.cfg

    with offline_chromium() as browser:
        # The network is off: the CDN page gets no reveal.js
        browser.get(cdn_page.as_uri())
        assert browser.execute_script("return typeof Reveal") == "undefined"

        # The deck: reveal.js, its styles and theme load from the files beside it
        browser.get(page.as_uri())
        wait_until(lambda: browser.execute_script(
            "return typeof Reveal !== 'undefined' && Reveal.isReady()"), "reveal.js ready")
        assert browser.execute_script(STYLED) == ["absolute", "#191919"]
        assert browser.execute_script("return Reveal.getTotalSlides()") == len(clips)
        first = shown_when_played(browser, 0)

        # The first slide is the scene's frame: drawn on the scene's background, in its colours
        frame = last_frame(clips[0])
        assert is_nontrivial(first, background=background, min_fraction=0.02)
        colours, counts = np.unique(first.reshape(-1, 3).round(), axis=0, return_counts=True)
        assert np.abs(colours[counts.argmax()] - background).max() <= 8
        coloured = saturated(frame)
        assert coloured.mean() > 0.002 and saturated(first).mean() > 0.002
        assert np.median(distance(first, frame)[coloured]) < 75
        assert np.abs(first - frame).mean() < 5

        # A key press brings the next slide: the frame the scene reached at its next beat
        from selenium.webdriver.common.by import By
        from selenium.webdriver.common.keys import Keys

        browser.find_element(By.TAG_NAME, "body").send_keys(Keys.ARROW_RIGHT)
        second = shown_when_played(browser, 1)
        next_frame = last_frame(clips[1])
        assert np.abs(second - next_frame).mean() < 5
        changed = distance(next_frame, frame) > 90  # what the second beat drew
        assert changed.mean() > 0.002
        for shown, this, other in ((first, frame, next_frame), (second, next_frame, frame)):
            near, far = (np.median(distance(shown, f)[changed]) for f in (this, other))
            assert near < far / 2, (near, far)
