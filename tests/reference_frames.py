"""Reviewed reference frames: compare a rendered frame with the stored PNG of the same name.

The references live in ``tests/reference_frames/<name>.png``. Regenerate them (after looking
at the new frames) with::

    .venv/bin/python -m pytest tests --update-references

Manim's own ``frames_comparison`` skips every Cairo test when libcairo is older than 1.18
(Debian 12 ships 1.16), so this module does the comparison itself and always runs.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

__all__ = ["REFERENCE_DIR", "compare_with_reference"]

REFERENCE_DIR = Path(__file__).parent / "reference_frames"

# A frame matches when its mean absolute difference is under 1% of full scale and fewer
# than 2% of its pixels differ by more than a quarter of full scale (anti-aliasing noise
# across library builds stays far below both).
MEAN_TOLERANCE = 0.01
PIXEL_TOLERANCE = 0.02


def compare_with_reference(frame: np.ndarray, name: str, update: bool) -> None:
    """Assert ``frame`` (RGB[A] uint8) matches the reference ``name``; rewrite it if ``update``."""
    path = REFERENCE_DIR / f"{name}.png"
    rgb = np.ascontiguousarray(frame[..., :3])
    if update:
        REFERENCE_DIR.mkdir(exist_ok=True)
        Image.fromarray(rgb).save(path, optimize=True)
        return
    if not path.exists():
        raise AssertionError(
            f"no reference frame {path}; look at the scene, then create it with "
            "`.venv/bin/python -m pytest tests --update-references`"
        )
    reference = np.asarray(Image.open(path).convert("RGB"))
    assert reference.shape == rgb.shape, (
        f"frame shape {rgb.shape} differs from reference {reference.shape} ({path})"
    )
    diff = np.abs(rgb.astype(int) - reference.astype(int)) / 255.0
    mean = diff.mean()
    changed = (diff.max(axis=-1) > 0.25).mean()
    if mean > MEAN_TOLERANCE or changed > PIXEL_TOLERANCE:
        failed = path.with_name(f"{name}.actual.png")
        Image.fromarray(rgb).save(failed)
        raise AssertionError(
            f"frame differs from reference {path}: mean difference {mean:.2%} "
            f"(limit {MEAN_TOLERANCE:.0%}), {changed:.2%} of pixels changed "
            f"(limit {PIXEL_TOLERANCE:.0%}); the new frame is in {failed}"
        )
