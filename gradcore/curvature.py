r"""How strongly a surface curves over its domain: the scale a learning rate is measured against.

Gradient descent on a quadratic with Hessian eigenvalues up to :math:`\lambda` is stable for
:math:`\eta < 2 / \lambda`; on any other surface the Hessian changes from point to point, and
:func:`typical_curvature` takes the middle of that range.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcore.fields import grid
from gradcore.surface import Surface, check_domain

__all__ = ["typical_curvature"]


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
    domain = check_domain(surface.domain if domain is None else domain)
    with np.errstate(all="ignore"):
        hessians = np.asarray(surface.hessian(grid(domain, (resolution, resolution)).reshape(-1, 2)))
    hessians = hessians[np.all(np.isfinite(hessians), axis=(-2, -1))]
    if not len(hessians):
        return 0.0
    return float(np.median(np.abs(np.linalg.eigvalsh(hessians)).max(axis=-1)))
