"""Which data files a visualisation names, checked and read the same way by every front.

A front gives the names as the user wrote them and a ``resolve`` function that turns a
name into (the name messages show, the path to read); resolving is where a front applies
its own rules (relative to the page, refused outside the docs, noted as a dependency).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from .data import TokenLimit, TokenScores
from .errors import OptionError
from .formats import read_token_score_files
from .options import READ_OPTIONS
from .readers.files import parse_read_options, read_data

Resolve = Callable[[str], tuple[str, Path]]


def check_one_source(sources: dict[str, bool]) -> None:
    """Raise OptionError unless exactly one of the named sources is present."""
    given = [name for name, present in sources.items() if present]
    if len(given) > 1:
        raise OptionError(f"more than one data source ({' and '.join(given)}); give exactly one")
    if not given:
        raise OptionError(f"no data: give {', or '.join(sources)}")


def check_no_read_options(options: Mapping[str, object] | None, data: str) -> None:
    """An OptionError when ``options`` name how to read a data file, for ``data`` that is none."""
    given = [name for name in READ_OPTIONS if options and options.get(name) is not None]
    if given:
        raise OptionError(
            f"{', '.join(given)}: {'these apply' if len(given) > 1 else 'this applies'} to a data file, not to {data}"
        )


def read_named_files(
    *,
    data_file: str | None,
    tokens: str | None,
    text: str | None,
    scores: str | None,
    resolve: Resolve,
    limit: TokenLimit | None = None,
    options: Mapping[str, object] | None = None,
) -> TokenScores:
    """Read a data file, or a tokens file (``tokens`` or its old name ``text``) and a scores
    file; with a ``limit`` (a docs build's), a figure of more tokens is a DataError.
    ``options`` are the front's options as written: those of :data:`.options.READ_OPTIONS`
    say how a data file is read (:func:`.readers.files.read_data`), and apply to nothing else."""
    named = {"data": data_file, "tokens": tokens, "text": text, "scores": scores}
    empty = [name for name, value in named.items() if value is not None and not value.strip()]
    if empty:
        raise OptionError(f"{' and '.join(empty)}: the file name is empty")
    if data_file:
        reading = parse_read_options(options or {})
        source, path = resolve(data_file)
        return read_data(path, source, limit, reading)
    check_no_read_options(options, "a tokens file and a scores file")
    if tokens and text:
        raise OptionError("tokens and text name the same file; give only one of them")
    tokens = tokens or text
    missing = [name for name, value in (("tokens", tokens), ("scores", scores)) if not value]
    if missing:
        raise OptionError(f"missing {' and '.join(missing)} (give a tokens file and a scores file, one entry per line)")
    tokens_source, tokens_path = resolve(tokens)  # type: ignore[arg-type]
    scores_source, scores_path = resolve(scores)  # type: ignore[arg-type]
    return read_token_score_files(tokens_path, scores_path, tokens_source, scores_source, limit)
