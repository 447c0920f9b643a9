r"""How strongly a surface curves over its domain: the scale a learning rate is measured against.

Gradient descent on a quadratic with Hessian eigenvalues up to :math:`\lambda` is stable for
:math:`\eta < 2 / \lambda`; on any other surface the Hessian changes from point to point, and
:func:`typical_curvature` takes the middle of that range, :func:`largest_curvature` its top (capped
near a singularity), and :func:`default_learning_rates` turns that top into round learning
rates, fractions of the stability bound :math:`2 / \lambda_{max}`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcore.fields import grid
from gradcore.surface import Surface, check_domain

__all__ = ["BOUND_FRACTIONS", "default_learning_rates", "largest_curvature", "typical_curvature"]

BOUND_FRACTIONS = (1 / 16, 1 / 4, 1 / 2, 3 / 4)
r"""The default learning rates of :func:`default_learning_rates`, as fractions of the stability
bound :math:`2 / \lambda_{max}`."""


def typical_curvature(surface: Surface, domain: Any = None, resolution: int = 40) -> float:
    r"""The median, over a ``resolution`` x ``resolution`` grid on ``domain`` (default
    ``surface.domain``), of the Hessian's largest absolute eigenvalue,

    .. math:: \operatorname{median}_{p} \max_i |\lambda_i(\nabla^2 f(p))|,

    over the points where the Hessian is finite; 0 where it is finite nowhere.

    Raises
    ------
    ValueError
        If ``domain`` is not a valid domain or ``resolution`` is not an integer of at least 2.

    Examples
    --------
    >>> from gradcore.quadratic import Quadratic
    >>> typical_curvature(Quadratic([[1.0, 0.0], [0.0, 3.0]]))  # the same Hessian A everywhere
    3.0
    """
    hessians = _finite_hessians(surface, domain, resolution)
    if not len(hessians):
        return 0.0
    return float(np.median(np.abs(np.linalg.eigvalsh(hessians)).max(axis=-1)))


def largest_curvature(surface: Surface, domain: Any = None, resolution: int = 41, cap: float = 10.0) -> float:
    r"""The largest Hessian eigenvalue :math:`\lambda_{max}` over a ``resolution`` x ``resolution``
    grid on ``domain`` (default ``surface.domain``), where the Hessian is finite, at most ``cap``
    times the median of the positive ones (near a singularity it grows without bound):

    .. math:: \min\left(\max_p \lambda_{max}(p),\ \mathrm{cap} \cdot \operatorname{median}_{p}
              \lambda_{max}(p)\right) \quad \text{over the } p \text{ with } \lambda_{max}(p) > 0;

    0 where the surface curves up nowhere.

    Raises
    ------
    ValueError
        If ``domain`` is not a valid domain or ``resolution`` is not an integer of at least 2.

    Examples
    --------
    >>> from gradcore.quadratic import Quadratic
    >>> largest_curvature(Quadratic([[1.0, 0.0], [0.0, 3.0]]))
    3.0
    >>> largest_curvature(Quadratic([[-1.0, 0.0], [0.0, -3.0]]))  # curves down everywhere
    0.0
    """
    hessians = _finite_hessians(surface, domain, resolution)
    largest = np.linalg.eigvalsh(hessians)[:, -1] if len(hessians) else np.empty(0)
    positive = largest[largest > 0]
    return float(min(positive.max(), cap * np.median(positive))) if positive.size else 0.0


def default_learning_rates(
    surface: Surface, domain: Any = None, fractions: tuple[float, ...] = BOUND_FRACTIONS
) -> tuple[float, ...]:
    r"""Round learning rates, ``fractions`` of the stability bound :math:`2 / \lambda_{max}`
    (:func:`largest_curvature` on ``domain``, default ``surface.domain``), none above 0.8 of it.

    Each is the nearest of 1, 1.5, 2, 2.5, 3, 4, ..., 9 times a power of ten, or the next lower
    one where that would pass 0.8 of the bound. On a surface that curves up nowhere the bound
    is instead the step that moves a tenth of the domain's diagonal at the median finite,
    non-zero gradient norm (on a 41 x 41 grid), or 1 where the gradient vanishes everywhere.

    Examples
    --------
    >>> from gradcore.quadratic import elongated_quadratic
    >>> default_learning_rates(elongated_quadratic())  # lambda_max = 2.62: the bound is 0.76
    (0.05, 0.2, 0.4, 0.6)
    """
    domain = check_domain(surface.domain if domain is None else domain)
    curvature = largest_curvature(surface, domain)
    if curvature > 0:
        bound = 2 / curvature
    else:
        with np.errstate(all="ignore"):
            norms = np.linalg.norm(surface.gradient(grid(domain, (41, 41))), axis=-1)
        norms = norms[np.isfinite(norms) & (norms > 0)]
        bound = 0.1 * np.hypot(*np.ptp(np.asarray(domain), axis=1)) / np.median(norms) if norms.size else 1.0
    return tuple(_round_down_past(fraction * bound, 0.8 * bound) for fraction in fractions)


def _finite_hessians(surface: Surface, domain: Any, resolution: int) -> np.ndarray:
    """The Hessians ``(k, 2, 2)`` of ``surface`` that are finite, over a ``resolution`` x
    ``resolution`` grid on ``domain`` (default ``surface.domain``)."""
    domain = check_domain(surface.domain if domain is None else domain)
    with np.errstate(all="ignore"):
        hessians = np.asarray(surface.hessian(grid(domain, (resolution, resolution)).reshape(-1, 2)), dtype=float)
    return hessians[np.all(np.isfinite(hessians), axis=(-2, -1))]


def _round_down_past(value: float, most: float) -> float:
    """``value`` to the nearest of 1, 1.5, 2, 2.5, 3, 4, ..., 9 times a power of ten, the
    next lower one where that would pass ``most``."""
    power = 10.0 ** np.floor(np.log10(value))
    roundish = power * np.array([1, 1.5, 2, 2.5, 3, 4, 5, 6, 7, 8, 9, 10])
    allowed = roundish[roundish <= most]
    choices = allowed if allowed.size else roundish[:1]
    return float(np.round(choices[np.argmin(np.abs(choices - value))], 12))
