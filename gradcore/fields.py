"""Sampling vector fields: grids of points, unit vectors, and arrows with clipped lengths."""

from __future__ import annotations

from typing import Any

import numpy as np

from gradcore.surface import check_domain

__all__ = ["MAX_GRID_POINTS", "clip_length", "grid", "normalized"]

MAX_GRID_POINTS = 16_000_000
"""Most points of :func:`grid` (4000 x 4000, 256 MB of coordinates)."""


def grid(domain: Any, shape: tuple[int, int] = (20, 20)) -> np.ndarray:
    """Points of a regular ``nx x ny`` grid over ``domain``, shape ``(ny, nx, 2)``.

    ``grid(domain)[j, i]`` is :math:`(x_i, y_j)`, corners included, as in ``np.meshgrid``.

    Raises
    ------
    ValueError
        If ``shape`` is not two integers of at least 2 whose product is at most
        :data:`MAX_GRID_POINTS`, or ``domain`` is not a valid domain.
    """
    (xmin, xmax), (ymin, ymax) = check_domain(domain)
    if np.shape(shape) != (2,) or not all(isinstance(n, (int, np.integer)) and n >= 2 for n in shape):
        raise ValueError(f"shape must be two integers (nx, ny), each at least 2, got {shape!r}")
    if int(shape[0]) * int(shape[1]) > MAX_GRID_POINTS:
        raise ValueError(
            f"shape must have at most {MAX_GRID_POINTS:,} points (MAX_GRID_POINTS), got {shape[0]} x {shape[1]}; "
            "use a coarser grid"
        )
    xs, ys = np.meshgrid(np.linspace(xmin, xmax, shape[0]), np.linspace(ymin, ymax, shape[1]))
    return np.stack([xs, ys], axis=-1)


def normalized(v: Any) -> np.ndarray:
    r"""Unit vectors :math:`v / |v|` along the last axis; zero vectors stay zero.

    Each vector is first scaled by a power of two (exactly) to a largest component in
    :math:`[0.5, 1)`, so subnormal vectors keep full precision."""
    v, _ = _lengths(v)
    _, exponent = np.frexp(np.max(np.abs(v), axis=-1, keepdims=True))
    v = np.ldexp(v, -exponent)
    length = np.hypot(v[..., 0], v[..., 1])[..., None]
    with np.errstate(all="ignore"):
        return np.where(length == 0, 0.0, v / length)


def clip_length(v: Any, max_length: float) -> tuple[np.ndarray, np.ndarray]:
    r"""Vectors scaled to at most ``max_length``: :math:`v \min(1, \ell / |v|)`, and the mask of clipped ones.

    The mask (shape ``v.shape[:-1]``) tells a scene which arrows to draw as clipped.
    """
    if not (np.isscalar(max_length) and np.isfinite(max_length) and max_length > 0):
        raise ValueError(f"max_length must be a positive finite number, got {max_length!r}")
    v, length = _lengths(v)
    mask = length > max_length
    with np.errstate(all="ignore"):
        return np.where(mask, v * (max_length / length), v), mask[..., 0]


def _lengths(v: Any) -> tuple[np.ndarray, np.ndarray]:
    # hypot neither underflows nor overflows for tiny or huge vectors.
    v = np.asarray(v, dtype=float)
    if v.ndim == 0 or v.shape[-1] != 2:
        raise ValueError(f"vectors must have a last axis of length 2, got shape {v.shape}")
    return v, np.hypot(v[..., 0], v[..., 1])[..., None]
