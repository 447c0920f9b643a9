from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from gradcore import clip_length, grid, normalized

vectors = arrays(float, st.tuples(st.integers(1, 6), st.just(2)), elements=st.floats(-1e3, 1e3))


def test_grid_has_shape_ny_nx_2_with_x_along_columns():
    points = grid(((-3, 3), (-2, 3)), shape=(7, 6))
    assert points.shape == (6, 7, 2)
    np.testing.assert_allclose(points[0, :, 0], np.linspace(-3, 3, 7))
    np.testing.assert_allclose(points[:, 0, 1], np.linspace(-2, 3, 6))
    np.testing.assert_array_equal(points[-1, -1], [3.0, 3.0])


@settings(max_examples=50)
@given(vectors)
@example(np.array([[2.22507386e-313, 2.22507386e-313]]))  # subnormal: found by hypothesis
def test_normalized_vectors_have_unit_length_and_the_same_direction(v):
    u = normalized(v)
    length = np.hypot(v[:, 0], v[:, 1])
    nonzero = length > 0
    np.testing.assert_allclose(np.linalg.norm(u[nonzero], axis=-1), 1.0, rtol=1e-12)
    np.testing.assert_allclose(u[nonzero] * length[nonzero, None], v[nonzero], rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(u[~nonzero], 0.0)


def test_normalized_keeps_zero_vectors_zero():
    np.testing.assert_array_equal(normalized([[0.0, 0.0], [3.0, 4.0]]), [[0.0, 0.0], [0.6, 0.8]])


@settings(max_examples=50)
@given(vectors, st.floats(0.1, 100))
def test_clip_length_caps_long_vectors_and_keeps_short_ones(v, max_length):
    clipped, mask = clip_length(v, max_length)
    length = np.hypot(v[:, 0], v[:, 1])
    np.testing.assert_array_equal(mask, length > max_length)
    np.testing.assert_array_equal(clipped[~mask], v[~mask])
    np.testing.assert_allclose(np.linalg.norm(clipped[mask], axis=-1), max_length, rtol=1e-12)
    np.testing.assert_allclose(normalized(clipped[mask]), normalized(v[mask]), atol=1e-12)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: grid(((0, 1), (0, 1)), shape=(1, 5)), "shape must be"),
        (lambda: grid(((0, 1), (1, 0))), "domain y-interval"),
        (lambda: grid(((0, 1), (0, 1)), shape=(10**5, 10**5)), r"at most 16,000,000 points \(MAX_GRID_POINTS\)"),
        (lambda: clip_length([[1.0, 0.0]], 0.0), "max_length must be"),
        (lambda: clip_length([[1.0, 0.0]], np.inf), "max_length must be"),
        (lambda: normalized([1.0, 2.0, 3.0]), "last axis of length 2"),
    ],
)
def test_bad_arguments_raise_value_error_naming_them(call, message):
    with pytest.raises(ValueError, match=message):
        call()
