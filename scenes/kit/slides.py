"""Scenes as manim-slides decks: :class:`PresentableScene` and :func:`as_slides`.

Scenes mark their click points once with ``self.pause()``, a no-op under plain ``manim``; a deck
of a scene is a class that is both the scene and a manim-slides ``Slide``, with each ``pause()``
a ``next_slide()``. ``scenes/slides.py`` holds the decks of the whole collection. It needs the
``slides`` extra (``.venv/bin/pip install -e .[slides]``).

manim-slides 5.7 was written for manim 0.19-0.21; on manim 0.22 its ``Slide`` crashes (it sets
the removed ``write_to_movie`` option, sets ``max_files_cached`` to infinity, which 0.22
rejects, and reads the removed ``flush_cache`` option). :class:`PresentableScene` replaces
just those two methods, ``__init__`` and ``render``; everything else is manim-slides' own.
"""

from __future__ import annotations

import sys
from pathlib import Path

from manim import Scene, config
from manim_slides import Slide

__all__ = ["PresentableScene", "as_slides"]


class PresentableScene(Slide):
    """manim-slides' ``Slide``, fixed for manim 0.22, with ``pause()`` as ``next_slide()``."""

    def __init__(self, *args, **kwargs) -> None:
        # Skip Slide.__init__, which only sets the removed ``write_to_movie`` option;
        # decks go with the other renders (``manim-slides convert --folder renders/slides``).
        kwargs.setdefault("output_folder", Path(config.media_dir).resolve() / "slides")
        super(Slide, self).__init__(*args, **kwargs)

    def pause(self, caption: str | None = None) -> None:
        """A click point of the storyboard: here, also the end of a slide."""
        super().pause(caption)
        self.next_slide()

    def render(self, *args, **kwargs) -> None:
        """Render, keeping every partial movie file, then save the slides (as Slide.render)."""
        max_files_cached = config.max_files_cached
        config.max_files_cached = sys.maxsize  # slides are cut from the partial movie files
        try:
            Scene.render(self, *args, **kwargs)
        finally:
            config.max_files_cached = max_files_cached
        self._save_slides(
            use_cache=not (config.disable_caching or self.disable_caching),
            flush_cache=self.flush_cache,
            skip_reversing=self.skip_reversing,
        )


def as_slides(scene_class: type[Scene], name: str | None = None, module: str | None = None) -> type[Scene]:
    """A class that renders ``scene_class`` as a manim-slides deck, a slide per beat.

    It is named like ``scene_class`` unless ``name`` is given, and belongs to ``module``
    (default: ``scene_class``'s); pass ``module=__name__`` when defining a deck in your own
    file, so that ``manim-slides render`` finds it there.
    """
    return type(
        name or scene_class.__name__,
        (PresentableScene, scene_class),
        {"__module__": module or scene_class.__module__, "__doc__": f"{scene_class.__name__} as slides."},
    )
