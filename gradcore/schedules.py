r"""Learning-rate schedules: the rate :math:`\eta_k` as a function of the step :math:`k = 0, 1, \ldots`

Each schedule is a small frozen dataclass that is called like a function, ``schedule(k)``, on one
step (a float) or an array of steps (an array, for plotting the rate against the step), and has
a plain ``name`` and a ``latex`` formula in :math:`k` (the right-hand side of
:math:`\eta_k = \ldots`) that a scene can print.  Every optimizer of
:mod:`gradcore.optimizers` takes one as its ``lr``.

Examples
--------
>>> schedule = step_decay(0.1, 0.5, every=10)
>>> schedule(0), schedule(25)
(0.1, 0.025)
>>> schedule.latex
'0.1 \\cdot 0.5^{\\lfloor k / 10 \\rfloor}'
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

import numpy as np

from gradcore.surface import check_finite, check_nonnegative, check_positive

__all__ = [
    "Constant",
    "Cosine",
    "Exponential",
    "InverseTime",
    "Schedule",
    "StepDecay",
    "constant",
    "cosine",
    "exponential",
    "inverse_time",
    "step_decay",
]


class Schedule(ABC):
    r"""A learning rate :math:`\eta_k` that depends on the step :math:`k`.

    Subclasses implement :meth:`_rate` on an array of steps; calling the schedule checks the
    steps (finite, :math:`\ge 0`) and returns a float for one step, an array for an array.
    """

    name: str

    @property
    @abstractmethod
    def latex(self) -> str:
        r"""The formula in :math:`k`, the right-hand side of :math:`\eta_k = \ldots` (no ``$``)."""

    @abstractmethod
    def _rate(self, k: np.ndarray) -> np.ndarray: ...

    def __call__(self, k: Any) -> float | np.ndarray:
        steps = check_finite(k, "k")
        if np.any(steps < 0):
            raise ValueError(f"k must be a step number >= 0, got {k!r}")
        rate = np.asarray(self._rate(steps), dtype=float)
        return float(rate) if rate.ndim == 0 else rate


@dataclass(frozen=True)
class Constant(Schedule):
    r""":math:`\eta_k = \eta`: the same rate at every step; see :func:`constant`."""

    lr: float
    name: str = "constant"

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", check_positive(self.lr, "lr"))

    @property
    def latex(self) -> str:
        return f"{self.lr:g}"

    def _rate(self, k: np.ndarray) -> np.ndarray:
        return np.full(k.shape, self.lr)  # exactly lr: an optimizer steps as with the number


@dataclass(frozen=True)
class StepDecay(Schedule):
    r""":math:`\eta_k = \eta\, \gamma^{\lfloor k / s \rfloor}`: the rate drops by ``factor``
    :math:`\gamma` every ``every`` :math:`s` steps; see :func:`step_decay`."""

    lr: float
    factor: float
    every: float
    name: str = "step decay"

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", check_positive(self.lr, "lr"))
        object.__setattr__(self, "factor", check_positive(self.factor, "factor"))
        object.__setattr__(self, "every", check_positive(self.every, "every"))

    @property
    def latex(self) -> str:
        return f"{self.lr:g} \\cdot {self.factor:g}^{{\\lfloor k / {self.every:g} \\rfloor}}"

    def _rate(self, k: np.ndarray) -> np.ndarray:
        return self.lr * self.factor ** (k // self.every)


@dataclass(frozen=True)
class Exponential(Schedule):
    r""":math:`\eta_k = \eta\, \gamma^k`; see :func:`exponential`."""

    lr: float
    gamma: float
    name: str = "exponential"

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", check_positive(self.lr, "lr"))
        object.__setattr__(self, "gamma", check_positive(self.gamma, "gamma"))

    @property
    def latex(self) -> str:
        return f"{self.lr:g} \\cdot {self.gamma:g}^{{k}}"

    def _rate(self, k: np.ndarray) -> np.ndarray:
        return self.lr * self.gamma**k


@dataclass(frozen=True)
class InverseTime(Schedule):
    r""":math:`\eta_k = \eta / (1 + r k)`; see :func:`inverse_time`."""

    lr: float
    rate: float
    name: str = "inverse time"

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", check_positive(self.lr, "lr"))
        object.__setattr__(self, "rate", check_nonnegative(self.rate, "rate"))

    @property
    def latex(self) -> str:
        return f"\\frac{{{self.lr:g}}}{{1 + {self.rate:g}\\, k}}"

    def _rate(self, k: np.ndarray) -> np.ndarray:
        return self.lr / (1 + self.rate * k)


@dataclass(frozen=True)
class Cosine(Schedule):
    r""":math:`\eta_k = \tfrac{\eta}{2} \left(1 + \cos \frac{\pi \min(k, T)}{T}\right)`: from
    :math:`\eta` down to 0 at step :math:`T` = ``total``, then 0; see :func:`cosine`."""

    lr: float
    total: float
    name: str = "cosine"

    def __post_init__(self) -> None:
        object.__setattr__(self, "lr", check_positive(self.lr, "lr"))
        object.__setattr__(self, "total", check_positive(self.total, "total"))

    @property
    def latex(self) -> str:
        T = f"{self.total:g}"
        return f"\\frac{{{self.lr:g}}}{{2}} \\left(1 + \\cos \\frac{{\\pi \\min(k, {T})}}{{{T}}}\\right)"

    def _rate(self, k: np.ndarray) -> np.ndarray:
        return self.lr * (1 + np.cos(math.pi * np.minimum(k, self.total) / self.total)) / 2


def constant(lr: float) -> Constant:
    r"""The constant rate :math:`\eta_k = \eta`.

    An optimizer given ``constant(lr)`` takes exactly the steps it takes with ``lr``.

    >>> constant(0.1)(7)
    0.1
    """
    return Constant(lr)


def step_decay(lr: float, factor: float, every: float) -> StepDecay:
    r"""Step decay :math:`\eta_k = \eta\, \gamma^{\lfloor k / s \rfloor}`, :math:`\gamma` = ``factor``,
    :math:`s` = ``every`` (both > 0).

    >>> step_decay(1.0, 0.5, every=100)([0, 99, 100, 250])
    array([1.  , 1.  , 0.5 , 0.25])
    """
    return StepDecay(lr, factor, every)


def exponential(lr: float, gamma: float) -> Exponential:
    r"""Exponential decay :math:`\eta_k = \eta\, \gamma^k` (``gamma`` > 0).

    >>> exponential(1.0, 0.5)([0, 1, 2])
    array([1.  , 0.5 , 0.25])
    """
    return Exponential(lr, gamma)


def inverse_time(lr: float, rate: float) -> InverseTime:
    r"""Inverse-time decay :math:`\eta_k = \eta / (1 + r k)`, :math:`r` = ``rate`` :math:`\ge 0`:
    the :math:`\sum \eta_k = \infty`, :math:`\sum \eta_k^2 < \infty` shape of stochastic
    approximation (Robbins and Monro 1951).

    >>> inverse_time(1.0, 0.5)([0, 2, 6])
    array([1.  , 0.5 , 0.25])
    """
    return InverseTime(lr, rate)


def cosine(lr: float, total: float) -> Cosine:
    r"""Cosine annealing (Loshchilov and Hutter 2017, without restarts)
    :math:`\eta_k = \tfrac{\eta}{2} \left(1 + \cos \frac{\pi \min(k, T)}{T}\right)`, :math:`T` =
    ``total``: :math:`\eta` at :math:`k = 0`, :math:`\eta / 2` at :math:`T / 2`, 0 from :math:`T` on.

    >>> cosine(1.0, total=100)([0, 50, 100, 200]).round(12)
    array([1. , 0.5, 0. , 0. ])
    """
    return Cosine(lr, total)
