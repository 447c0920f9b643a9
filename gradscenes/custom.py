"""The file ``gradscenes render`` hands to ``manim`` for a customized scene.

Manim loads scenes from a file, so this one file never changes: it reads which scene of the
collection to render and the attribute values to give it from the environment variable
``GRADSCENES_SCENE`` (JSON data, see :func:`gradscenes.catalog.encode_scene`) and defines the
subclass with ``type(...)``. A user's formula is a string value here, never Python source.
Clips land in ``<media_dir>/videos/custom/<quality>/<Scene>.mp4``, apart from the scenes'
own renders.
"""

from __future__ import annotations

import os

from gradscenes.catalog import SCENE_VARIABLE, scene_from_json

if SCENE_VARIABLE not in os.environ:
    raise RuntimeError(f"{__file__} is rendered by `gradscenes render`, which sets {SCENE_VARIABLE}")

_scene = scene_from_json(os.environ[SCENE_VARIABLE], __name__)
globals()[_scene.__name__] = _scene  # the name manim is asked to render
del _scene
