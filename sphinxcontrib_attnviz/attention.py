"""Attention weights as one matrix of scores, queries by keys.

``transformers`` returns a layer's attention (``output_attentions=True``) as
``[batch, heads, queries, keys]``; :func:`attention_matrix` takes one example's
``[heads, queries, keys]`` (or a 2-D matrix) to the ``[queries, keys]`` matrix a figure
draws: one head, or the heads reduced.
"""

from __future__ import annotations

import warnings

import numpy as np

from .errors import DataError, OptionError

#: How :meth:`.api.AttentionViz.from_attention` reduces several heads to one matrix.
HEAD_REDUCTIONS = ("mean", "max", "sum")


def attention_matrix(attention: np.ndarray, head: int | None = None, reduce: str | None = None) -> np.ndarray:
    """``[queries, keys]`` from a 2-D array, or from ``[heads, queries, keys]`` (a leading
    batch of one, ``[1, heads, queries, keys]``, dropped) by taking ``head`` or reducing
    the heads (``reduce``: :data:`HEAD_REDUCTIONS`; NaN entries left out, a cell missing
    in every head stays missing). Raises DataError for another shape, OptionError for a
    missing, unknown or out-of-range choice."""
    if attention.ndim == 4 and attention.shape[0] == 1:
        attention = attention[0]
    if attention.ndim == 2:
        if head is not None or reduce is not None:
            raise OptionError("head and reduce pick among heads: this attention is one [queries, keys] matrix")
        return attention
    if attention.ndim != 3:
        raise DataError(
            f"attention of shape {attention.shape}: expected [queries, keys], [heads, queries, keys] "
            "or [1, heads, queries, keys]"
        )
    heads = attention.shape[0]
    if head is not None and reduce is not None:
        raise OptionError("give head or reduce, not both: head picks one head, reduce joins them all")
    if head is None and reduce is None:
        raise OptionError(f"the attention has {heads} heads: give head (0 to {heads - 1}) or reduce (mean, max, sum)")
    if head is not None:
        if isinstance(head, bool) or not isinstance(head, int | np.integer) or not 0 <= head < heads:
            raise OptionError(f"head must be an integer from 0 to {heads - 1}, not {head!r}")
        return attention[head]
    if reduce not in HEAD_REDUCTIONS:
        raise OptionError(f"reduce must be one of {', '.join(HEAD_REDUCTIONS)}, not {reduce!r}")
    present = ~np.isnan(attention)
    with warnings.catch_warnings(), np.errstate(invalid="ignore"):
        warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN cells: NaN, as they should be
        reduced = {"mean": np.nanmean, "max": np.nanmax, "sum": np.nansum}[reduce](attention, axis=0)
    return np.where(present.any(axis=0), reduced, np.nan)
