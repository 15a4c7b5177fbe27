"""Scores of any array type (lists, NumPy, PyTorch, JAX, CuPy, ...) as one float64 NumPy array.

Only duck typing: torch, JAX and CuPy are never imported here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .errors import DataError

# NumPy 2.1 can ask a DLPack producer on another device (a GPU) for a copy on the CPU
_ON_CPU = {"device": "cpu"} if np.lib.NumpyVersion(np.__version__) >= "2.1.0" else {}

# dtype kinds that convert to floats without error, but are not scores
_NOT_SCORES = {"c": "complex numbers", "U": "text", "S": "bytes", "M": "dates", "m": "time spans"}


def as_float_array(values: Any) -> np.ndarray:
    """A new float64 NumPy array of the same shape as ``values`` (any shape: ``as_rows`` wants 1-D or 2-D).

    ``values`` may be:

    - a PyTorch tensor of any dtype (bfloat16, float16, float32/64, integer, bool), on any
      device, with or without ``requires_grad``: read as ``.detach().cpu().numpy()``, and
      through ``.float()`` for the dtypes NumPy lacks (bfloat16, float8), which float32 holds exactly;
    - a NumPy array of any real dtype, including ml_dtypes' bfloat16;
    - an object with ``__dlpack__`` (JAX, CuPy, ...), read with :func:`numpy.from_dlpack`;
      when that fails (NumPy takes no bfloat16 or float8 through DLPack) and the object has an
      array API namespace, it is cast to float32 there (exact for those dtypes) and read again,
      otherwise it is read through ``__array__``;
    - anything else :func:`numpy.asarray` reads: an object with ``__array__``, a number,
      a (nested) sequence of numbers.

    Booleans become 0 and 1; ``None`` (a missing score) becomes NaN. Raise :class:`DataError`
    (a ``ValueError``), naming what was given, for complex numbers, text, dates, integers
    beyond the float range, other objects, ragged nesting, or an array that cannot be
    brought to the CPU.
    """
    try:
        array = _as_numpy(values)
    except (BufferError, RuntimeError, TypeError, ValueError) as error:
        raise DataError(
            f"scores must be numbers; {type(values).__name__} could not be read as an array: {error}"
        ) from error
    if array.dtype.kind == "O":  # None is a missing score: NaN
        array = np.where(np.equal(array, None), np.nan, array)
    what = _NOT_SCORES.get(array.dtype.kind)
    if what is None:
        try:
            return array.astype(np.float64)
        except OverflowError:
            what = "numbers beyond the float range (about 1.8e308)"
        except (TypeError, ValueError):
            what = "objects that are not numbers"
    raise DataError(f"scores must be real numbers, not {what} (given: {type(values).__name__} of dtype {array.dtype})")


def _as_numpy(values: Any) -> np.ndarray:
    """``values`` as a NumPy array of its own dtype, or of float32 for dtypes NumPy lacks."""
    if isinstance(values, np.ndarray):
        return values
    if hasattr(values, "detach") and hasattr(values, "cpu"):  # a torch tensor, on any device
        tensor = values.detach().cpu()
        try:
            return tensor.numpy()
        except TypeError:  # "Got unsupported ScalarType BFloat16"
            return tensor.float().numpy()
    if hasattr(values, "__dlpack__"):
        try:
            return np.from_dlpack(values, **_ON_CPU)
        except (BufferError, RuntimeError, TypeError, ValueError):
            if hasattr(values, "__array_namespace__"):
                xp = values.__array_namespace__()
                try:
                    return np.from_dlpack(xp.astype(values, xp.float32), **_ON_CPU)
                except (BufferError, RuntimeError, TypeError, ValueError):
                    if not hasattr(values, "__array__"):
                        raise
            elif not hasattr(values, "__array__"):
                raise
    return np.asarray(values)
