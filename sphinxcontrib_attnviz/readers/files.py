"""Which reader a data file takes: the one its ``format`` option names, or the one its
suffix and content show (``auto``, the default), for every front.

Our own formats (:mod:`..formats`) keep their suffixes: ``.tsv``, ``.csv``, and ``.json``
with ``"tokens"`` (or ``"offsets"``) and ``"scores"``. Any other ``.json`` (or
``.json.gz``) is an inseq file when :func:`.inseq.looks_like_inseq` says so, else the JSON
export of the tool whose keys it has (:func:`.detect_tool`); a ``.npz`` file is SHAP's.
A file that is none of these is an error naming every format looked for; a file taken for
a format and not valid in it is an error naming that format (the readers' messages).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..data import TokenLimit, TokenScores, check_regular_file, decode_text, read_bytes
from ..errors import DataError, DataFileError, OptionError
from ..formats import DATA_FILE_SUFFIXES, check_size, is_own_json, parse_csv, parse_json, parse_tsv
from ..options import READ_OPTIONS
from . import ToolScores, detect_tool, from_tool_object, load_json, to_record

#: How a gzip file starts (RFC 1952).
GZIP_MAGIC = b"\x1f\x8b"
#: Our own formats, by name.
OWN_FORMATS = {"json": parse_json, "tsv": parse_tsv, "csv": parse_csv}
#: Each tool's format name and the shapes (:func:`.detect_tool` names) it covers.
TOOL_FORMATS = {
    "captum": ("Captum LLMAttributionResult", "Captum VisualizationDataRecord"),
    "shap": ("SHAP Explanation",),
    "ferret": ("ferret explanations",),
    "transformers-interpret": ("transformers-interpret word_attributions",),
    "lit": ("LIT TokenSalience",),
}
#: The suffixes whose format ``auto`` finds (from the suffix, or the content).
AUTO_SUFFIXES = (*DATA_FILE_SUFFIXES, ".json.gz", ".npz")
#: Every value of the ``format`` option.
DATA_FORMATS = ("auto", *OWN_FORMATS, "inseq", *TOOL_FORMATS)
#: The options that only inseq files take.
INSEQ_OPTIONS = ("sequence", "step", "reduce")


@dataclass(frozen=True)
class ReadOptions:
    """How to read a data file: its ``format`` (one of :data:`DATA_FORMATS`), and for an
    inseq file the ``sequence`` (example), ``step`` (one generated token's column; None:
    every step a row) and ``reduce`` (how trailing dimensions become one score; None:
    inseq's own default), as written: :func:`.inseq.read_inseq` checks them."""

    format: str = "auto"
    sequence: str | None = None
    step: str | None = None
    reduce: str | None = None

    @property
    def inseq_given(self) -> list[str]:
        return [name for name in INSEQ_OPTIONS if getattr(self, name) is not None]


def parse_read_options(raw: Mapping[str, object]) -> ReadOptions:
    """The read options among ``raw`` (option name -> value as written; other names are
    ignored); an OptionError for an unknown ``format``."""
    values = {name: None if raw.get(name) is None else str(raw[name]).strip() for name in READ_OPTIONS}
    data_format = (values["format"] or "auto").lower()
    if data_format not in DATA_FORMATS:
        raise OptionError(f"format: {values['format']!r} is not one of {', '.join(DATA_FORMATS)}")
    return ReadOptions(data_format, values["sequence"], values["step"], values["reduce"])


def read_data(
    path: str | Path, source: str, limit: TokenLimit | None = None, options: ReadOptions | None = None
) -> TokenScores:
    """Read a data file in the format ``options`` name, or the one found (see the module
    docstring); with a ``limit``, a file too large for it is refused before it is read, and
    a figure of more tokens is refused. Raises DataFileError for a file that cannot be
    read, DataError for content not valid in its format, OptionError for inseq options
    given for another format."""
    options = options or ReadOptions()
    name = Path(path).name.lower()
    if options.format == "auto" and not name.endswith(AUTO_SUFFIXES):
        if os.path.exists(path):  # a directory or a pipe is named as such, whatever its suffix
            check_regular_file(path, source)
        raise DataFileError(
            f"unknown data format {Path(name).suffix or '(no suffix)'!r}; use one of {', '.join(AUTO_SUFFIXES)}, "
            f"or name the format ({', '.join(DATA_FORMATS[1:])}) with the format option",
            source,
        )
    check_regular_file(path, source)
    check_size(path, source, limit)
    data_format = options.format
    if data_format == "auto" and name.endswith((".tsv", ".csv")):
        data_format = name.rsplit(".", 1)[1]
    if data_format in ("tsv", "csv"):
        return _own(data_format, decode_text(read_bytes(path, source), source), source, limit, options)
    raw = read_bytes(path, source)
    if data_format not in ("auto", "shap") and _is_npz(raw, name):
        raise DataError(f"a .npz file (SHAP's arrays), not {data_format}: give format shap, or no format", source)
    if data_format == "inseq" or (data_format == "auto" and _looks_like_inseq(raw)):
        return _inseq(raw, source, limit, options)
    _no_inseq_options(options, data_format)
    if raw.startswith(GZIP_MAGIC):
        raise DataError("compressed with gzip, which only inseq files may be (this is not one); decompress it", source)
    if data_format in ("shap", "auto") and _is_npz(raw, name):
        from .shap import parse_shap_npz

        return _record(parse_shap_npz(raw, source), source, limit)
    text = decode_text(raw, source)
    if data_format == "json":
        return _own("json", text, source, limit, options)
    if data_format == "auto":
        document = load_json(text, source)
        if is_own_json(document):
            return _own("json", text, source, limit, options)
        if detect_tool(document) is None:
            found = f"keys {', '.join(map(repr, list(document)[:8]))}" if isinstance(document, dict) else "no object"
            looked_for = ", ".join(name for name in DATA_FORMATS[1:] if name not in ("tsv", "csv"))
            raise DataError(
                f"not a known data format: it has {found}, the shape of none of {looked_for} (name the format: "
                ":format: in a directive, --format-in on the command line)",
                source,
            )
        return _record(from_tool_object(document, source), source, limit)
    return _record(_tool_json(data_format, text, source), source, limit)


def _looks_like_inseq(raw: bytes) -> bool:
    from .inseq import looks_like_inseq

    return looks_like_inseq(raw)


def _is_npz(raw: bytes, name: str) -> bool:
    from .shap import NPZ_MAGIC

    return raw.startswith(NPZ_MAGIC) or name.endswith(".npz")


def _no_inseq_options(options: ReadOptions, data_format: str) -> None:
    given = options.inseq_given
    if given:
        taken = "the file is not an inseq file" if data_format == "auto" else f"the format is {data_format}"
        raise OptionError(f"{', '.join(given)}: only inseq files take {'these' if len(given) > 1 else 'this'}; {taken}")


def _own(data_format: str, text: str, source: str, limit: TokenLimit | None, options: ReadOptions) -> TokenScores:
    _no_inseq_options(options, data_format)
    return OWN_FORMATS[data_format](text, source, limit)


def _inseq(raw: bytes, source: str, limit: TokenLimit | None, options: ReadOptions) -> TokenScores:
    from .inseq import read_inseq

    scores = read_inseq(raw, source, sequence=options.sequence or 0, step=options.step, reduce=options.reduce)
    return _record(scores, source, limit)


def _tool_json(data_format: str, text: str, source: str) -> ToolScores:
    """The JSON export of the tool ``data_format`` names; a DataError naming that format
    when the document has another shape."""
    document = load_json(text, source)
    found = detect_tool(document)
    if found not in TOOL_FORMATS[data_format]:
        shapes = " or ".join(TOOL_FORMATS[data_format])
        what = f"it looks like {found}" if found else "its keys match none of the tools' exports"
        raise DataError(f"not a {shapes} export: {what}", source)
    return from_tool_object(document, source)


def _record(scores: ToolScores, source: str, limit: TokenLimit | None) -> TokenScores:
    """A reader's tokens and rows as the record every front draws (NaN: missing cells)."""
    if limit is not None:
        limit.check(len(scores[0]), source)
    return to_record(scores, source)
