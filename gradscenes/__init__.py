"""gradscenes: the command that lists, customizes and renders the scenes of the collection.

``gradscenes list`` shows every scene with the class attributes it takes, ``gradscenes render``
renders one with attributes changed from the command line (your own formula, domain, start
points), ``gradscenes gallery`` renders many in parallel processes, ``gradscenes split``
renders one scene's animations across processes and ``gradscenes slides`` makes a slide deck
that plays offline. See ``gradscenes --help``.

The scenes themselves live in the :mod:`scenes` package, their numbers in :mod:`gradcore`.
"""

from __future__ import annotations

__all__: list[str] = []
