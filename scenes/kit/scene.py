"""The base scene of the collection, :class:`GradScene`, and its contract with the scenes.

A scene says which surface it shows with class attributes (``surface_name``, ``formula``,
``domain``, ``surface_params``), gets that surface from :meth:`GradScene.surface`, and declares
with ``surface_kind`` when it cannot work with any other kind. :meth:`GradScene.validate` checks
all of that, and each scene's own knobs, before anything is drawn.
"""

from __future__ import annotations

import dataclasses
import functools
import numbers
from collections.abc import Mapping
from concurrent.futures import Future
from typing import Any, ClassVar

import numpy as np
from manim import Camera, ManimColor, MathTex, Scene, ThreeDScene

from gradcore.quadratic import Quadratic
from gradcore.registry import SURFACES, get_surface
from gradcore.surface import Domain, Surface, check_domain
from scenes.kit.axes import fit_points
from scenes.kit.camera2d import FastCamera
from scenes.kit.encoding import kit_renderer
from scenes.kit.marks import boxed_tex
from scenes.kit.tex_ahead import typeset_listed
from scenes.kit.theme import Theme
from scenes.kit.updates import update_mobjects

__all__ = ["SURFACE_KINDS", "GradScene", "surface_words"]

SURFACE_KINDS = {
    "quadratic": "a quadratic surface",
    "positive_definite_quadratic": "a positive-definite quadratic surface",
}
"""The values of ``GradScene.surface_kind`` besides None (any surface), and what they ask for."""

EXAMPLE_FORMULA = "x**2 + 3*y**2"
"""A formula suggested in messages: a positive-definite quadratic, so it fits every scene."""


class GradScene(Scene):
    """Base class of every gradscenes scene: its surface, the theme and the storyboard's click points.

    Attributes
    ----------
    surface_name : str or None
        The registered surface shown (:func:`gradcore.get_surface`), or None.
    formula : str or None
        A formula in ``x`` and ``y`` (:func:`gradcore.from_expression`); when set it wins over
        ``surface_name`` and ``surface_params``. A quadratic polynomial becomes a
        :class:`~gradcore.Quadratic`.
    domain : ((xmin, xmax), (ymin, ymax)) or None
        The input box shown; None keeps the surface's own (a formula's default is
        :math:`[-3, 3]^2`).
    surface_params : mapping
        Fields overriding those of the registered surface (e.g. ``{"A": ((1, 0), (0, 4))}``).
    surface_kind : str or None
        What the scene cannot do without: None (any surface) or a key of :data:`SURFACE_KINDS`.

    Notes
    -----
    Every scene takes its surface from :meth:`surface`, built once from the attributes above;
    a subclass may override :meth:`surface` instead (the attributes are then not used).
    :meth:`setup` runs :meth:`validate` before anything is drawn; a scene with knobs of its own
    extends it::

        @classmethod
        def validate(cls) -> None:
            super().validate()
            cls.check_positive("step_time")
            cls.check_inside("start")

    Examples
    --------
    .. manim:: MyLevels

        from scenes.kit import ContourMap, GradScene, level_colors, map_axes

        class MyLevels(GradScene):
            formula = "sin(x) * cos(y)"

            def construct(self):
                surface = self.surface()
                axes = map_axes(surface.domain, self.theme.foreground)
                levels = [-0.6, -0.3, 0.0, 0.3, 0.6]
                self.add(axes)
                self.play(Create(ContourMap(axes, surface, levels, level_colors(levels, self.theme.colormap))))
    """

    surface_name: ClassVar[str | None] = None
    formula: ClassVar[str | None] = None
    domain: ClassVar[Domain | None] = None
    surface_params: ClassVar[Mapping[str, Any]] = {}
    surface_kind: ClassVar[str | None] = None
    _typeset: Future[int] | None = None  # the formulas typeset ahead, from setup

    def __init__(self, camera_class: type[Camera] | None = None, **kwargs: Any) -> None:
        if not isinstance(self, ThreeDScene):  # a 3-D scene's own __init__ picks its camera
            camera_class = camera_class or FastCamera
            if kwargs.get("renderer") is None:
                kwargs["renderer"] = kit_renderer(camera_class, kwargs.get("skip_animations", False))
        super().__init__(camera_class=camera_class, **kwargs)

    def setup(self) -> None:
        """Check the class attributes (:meth:`validate`) before anything is drawn, then typeset
        the scene's listed formulas in one LaTeX run, while it is built
        (:func:`~scenes.kit.tex_ahead.typeset_listed`)."""
        super().setup()
        type(self).validate()
        self._typeset = typeset_listed(type(self))

    def tear_down(self) -> None:
        """Stock's, once the formulas typeset ahead are in (or their error raised)."""
        if self._typeset is not None:
            self._typeset.result()
        super().tear_down()

    @classmethod
    def validate(cls) -> None:
        """Check the class attributes; raise ``ValueError`` naming the attribute, its value and
        what would work.

        Checks ``surface_name``, ``formula``, ``domain``, ``surface_params`` and
        ``surface_kind`` (unless :meth:`surface` is overridden); subclasses extend it with
        checks of their own knobs after ``super().validate()``.
        """
        if not cls._surface_from_attributes():
            return
        if cls.surface_kind is not None and cls.surface_kind not in SURFACE_KINDS:
            kinds = ", ".join(map(repr, SURFACE_KINDS))
            raise cls.invalid("surface_kind", cls.surface_kind, f"is not one of None, {kinds}")
        if cls.domain is not None:
            try:
                check_domain(cls.domain)
            except ValueError as error:
                problem = f"is not an input box ({error}); give e.g. ((-3, 3), (-3, 3))"
                raise cls.invalid("domain", cls.domain, problem) from None
        if cls.formula is None and cls.surface_name is None:
            if cls.surface_kind is not None:
                raise ValueError(
                    f"{cls.__name__} needs {SURFACE_KINDS[cls.surface_kind]}; set surface_name (one of: "
                    f"{', '.join(_surfaces_of_kind(cls.surface_kind))}) or formula (e.g. {EXAMPLE_FORMULA!r})"
                )
            return  # a scene without a surface
        surface = cls._build_surface()
        if cls.surface_kind is not None:
            cls._check_kind(surface)

    def surface(self) -> Surface:
        """The surface of the scene, built once per scene from ``formula`` (if set; a quadratic
        polynomial as a :class:`~gradcore.Quadratic`) or ``surface_name`` with
        ``surface_params``, on ``domain`` if given.

        Raises
        ------
        ValueError
            If the scene names no surface.
        """
        built = self.__dict__.get("_surface")
        if built is None:
            built = self._surface = type(self)._build_surface()
        return built

    def update_mobjects(self, dt: float) -> None:
        """Stock's, in one walk over the tree (:func:`~scenes.kit.updates.update_mobjects`)."""
        update_mobjects(self.mobjects, dt)

    @property
    def theme(self) -> Theme:
        """Colors derived from the camera's background color (worked out once per background)."""
        background = ManimColor(self.camera.background_color).to_hex(with_alpha=True)
        kept = getattr(self, "_theme", None)
        if kept is None or kept[0] != background:
            kept = self._theme = (background, Theme.from_background(background))
        return kept[1]

    def pause(self, caption: str | None = None) -> None:
        """Mark a natural click point of the storyboard (a slide break when presenting), and
        :meth:`caption` the beat that ends here."""
        self.caption(caption)

    def caption(self, text: str | None) -> None:
        """Say what the beat that ends now showed: a subtitle from the end of the beat before
        (or the start) to now, which Manim writes to an ``.srt`` beside the clip.  None leaves
        the beat without one; a beat that took no time gets none."""
        start, now = getattr(self, "_beat_start", 0.0), self.time
        if text and now > start:
            self.add_subcaption(text, duration=now - start, offset=start - now)
        self._beat_start = now

    def label(self, tex: str, color: ManimColor | str | None = None, font_size: float = 30) -> MathTex:
        """:func:`~scenes.kit.marks.boxed_tex` in the theme's colors; ``color`` overrides the text's
        (made :meth:`~scenes.kit.theme.Theme.readable` on the background)."""
        theme = self.theme
        ink = theme.foreground if color is None else theme.readable(color)
        return boxed_tex(tex, ink, theme.background, font_size=font_size)

    # --- checks for validate() -------------------------------------------------------------

    @classmethod
    def check_positive(cls, *names: str) -> None:
        """Each attribute of ``names`` is a positive number (a duration, a size, a rate), or a
        tuple or list of one or more of them (learning rates)."""
        for name in names:
            value = getattr(cls, name)
            several = isinstance(value, (tuple, list))
            values = list(value) if several else [value]
            if not values or not all(isinstance(v, numbers.Real) and v > 0 for v in values):
                problem = "must be one or more positive numbers" if several else "must be a positive number"
                raise cls.invalid(name, value, problem)

    @classmethod
    def check_one_each(cls, name: str, per: str) -> None:
        """The attribute ``name`` (colors, captions) has an entry for each entry of ``per``."""
        value, count = getattr(cls, name), len(getattr(cls, per))
        if len(value) < count:
            raise cls.invalid(name, value, f"must give one to each of the {count} {per}")

    @classmethod
    def check_inside(cls, name: str, domain: Domain | None = None) -> None:
        """The attribute ``name``, a point ``(x, y)`` or a sequence of points, lies in ``domain``
        (default: the domain of the scene's surface; not checked when :meth:`surface` is
        overridden)."""
        if domain is None:
            if not cls._surface_from_attributes() or (cls.formula is None and cls.surface_name is None):
                return
            domain = cls._build_surface().domain
        value = getattr(cls, name)
        try:
            points = np.asarray(value, dtype=float)
        except (TypeError, ValueError):
            points = np.empty((0, 0))
        if points.shape[-1:] != (2,) or points.ndim > 2:
            raise cls.invalid(name, value, "is not a point (x, y) or a sequence of points")
        (xmin, xmax), (ymin, ymax) = domain
        for point in points.reshape(-1, 2):
            if not (xmin <= point[0] <= xmax and ymin <= point[1] <= ymax):
                where = "is" if points.ndim == 1 else f"holds ({point[0]:g}, {point[1]:g}), which is"
                raise cls.invalid(name, value, f"{where} outside the domain {domain}; give points inside it")

    @classmethod
    def check_defined(cls, name: str) -> None:
        """The attribute ``name``, a point ``(x, y)`` or a sequence of points (checked with
        :meth:`check_inside` first), lies where the surface and its gradient are finite (not
        checked when :meth:`surface` is overridden)."""
        if not cls._surface_from_attributes() or (cls.formula is None and cls.surface_name is None):
            return
        value, surface = getattr(cls, name), cls._build_surface()
        for point in np.asarray(value, dtype=float).reshape(-1, 2):
            with np.errstate(all="ignore"):
                finite = np.isfinite(surface.value(point)) and np.all(np.isfinite(surface.gradient(point)))
            if not finite:
                where = f"holds ({point[0]:g}, {point[1]:g}), where" if np.ndim(value) > 1 else "is where"
                raise cls.invalid(name, value, f"{where} f or its gradient is not finite; give points where f is defined")

    @classmethod
    def check_own_points(cls, *names: str) -> None:
        """Each attribute of ``names`` that holds the user's own points (not a default chosen for
        another surface, which :meth:`fitted_points` moves) lies in the domain
        (:meth:`check_inside`) where the surface is defined (:meth:`check_defined`)."""
        for name in names:
            if cls.home_surface(name) is None:
                cls.check_inside(name)
                cls.check_defined(name)

    @classmethod
    def invalid(cls, name: str, value: Any, problem: str) -> ValueError:
        """The error for attribute ``name`` of ``value``: ``"Scene: name value problem"``, e.g.
        ``raise cls.invalid("colors", cls.colors, "is empty; give at least one color")``."""
        return ValueError(f"{cls.__name__}: {name} {value!r} {problem}")

    # --- defaults chosen for another surface -----------------------------------------------

    @classmethod
    def home_of(cls, name: str) -> type[GradScene] | None:
        """The ancestor that set attribute ``name`` for a surface of its own, when a subclass
        has changed the surface since (``formula``, ``surface_name``, ``domain`` or
        ``surface_params``) but not ``name``; None when ``name`` was set with the scene's
        surface or after it (then it is the user's, and is checked as given).

        A default chosen for another surface (a start, learning rates) may not fit this one:
        :meth:`fitted_points` moves such points into the scene's domain.
        """
        if not cls._surface_from_attributes():
            return None
        mro = cls.__mro__
        setters = [i for i, k in enumerate(mro) if name in vars(k)]
        surface_at = min(
            next(i for i, k in enumerate(mro) if attr in vars(k))
            for attr in ("formula", "surface_name", "domain", "surface_params")
        )
        return mro[setters[0]] if setters and setters[0] > surface_at else None

    @classmethod
    def home_surface(cls, name: str) -> Surface | None:
        """The surface of :meth:`home_of` (what attribute ``name`` was chosen for), or None
        when ``name`` is the user's or its home names no surface."""
        home = cls.home_of(name)
        try:
            return None if home is None else home._build_surface()
        except ValueError:  # set on a scene without a surface of its own
            return None

    def fitted_points(self, name: str) -> np.ndarray:
        """Attribute ``name`` (a point ``(x, y)`` or points) for this scene's surface: as given,
        unless it is a default chosen for another surface (:meth:`home_of`); then moved
        into this surface's domain by :func:`~scenes.kit.axes.fit_points`, from the domain it
        was chosen on (to the same relative place, and off points where the surface is not
        finite)."""
        value, home = getattr(self, name), type(self).home_surface(name)
        if home is None:
            return np.asarray(value, dtype=float)
        return fit_points(value, home.domain, self.surface())

    # --- building the surface --------------------------------------------------------------

    @classmethod
    def _surface_from_attributes(cls) -> bool:
        """Whether the surface comes from the attributes (:meth:`surface` is not overridden)."""
        return cls.surface is GradScene.surface

    @classmethod
    def _build_surface(cls) -> Surface:
        if cls.formula is not None:
            return cls._formula_surface()
        if cls.surface_name is not None:
            return cls._registered_surface()
        raise ValueError(
            f"{cls.__name__} names no surface: set surface_name (one of: {', '.join(sorted(SURFACES))}) "
            f"or formula (e.g. {EXAMPLE_FORMULA!r})"
        )

    @classmethod
    def _formula_surface(cls) -> Surface:
        if not isinstance(cls.formula, str):
            problem = f"is not a string; give a formula in x and y, e.g. {EXAMPLE_FORMULA!r}"
            raise cls.invalid("formula", cls.formula, problem)
        try:
            return _formula(cls.formula, _frozen(cls.domain))
        except ValueError as error:
            said, named = str(error), f"formula {cls.formula!r} "  # gradcore's message may name it
            if said.startswith(named):  # "formula 'sin(' is not valid syntax: ..."
                problem = said.removeprefix(named)
            else:  # "unknown function 'foo'; ...", "formula 'x.y': attribute access ..."
                problem = "is not valid: " + said.removeprefix(f"formula {cls.formula!r}: ")
            raise cls.invalid("formula", cls.formula, problem) from None

    @classmethod
    def _registered_surface(cls) -> Surface:
        name, params = cls.surface_name, cls.surface_params
        if not isinstance(name, str) or name not in SURFACES:
            known = ", ".join(sorted(SURFACES))
            raise cls.invalid("surface_name", name, f"is not a registered surface; known: {known}")
        if not isinstance(params, Mapping):
            raise cls.invalid("surface_params", params, "is not a mapping; give e.g. {} or {'A': ((1, 0), (0, 4))}")
        fields = [f.name for f in dataclasses.fields(get_surface(name))]
        unknown = [key for key in params if key not in fields]
        if unknown:
            problem = f"names {', '.join(map(repr, unknown))}, not a field of surface {name!r}"
            raise cls.invalid("surface_params", params, f"{problem}; its fields: {', '.join(fields)}")
        params = dict(params) | ({} if cls.domain is None else {"domain": cls.domain})
        try:
            return get_surface(name, **params)
        except (TypeError, ValueError) as error:
            raise cls.invalid("surface_params", cls.surface_params, f"do not fit surface {name!r}: {error}") from None

    @classmethod
    def _check_kind(cls, surface: Surface) -> None:
        """Raise if ``surface`` is not of the scene's ``surface_kind``, with a surface to try instead."""
        what = f"formula {cls.formula!r}" if cls.formula is not None else f"surface_name {cls.surface_name!r}"
        if cls.formula is not None:
            fix = f"try {EXAMPLE_FORMULA!r}"
        else:
            fix = f"try one of: {', '.join(_surfaces_of_kind(cls.surface_kind))}"
        need = f"{cls.__name__} needs {SURFACE_KINDS[cls.surface_kind]}"
        if not isinstance(surface, Quadratic):
            kind = "a quadratic polynomial" if cls.formula is not None else "a quadratic"
            raise ValueError(f"{need}; {what} is not {kind}; {fix}")
        if cls.surface_kind == "positive_definite_quadratic" and not _positive_definite(surface):
            eigenvalues = ", ".join(f"{e:.3g}" for e in surface.eigenvalues)
            raise ValueError(f"{need}; {what} has Hessian eigenvalues {eigenvalues}; {fix}")


def _positive_definite(surface: Quadratic) -> bool:
    return bool(surface.eigenvalues.min() > 0)


def _surfaces_of_kind(kind: str) -> list[str]:
    """Names of the registered surfaces (with their own fields) of ``kind``."""
    surfaces = {name: get_surface(name) for name in sorted(SURFACES)}
    quadratics = [name for name, s in surfaces.items() if isinstance(s, Quadratic)]
    if kind == "positive_definite_quadratic":
        return [name for name in quadratics if _positive_definite(surfaces[name])]
    return quadratics


@functools.lru_cache(maxsize=32)
def _formula(text: str, domain: Domain | None) -> Surface:
    """The surface of formula ``text`` on ``domain``, as a Quadratic where it is one (cached:
    parsing takes sympy a while, and the surfaces are immutable)."""
    from gradcore.expression import from_expression, to_quadratic  # sympy: only for a formula

    surface = from_expression(text, domain=domain)
    return to_quadratic(surface) or surface


def _frozen(domain: Any) -> Any:
    """``domain`` as nested tuples (hashable), or as it is when it is not a 2 x 2 box."""
    try:
        return tuple(tuple(float(v) for v in interval) for interval in domain)
    except TypeError:
        return domain


def surface_words(surface: Surface) -> str:
    """A surface (or curve) as a subtitle says it: its name in words, or ``f = <formula>``.

    >>> from gradcore import from_expression, get_surface
    >>> surface_words(get_surface("six_hump_camel")), surface_words(from_expression("x**2 + y"))
    ('the six hump camel', 'f = x**2 + y')
    """
    name = str(getattr(surface, "name", "") or "surface")
    return f"the {name.replace('_', ' ')}" if name.isidentifier() else f"f = {name}"
