"""The one record every data source is read into: tokens and one or more rows of scores.

Also the helpers every format shares: reading a UTF-8 file, numbering its lines,
and turning a text into a finite score with a located error.
"""

from __future__ import annotations

import codecs
import errno
import math
import os
import re
import stat
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from .errors import DataError, DataFileError, OptionError
from .options import DEFAULT_MAX_TOKENS as DEFAULT_MAX_TOKENS  # defined where setup() reads it cheaply


@dataclass(frozen=True, eq=False)
class ScoreRow:
    """One row of scores (a layer, a head, a method); ``label`` is None for unnamed data.

    ``scores`` is a read-only float64 array: compact for long texts, fast to colour.
    """

    label: str | None
    scores: np.ndarray

    def __post_init__(self) -> None:
        scores = self.scores
        if not (isinstance(scores, np.ndarray) and scores.dtype == np.float64 and not scores.flags.writeable):
            scores = np.array(scores, dtype=np.float64)  # a copy nobody else can change
            scores.flags.writeable = False
        # a read-only float64 array is kept as it is: a reader hands over a long file's
        # scores without a second copy
        object.__setattr__(self, "scores", scores)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ScoreRow):
            return NotImplemented
        return self.label == other.label and np.array_equal(self.scores, other.scores)

    # equality compares the arrays' contents, so the rows are not hashable
    __hash__ = None  # type: ignore[assignment]


def parse_max_tokens(value: object) -> int | None:
    """A limit on the tokens of a figure: a positive integer, or None for no limit; an
    OptionError for anything else (a float, a string, a bool, zero)."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool) and value >= 1):
        return value
    raise OptionError(f"must be a positive integer, not {value!r}")


@dataclass(frozen=True)
class TokenLimit:
    """The most tokens a figure may have, and the setting that says so (named in the message).

    Docs builds pass one (``attnviz_max_tokens``, MkDocs' ``max_tokens``) so that a mistaken
    huge file is refused after reading a little past the limit, not read whole into a page.
    """

    count: int
    setting: str

    @property
    def stop(self) -> int:
        """Where a reader may stop: just past the limit (at most ``sys.maxsize``, which
        ``itertools.islice`` takes)."""
        return min(self.count + 1, sys.maxsize)

    def check(self, count: int, source: str | None, line: int | None = None) -> None:
        """A DataError when ``count`` tokens are more than the limit."""
        if count > self.count:
            raise DataError(
                f"more than {self.count:,} tokens: too many for one figure in a docs build; "
                f"raise {self.setting} to draw it",
                source,
                line,
            )


@dataclass(frozen=True)
class TokenScores:
    """Tokens and rows of scores: every row as long as the tokens, every score finite or
    missing (NaN: a cell with no score, such as a token not generated yet; only where the
    data says so, see :meth:`checked`).

    Data cut from an original text also has that ``text`` and each token's character
    span in it, ``offsets`` (``[start, end)`` per token).
    """

    tokens: tuple[str, ...]
    rows: tuple[ScoreRow, ...]
    text: str | None = None
    offsets: tuple[tuple[int, int], ...] | None = None
    #: The token each row stands for (a generated, target token; an attention query), None
    #: for a row that stands for none (Captum's ``seq_attr``); None if no row does. The
    #: matrix view heads such rows with their display text, the others with their labels.
    row_tokens: tuple[str | None, ...] | None = None

    def __post_init__(self) -> None:
        if self.row_tokens is not None and len(self.row_tokens) != len(self.rows):
            raise ValueError(f"{len(self.row_tokens)} row tokens for {len(self.rows)} rows")

    @property
    def scores(self) -> np.ndarray:
        """The scores of the first row (the only one for single-row data)."""
        return self.rows[0].scores

    @classmethod
    def checked(
        cls,
        tokens: Sequence[str],
        scores: Sequence[float | None] | Mapping[str, Sequence[float | None]],
        source: str | None = None,
        missing: bool = False,
    ) -> TokenScores:
        """Build a record from in-memory data, checking counts and finiteness.

        ``scores`` is one sequence, or a mapping of row labels to sequences. With
        ``missing``, a score may be None or NaN: a missing cell (drawn without colour,
        left out of the scale); without it, such a score is an error.
        """
        tokens = _checked_tokens(tokens, source)
        if not tokens:
            raise DataError("no tokens: nothing to draw", source)
        named = scores.items() if isinstance(scores, Mapping) else [(None, scores)]
        rows = tuple(_checked_row(label, values, tokens, source, missing) for label, values in named)
        if not rows:
            raise DataError("no rows of scores", source)
        return cls(tokens, rows)

    @classmethod
    def checked_offsets(
        cls,
        text: str,
        offsets: Sequence[Sequence[int]],
        scores: Sequence[float | None] | Mapping[str, Sequence[float | None]],
        tokens: Sequence[str] | None = None,
        source: str | None = None,
        missing: bool = False,
    ) -> TokenScores:
        """Build a record from an original text and each token's span in it (what Hugging
        Face tokenizers return with ``return_offsets_mapping=True``), checking the spans
        (:func:`~.display.display_offsets` says how) and, as :meth:`checked`, the scores.

        ``tokens`` default to the spans' text.
        """
        from .display import display_offsets

        if not isinstance(text, str):
            raise DataError(f"the text must be a string, not {type(text).__name__}", source)
        tokens = _checked_tokens(tokens, source) if tokens is not None else None
        if tokens is not None and len(tokens) != len(offsets):
            raise DataError(f"{len(tokens)} tokens but {len(offsets)} offsets; the counts must be equal", source)
        display_offsets(text, offsets, tokens, source)  # raises a DataError for a bad span
        spans = tuple((int(start), int(end)) for start, end in offsets)
        names = tokens if tokens is not None else [text[start:end] for start, end in spans]
        return replace(cls.checked(names, scores, source, missing), text=text, offsets=spans)

    def select_rows(self, labels: Sequence[str]) -> TokenScores:
        """The rows named in ``labels``, in that order."""
        by_label = {row.label: row for row in self.rows if row.label is not None}
        if not by_label:
            raise OptionError("rows: the data has no named rows to pick from")
        unknown = [label for label in labels if label not in by_label]
        if unknown:
            raise OptionError(f"rows: no row named {', '.join(map(repr, unknown))}; the rows are {', '.join(by_label)}")
        row_tokens = None
        if self.row_tokens is not None:
            token_of = {row.label: token for row, token in zip(self.rows, self.row_tokens, strict=True)}
            row_tokens = tuple(token_of[label] for label in labels)
        return replace(self, rows=tuple(by_label[label] for label in labels), row_tokens=row_tokens)


def unique_labels(labels: Sequence[str]) -> list[str]:
    """``labels``, a repeated one numbered from its second use on: ``the``, ``the (2)``."""
    seen: dict[str, int] = {}
    taken = set(labels)
    result = []
    for label in labels:
        count = seen.get(label, 0) + 1
        seen[label] = count
        name = label
        while count > 1 and (name := f"{label} ({count})") in taken:
            count += 1
        taken.add(name)
        result.append(name)
    return result


def _checked_tokens(tokens: Sequence[str], source: str | None) -> tuple[str, ...]:
    """The tokens as a tuple; a DataError unless they are a sequence of strings."""
    if isinstance(tokens, str):
        raise DataError("tokens must be a list of strings, not one string", source)
    try:
        tokens = tuple(tokens)
    except TypeError:
        raise DataError(f"tokens must be a list of strings, not {type(tokens).__name__}", source) from None
    wrong = next((index for index, token in enumerate(tokens) if not isinstance(token, str)), None)
    if wrong is not None:
        raise DataError(f"token {wrong + 1} is not a string: {tokens[wrong]!r}", source)
    return tokens


def _checked_row(
    label: str | None, values: Sequence[float | None], tokens: tuple[str, ...], source: str | None, missing: bool
) -> ScoreRow:
    where = f"row {label!r}: " if label is not None else ""
    if len(values) != len(tokens):
        raise DataError(f"{where}{len(tokens)} tokens but {len(values)} scores; the counts must be equal", source)
    try:
        scores = np.array(values, dtype=np.float64)
    except (TypeError, ValueError):
        index, value = next((i, v) for i, v in enumerate(values) if not _is_number(v))
        raise DataError(f"{where}score {index + 1} is not a number: {value!r}", source) from None
    if scores.ndim != 1:
        raise DataError(f"{where}scores must be a flat list of numbers", source)
    bad = np.flatnonzero(np.isinf(scores) if missing else ~np.isfinite(scores))
    if bad.size:
        index = int(bad[0])
        value = "None" if values[index] is None else str(scores[index])
        raise DataError(f"{where}score {index + 1} ({tokens[index]!r}) is {value}, not a finite number", source)
    return ScoreRow(label, scores)


def _is_number(value: object) -> bool:
    try:
        float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return True


def read_text(path: str | Path, source: str | None = None) -> str:
    """Return a UTF-8 file's text without a BOM; raise DataFileError naming ``source``."""
    source = source or str(path)
    return decode_text(read_bytes(path, source), source)


#: What resolving a path raises: a symbolic link loop (RuntimeError before Python 3.13,
#: OSError after), a NUL character (ValueError), another OS error.
RESOLVE_ERRORS = (OSError, RuntimeError, ValueError)
#: The message of a path that names no file (fronts add their own hints to it).
FILE_NOT_FOUND = "file not found"


def unresolvable(error: Exception, source: str) -> DataFileError:
    """The DataFileError for a path that cannot be resolved (one of :data:`RESOLVE_ERRORS`)."""
    if isinstance(error, ValueError):
        reason = "the path holds a NUL character"
    elif isinstance(error, RuntimeError) or getattr(error, "errno", None) == errno.ELOOP:
        reason = "a loop of symbolic links"
    else:
        reason = getattr(error, "strerror", None) or str(error)
    return DataFileError(f"cannot be resolved: {reason}", source)


def check_regular_file(path: str | Path, source: str) -> None:
    """DataFileError naming ``source`` unless ``path`` is a regular file (after links):
    a named pipe, socket or device is refused before it is opened, so reading never hangs."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise DataFileError(FILE_NOT_FOUND, source) from None
    except (OSError, ValueError) as error:
        if isinstance(error, ValueError) or error.errno == errno.ELOOP:  # a NUL character, a loop of links
            raise unresolvable(error, source) from None
        raise DataFileError(f"cannot be read: {error.strerror or error}", source) from None
    if stat.S_ISDIR(mode):
        raise DataFileError("is a directory, not a file", source)
    if not stat.S_ISREG(mode):
        raise DataFileError("is not a regular file (a named pipe, socket or device): refused, it could block", source)


def read_bytes(path: str | Path, source: str) -> bytes:
    """A regular file's bytes; DataFileError naming ``source`` when it cannot be read."""
    check_regular_file(path, source)  # names a missing file, a directory, a pipe
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise DataFileError(f"cannot be read: {error.strerror or error}", source) from None


def decode_text(raw: bytes, source: str, first_line: int = 1, bom: bool = True) -> str:
    """UTF-8 bytes as text, without the BOM that may start a file (if ``bom``: ``raw`` is the
    file's start); a DataFileError naming the line of the first byte that is not UTF-8
    (``raw`` starting at ``first_line``)."""
    if bom and raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]  # error positions then count from what follows it
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = first_line + count_line_breaks(raw[: error.start])
        message = f"not UTF-8 text (byte {raw[error.start]:#04x}){_other_encoding(raw)}"
        raise DataFileError(message, source, line) from None


#: Byte-order marks of the encodings a file saved "as Unicode" may be in instead of UTF-8.
_OTHER_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def _other_encoding(raw: bytes) -> str:
    """A hint naming the encoding whose byte-order mark starts ``raw``, if any."""
    for bom, name in _OTHER_BOMS:
        if raw.startswith(bom):
            return f": it is {name} (it starts with a {name} byte-order mark); save it as UTF-8"
    return "; save it as UTF-8"


def count_line_breaks(raw: bytes) -> int:
    """How many line breaks (``\n``, ``\r\n`` or ``\r``) ``raw`` holds."""
    if b"\r" not in raw:  # the usual case: one pass
        return raw.count(b"\n")
    return raw.count(b"\n") + raw.count(b"\r") - raw.count(b"\r\n")


#: A line's text and the line break that ends it (none at the end of the text): ``\r\n``,
#: ``\r`` or ``\n``, as Python's text mode (universal newlines, which the original script
#: read its files with) takes them; nothing else ends a line.
_LINE = re.compile(r"([^\r\n]*)(\r\n|\r|\n|\Z)")


def iter_numbered_lines(text: str, first_line: int = 1) -> Iterator[tuple[int, str]]:
    """The stripped non-blank lines of ``text`` with their line numbers, one at a time
    (a long text is never split into a list of lines)."""
    for number, match in enumerate(_LINE.finditer(text), start=first_line):
        line = match[1].strip()
        if line:
            yield number, line
        if not match[2]:
            return


def numbered_lines(text: str, first_line: int = 1) -> list[tuple[int, str]]:
    """The stripped non-blank lines of ``text`` with their line numbers."""
    return list(iter_numbered_lines(text, first_line))


#: A score as JSON or Python's ``float()`` writes one, without underscores and with
#: ASCII digits only (``float()`` also takes ``1_000`` and the digits of other scripts).
#: Each part matches one way only, so a long text that fails is rejected in linear time;
#: ASCII letters only (the dotless ``\u0131`` is no ``i``).
SCORE_SYNTAX = re.compile(
    r"[+-]?(?:(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?|inf|infinity|nan)", re.IGNORECASE | re.ASCII
)
_NOT_FINITE = re.compile(r"[+-]?(?:inf|infinity|nan)", re.IGNORECASE | re.ASCII)


def parse_score(text: str, source: str | None = None, line: int | None = None) -> float:
    """One finite float written as :data:`SCORE_SYNTAX` says, or a DataError quoting the text:
    not a number, NaN or infinity, or a number beyond the float range (about 1.8e308)."""
    if not SCORE_SYNTAX.fullmatch(text):
        raise DataError(f"not a number: {shown(text)}{number_hint(text)}", source, line)
    value = float(text)
    if math.isfinite(value):
        return value
    if _NOT_FINITE.fullmatch(text):
        raise DataError(f"{text!r} is not a finite number (NaN and infinity cannot be coloured)", source, line)
    raise DataError(f"{shown(text)} is beyond the float range (about 1.8e308)", source, line)


def shortened(text: str, room: int = 40) -> str:
    """``text``, its middle cut to ``...`` when it is longer than ``room``."""
    return text if len(text) <= room else f"{text[: room // 2]}...{text[-8:]}"


def shown(text: str, room: int = 40) -> str:
    """``text`` quoted for a message, its middle cut (and its length given) when it is long."""
    if len(text) <= room:
        return repr(text)
    return f"{shortened(text, room)!r} ({len(text):,} characters)"


def number_hint(text: str) -> str:
    """A hint for texts that ``float()`` would take but a number may not be written as
    (`` (write numbers without underscores)``), or ``""``."""
    if "_" in text:
        return " (write numbers without underscores)"
    if any(character.isdigit() and not character.isascii() for character in text):
        return " (write digits as ASCII 0-9)"
    return ""
