"""Subword tokenizers' pieces shown as words: markers hidden, continuations joined.

- ``wordpiece`` (BERT): ``##`` marks a piece that continues the previous one;
- ``bpe`` (GPT-2, RoBERTa): ``Ġ`` marks a piece that starts a word;
- ``sentencepiece`` (T5, Llama): ``▁`` marks a piece that starts a word.

Special tokens (``[CLS]``, ``<s>``, ...) always stand alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_SPECIAL = re.compile(r"^(\[[A-Za-z_]+\]|<[^<>\s]+>)$")
_CONTINUATION_MARK = {"wordpiece": "##"}
_WORD_START_MARK = {"bpe": "\u0120", "sentencepiece": "\u2581"}


def split_pieces(tokens: Sequence[str], scheme: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """Each token's text as shown, and whether it joins the previous piece with no space."""
    if scheme == "none":
        return tuple(tokens), (False,) * len(tokens)
    pieces, joins = [], []
    previous_special = True  # the first piece never joins
    for token in tokens:
        special = bool(_SPECIAL.match(token))
        text, continues = _strip_mark(token, scheme)
        joins.append(continues and not special and not previous_special)
        pieces.append(text if text and not special else token)
        previous_special = special
    return tuple(pieces), tuple(joins)


def _strip_mark(token: str, scheme: str) -> tuple[str, bool]:
    """The token without its marker, and whether it continues a word."""
    if scheme in _CONTINUATION_MARK:
        mark = _CONTINUATION_MARK[scheme]
        return (token[len(mark) :], True) if token.startswith(mark) else (token, False)
    mark = _WORD_START_MARK[scheme]
    return (token[len(mark) :], False) if token.startswith(mark) else (token, True)
