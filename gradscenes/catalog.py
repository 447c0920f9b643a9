"""The collection's scenes: found by name, the class attributes each takes, customized copies.

A customized scene is a subclass made in memory, ``type(name, (Scene,), attributes)``. Its
attribute values are plain data (numbers, strings, tuples, dicts with string keys, ``None``,
booleans): they travel to the ``manim`` process as JSON (:func:`encode_scene`, read back by
:func:`scene_from_json` in :mod:`gradscenes.custom`), never as Python source.
"""

from __future__ import annotations

import ast
import inspect
import json
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = [
    "SCENE_VARIABLE",
    "Catalog",
    "check",
    "compact",
    "customize",
    "describe",
    "discover",
    "encode_scene",
    "parse_value",
    "scene_attributes",
    "scene_from_json",
]

SCENE_VARIABLE = "GRADSCENES_SCENE"
"""Environment variable through which ``gradscenes render`` hands a customized scene, as JSON
``{"module": ..., "scene": ..., "attributes": {...}}``, to :mod:`gradscenes.custom`."""


@dataclass(frozen=True)
class Catalog:
    """The collection's scene classes by module name, and the modules that failed to import."""

    modules: dict[str, list[type]]
    broken: dict[str, str]

    @property
    def scenes(self) -> dict[str, type]:
        """Every scene class by class name."""
        return {cls.__name__: cls for classes in self.modules.values() for cls in classes}

    def module_of(self, scene: type) -> str:
        """The name of the collection module (as in ``scenes.scene_module_names()``) of ``scene``."""
        return next(module for module, classes in self.modules.items() if scene in classes)

    def known_names(self) -> str:
        """The scene and module names, for error messages."""
        return (f"scenes: {', '.join(sorted(self.scenes))}; "
                f"modules: {', '.join(sorted([*self.modules, *self.broken]))}")

    def select(self, names: list[str]) -> list[type]:
        """Scenes named by class or module name, in collection order; all of them for no names.

        Raises ``ValueError`` naming the unknown names and listing the known ones.
        """
        unknown = [n for n in names if n not in {*self.scenes, *self.modules, *self.broken}]
        if unknown:
            raise ValueError(f"unknown scene or module {', '.join(map(repr, unknown))}; "
                             f"{self.known_names()}")
        return [cls for module, classes in self.modules.items() for cls in classes
                if not names or module in names or cls.__name__ in names]

    def broken_among(self, names: list[str]) -> dict[str, str]:
        """The modules that failed to import, among ``names`` (all of them for no names)."""
        return {m: e for m, e in self.broken.items() if not names or m in names}

    def scene(self, name: str) -> type:
        """The scene class called ``name``; ``ValueError`` listing the scenes when there is none."""
        scene = self.scenes.get(name)
        if scene is None:
            broken = "".join(f"; module {m} does not import ({e})" for m, e in self.broken.items())
            raise ValueError(f"unknown scene {name!r}; scenes: {', '.join(sorted(self.scenes))}"
                             f"{broken}")
        return scene


def discover() -> Catalog:
    """Every scene of the collection (``scenes.scene_module_names`` and ``scenes.scenes_in``).

    A module that fails to import is kept with its error, so the others remain usable.
    """
    from scenes import scene_module_names, scenes_in

    modules, broken = {}, {}
    for module in scene_module_names():
        try:
            modules[module] = scenes_in(module)
        except Exception as error:  # report any import failure, keep the rest
            broken[module] = f"{type(error).__name__}: {error}"
    return Catalog(modules, broken)


def describe(scene: type) -> str:
    """The first sentence of the scene's docstring, on one line, without reST markup."""
    paragraph = (inspect.getdoc(scene) or "").split("\n\n")[0]
    text = re.sub(r":\w+:`([^`]*)`|``([^`]*)``", lambda m: m[1] or m[2], " ".join(paragraph.split()))
    sentence = re.match(r"(.*?[.!?])(\s|$)", text)
    return sentence[1] if sentence else text


def _is_data(value: Any) -> bool:
    return not callable(value) and not hasattr(type(value), "__get__")


def scene_attributes(scene: type) -> dict[str, Any]:
    """Public data attributes defined on ``scene``'s classes from ``GradScene`` down, with
    their values on ``scene``: the scene's own first, then those it inherits."""
    base = next((k for k in scene.__mro__ if k.__name__ == "GradScene"), scene)
    attributes: dict[str, Any] = {}
    for klass in scene.__mro__:
        if not (isinstance(klass, type) and issubclass(klass, base)):
            continue
        for name, value in vars(klass).items():
            if not name.startswith("_") and name not in attributes and _is_data(value):
                attributes[name] = getattr(scene, name)
    return attributes


def compact(value: Any, width: int = 48) -> str:
    """A short text of an attribute's value: numbers to 4 significant digits, long sequences
    elided in the middle, everything cut at ``width`` characters."""

    def text(v: Any) -> str:
        if isinstance(v, np.ndarray | np.generic):
            v = v.tolist()
        if isinstance(v, float):
            return f"{v:.4g}"
        if isinstance(v, tuple | list):
            items = [text(x) for x in v]
            if len(items) > 6:
                items = [*items[:3], "...", items[-1]]
            inner = ", ".join(items) + ("," if isinstance(v, tuple) and len(v) == 1 else "")
            return f"({inner})" if isinstance(v, tuple) else f"[{inner}]"
        if isinstance(v, dict):
            return "{" + ", ".join(f"{text(k)}: {text(x)}" for k, x in v.items()) + "}"
        return repr(v)

    short = text(value)
    return short if len(short) <= width else short[: width - 3] + "..."


_KINDS = {"a number": (int, float, np.number), "a tuple or list": (tuple, list, np.ndarray),
          "a dict": (dict,), "a string": (str,)}


def _kind(value: Any) -> str:
    return next((kind for kind, types in _KINDS.items() if isinstance(value, types)),
                type(value).__name__)


def parse_value(text: str, default: Any = None, *, string: bool = False) -> Any:
    """The value of ``--set ATTR=TEXT`` for an attribute whose value is ``default``.

    ``TEXT`` is read as a Python literal (``ast.literal_eval``: data, never run), else taken as
    the text itself. With ``string``, anything but a quoted string or ``None`` stays the plain
    text (for attributes that hold a string, such as a formula ``"2"``). Unless ``default`` or
    the value is ``None``, the value must be of the default's kind (a number, a tuple or list,
    a dict, a string): ``ValueError`` otherwise.
    """
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        value = text
    if string:
        return value if isinstance(value, str) or value is None else text
    if default is None or value is None or _kind(value) == _kind(default):
        return value
    raise ValueError(f"takes {_kind(default)} like {compact(default)}, not {text!r}")


def _check_data(value: Any, where: str) -> None:
    if value is None or isinstance(value, bool | int | float | str):
        return
    if isinstance(value, tuple | list):
        for item in value:
            _check_data(item, where)
        return
    if isinstance(value, dict) and all(isinstance(k, str) for k in value):
        for item in value.values():
            _check_data(item, where)
        return
    raise ValueError(f"{where}: {value!r} is not plain data (use numbers, strings, True/False/None, "
                     "tuples or lists of them, and dicts with string keys)")


def _tuples(value: Any) -> Any:
    """JSON's lists back as tuples (the scenes' defaults are tuples), recursively."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value


def encode_scene(module: str, scene: str, attributes: dict[str, Any]) -> str:
    """JSON for :func:`scene_from_json`; ``ValueError`` if a value is not plain data."""
    for name, value in attributes.items():
        _check_data(value, name)
    return json.dumps({"module": module, "scene": scene, "attributes": attributes})


def customize(scene: type, attributes: dict[str, Any], module: str) -> type:
    """A subclass of ``scene`` with the same name and ``attributes`` as class attributes,
    defined in the module called ``module`` (where ``manim`` looks for it)."""
    return type(scene.__name__, (scene,), {**attributes, "__module__": module,
                                           "__doc__": scene.__doc__})


def scene_from_json(text: str, module: str) -> type:
    """The customized scene that :func:`encode_scene` describes, defined in ``module``.

    Only scenes of the collection can be named, and only their data attributes set.
    """
    from scenes import scene_module_names, scenes_in

    spec = json.loads(text)
    if spec["module"] not in scene_module_names():
        raise ValueError(f"{spec['module']!r} is not a module of the collection")
    scene = next((c for c in scenes_in(spec["module"]) if c.__name__ == spec["scene"]), None)
    if scene is None:
        raise ValueError(f"no scene {spec['scene']!r} in module {spec['module']!r}")
    attributes = _tuples(spec["attributes"])
    unknown = set(attributes) - set(scene_attributes(scene))
    if unknown:
        raise ValueError(f"{scene.__name__} has no attribute {', '.join(sorted(unknown))}")
    return customize(scene, attributes, module)


def check(scene: type) -> None:
    """``ValueError`` with a one-line message when ``scene``'s attributes cannot work: the
    scene's own ``validate()`` (``GradScene``'s contract) decides."""
    validate = getattr(scene, "validate", None)
    if validate is not None:
        validate()
