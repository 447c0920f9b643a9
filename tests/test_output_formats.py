"""The clip formats the README documents: mp4 (default), webm with transparency, gif, and a
last-frame PNG, each rendered with the plain manim CLI and read back."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import av
import numpy as np
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


def manim(tmp_path: Path, *options: str) -> Path:
    subprocess.run(
        [sys.executable, "-m", "manim", "render", "-ql", "--progress_bar", "none",
         "--media_dir", str(tmp_path), *options, "tests/data/two_slides.py", "TwoBeats"],
        cwd=ROOT, check=True, capture_output=True,
    )
    return tmp_path


@pytest.mark.render
@pytest.mark.parametrize(
    "options, suffix, alpha",
    [((), ".mp4", False), (("--format", "webm", "--transparent"), ".webm", True),
     (("--format", "gif"), ".gif", False)],
    ids=["mp4", "webm-transparent", "gif"],
)
def test_clip_format_renders_and_decodes(tmp_path, options, suffix, alpha):
    (clip,) = (manim(tmp_path, *options) / "videos").rglob(f"TwoBeats*{suffix}")
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        # FFmpeg's native vp9 decoder drops the alpha plane; libvpx keeps it.
        decoder = av.CodecContext.create("libvpx-vp9", "r") if alpha else stream.codec_context
        frames = [f.to_ndarray(format="rgba")
                  for packet in container.demux(stream) for f in decoder.decode(packet)]
    assert len(frames) >= 15  # 1.2 s at 15 fps
    if alpha:  # the background is see-through, the drawing is not
        middle = frames[len(frames) // 2][..., 3]
        assert (middle == 0).mean() > 0.5 and (middle > 200).any()


@pytest.mark.render
def test_last_frame_png(tmp_path):
    (still,) = (manim(tmp_path, "-s") / "images").rglob("TwoBeats*.png")
    pixels = np.asarray(Image.open(still).convert("RGB"))
    assert pixels.shape == (480, 854, 3)
