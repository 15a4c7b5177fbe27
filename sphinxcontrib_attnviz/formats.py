"""Every data source, read into one :class:`~.data.TokenScores`.

- the original pair: a tokens file (one token per line) and a scores file (one number per line);
- ``.json``: ``{"tokens": [...], "scores": [...]}`` or ``{"tokens": [...], "scores": {"label": [...]}}``;
- ``.tsv``: ``token<TAB>score`` per line (a token may contain spaces);
- ``.csv``: a header ``token,score[,more...]``, each score column a row named by its header;
- inline text: ``token score`` per line, the score being the last whitespace-separated field.

Errors name the source and, where there is one, the line.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from .data import (
    ScoreRow,
    TokenScores,
    check_regular_file,
    decode_text,
    numbered_lines,
    parse_score,
    read_bytes,
    read_text,
    split_lines,
)
from .errors import DataError, DataFileError

#: File suffixes a single data file may have.
DATA_FILE_SUFFIXES = (".json", ".tsv", ".csv")


def read_token_score_files(
    tokens_path: str | Path,
    scores_path: str | Path,
    tokens_source: str | None = None,
    scores_source: str | None = None,
) -> TokenScores:
    """Read a tokens file and a scores file (the original formats).

    ``*_source`` are the names used in messages (default: the paths as given). Long files
    are read lean: the scores straight into an array, the tokens line by line with each
    distinct token kept once; line numbers are worked out only when there is an error.
    """
    tokens_source = tokens_source or str(tokens_path)
    scores_source = scores_source or str(scores_path)
    check_regular_file(tokens_path, tokens_source)
    try:
        # universal newlines: \n, \r\n and \r all end a line, as in the original script
        tokens_file = open(tokens_path, encoding="utf-8-sig", newline=None)  # noqa: SIM115 (closed below)
    except OSError:
        read_bytes(tokens_path, tokens_source)  # raises the located DataFileError
        raise
    with tokens_file:
        raw_scores = read_bytes(scores_path, scores_source)
        scores = parse_score_lines(
            raw_scores if raw_scores.isascii() else decode_text(raw_scores, scores_source), scores_source
        )
        del raw_scores  # before the tokens are read: the two files are never held at once
        try:
            tokens = token_list(tokens_file)
        except UnicodeDecodeError:
            read_text(tokens_path, tokens_source)  # raises the located DataFileError
            raise
    return _paired(
        tokens,
        scores,
        lambda: read_text(tokens_path, tokens_source),
        lambda: read_text(scores_path, scores_source),
        tokens_source,
        scores_source,
    )


def parse_token_score_texts(tokens_text: str, scores_text: str, tokens_source: str, scores_source: str) -> TokenScores:
    """The tokens and scores files' texts: one entry per non-blank line, stripped."""
    scores = parse_score_lines(scores_text, scores_source)
    tokens = token_list(split_lines(tokens_text))
    return _paired(tokens, scores, lambda: tokens_text, lambda: scores_text, tokens_source, scores_source)


def token_list(lines: Iterable[str]) -> list[str]:
    """The stripped non-blank lines, each distinct token kept as one string object."""
    distinct: dict[str, str] = {}
    keep = distinct.setdefault
    return [keep(token, token) for line in lines if (token := line.strip())]


def _paired(
    tokens: list[str],
    scores: np.ndarray,
    tokens_text: Callable[[], str],
    scores_text: Callable[[], str],
    tokens_source: str,
    scores_source: str,
) -> TokenScores:
    """The record, once the counts are checked (the texts are read again only for a message)."""
    if not tokens:
        raise DataError("no tokens (the file is empty or blank)", tokens_source)
    if len(tokens) != len(scores):
        raise _count_mismatch(
            numbered_lines(tokens_text()), numbered_lines(scores_text()), tokens_source, scores_source
        )
    return TokenScores(tuple(tokens), (ScoreRow(None, scores),))


def parse_score_lines(text: str | bytes, source: str) -> np.ndarray:
    """One finite score per non-blank line; a DataError names the first bad line.

    The fast way splits the whole text at whitespace and converts with ``float``, which
    is the same as reading line by line whenever no line holds two fields; otherwise,
    or when a score is not a finite number, the lines are read one by one.
    """
    if not _may_have_two_fields(text):
        try:
            scores = np.fromiter(map(float, text.split()), dtype=np.float64)
        except ValueError:  # a field that is not a number: the lines below say where
            scores = np.empty(0)
        if scores.size and np.isfinite(scores).all():
            return scores
    if isinstance(text, bytes):
        text = decode_text(text, source)
    lines = numbered_lines(text)
    if not lines:
        raise DataError("no scores (the file is empty or blank)", source)
    return np.array([parse_score(line, source, number) for number, line in lines], dtype=np.float64)


#: Two whitespace-separated fields on one line.
_TWO_FIELDS = re.compile(r"\S[^\S\n]+\S")
_TWO_FIELDS_BYTES = re.compile(rb"\S[^\S\n]+\S")
_INNER_SPACES = (b" ", b"\t", b"\r", b"\x0b", b"\x0c")


def _may_have_two_fields(text: str | bytes) -> bool:
    """Whether a line might hold two fields (ASCII text is searched only when it has spaces)."""
    if isinstance(text, bytes):  # ASCII: the only spaces are these
        if not any(space in text for space in _INNER_SPACES):
            return False
        return _TWO_FIELDS_BYTES.search(text) is not None
    return _TWO_FIELDS.search(text) is not None  # any Unicode space splits


def _count_mismatch(
    tokens: list[tuple[int, str]], scores: list[tuple[int, str]], tokens_source: str, scores_source: str
) -> DataError:
    """A DataError located at the first line of the longer file that has no partner."""
    message = (
        f"{len(tokens)} tokens in {tokens_source} but {len(scores)} scores in {scores_source}; the counts must be equal"
    )
    if len(tokens) > len(scores):
        line, token = tokens[len(scores)]
        return DataError(f"{message} (first token without a score: {token!r})", tokens_source, line)
    line, _ = scores[len(tokens)]
    return DataError(f"{message} (first score without a token)", scores_source, line)


def read_data_file(path: str | Path, source: str | None = None) -> TokenScores:
    """Read a ``.json``, ``.tsv`` or ``.csv`` data file, chosen by its suffix."""
    source = source or str(path)
    suffix = Path(path).suffix.lower()
    parsers = {".json": parse_json, ".tsv": parse_tsv, ".csv": parse_csv}
    if suffix not in parsers:
        raise DataFileError(
            f"unknown data format {suffix or '(no suffix)'!r}; use one of {', '.join(DATA_FILE_SUFFIXES)}", source
        )
    return parsers[suffix](read_text(path, source), source)


def parse_json(text: str, source: str) -> TokenScores:
    """``{"tokens": [...], "scores": [...] or {"label": [...], ...}}``, or with the original
    text and each token's span, ``{"text": "...", "offsets": [[0, 3], ...], "scores": ...}``
    (``"tokens"`` optional there); other keys are ignored."""
    numbers = _JsonNumbers(source)
    try:
        document = json.loads(text, parse_int=numbers.integer, parse_float=numbers.real)
    except json.JSONDecodeError as error:
        raise DataError(f"not valid JSON: {error.msg}", source, error.lineno) from None
    except RecursionError:
        raise DataError(
            "nested too deeply (arrays or objects inside each other beyond Python's limit)", source
        ) from None
    with_offsets = isinstance(document, dict) and "offsets" in document
    needed = ("text", "offsets", "scores") if with_offsets else ("tokens", "scores")
    if not isinstance(document, dict) or any(key not in document for key in needed):
        expected = '"text", "offsets" and "scores"' if with_offsets else '"tokens" and "scores"'
        raise DataError(f"expected an object with {expected}", source)
    tokens, scores = document.get("tokens"), document["scores"]
    if (tokens is not None or not with_offsets) and (
        not isinstance(tokens, list) or not all(isinstance(token, str) for token in tokens)
    ):
        raise DataError('"tokens" must be a list of strings', source)
    if isinstance(scores, dict):
        if not all(isinstance(row, list) for row in scores.values()):
            raise DataError('every row in "scores" must be a list of numbers', source)
    elif not isinstance(scores, list):
        raise DataError('"scores" must be a list of numbers or an object of named lists', source)
    if with_offsets:
        offsets = document["offsets"]
        if not isinstance(offsets, list):
            raise DataError('"offsets" must be a list of [start, end] pairs', source)
        return TokenScores.checked_offsets(document["text"], offsets, scores, tokens, source)
    return TokenScores.checked(tokens, scores, source)


class _JsonNumbers:
    """JSON numbers as the reader takes them: integers as ``int`` (offsets must be), but
    any number beyond the float range is a DataError naming it, never an OverflowError
    later (nor Python's limit on the digits of an ``int``)."""

    #: Integers of up to this many digits are exact as ``int`` and within the float range.
    SHORT = 300

    def __init__(self, source: str) -> None:
        self.source = source

    def integer(self, text: str) -> int | float:
        return int(text) if len(text.lstrip("-")) <= self.SHORT else self.real(text)

    def real(self, text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            shown = text if len(text) <= 24 else f"{text[:12]}...{text[-6:]} ({len(text)} characters)"
            raise DataError(f"{shown} is beyond the float range (about 1.8e308)", self.source)
        return value


def parse_tsv(text: str, source: str) -> TokenScores:
    """``token<TAB>score`` lines; an optional first line ``token<TAB>score`` is a header."""
    return parse_pairs(text, source, separator="\t")


def parse_pairs(text: str, source: str, separator: str | None = None, first_line: int = 1) -> TokenScores:
    """Lines of a token and a score: split at the last ``separator`` (any whitespace if None)."""
    lines = numbered_lines(text, first_line)
    if lines and lines[0][1].lower().split(separator) == ["token", "score"]:
        lines = lines[1:]
    if not lines:
        raise DataError("no tokens and scores (empty)", source)
    tokens, scores = [], []
    for number, line in lines:
        parts = line.rsplit(separator, 1)
        if len(parts) != 2 or not parts[0].strip():
            what = "a tab" if separator == "\t" else "whitespace"
            raise DataError(f"expected a token, {what}, and a score: {line!r}", source, number)
        tokens.append(parts[0].strip())
        scores.append(parse_score(parts[1].strip(), source, number))
    return TokenScores(tuple(tokens), (ScoreRow(None, np.array(scores)),))


def parse_csv(text: str, source: str) -> TokenScores:
    """A header ``token,score[,more...]``; one score column is one unnamed row, several are
    named rows (distinct, non-empty names). Read as RFC 4180 says: a quoted field keeps
    every character, line breaks included."""
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next((row for row in reader if row), None)
    if header is None:
        raise DataError("no header and no data (empty)", source)
    header = [name.strip() for name in header]
    if len(header) < 2 or header[0].lower() != "token":
        raise DataError(
            f"the first line must be a header 'token,score[,...]', not {','.join(header)!r}", source, reader.line_num
        )
    names = header[1:]
    if len(names) > 1 and ("" in names or len(set(names)) < len(names)):
        bad = sorted({repr(name) for name in names if not name or names.count(name) > 1})
        raise DataError(f"score columns need distinct, non-empty names: {', '.join(bad)}", source, reader.line_num)
    tokens: list[str] = []
    columns: list[list[float]] = [[] for _ in header[1:]]
    for row in reader:
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise DataError(f"{len(row)} fields where the header has {len(header)}", source, reader.line_num)
        tokens.append(row[0].strip())
        for column, cell in zip(columns, row[1:], strict=True):
            column.append(parse_score(cell.strip(), source, reader.line_num))
    if not tokens:
        raise DataError("a header but no data", source)
    labels: list[str | None] = [None] if len(columns) == 1 else list(header[1:])
    return TokenScores(
        tuple(tokens), tuple(ScoreRow(label, np.array(column)) for label, column in zip(labels, columns, strict=True))
    )
