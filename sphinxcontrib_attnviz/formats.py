"""Every data source, read into one :class:`~.data.TokenScores`.

- the original pair: a tokens file (one token per line) and a scores file (one number per line);
- ``.json``: ``{"tokens": [...], "scores": [...]}`` or ``{"tokens": [...], "scores": {"label": [...]}}``;
  a matrix, ``{"tokens": [...], "rows": [...], "matrix": [[...], ...]}`` or
  ``{"source": [...], "target": [...], "matrix": [[...], ...]}`` (:func:`parse_json_matrix`);
- ``.tsv``: ``token<TAB>score`` per line (a token may contain spaces);
- ``.csv``: a header ``token,score[,more...]``, each score column a row named by its header;
- inline text: ``token score`` per line, the score being the last whitespace-separated field.

Errors name the source and, where there is one, the line.
"""

from __future__ import annotations

import codecs
import csv
import difflib
import io
import json
import math
import os
import re
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from .data import (
    ScoreRow,
    TokenLimit,
    TokenScores,
    check_regular_file,
    count_line_breaks,
    decode_text,
    iter_numbered_lines,
    parse_score,
    read_bytes,
    read_text,
    shortened,
    shown,
    unique_labels,
)
from .errors import DataError, DataFileError

#: File suffixes a single data file may have.
DATA_FILE_SUFFIXES = (".json", ".tsv", ".csv")


def read_token_score_files(
    tokens_path: str | Path,
    scores_path: str | Path,
    tokens_source: str | None = None,
    scores_source: str | None = None,
    limit: TokenLimit | None = None,
) -> TokenScores:
    """Read a tokens file and a scores file (the original formats).

    ``*_source`` are the names used in messages (default: the paths as given). Both files
    are streamed: the scores file first, a chunk of lines at a time straight into an array
    (so an error on its last line costs no more than reading it), then the tokens line by
    line with each distinct token kept once; line numbers for a count mismatch are worked
    out only then. With a ``limit``, reading stops within a batch of lines past it
    (:data:`TOKEN_BATCH`).
    """
    tokens_source = tokens_source or str(tokens_path)
    scores_source = scores_source or str(scores_path)
    for path, source in ((tokens_path, tokens_source), (scores_path, scores_source)):
        check_regular_file(path, source)
        check_size(path, source, limit)
    try:
        # universal newlines: \n, \r\n and \r all end a line, as in the original script
        tokens_file = open(tokens_path, encoding="utf-8-sig", newline=None)  # noqa: SIM115 (closed below)
    except OSError:
        read_bytes(tokens_path, tokens_source)  # raises the located DataFileError
        raise
    with tokens_file:
        scores = read_score_file(scores_path, scores_source, limit)
        try:
            tokens = token_list(tokens_file, tokens_source, limit)
        except UnicodeDecodeError:
            read_text(tokens_path, tokens_source)  # raises the located DataFileError
            raise
        except OSError as error:
            raise DataFileError(f"cannot be read: {error.strerror or error}", tokens_source) from None
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
    tokens = token_list(io.StringIO(tokens_text, newline=None), tokens_source)
    return _paired(tokens, scores, lambda: tokens_text, lambda: scores_text, tokens_source, scores_source)


#: Lines of a tokens file read at a time under a limit: reading stops within this many
#: lines past it, and each batch is stripped and kept in one comprehension (no per-line check).
TOKEN_BATCH = 4096


def token_list(lines: Iterable[str], source: str, limit: TokenLimit | None = None) -> list[str]:
    """The stripped non-blank lines (each an item of ``lines``), each distinct token kept as
    one string object; a DataError naming the line of the first token past ``limit``."""
    distinct: dict[str, str] = {}
    keep = distinct.setdefault
    if limit is None:
        return [keep(token, token) for line in lines if (token := line.strip())]
    tokens: list[str] = []
    lines = iter(lines)
    lines_before = 0
    while batch := list(islice(lines, TOKEN_BATCH)):
        kept = [keep(token, token) for line in batch if (token := line.strip())]
        if len(tokens) + len(kept) > limit.count:
            first_past = _non_blank_line(batch, limit.count - len(tokens))
            limit.check(limit.count + 1, source, lines_before + first_past)
        tokens += kept
        lines_before += len(batch)
    return tokens


def _non_blank_line(lines: list[str], index: int) -> int:
    """The 1-based position in ``lines`` of its non-blank line number ``index`` (from 0)."""
    non_blank = (number for number, line in enumerate(lines, start=1) if line.strip())
    return next(islice(non_blank, index, None))


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
        raise _count_mismatch(len(tokens), len(scores), tokens_text, scores_text, tokens_source, scores_source)
    return TokenScores(tuple(tokens), (ScoreRow(None, scores),))


#: Bytes of a scores file read at a time (then cut after its last whole line).
SCORE_CHUNK = 1 << 18


def read_score_file(path: str | Path, source: str, limit: TokenLimit | None = None) -> np.ndarray:
    """A scores file (one finite score per non-blank line), streamed a chunk of whole lines
    at a time into one array: peak memory is the scores' array and one chunk, and an error
    names its line as soon as its chunk is read. Same rules as :func:`parse_score_lines`."""
    check_regular_file(path, source)
    scores = array("d")
    line = 1
    try:
        with open(path, "rb") as file:
            for index, chunk in enumerate(_whole_line_chunks(file)):
                body = chunk.removeprefix(codecs.BOM_UTF8) if index == 0 else chunk
                values = _chunk_scores(body, source, line)
                if limit is not None and len(scores) + values.size > limit.count:
                    lines = iter_numbered_lines(decode_text(body, source, line, bom=False), line)
                    first_extra, _ = next(islice(lines, limit.count - len(scores), None))
                    limit.check(len(scores) + values.size, source, first_extra)
                scores.frombytes(values.tobytes())
                line += count_line_breaks(chunk)
    except _LongLineError as long_line:
        raise DataError(
            f"more than {MAX_SCORE_LINE:,} bytes without a line break: not a score", source, line + long_line.breaks
        ) from None
    except OSError as error:
        raise DataFileError(f"cannot be read: {error.strerror or error}", source) from None
    if not scores:
        raise DataError("no scores (the file is empty or blank)", source)
    result = np.frombuffer(scores, dtype=np.float64)
    result.flags.writeable = False
    return result


#: The longest line a scores file may have: far past any number, short of a file read whole.
MAX_SCORE_LINE = 1 << 20


class _LongLineError(Exception):
    """Raised by :func:`_whole_line_chunks` past :data:`MAX_SCORE_LINE` bytes without a cut;
    ``breaks`` line breaks come before the long line in what was held."""

    def __init__(self, breaks: int) -> None:
        self.breaks = breaks


def _whole_line_chunks(file: BinaryIO) -> Iterator[bytes]:
    """The file's bytes in pieces of about :data:`SCORE_CHUNK` that end after a line break
    (the last piece ends where the file does); a ``\r`` at a read's end waits, it may
    start ``\r\n``. Bytes without a line break are held as a list of reads (joined once),
    and no more than :data:`MAX_SCORE_LINE` of them (:class:`_LongLineError`)."""
    held: list[bytes] = []
    held_size = 0
    while block := file.read(SCORE_CHUNK):
        end = max(block.rfind(b"\n"), block.rfind(b"\r", 0, len(block) - 1)) + 1
        if not end:
            held.append(block)
            held_size += len(block)
            if held_size > MAX_SCORE_LINE:
                raise _LongLineError(count_line_breaks(b"".join(held)))
            continue
        yield b"".join([*held, block[:end]])
        held, held_size = [block[end:]], len(block) - end
    if held_size:
        yield b"".join(held)


def parse_score_lines(text: str | bytes, source: str) -> np.ndarray:
    """One finite score per non-blank line (:func:`~.data.parse_score`); a DataError names
    the first bad line. ``bytes`` are UTF-8, a BOM at the start is skipped."""
    if isinstance(text, bytes):
        text = text.removeprefix(codecs.BOM_UTF8)
    scores = _chunk_scores(text, source, 1)
    if not scores.size:
        raise DataError("no scores (the file is empty or blank)", source)
    return scores


def _chunk_scores(text: str | bytes, source: str, first_line: int) -> np.ndarray:
    """The scores of whole lines starting at ``first_line``.

    The fast way splits the text at whitespace and converts with ``float``: the same as
    reading line by line whenever the text is ASCII with no underscore (``float`` takes
    ``1_000``, a score may not be written so) and no line holds two fields. Otherwise, or
    when a score is not a finite number, the lines are read one by one to name the bad one.
    """
    if text.isascii() and ("_" if isinstance(text, str) else b"_") not in text and not _may_have_two_fields(text):
        fields = text.split()
        try:
            scores = np.fromiter(map(float, fields), dtype=np.float64, count=len(fields))
        except ValueError:  # a field that is not a number: the lines below say where
            scores = None
        if scores is not None and np.isfinite(scores).all():
            return scores
    if isinstance(text, bytes):
        text = decode_text(text, source, first_line, bom=False)
    lines = iter_numbered_lines(text, first_line)
    return np.array([parse_score(line, source, number) for number, line in lines], dtype=np.float64)


#: Two whitespace-separated fields on one line.
_TWO_FIELDS = re.compile(r"\S[^\S\r\n]+\S")
_TWO_FIELDS_BYTES = re.compile(rb"\S[^\S\r\n]+\S")
_INNER_SPACES = (b" ", b"\t", b"\x0b", b"\x0c")


def _may_have_two_fields(text: str | bytes) -> bool:
    """Whether a line might hold two fields (ASCII text is searched only when it has spaces)."""
    if isinstance(text, bytes):  # ASCII: the only spaces are these
        if not any(space in text for space in _INNER_SPACES):
            return False
        return _TWO_FIELDS_BYTES.search(text) is not None
    return _TWO_FIELDS.search(text) is not None  # any Unicode space splits


def _count_mismatch(
    tokens: int,
    scores: int,
    tokens_text: Callable[[], str],
    scores_text: Callable[[], str],
    tokens_source: str,
    scores_source: str,
) -> DataError:
    """A DataError located at the first line of the longer file that has no partner (its
    text read again, its lines counted one at a time, never listed)."""
    message = f"{tokens} tokens in {tokens_source} but {scores} scores in {scores_source}; the counts must be equal"
    if tokens > scores:
        line, token = next(islice(iter_numbered_lines(tokens_text()), scores, None))
        return DataError(f"{message} (first token without a score: {shown(token)})", tokens_source, line)
    line, _ = next(islice(iter_numbered_lines(scores_text()), tokens, None))
    return DataError(f"{message} (first score without a token)", scores_source, line)


#: In a docs build, the most bytes per allowed token a data file may have.
BYTES_PER_TOKEN = 1024


def read_data_file(path: str | Path, source: str | None = None, limit: TokenLimit | None = None) -> TokenScores:
    """Read a ``.json``, ``.tsv`` or ``.csv`` data file, chosen by its suffix.

    With a ``limit``, a file larger than :data:`BYTES_PER_TOKEN` per allowed token is
    refused before it is read (a JSON document is parsed whole), and a figure with more
    tokens than the limit is refused.
    """
    source = source or str(path)
    if os.path.exists(path):  # a directory or a pipe is named as such, whatever its suffix
        check_regular_file(path, source)
    suffix = Path(path).suffix.lower()
    parsers = {".json": parse_json, ".tsv": parse_tsv, ".csv": parse_csv}
    if suffix not in parsers:
        raise DataFileError(
            f"unknown data format {suffix or '(no suffix)'!r}; use one of {', '.join(DATA_FILE_SUFFIXES)}", source
        )
    check_regular_file(path, source)
    check_size(path, source, limit)
    return parsers[suffix](read_text(path, source), source, limit)


def check_size(path: str | Path, source: str, limit: TokenLimit | None) -> None:
    """With a ``limit``, a DataError for a file larger than :data:`BYTES_PER_TOKEN` per
    allowed token (checked before it is read: a mistaken huge file costs nothing)."""
    if limit is not None and (size := os.stat(path).st_size) > limit.count * BYTES_PER_TOKEN:
        raise DataError(
            f"{size:,} bytes: larger than a figure of at most {limit.count:,} tokens can need "
            f"({BYTES_PER_TOKEN} bytes a token); raise {limit.setting} to read it",
            source,
        )


def parse_json(text: str, source: str, limit: TokenLimit | None = None) -> TokenScores:
    """``{"tokens": [...], "scores": [...] or {"label": [...], ...}}``, or with the original
    text and each token's span, ``{"text": "...", "offsets": [[0, 3], ...], "scores": ...}``
    (``"tokens"`` optional there); other keys are ignored. A score ``null`` is a missing
    cell."""
    numbers = _JsonNumbers(source)
    document = json_document(
        text,
        source,
        parse_int=numbers.integer,
        parse_float=numbers.real,
        parse_constant=numbers.constant,
        object_pairs_hook=numbers.unique_keys,
    )
    if isinstance(document, dict) and "matrix" in document:
        return parse_json_matrix(document, source, limit)
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
        for label, row in scores.items():
            _check_json_scores(row, f"row {label!r}: ", tokens, source)
    elif isinstance(scores, list):
        _check_json_scores(scores, "", tokens, source)
    else:
        raise DataError('"scores" must be a list of numbers or an object of named lists', source)
    if with_offsets:
        offsets = document["offsets"]
        if not isinstance(offsets, list):
            raise DataError('"offsets" must be a list of [start, end] pairs', source)
        if limit is not None:
            limit.check(len(offsets), source)
        return TokenScores.checked_offsets(document["text"], offsets, scores, tokens, source, missing=True)
    if limit is not None:
        limit.check(len(tokens), source)
    return TokenScores.checked(tokens, scores, source, missing=True)


def is_own_json(document: object) -> bool:
    """Whether a parsed JSON document has the shape of one of ours (:func:`parse_json`)."""
    if not isinstance(document, dict):
        return False
    return "matrix" in document or ("scores" in document and ("tokens" in document or "offsets" in document))


#: The keys of the matrix forms (:func:`parse_json_matrix`).
MATRIX_KEYS = ("tokens", "rows", "source", "target", "matrix")


def parse_json_matrix(document: dict[str, Any], source: str, limit: TokenLimit | None = None) -> TokenScores:
    """A matrix of scores, rows by columns (``null``: a missing cell), in one of two forms:

    - ``{"tokens": [...], "rows": [...], "matrix": [[...], ...]}``: columns are ``tokens``,
      rows are named by ``rows`` (strings); without ``rows``, the rows are the tokens
      themselves (self-attention, queries by keys: the matrix is square).
    - ``{"source": [...], "target": [...], "matrix": [[...], ...]}``: a row per target
      (generated) token; columns are the source tokens, or the source then the target
      tokens when each row is ``len(source) + len(target)`` long (what a decoder attends
      to: the prompt, then what it generated), as inseq lays out an encoder-decoder's
      attributions.

    A row named by a token is headed by its display text in the matrix view
    (:attr:`.data.TokenScores.row_tokens`); a repeated name is numbered, ``the (2)``.
    Raises DataError naming the key, the row and the score at fault.
    """
    others = [key for key in ("scores", "offsets", "text") if key in document]
    if others:
        raise DataError(f'a "matrix" holds the scores: {", ".join(map(repr, others))} cannot go with it', source)
    for key in document:  # other keys are ignored (a model's name, a method), a misspelt one is not
        close = difflib.get_close_matches(key, MATRIX_KEYS, n=1, cutoff=0.75)
        if key not in MATRIX_KEYS and close:
            raise DataError(f'unknown key "{key}" beside "matrix": did you mean "{close[0]}"?', source)
    if "source" in document or "target" in document:
        if "tokens" in document or "rows" in document:
            raise DataError('give a matrix "tokens" and "rows", or "source" and "target", not both', source)
        source_tokens = _json_strings(document, "source", source)
        target_tokens = _json_strings(document, "target", source)
        row_names, row_tokens = target_tokens, target_tokens
        width = len(_json_matrix_rows(document, source, len(target_tokens), "target tokens")[0])
        if width == len(source_tokens) + len(target_tokens):
            columns = source_tokens + target_tokens
        elif width == len(source_tokens):
            columns = source_tokens
        else:
            raise DataError(
                f'"matrix" rows have {width} scores: expected one per source token ({len(source_tokens)}), '
                f"or per source then target token ({len(source_tokens) + len(target_tokens)})",
                source,
            )
    else:
        columns = _json_strings(document, "tokens", source)
        if "rows" in document:
            row_names, row_tokens = _json_strings(document, "rows", source), None
        else:
            row_names, row_tokens = columns, columns
    names = (
        "row names"
        if "rows" in document
        else "target tokens"
        if "target" in document
        else 'tokens (with no "rows", the rows are the tokens: a square matrix)'
    )
    matrix = _json_matrix_rows(document, source, len(row_names), names)
    if limit is not None:
        limit.check(len(columns), source)
    labels = unique_labels(row_names)
    for number, (label, row) in enumerate(zip(labels, matrix, strict=True), start=1):
        if len(row) != len(columns):
            scores = f"{len(row)} score" + ("" if len(row) == 1 else "s")
            raise DataError(f'"matrix" row {number} ({shown(label)}) has {scores} for {len(columns)} columns', source)
        _check_json_scores(row, f"matrix row {number} ({shown(label)}): ", columns, source)
    record = TokenScores.checked(columns, dict(zip(labels, matrix, strict=True)), source, missing=True)
    return replace(record, row_tokens=None if row_tokens is None else tuple(row_tokens))


def _json_strings(document: dict[str, Any], key: str, source: str) -> list[str]:
    values = document.get(key)
    if not isinstance(values, list) or not all(isinstance(value, str) for value in values):
        raise DataError(f'"{key}" must be a list of strings', source)
    if not values:
        raise DataError(f'"{key}" is empty: nothing to draw', source)
    return values


def _json_matrix_rows(
    document: dict[str, Any], source: str, count: int, names: str = "row names"
) -> list[list[object]]:
    """``document["matrix"]``: a list of ``count`` lists (one per of the ``names``)."""
    matrix = document["matrix"]
    if not isinstance(matrix, list) or not all(isinstance(row, list) for row in matrix):
        raise DataError('"matrix" must be a list of rows, each a list of numbers', source)
    if len(matrix) != count:
        raise DataError(f'"matrix" has {len(matrix)} rows for {count} {names}', source)
    return matrix


def json_document(text: str, source: str | None, **hooks: Any) -> Any:
    """``json.loads(text, **hooks)``; a DataError naming ``source`` (and the line) for text
    that is not valid JSON or is nested beyond Python's limit."""
    try:
        return json.loads(text, **hooks)
    except json.JSONDecodeError as error:
        raise DataError(f"not valid JSON: {error.msg}", source, error.lineno) from None
    except RecursionError:
        raise DataError(
            "nested too deeply (arrays or objects inside each other beyond Python's limit)", source
        ) from None


def no_repeated_keys(source: str | None) -> Callable[[list[tuple[str, object]]], dict[str, object]]:
    """A ``json.loads`` ``object_pairs_hook``: an object's members, a key given twice
    being a DataError naming ``source``."""
    return _JsonNumbers(source or "").unique_keys


_JSON_KINDS = {list: "an array", dict: "an object"}


def _check_json_scores(scores: list[object], where: str, tokens: list[str] | None, source: str) -> None:
    """A DataError naming the first score that is not a JSON number or ``null`` (a missing
    cell), and its token: ``true`` and ``false``, strings such as ``"0.5"``, ``NaN`` and
    ``Infinity`` are not scores."""
    for index, value in enumerate(scores):
        if value is None or type(value) in (int, float):  # not bool, a subclass of int
            continue
        token = f" ({shown(tokens[index])})" if tokens is not None and index < len(tokens) else ""
        score = f"{where}score {index + 1}{token}"
        if isinstance(value, _NonJsonConstant):
            raise DataError(f"{score} is {value.name}: not a JSON number, and not a finite score", source)
        if isinstance(value, _BeyondFloat):
            raise DataError(f"{score}: {shown(value.text)} is beyond the float range (about 1.8e308)", source)
        what = json.dumps(value, ensure_ascii=False) if isinstance(value, bool | str) else _JSON_KINDS[type(value)]
        what = what if len(what) <= 40 else f"{what[:32]}...{what[-6:]}"
        raise DataError(f"{score} is {what}, not a number", source)


@dataclass(frozen=True)
class _BeyondFloat:
    """A JSON number beyond the float range, as written: a score that is one is named in
    the error, with its position and token; anywhere else it is ignored."""

    text: str

    def __repr__(self) -> str:
        return shortened(self.text)


@dataclass(frozen=True)
class _NonJsonConstant:
    """``NaN``, ``Infinity`` or ``-Infinity`` where Python's reader found it: JSON has no such
    number; a score that is one is named in the error, anywhere else it is ignored."""

    name: str

    def __repr__(self) -> str:
        return self.name


class _JsonNumbers:
    """JSON numbers and objects as the reader takes them: integers as ``int`` (offsets
    must be), a number beyond the float range kept as written for the error that names it
    (never an OverflowError later, nor Python's limit on the digits of an ``int``), and
    objects without repeated keys."""

    #: Integers of up to this many digits are exact as ``int`` and within the float range.
    SHORT = 300

    def __init__(self, source: str) -> None:
        self.source = source

    def integer(self, text: str) -> int | float | _BeyondFloat:
        if len(text.lstrip("-")) > self.SHORT:
            return self.real(text)
        value = int(text)
        return -0.0 if value == 0 and text.startswith("-") else value  # -0 keeps its sign, as in the text formats

    def real(self, text: str) -> float | _BeyondFloat:
        value = float(text)
        return value if math.isfinite(value) else _BeyondFloat(text)

    def unique_keys(self, pairs: list[tuple[str, object]]) -> dict[str, object]:
        """An object's members; a key given twice is an error (Python's reader would keep
        the last value without a word)."""
        document = dict(pairs)
        if len(document) < len(pairs):
            seen: set[str] = set()
            repeated = next(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
            raise DataError(f"the key {shown(repeated)} is given twice in one object", self.source)
        return document

    def constant(self, name: str) -> _NonJsonConstant:
        """``NaN``, ``Infinity``, ``-Infinity``: Python's reader takes them, JSON has no such number."""
        return _NonJsonConstant(name)


def parse_tsv(text: str, source: str, limit: TokenLimit | None = None) -> TokenScores:
    """``token<TAB>score`` lines; an optional first line ``token<TAB>score`` is a header."""
    return parse_pairs(text, source, separator="\t", limit=limit)


def parse_pairs(
    text: str, source: str, separator: str | None = None, first_line: int = 1, limit: TokenLimit | None = None
) -> TokenScores:
    """Lines of a token and a score: split at the last ``separator`` (any whitespace if None).

    The first line may be a header ``token score``; a DataError names the first bad line,
    or the first line past the ``limit``."""
    tokens: list[str] = []
    scores = array("d")
    for index, (number, line) in enumerate(iter_numbered_lines(text, first_line)):
        if index == 0 and line.lower().split(separator) == ["token", "score"]:
            continue
        if limit is not None:
            limit.check(len(tokens) + 1, source, number)
        parts = line.rsplit(separator, 1)
        if len(parts) != 2 or not parts[0].strip():
            what = "a tab" if separator == "\t" else "whitespace"
            raise DataError(f"expected a token, {what}, and a score: {shown(line)}", source, number)
        tokens.append(parts[0].strip())
        scores.append(parse_score(parts[1].strip(), source, number))
    if not tokens:
        raise DataError("no tokens and scores (empty)", source)
    return TokenScores(tuple(tokens), (ScoreRow(None, np.array(scores)),))


def parse_csv(text: str, source: str, limit: TokenLimit | None = None) -> TokenScores:
    """A header ``token,score[,more...]``; one score column is one unnamed row, several are
    named rows (distinct, non-empty names). Read as RFC 4180 says: a quoted field keeps
    every character, line breaks included, and a token is its field as written (spaces are
    part of a field); text after a closing quote, or a quote left open at the end, is an
    error (:func:`_csv_records`)."""
    records = _csv_records(text, source)
    line, header = next(((line, row) for line, row in records if row), (0, None))
    if header is None:
        raise DataError("no header and no data (empty)", source)
    header = [name.strip() for name in header]
    if len(header) < 2 or header[0].lower() != "token":
        given = shown(",".join(header))
        raise DataError(f"the first line must be a header 'token,score[,...]', not {given}", source, line)
    names = header[1:]
    if len(names) > 1 and ("" in names or len(set(names)) < len(names)):
        bad = sorted({repr(name) for name in names if not name or names.count(name) > 1})
        raise DataError(f"score columns need distinct, non-empty names: {', '.join(bad)}", source, line)
    tokens: list[str] = []
    columns: list[list[float]] = [[] for _ in header[1:]]
    for line, row in records:
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            fields = f"{len(row)} field{'s' if len(row) != 1 else ''}"
            raise DataError(f"{fields} where the header has {len(header)}", source, line)
        if limit is not None:
            limit.check(len(tokens) + 1, source, line)
        if not row[0]:
            raise DataError("the token is empty (an empty token needs JSON)", source, line)
        tokens.append(row[0])  # as written: RFC 4180 makes spaces part of a field
        for column, cell in zip(columns, row[1:], strict=True):
            column.append(parse_score(cell.strip(), source, line))
    if not tokens:
        raise DataError("a header but no data", source)
    labels: list[str | None] = [None] if len(columns) == 1 else list(header[1:])
    return TokenScores(
        tuple(tokens), tuple(ScoreRow(label, np.array(column)) for label, column in zip(labels, columns, strict=True))
    )


def _csv_records(text: str, source: str) -> Iterator[tuple[int, list[str]]]:
    """Each CSV record with the line it ends on, read strictly (``csv``'s ``strict``
    dialect: text after a closing quote, or a quoted field left open at the end, is an
    error; a quote inside an unquoted field is kept); ``csv``'s own errors, such as a field longer than
    its limit (:func:`csv.field_size_limit`, 131,072 characters), become located DataErrors."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise DataError(f"not valid CSV: {error}", source, reader.line_num) from None
        yield reader.line_num, row
