"""Every scene of the collection as a manim-slides deck, without a second copy of its code.

For each scene ``X`` of the collection this module defines a deck ``X``
(:func:`scenes.kit.slides.as_slides`): the same scene, with each ``pause()`` a slide break.
``gradscenes slides BowlDescent GaussianDescent --output talk.html -q h`` renders these decks and
converts them into a page that plays offline (:mod:`gradscenes.slides`); manim-slides' own
``render -q h scenes/slides.py ...`` and ``convert --folder renders/slides ...`` make a page
that loads reveal.js from a CDN.

It needs the ``slides`` extra (``.venv/bin/pip install -e .[slides]``). The decks are not scenes
of their own: :func:`scenes.scenes_in` leaves them out.
"""

from __future__ import annotations

from scenes import scene_module_names, scenes_in
from scenes.kit.slides import PresentableScene, as_slides

__all__ = ["PresentableScene", "as_slides"]

for _module in scene_module_names():
    if _module != __name__.rpartition(".")[2]:
        for _scene in scenes_in(_module):
            globals()[_scene.__name__] = as_slides(_scene, module=__name__)
