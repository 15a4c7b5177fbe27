"""Word scores: a subword scheme's pieces joined into words, each word one score (the
``aggregate`` option), drawn as one token per word.

A word is a run of pieces the scheme draws as one (:attr:`.display.TokenDisplay.joined`:
``##`` pieces in WordPiece, pieces without a leading space in byte-level BPE and
SentencePiece); its text is the pieces' decoded text (a word's leading space left out).
Its score is, of the scores of its pieces that are present (missing cells left out; a
word whose every piece is missing is missing):

- ``sum`` (inseq's ``SubwordAggregator``), ``mean``, ``max`` (the largest, not the
  largest in absolute value), or ``first`` (the first piece's score: missing if it is).
"""

from __future__ import annotations

import numpy as np

from .data import ScoreRow, TokenScores
from .display import TokenDisplay

#: The ``aggregate`` option's values.
AGGREGATIONS = ("none", "sum", "mean", "max", "first")
_WORDS = {"sum": "sum", "mean": "mean", "max": "largest", "first": "first"}


def describe(method: str) -> str:
    """In words, for the legend: ``a word's score is the sum of its pieces' scores``."""
    return f"a word's score is the {_WORDS[method]} of its pieces' scores"


def word_scores(data: TokenScores, display: TokenDisplay, method: str) -> TokenScores:
    """``data`` with each word of ``display`` (its pieces joined) one token, its scores
    aggregated by ``method`` (one of :data:`AGGREGATIONS` but ``none``), row by row."""
    starts = np.flatnonzero(~display.joined)
    ends = np.append(starts[1:], len(display))
    tokens = []
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        text = "".join(display.decoded[start:end])
        tokens.append(text[1:] if text.startswith(" ") and len(text) > 1 else text)
    rows = tuple(ScoreRow(row.label, _aggregated(row.scores, starts, method)) for row in data.rows)
    return TokenScores(tuple(tokens), rows, row_tokens=data.row_tokens)


def _aggregated(scores: np.ndarray, starts: np.ndarray, method: str) -> np.ndarray:
    if method == "first":
        return scores[starts].copy()
    present = ~np.isnan(scores)
    filled = np.where(present, scores, 0.0)
    counts = np.add.reduceat(present.astype(np.float64), starts)
    with np.errstate(invalid="ignore", divide="ignore"):
        if method == "sum":
            result = np.add.reduceat(filled, starts)
        elif method == "mean":
            result = np.add.reduceat(filled, starts) / counts
        else:  # max
            result = np.maximum.reduceat(np.where(present, scores, -np.inf), starts)
    return np.where(counts > 0, result, np.nan)
