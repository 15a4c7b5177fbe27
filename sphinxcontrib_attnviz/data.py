"""Read token and score files into one checked record.

The formats are the original script's: a tokens file with one token per line and
a scores file with one number per line, both UTF-8 (a BOM is tolerated). Every
line is stripped and blank lines are skipped, but errors still name the real line
number in the file.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError, DataFileError


@dataclass(frozen=True)
class TokenScores:
    """Tokens and their scores, equal in number, every score finite."""

    tokens: tuple[str, ...]
    scores: tuple[float, ...]

    @classmethod
    def checked(cls, tokens: Sequence[str], scores: Sequence[float]) -> TokenScores:
        """Build a record after checking counts and finiteness (for in-memory data)."""
        tokens = tuple(str(token) for token in tokens)
        scores = tuple(float(score) for score in scores)
        check_same_length(len(tokens), len(scores))
        for index, score in enumerate(scores):
            if not math.isfinite(score):
                raise DataError(f"score {index + 1} ({tokens[index]!r}) is {score}, not a finite number")
        return cls(tokens, scores)


def check_same_length(token_count: int, score_count: int, source: str | None = None) -> None:
    """Raise a DataError unless there are as many scores as tokens, and at least one."""
    if token_count != score_count:
        raise DataError(f"{token_count} tokens but {score_count} scores; the counts must be equal", source)
    if token_count == 0:
        raise DataError("no tokens and no scores: nothing to draw", source)


def read_text(path: str | Path, source: str | None = None) -> str:
    """Return a UTF-8 file's text without a BOM; raise DataFileError naming ``source``."""
    source = source or str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise DataFileError("file not found", source) from None
    except IsADirectoryError:
        raise DataFileError("is a directory, not a file", source) from None
    except OSError as error:
        raise DataFileError(f"cannot be read: {error.strerror or error}", source) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise DataFileError(f"not UTF-8 text (byte {raw[error.start]:#04x})", source, line) from None


def numbered_lines(text: str) -> list[tuple[int, str]]:
    """The stripped non-blank lines of ``text`` with their 1-based line numbers."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    stripped = ((number, line.strip()) for number, line in enumerate(lines, start=1))
    return [(number, line) for number, line in stripped if line]


def parse_tokens(text: str, source: str) -> list[tuple[int, str]]:
    """Tokens of a tokens file's text, each with its line number."""
    tokens = numbered_lines(text)
    if not tokens:
        raise DataError("no tokens (the file is empty or blank)", source)
    return tokens


def parse_scores(text: str, source: str) -> list[tuple[int, float]]:
    """Finite scores of a scores file's text, each with its line number."""
    scores = [(number, parse_score(line, source, number)) for number, line in numbered_lines(text)]
    if not scores:
        raise DataError("no scores (the file is empty or blank)", source)
    return scores


def parse_score(text: str, source: str | None = None, line: int | None = None) -> float:
    """One finite float, or a DataError quoting the offending text."""
    try:
        value = float(text)
    except ValueError:
        raise DataError(f"not a number: {text!r}", source, line) from None
    if not math.isfinite(value):
        raise DataError(f"{text!r} is not a finite number (NaN and infinity cannot be coloured)", source, line)
    return value


def read_token_score_files(
    tokens_path: str | Path,
    scores_path: str | Path,
    tokens_source: str | None = None,
    scores_source: str | None = None,
) -> TokenScores:
    """Read a tokens file and a scores file (the original formats) into a TokenScores.

    ``*_source`` are the names used in messages (default: the paths as given).
    """
    tokens_source = tokens_source or str(tokens_path)
    scores_source = scores_source or str(scores_path)
    tokens = parse_tokens(read_text(tokens_path, tokens_source), tokens_source)
    scores = parse_scores(read_text(scores_path, scores_source), scores_source)
    if len(tokens) != len(scores):
        raise _count_mismatch(tokens, scores, tokens_source, scores_source)
    return TokenScores(tuple(token for _, token in tokens), tuple(score for _, score in scores))


def _count_mismatch(
    tokens: list[tuple[int, str]], scores: list[tuple[int, float]], tokens_source: str, scores_source: str
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
