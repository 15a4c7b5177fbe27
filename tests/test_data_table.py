"""Issue 11: one table of data-file cases, each run through every front.

Each row of :data:`CASES` is the bytes of one or two data files and the exact outcome:
the tokens and scores every front shows, or the one located error every front reports
(a typed Sphinx warning, a MkDocs warning, one line on the command line's standard
error, a DataError from the API). The docs are built once per builder (Sphinx html,
latex and text; MkDocs strict and not), one page per case, in parallel; the command
line and the API run in-process. Every build finishes and every page keeps the text
around its figure.

Then Hypothesis: any bytes as a data file (a tokens/scores pair, ``.json``, ``.tsv``,
``.csv``) raise nothing but the package's errors, in the core readers, the API and the
command line, and never hang.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import html
import io
import json
import os
import re
import signal
import subprocess
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pages import figures
from sphinxcontrib_attnviz import cli
from sphinxcontrib_attnviz.api import AttentionViz
from sphinxcontrib_attnviz.errors import AttnvizError, DataError, DataFileError
from sphinxcontrib_attnviz.formats import read_data_file, read_token_score_files
from sphinxcontrib_attnviz.render import MISSING_SCORE
from sphinxcontrib_attnviz.render.html import MISSING_TITLE

# --- the table ------------------------------------------------------------------------


class Special:
    """A data file that is not a file of bytes: a directory, a named pipe, a link out of the docs."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def __repr__(self) -> str:
        return self.kind


DIRECTORY = Special("directory")
FIFO = Special("fifo")
#: A symbolic link to a file in ``outside/``, next to the docs folder: out of it.
OUTSIDE = Special("outside")
#: What the file a link out of the docs points to holds, by suffix.
OUTSIDE_FILES = {
    ".tsv": b"out\t0.5\nside\t0.25\n",
    ".txt": b"out\nside\n",
}

UTF16_BOM = "not UTF-8 text (byte 0xff): it is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8"
UTF32_BOM = "not UTF-8 text (byte 0xff): it is UTF-32 (it starts with a UTF-32 byte-order mark); save it as UTF-8"
NOT_FINITE = "is not a finite number (NaN and infinity cannot be coloured)"
PIPE = "is not a regular file (a named pipe, socket or device): refused, it could block"
SPHINX_OUTSIDE = (
    "the path resolves outside the source directory; set attnviz_allow_outside_srcdir = True in conf.py to allow it"
)
LATIN1_E9 = "not UTF-8 text (byte 0xe9); save it as UTF-8"
LATIN1_B5 = "not UTF-8 text (byte 0xb5); save it as UTF-8"
#: Sphinx adds where else a path may be read from (the project's folder is sphinx/).
SPHINX_NOT_FOUND = 'file not found; a path starting with "/" is read from the top of the docs folder (sphinx/)'
MKDOCS_OUTSIDE = "the path resolves outside docs_dir; set allow_outside_docs_dir: true for the plugin to allow it"
DIGITS_400 = b"1" + b"0" * 400
DEEP_50000 = b"[" * 50_000 + b"]" * 50_000


@dataclass(frozen=True)
class Good:
    """The data as read: ``scores`` one row, or row label -> scores; ``text`` what the
    command line's ``--format text`` and ``to_text()`` print; ``shown`` each token's
    text in the HTML (default: the tokens)."""

    tokens: tuple[str, ...]
    scores: tuple[float, ...] | dict[str, tuple[float, ...]]
    text: str
    shown: tuple[str, ...] | None = None

    @property
    def rows(self) -> dict[str | None, tuple[float, ...]]:
        return dict(self.scores) if isinstance(self.scores, dict) else {None: self.scores}

    @property
    def titles(self) -> list[str]:
        """Each token span's title (its score), row after row, as the text shows them."""
        return re.findall(r"\[([^\]]*)\]", self.text)


@dataclass(frozen=True)
class Bad:
    """One located error: ``source`` a file of the case's folder (or as the page writes it,
    when ``as_written``), ``subtype`` the Sphinx warning's (``file`` for a DataFileError)."""

    subtype: str
    message: str
    source: str | None = None
    line: int | None = None
    as_written: bool = False

    def located(self, case: str) -> str:
        source = self.source if self.as_written or self.source is None else f"{case}/{self.source}"
        where = ":".join(str(part) for part in (source, self.line) if part is not None)
        return f"{where}: {self.message}" if where else self.message


FRONTS = ("sphinx-html", "sphinx-latex", "sphinx-text", "mkdocs", "cli", "api")


@dataclass(frozen=True)
class Case:
    id: str
    files: dict[str, bytes | Special]
    expect: Good | Bad
    data: str | None = None  # the data file; None: the pair t.txt and s.txt
    sphinx: Good | Bad | None = None  # the Sphinx fronts' outcome, when it is not ``expect``
    mkdocs: Good | Bad | None = None
    #: front -> reason: where the code disagrees with the rule the row states
    xfail: dict[str, str] = field(default_factory=dict)

    def outcome(self, front: str) -> Good | Bad:
        if front.startswith("sphinx") and self.sphinx is not None:
            return self.sphinx
        if front == "mkdocs" and self.mkdocs is not None:
            return self.mkdocs
        return self.expect

    @property
    def title(self) -> str:
        return "Case " + self.id.replace("-", " ")


def pair(case: str, tokens: bytes | Special, scores: bytes | Special, expect: Good | Bad, **more: object) -> Case:
    return Case(case, {"t.txt": tokens, "s.txt": scores}, expect, **more)  # type: ignore[arg-type]


def data(case: str, name: str, content: bytes | Special, expect: Good | Bad, **more: object) -> Case:
    return Case(case, {name: content}, expect, data=name, **more)  # type: ignore[arg-type]


AB = Good(("a", "b"), (1.0, 2.0), "a[1.000] b[2.000]\n")
ABC = Good(("a", "b", "c"), (1.0, 2.0, 3.0), "a[1.000] b[2.000] c[3.000]\n")
OUT_SIDE = Good(("out", "side"), (0.5, 0.25), "out[0.5000] side[0.2500]\n")


def not_finite(spelling: str, source: str, line: int) -> Bad:
    return Bad("data", f"{spelling!r} {NOT_FINITE}", source, line)


CASES = [
    # the pair: a tokens file and a scores file, one entry per line
    pair("pair-utf8-bom", b"\xef\xbb\xbfa\nb\n", b"\xef\xbb\xbf1\n2\n", AB),
    pair("pair-utf16-bom-tokens", "a\nb\n".encode("utf-16"), b"1\n2\n", Bad("file", UTF16_BOM, "t.txt", 1)),
    pair(
        "pair-utf16-be-bom-scores",
        b"a\nb\n",
        codecs.BOM_UTF16_BE + "1\n2\n".encode("utf-16-be"),
        Bad("file", UTF16_BOM.replace("0xff", "0xfe"), "s.txt", 1),
    ),
    pair("pair-utf32-bom-scores", b"a\nb\n", "1\n2\n".encode("utf-32"), Bad("file", UTF32_BOM, "s.txt", 1)),
    pair(
        "pair-latin1-tokens",
        b"a\ncaf\xe9\n",
        b"1\n2\n",
        Bad("file", LATIN1_E9, "t.txt", 2),
    ),
    pair(
        "pair-latin1-scores",
        b"a\nb\nc\n",
        b"1\n2\n\xb53\n",
        Bad("file", LATIN1_B5, "s.txt", 3),
    ),
    pair("pair-no-trailing-newline", b"a\nb", b"1\n2", AB),
    pair("pair-trailing-blank-lines", b"a\nb\n\n \n\t\n", b"1\n2\n\n\r\n  \n", AB),
    pair("pair-blank-lines-inside", b"\na\n\n  \nb\n\nc\n", b"1\n\n\n2\n \n3\n", ABC),
    pair("pair-crlf", b"a\r\nb\r\n", b"1\r\n2\r\n", AB),
    pair("pair-cr-only", b"a\rb\r", b"1\r2\r", AB),
    pair("pair-cr-only-no-trailing", b"a\r\rb", b"1\r2", AB),
    pair(
        "pair-more-tokens",
        b"a\n\nb\nc\nd\n",
        b"1\n2\n",
        Bad(
            "data",
            "4 tokens in {case}/t.txt but 2 scores in {case}/s.txt; the counts must be equal "
            "(first token without a score: 'c')",
            "t.txt",
            4,
        ),
    ),
    pair(
        "pair-more-scores",
        b"a\nb\n",
        b"1\n\n2\n3\n",
        Bad(
            "data",
            "2 tokens in {case}/t.txt but 3 scores in {case}/s.txt; the counts must be equal "
            "(first score without a token)",
            "s.txt",
            4,
        ),
    ),
    pair(
        "pair-other-line-separators-kept",
        "a\x85b\nc\u2028d\ne\x0bf\ng\x0ch\n".encode(),
        b"1\n2\n3\n4\n",
        # only \n, \r\n and \r end a line: NEL, U+2028, VT and FF stay in their token
        Good(
            ("a\x85b", "c\u2028d", "e\x0bf", "g\x0ch"),
            (1.0, 2.0, 3.0, 4.0),
            "a\\x85b[1.000] c\\u2028d[2.000] e\u240bf[3.000] g\u240ch[4.000]\n",
            shown=("a\\x85b", "c\\u2028d", "e\u240bf", "g\u240ch"),
        ),
    ),
    pair(
        "pair-non-ascii-digits",
        b"a\n",
        "\u0661\u0662\n".encode(),
        Bad("data", "not a number: '\u0661\u0662' (write digits as ASCII 0-9)", "s.txt", 1),
    ),
    pair("pair-two-numbers-on-a-line", b"a\n", b" 1 2 \n", Bad("data", "not a number: '1 2'", "s.txt", 1)),
    pair("pair-nan", b"a\nb\n", b"1\nnan\n", not_finite("nan", "s.txt", 2)),
    pair("pair-NaN", b"a\nb\n", b"NaN\n1\n", not_finite("NaN", "s.txt", 1)),
    pair("pair-minus-nan", b"a\nb\n", b"1\n-nan\n", not_finite("-nan", "s.txt", 2)),
    pair("pair-inf", b"a\nb\n", b"1\ninf\n", not_finite("inf", "s.txt", 2)),
    pair("pair-plus-INF", b"a\nb\n", b"1\n+INF\n", not_finite("+INF", "s.txt", 2)),
    pair("pair-iNfInItY", b"a\n", b"  iNfInItY  \n", not_finite("iNfInItY", "s.txt", 1)),
    pair("pair-minus-Infinity", b"a\nb\n", b"1\n-Infinity\n", not_finite("-Infinity", "s.txt", 2)),
    pair(
        "pair-subnormal",
        b"a\nb\nc\n",
        b"5e-324\n4.9e-324\n2.225073858507201e-308\n",
        Good(("a", "b", "c"), (5e-324, 5e-324, 2.225073858507201e-308), "a[4.941e-324] b[4.941e-324] c[2.225e-308]\n"),
    ),
    pair("pair-minus-zero", b"a\nb\n", b"-0.0\n1\n", Good(("a", "b"), (-0.0, 1.0), "a[-0.000] b[1.000]\n")),
    pair(
        "pair-huge",
        b"a\nb\n",
        b"1e300\n2E+300\n",
        Good(("a", "b"), (1e300, 2e300), "a[1.000e+300] b[2.000e+300]\n"),
    ),
    pair(
        "pair-tiny",
        b"a\nb\nc\n",
        b"1e-320\n2.2250738585072014e-308\n.1e-299\n",
        Good(("a", "b", "c"), (1e-320, 2.2250738585072014e-308, 1e-300), "a[1.000e-320] b[2.225e-308] c[1.000e-300]\n"),
    ),
    pair(
        "pair-largest-double",
        b"a\nb\n",
        b"1.7976931348623157e308\n1e308\n",
        # read exactly, but the default scale (alpha 1) widens the range past the float range
        Bad(
            "data",
            "the colour range overflows (scores from 1e+308 to 1.79769e+308, alpha 1); "
            "rescale the scores or lower alpha",
        ),
    ),
    pair(
        "pair-1e400",
        b"a\nb\n",
        b"1\n1e400\n",
        Bad("data", "'1e400' is beyond the float range (about 1.8e308)", "s.txt", 2),
    ),
    pair(
        "pair-underscores",
        b"a\n",
        b"1_000\n",
        Bad("data", "not a number: '1_000' (write numbers without underscores)", "s.txt", 1),
    ),
    pair("pair-empty-scores", b"a\n", b"", Bad("data", "no scores (the file is empty or blank)", "s.txt")),
    pair("pair-blank-scores", b"a\n", b"\n \r\n\t\n", Bad("data", "no scores (the file is empty or blank)", "s.txt")),
    pair("pair-empty-tokens", b"", b"1\n", Bad("data", "no tokens (the file is empty or blank)", "t.txt")),
    pair("pair-blank-tokens", b"\n\n  \n", b"1\n", Bad("data", "no tokens (the file is empty or blank)", "t.txt")),
    pair("pair-tokens-directory", DIRECTORY, b"1\n", Bad("file", "is a directory, not a file", "t.txt")),
    pair("pair-scores-fifo", b"a\n", FIFO, Bad("file", PIPE, "s.txt")),
    pair("pair-tokens-fifo", FIFO, b"1\n", Bad("file", PIPE, "t.txt")),
    Case(
        "pair-scores-missing",
        {"t.txt": b"a\n"},
        Bad("file", "file not found", "s.txt"),
        sphinx=Bad("file", SPHINX_NOT_FOUND, "s.txt"),
    ),
    pair(
        "pair-tokens-outside",
        OUTSIDE,
        b"0.5\n0.25\n",
        OUT_SIDE,
        sphinx=Bad("file", SPHINX_OUTSIDE, "t.txt"),
        mkdocs=Bad("file", MKDOCS_OUTSIDE, "t.txt"),
    ),
    # TSV: token<TAB>score
    data("tsv-utf8-bom-header", "x.tsv", b"\xef\xbb\xbftoken\tscore\na\t1\nb\t2\n", AB),
    data("tsv-utf16-bom", "x.tsv", "a\t1\n".encode("utf-16"), Bad("file", UTF16_BOM, "x.tsv", 1)),
    data(
        "tsv-latin1",
        "x.tsv",
        b"a\t1\n\ncaf\xe9\t2\n",
        Bad("file", LATIN1_E9, "x.tsv", 3),
    ),
    data("tsv-cr-only", "x.tsv", b"a\t1\rb\t2\r", AB),
    data("tsv-crlf-no-trailing-newline", "x.tsv", b"a\t1\r\nb\t2", AB),
    data("tsv-blank-lines", "x.tsv", b"\n\na\t1\n \n\nb\t2\n\n\t\n", AB),
    data(
        "tsv-token-with-tab-and-space",
        "x.tsv",
        b"a b\t1\nc\td\t2\n",
        Good(("a b", "c\td"), (1.0, 2.0), "a b[1.000] c\u2409d[2.000]\n", shown=("a b", "c\u2409d")),
    ),
    data(
        "tsv-no-tab", "x.tsv", b"a\t1\n\nb 2\n", Bad("data", "expected a token, a tab, and a score: 'b 2'", "x.tsv", 3)
    ),
    data("tsv-no-score", "x.tsv", b"a\t1\nb\t\n", Bad("data", "expected a token, a tab, and a score: 'b'", "x.tsv", 2)),
    data(
        "tsv-u2028-in-token",
        "x.tsv",
        "a\u2028b\t1\n".encode(),
        Good(("a\u2028b",), (1.0,), "a\\u2028b[1.000]\n", shown=("a\\u2028b",)),
    ),
    data("tsv-no-token", "x.tsv", b"a\t1\n\t2\n", Bad("data", "expected a token, a tab, and a score: '2'", "x.tsv", 2)),
    data("tsv-Infinity", "x.tsv", b"a\t1\nb\tInfinity\n", not_finite("Infinity", "x.tsv", 2)),
    data(
        "tsv-underscores",
        "x.tsv",
        b"a\t1_000\n",
        Bad("data", "not a number: '1_000' (write numbers without underscores)", "x.tsv", 1),
    ),
    data("tsv-empty", "x.tsv", b"", Bad("data", "no tokens and scores (empty)", "x.tsv")),
    data("tsv-directory", "x.tsv", DIRECTORY, Bad("file", "is a directory, not a file", "x.tsv")),
    data("tsv-fifo", "x.tsv", FIFO, Bad("file", PIPE, "x.tsv")),
    data(
        "tsv-outside",
        "x.tsv",
        OUTSIDE,
        OUT_SIDE,
        sphinx=Bad("file", SPHINX_OUTSIDE, "x.tsv"),
        mkdocs=Bad("file", MKDOCS_OUTSIDE, "x.tsv"),
    ),
    # CSV: RFC 4180 with a header token,score[,more]
    data("csv-utf8-bom-crlf", "x.csv", b"\xef\xbb\xbftoken,score\r\na,1\r\nb,2\r\n", AB),
    data("csv-utf16-bom", "x.csv", "token,score\na,1\n".encode("utf-16"), Bad("file", UTF16_BOM, "x.csv", 1)),
    data(
        "csv-latin1",
        "x.csv",
        b"token,score\na,1\ncaf\xe9,2\n",
        Bad("file", LATIN1_E9, "x.csv", 3),
    ),
    data("csv-blank-lines-no-trailing-newline", "x.csv", b"token,score\n\na,1\n\n\nb,2", AB),
    data("csv-cr-only", "x.csv", b"token,score\ra,1\rb,2\r", AB),
    data(
        "csv-quoted-record-more-fields",
        "x.csv",
        b'token,score\n"a\nb",1,2\n',
        # the record spans lines 2 and 3: the line named is the one it ends on
        Bad("data", "3 fields where the header has 2", "x.csv", 3),
    ),
    data(
        "csv-bad-score-after-quoted-line-break",
        "x.csv",
        b'token,score\r\n"a\r\nb",1\r\n"c\nd",x\r\n',
        Bad("data", "not a number: 'x'", "x.csv", 5),
    ),
    data(
        "csv-quote-left-open",
        "x.csv",
        b'token,score\na,1\n"b,2\n',
        Bad("data", "not valid CSV: unexpected end of data", "x.csv", 3),
    ),
    data(
        "csv-text-after-closing-quote",
        "x.csv",
        b'token,score\n"a"b,1\n',
        Bad("data", "not valid CSV: ',' expected after '\"'", "x.csv", 2),
    ),
    data(
        "csv-field-past-the-csv-limit",
        "x.csv",
        b"token,score\n" + b"a" * 131_073 + b",1\n",
        Bad("data", "not valid CSV: field larger than field limit (131072)", "x.csv", 2),
    ),
    data(
        "csv-more-fields",
        "x.csv",
        b"token,score\na,1\nb,2,3\n",
        Bad("data", "3 fields where the header has 2", "x.csv", 3),
    ),
    data(
        "csv-fewer-fields",
        "x.csv",
        b"token,score\na,1\n\nb\n",
        Bad("data", "1 field where the header has 2", "x.csv", 4),
    ),
    data(
        "csv-quoted-line-breaks",
        "x.csv",
        'token,score\n"a\nb",1\n"c\x0cd",2\n"e\u2028f",3\n'.encode(),
        Good(
            ("a\nb", "c\x0cd", "e\u2028f"),
            (1.0, 2.0, 3.0),
            "a\u21b5b[1.000]\nc\u240cd[2.000] e\\u2028f[3.000]\n",
            shown=("a\u21b5b", "c\u240cd", "e\\u2028f"),
        ),
    ),
    data(
        "csv-two-rows",
        "x.csv",
        b"token,first,second\na,1,3\nb,2,4\n",
        Good(
            ("a", "b"),
            {"first": (1.0, 2.0), "second": (3.0, 4.0)},
            "first: a[1.000] b[2.000]\nsecond: a[3.000] b[4.000]\n",
        ),
    ),
    data(
        "csv-duplicate-columns",
        "x.csv",
        b"token,a,a\nx,1,2\n",
        Bad("data", "score columns need distinct, non-empty names: 'a'", "x.csv", 1),
    ),
    data(
        "csv-empty-column-name",
        "x.csv",
        b"token,a,\nx,1,2\n",
        Bad("data", "score columns need distinct, non-empty names: ''", "x.csv", 1),
    ),
    data(
        "csv-underscores",
        "x.csv",
        b"token,score\nx,1_000\n",
        Bad("data", "not a number: '1_000' (write numbers without underscores)", "x.csv", 2),
    ),
    data("csv-minus-inf", "x.csv", b"token,score\nx,-inf\n", not_finite("-inf", "x.csv", 2)),
    data("csv-empty", "x.csv", b"", Bad("data", "no header and no data (empty)", "x.csv")),
    data("csv-fifo", "x.csv", FIFO, Bad("file", PIPE, "x.csv")),
    # JSON: {"tokens": [...], "scores": [...] or {"label": [...]}}
    data("json-utf8-bom", "x.json", b'\xef\xbb\xbf{"tokens": ["a", "b"], "scores": [1, 2]}', AB),
    data(
        "json-utf16-bom",
        "x.json",
        '{"tokens": ["a"], "scores": [1]}'.encode("utf-16"),
        Bad("file", UTF16_BOM, "x.json", 1),
    ),
    data(
        "json-latin1",
        "x.json",
        b'{"tokens":\n["caf\xe9"], "scores": [1]}',
        Bad("file", LATIN1_E9, "x.json", 2),
    ),
    data(
        "json-minus-zero-subnormal",
        "x.json",
        b'{"tokens": ["a", "b", "c"], "scores": [-0.0, 5e-324, 1e300]}',
        Good(("a", "b", "c"), (-0.0, 5e-324, 1e300), "a[-0.000] b[4.941e-324] c[1.000e+300]\n"),
    ),
    data(
        "json-named-rows",
        "x.json",
        b'{"tokens": ["a", "b"], "scores": {"l1": [1, 2], "l2": [3, 4]}}',
        Good(("a", "b"), {"l1": (1.0, 2.0), "l2": (3.0, 4.0)}, "l1: a[1.000] b[2.000]\nl2: a[3.000] b[4.000]\n"),
    ),
    data(
        "json-int-400-digits",
        "x.json",
        b'{"tokens": ["a"], "scores": [' + DIGITS_400 + b"]}",
        Bad(
            "data",
            "score 1 ('a'): '10000000000000000000...00000000' (401 characters) is beyond the float range"
            " (about 1.8e308)",
            "x.json",
        ),
    ),
    data(
        "json-1e400",
        "x.json",
        b'{"tokens": ["a"], "scores": [1e400]}',
        Bad("data", "score 1 ('a'): '1e400' is beyond the float range (about 1.8e308)", "x.json"),
    ),
    data(
        "json-nested-50000",
        "x.json",
        b'{"tokens": ["a"], "scores": ' + DEEP_50000 + b"}",
        Bad("data", "nested too deeply (arrays or objects inside each other beyond Python's limit)", "x.json"),
    ),
    data(
        "json-true",
        "x.json",
        b'{"tokens": ["a", "b"], "scores": [0.5, true]}',
        Bad("data", "score 2 ('b') is true, not a number", "x.json"),
    ),
    data(
        "json-false",
        "x.json",
        b'{"tokens": ["a", "b"], "scores": [false, 0.5]}',
        Bad("data", "score 1 ('a') is false, not a number", "x.json"),
    ),
    data(
        "json-string",
        "x.json",
        b'{"tokens": ["a", "b"], "scores": [0.5, "0.5"]}',
        Bad("data", "score 2 ('b') is \"0.5\", not a number", "x.json"),
    ),
    data(
        "json-null",
        "x.json",
        b'{"tokens": ["a", "b"], "scores": [0.5, null]}',
        Good(("a", "b"), (0.5, float("nan")), "a[0.5000] b[\u2014]\n"),  # a missing cell
    ),
    data(
        "json-NaN",
        "x.json",
        b'{"tokens": ["a"], "scores": [NaN]}',
        Bad("data", "score 1 ('a') is NaN: not a JSON number, and not a finite score", "x.json"),
    ),
    data(
        "json-minus-Infinity",
        "x.json",
        b'{"tokens": ["a"], "scores": [-Infinity]}',
        Bad("data", "score 1 ('a') is -Infinity: not a JSON number, and not a finite score", "x.json"),
    ),
    data(
        "json-more-tokens",
        "x.json",
        b'{"tokens": ["a", "b"], "scores": [1]}',
        Bad("data", "2 tokens but 1 scores; the counts must be equal", "x.json"),
    ),
    data(
        "json-more-scores",
        "x.json",
        b'{"tokens": ["a"], "scores": [1, 2]}',
        Bad("data", "1 tokens but 2 scores; the counts must be equal", "x.json"),
    ),
    data("json-empty", "x.json", b"", Bad("data", "not valid JSON: Expecting value", "x.json", 1)),
    data("json-directory", "x.json", DIRECTORY, Bad("file", "is a directory, not a file", "x.json")),
    Case(
        "json-missing",
        {},
        Bad("file", "file not found", "x.json"),
        data="x.json",
        sphinx=Bad("file", SPHINX_NOT_FOUND, "x.json"),
    ),
]

IDS = [case.id for case in CASES]
assert len(set(IDS)) == len(IDS)


def expected(case: Case, front: str) -> Good | Bad:
    """The row's outcome for ``front``, with ``{case}`` in a message filled in."""
    outcome = case.outcome(front)
    if isinstance(outcome, Bad) and "{case}" in outcome.message:
        return replace(outcome, message=outcome.message.replace("{case}", case.id))
    return outcome


# --- writing the cases: one folder each, for the docs and for the command line and API --


def write_case(case: Case, folder: Path, outside: Path) -> None:
    folder.mkdir(parents=True)
    for name, content in case.files.items():
        path = folder / name
        if content is DIRECTORY:
            path.mkdir()
        elif content is FIFO:
            os.mkfifo(path)
        elif content is OUTSIDE:
            target = outside / f"{case.id}{path.suffix}"
            target.write_bytes(OUTSIDE_FILES[path.suffix])
            path.symlink_to(target)
        else:
            assert isinstance(content, bytes)
            path.write_bytes(content)


def sphinx_page(case: Case) -> str:
    if case.data is not None:
        directive = f".. attention-viz:: {case.data}\n"
    else:
        directive = ".. attention-viz::\n   :tokens: t.txt\n   :scores: s.txt\n"
    title = case.title
    return f"{title}\n{'=' * len(title)}\n\nBefore the figure.\n\n{directive}\nAfter the figure.\n"


SPHINX_DIRECTIVE_LINE = 6


def mkdocs_page(case: Case) -> str:
    body = f"data: {case.data}\n" if case.data is not None else "tokens: t.txt\nscores: s.txt\n"
    return f"# {case.title}\n\nBefore the figure.\n\n```attention-viz\n{body}```\n\nAfter the figure.\n"


MKDOCS_BLOCK_LINE = 5
BUILDERS = ("html", "latex", "text")
ENV = os.environ | {"NO_COLOR": "1"}


@dataclass
class Builds:
    root: Path  # cases/<id>/ for the command line and the API
    sphinx_src: Path
    sphinx: dict[str, subprocess.CompletedProcess[str]]
    mkdocs: subprocess.CompletedProcess[str]
    mkdocs_strict: subprocess.CompletedProcess[str]

    def sphinx_out(self, builder: str) -> Path:
        return self.root.parent / f"sphinx-{builder}"

    @property
    def site(self) -> Path:
        return self.root.parent / "mkdocs" / "site"


def run_all(commands: dict[str, list[str]], timeout: float = 240) -> dict[str, subprocess.CompletedProcess[str]]:
    """Run the commands side by side; their results once all have finished."""
    started = {
        name: subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)
        for name, command in commands.items()
    }
    results = {}
    for name, process in started.items():
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            pytest.fail(f"{name} did not finish in {timeout} s: {err[-2000:]}")
        results[name] = subprocess.CompletedProcess(commands[name], process.returncode, out, err)
    return results


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> Builds:
    base = tmp_path_factory.mktemp("table")
    outside = base / "outside"
    outside.mkdir()
    root, source, site = base / "cases", base / "sphinx", base / "mkdocs"
    for case in CASES:
        write_case(case, root / case.id, outside)
        write_case(case, source / case.id, outside)
        (source / case.id / "index.rst").write_text(sphinx_page(case), encoding="utf-8")
        write_case(case, site / "docs" / case.id, outside)
        (site / "docs" / case.id / "index.md").write_text(mkdocs_page(case), encoding="utf-8")
    (source / "conf.py").write_text('extensions = ["sphinxcontrib_attnviz"]\nshow_warning_types = True\n')
    (source / "index.rst").write_text("Cases\n=====\n\n.. toctree::\n   :glob:\n\n   */index\n")
    (site / "docs" / "index.md").write_text("# Cases\n")
    # MkDocs itself cannot copy a named pipe to the site (test_a_fifo_in_docs_dir_...): leave them out
    fifos = [path for path in (site / "docs").rglob("*") if path.is_fifo()]
    (site / "mkdocs.yml").write_text(
        "site_name: cases\nplugins:\n  - attention-viz\nexclude_docs: |\n"
        + "".join(f"  /{path.relative_to(site / 'docs').as_posix()}\n" for path in fifos)
    )
    sphinx = [sys.executable, "-m", "sphinx", "-q"]
    mkdocs = [sys.executable, "-m", "mkdocs", "build", "-f", str(site / "mkdocs.yml")]
    results = run_all(
        {
            **{
                builder: [
                    *sphinx,
                    "-b",
                    builder,
                    "-d",
                    str(base / f"doctrees-{builder}"),
                    str(source),
                    str(base / f"sphinx-{builder}"),
                ]
                for builder in BUILDERS
            },
            "mkdocs": [*mkdocs, "-d", str(site / "site")],
            "mkdocs-strict": [*mkdocs, "--strict", "-d", str(site / "strict")],
        }
    )
    return Builds(
        root, source, {builder: results[builder] for builder in BUILDERS}, results["mkdocs"], results["mkdocs-strict"]
    )


# --- checking each front ----------------------------------------------------------------


def sphinx_warning(builds: Builds, case: Case, bad: Bad) -> str:
    page = builds.sphinx_src / case.id / "index.rst"
    return f"{page}:{SPHINX_DIRECTIVE_LINE}: WARNING: attention-viz: {bad.located(case.id)} [attnviz.{bad.subtype}]"


def page_warnings(stderr: str, marker: str) -> list[str]:
    return [line for line in stderr.splitlines() if marker in line]


def squeeze(text: str) -> str:
    """Text without whitespace: undoes the text builder's wrapping, which also breaks lines
    after hyphens (``pair-`` / ``nan/s.txt``)."""
    return "".join(text.split())


def check_sphinx(builds: Builds, case: Case, builder: str, outcome: Good | Bad) -> None:
    run = builds.sphinx[builder]
    assert run.returncode == 0, run.stderr[-3000:]
    found = page_warnings(run.stderr, f"{os.sep}{case.id}{os.sep}index.rst:")
    assert found == ([sphinx_warning(builds, case, outcome)] if isinstance(outcome, Bad) else [])
    out = builds.sphinx_out(builder)
    if builder == "html":
        page = (out / case.id / "index.html").read_text(encoding="utf-8")
        check_html_page(page, case, outcome, api_fragment(case) if isinstance(outcome, Good) else None)
    elif builder == "text":
        page = squeeze((out / case.id / "index.txt").read_text(encoding="utf-8"))
        shown = squeeze(
            outcome.text
            if isinstance(outcome, Good)
            else f"could not be drawn. attention-viz: {outcome.located(case.id)}"
        )
        assert page.index("Beforethefigure.") < page.index(shown) < page.index("Afterthefigure.")
        assert page.count(shown) == 1
    else:
        check_latex(next(out.glob("*.tex")).read_text(encoding="utf-8"), case, outcome)


#: A token's box in LaTeX (as tests/test_sphinx_builders.py reads them).
LATEX_BOX = re.compile(
    r"\\colorbox\[HTML\]\{([0-9A-F]{6})\}\{\\strut\\textcolor\[HTML\]\{([0-9A-F]{6})\}\{(.*?)\}\}"
    r"|\\fbox\{()()\\strut (.*?)\}"  # a missing cell: framed, no colour
)


def check_latex(tex: str, case: Case, outcome: Good | Bad) -> None:
    """The case's chapter: its figure's boxes (each plain token as it is) or the note,
    between the text before and after it."""
    start = tex.index(f"\\chapter{{{case.title}}}")
    end = tex.find("\\chapter{", start + 1)
    chapter = tex[start : end if end >= 0 else len(tex)]
    before, after = chapter.index("Before the figure."), chapter.index("After the figure.")
    middle = chapter[before:after]
    if isinstance(outcome, Bad):
        assert "could not be drawn" in middle and not LATEX_BOX.search(chapter)
        return
    boxes = [text or missing for _, _, text, _, _, missing in LATEX_BOX.findall(middle)]
    assert len(boxes) == len(outcome.tokens) * len(outcome.rows), boxes
    for index, token in enumerate(outcome.tokens):
        if token.isalnum() and token.isascii():
            assert boxes[index] == token


def check_html_page(page: str, case: Case, outcome: Good | Bad, fragment: str | None = None) -> None:
    """The figure's tokens and scores (or the note) in place, between the text around it."""
    drawn = figures(page)
    text = html.unescape(page)
    before, after = text.index("Before the figure."), text.index("After the figure.")
    if isinstance(outcome, Bad):
        assert drawn == []
        note = outcome.located(case.id)
        assert before < text.index("could not be drawn.") < text.index(note) < after, note
        return
    [figure] = drawn
    shown = list(outcome.shown or outcome.tokens)
    assert figure.rows == [shown] * len(outcome.rows)
    assert [span.attrs["title"] for span in figure.spans] == [
        MISSING_TITLE if title == MISSING_SCORE else title for title in outcome.titles
    ]
    assert before < text.index('class="attnviz ') < after
    if fragment is not None:
        assert figure.html == fragment


def check_mkdocs(builds: Builds, case: Case, outcome: Good | Bad) -> None:
    marker = f"attention-viz: {case.id}/index.md:"
    for run in (builds.mkdocs, builds.mkdocs_strict):
        warning = f"WARNING -  attention-viz: {case.id}/index.md:{MKDOCS_BLOCK_LINE}: "
        found = page_warnings(run.stderr, marker)
        assert found == ([warning + outcome.located(case.id)] if isinstance(outcome, Bad) else [])
    page = (builds.site / case.id / "index.html").read_text(encoding="utf-8")
    check_html_page(page, case, outcome, api_fragment(case) if isinstance(outcome, Good) else None)


def api_fragment(case: Case) -> str:
    return from_files(case).to_html()


def from_files(case: Case) -> AttentionViz:
    if case.data is not None:
        return AttentionViz.from_files(f"{case.id}/{case.data}")
    return AttentionViz.from_files(tokens=f"{case.id}/t.txt", scores=f"{case.id}/s.txt")


def cli_arguments(case: Case) -> list[str]:
    if case.data is not None:
        return ["--data", f"{case.id}/{case.data}"]
    return ["--text_path", f"{case.id}/t.txt", "--score_path", f"{case.id}/s.txt"]


def run_cli(argv: list[str]) -> tuple[int, str, str]:
    """The command line in-process: exit status, standard output, standard error."""
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stderr(stderr):
        status = cli.main(argv, stdin=io.BytesIO(), stdout=stdout)
    return status, stdout.getvalue(), stderr.getvalue()


def check_cli(case: Case, outcome: Good | Bad) -> None:
    status, out, err = run_cli([*cli_arguments(case), "--format", "text"])
    if isinstance(outcome, Bad):
        assert (status, out, err) == (2, "", f"attention-viz: error: {outcome.located(case.id)}\n")
    else:
        assert (status, out, err) == (0, outcome.text, "")


def check_api(case: Case, outcome: Good | Bad) -> None:
    if isinstance(outcome, Bad):
        kind = DataFileError if outcome.subtype == "file" else DataError
        with pytest.raises(kind) as raised:
            from_files(case)
        assert isinstance(raised.value, DataFileError) == (outcome.subtype == "file")
        assert str(raised.value) == outcome.located(case.id)
        return
    viz = from_files(case)
    shown = viz.visualization
    assert shown.tokens == outcome.tokens
    assert {row.label: [score.hex() for score in row.scores.tolist()] for row in shown.rows} == {
        label: [float(score).hex() for score in scores] for label, scores in outcome.rows.items()
    }  # exactly: -0.0 and subnormals included
    assert viz.to_text() == outcome.text


def table_params() -> Iterator[object]:
    for case in CASES:
        for front in FRONTS:
            marks = [pytest.mark.xfail(strict=True, reason=case.xfail[front])] if front in case.xfail else []
            yield pytest.param(case, front, id=f"{case.id}-{front}", marks=marks)


@pytest.mark.parametrize(("case", "front"), list(table_params()))
def test_each_case_through_each_front(builds: Builds, monkeypatch: pytest.MonkeyPatch, case: Case, front: str) -> None:
    """The command line and the API are given ``<case>/<file>``, as the docs' messages name them."""
    monkeypatch.chdir(builds.root)
    outcome = expected(case, front)
    if front.startswith("sphinx-"):
        check_sphinx(builds, case, front.removeprefix("sphinx-"), outcome)
    elif front == "mkdocs":
        check_mkdocs(builds, case, outcome)
    elif front == "cli":
        check_cli(case, outcome)
    else:
        check_api(case, outcome)


def test_every_build_finishes_with_one_warning_per_bad_figure(builds: Builds) -> None:
    bad_in_sphinx = sum(isinstance(expected(case, "sphinx-html"), Bad) for case in CASES)
    for builder, run in builds.sphinx.items():
        assert run.returncode == 0, (builder, run.stderr[-3000:])
        assert len([line for line in run.stderr.splitlines() if "WARNING" in line]) == bad_in_sphinx, builder
        assert "Traceback" not in run.stderr
    bad_in_mkdocs = sum(isinstance(expected(case, "mkdocs"), Bad) for case in CASES)
    assert builds.mkdocs.returncode == 0, builds.mkdocs.stderr[-3000:]
    assert builds.mkdocs_strict.returncode != 0  # --strict: every warning fails the build
    for run in (builds.mkdocs, builds.mkdocs_strict):
        assert len(page_warnings(run.stderr, "WARNING")) == bad_in_mkdocs
        assert "Traceback" not in run.stderr
    assert "Aborted with" in builds.mkdocs_strict.stdout + builds.mkdocs_strict.stderr
    assert (builds.site / "index.html").is_file()


def test_a_fifo_in_docs_dir_lets_the_mkdocs_build_finish(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    os.mkfifo(docs / "pipe.tsv")
    (docs / "index.md").write_text(
        "# Pipe\n\nBefore the figure.\n\n```attention-viz\ndata: pipe.tsv\n```\n\nAfter the figure.\n"
    )
    (tmp_path / "mkdocs.yml").write_text("site_name: pipe\nplugins:\n  - attention-viz\n")
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(tmp_path / "mkdocs.yml")]
    run = subprocess.run(command, capture_output=True, text=True, timeout=60, env=ENV)
    assert page_warnings(run.stderr, "WARNING") == [f"WARNING -  attention-viz: index.md:5: pipe.tsv: {PIPE}"]
    left_out = (
        "INFO    -  attention-viz: pipe.tsv: not a regular file (a named pipe, socket or device): left out of the site"
    )
    assert page_warnings(run.stderr, "INFO    -  attention-viz:") == [left_out]
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr[-2000:]
    note = Bad("file", PIPE, "pipe.tsv", as_written=True)
    check_html_page((tmp_path / "site" / "index.html").read_text(encoding="utf-8"), Case("pipe", {}, note), note)


# --- any bytes: only the package's errors, never a hang -------------------------------------


class Hang(BaseException):
    """Raised by the alarm: not an Exception, so no ``except Exception`` hides it."""


@contextlib.contextmanager
def no_hang(seconds: float = 20) -> Iterator[None]:
    def alarm(signum: int, frame: object) -> None:
        raise Hang(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


BOMS = [b"", b"", b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"\xff\xfe\x00\x00"]
COMMON = ["\n", "\r", "\r\n", " ", "\t", "", "\x00", "\x0c", "\u2028", "\x85", "\ufeff", "\u00e9", "\U0001f60a"]
NUMBERS = ["1", "-0.0", "0.5", "5e-324", "1e308", "1.7976931348623157e308", "1e400", "-1e400", "nan", "-Infinity",
           "1_000", "\u0661", "0x10", "+.5", "5.", "1e", "--1", "007", "1" + "0" * 400]  # fmt: skip
PIECES = {
    "pair": [*COMMON, *NUMBERS, "a", "token", "[CLS]", "##s", "\u0120x"],
    "tsv": [*COMMON, *NUMBERS, "a", "token\tscore", "token", "score", "\t\t", "a b"],
    "csv": [*COMMON, *NUMBERS, "a", "token,score", "token", "score", ",", '"', '""', "token,a,a", "token,,"],
    "json": [*COMMON, *NUMBERS, "{", "}", "[", "]", ":", ",", '"tokens"', '"scores"', '"text"', '"offsets"', '"a"',
             "true", "false", "null", "NaN", "Infinity", '"0.5"', "[0, 1]", '"\\ud800"', "[" * 40, "]" * 40],
}  # fmt: skip


def pieced(kind: str) -> st.SearchStrategy[bytes]:
    """Bytes that are mostly the format's own pieces, behind a byte-order mark now and then,
    with a stray byte now and then."""
    text = st.lists(st.sampled_from(PIECES[kind]) | st.text(max_size=3), max_size=40).map("".join)
    return st.builds(
        lambda bom, body, stray: bom + body.encode("utf-8", "surrogatepass") + stray,
        st.sampled_from(BOMS),
        text,
        st.sampled_from([b""] * 6 + [b"\xe9", b"\xff", b"\xc3", b"\r", b"\x00"]),
    )


#: Tokens: any text (no surrogates: a file of them is not UTF-8), and tokenizers' markers.
TOKEN_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=6) | st.sampled_from(
    ["a", "[CLS]", "##s", "\u0120x", "\u2581y", "<0xE9>", "a b", "token", "score", '"', ",", "\u200d", "\u0301"]
)
#: Scores as written: mostly numbers a score may be, now and then one it may not.
SCORE_TEXT = (
    st.floats(allow_nan=False, allow_infinity=False).map(repr)
    | st.integers(-(10**6), 10**6).map(str)
    | st.sampled_from(["-0.0", "5e-324", ".5", "5.", "1E3", "+1", " 2 ", "1e-320", "9" * 320])
    | st.sampled_from([*NUMBERS, "", "x", "1 2"])
)
BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\n \n", "\r\r\n"])


def rarely(draw: st.DrawFn, percent: int) -> bool:
    """True about ``percent`` times in a hundred (Hypothesis favours the ends of a range of
    integers: the values that say yes lie in its middle)."""
    return 40 <= draw(st.integers(0, 99)) < 40 + percent


@st.composite
def documents(draw: st.DrawFn, kind: str) -> tuple[bytes, bytes]:
    """A file (or for ``pair`` two) of the format's shape: tokens and scores, line breaks of
    every kind, a header or not; now and then a byte-order mark, a count one off, a short
    row, or a stray byte somewhere."""
    count = draw(st.integers(0, 6))
    tokens = draw(st.lists(TOKEN_TEXT, min_size=count, max_size=count))
    columns = draw(st.integers(1, 3)) if kind in ("csv", "json") else 1
    scores = draw(st.lists(st.lists(SCORE_TEXT, min_size=columns, max_size=columns), min_size=count, max_size=count))
    end = draw(BREAKS | st.just(""))

    def lines(items: list[str]) -> str:
        return "".join(item + draw(BREAKS) for item in items) + end

    second = ""
    if kind == "pair":
        cut = (1 if draw(st.booleans()) else -1) if rarely(draw, 20) else 0
        first = lines([token.replace("\n", "").replace("\r", "") for token in tokens])
        numbers = [row[0] for row in scores]
        second = lines(numbers[: len(numbers) - cut] if cut > 0 else numbers + ["1"] * -cut)
    elif kind == "tsv":
        header = draw(st.sampled_from([[], [], ["token\tscore"], ["TOKEN\tSCORE"]]))
        first = lines([*header, *(f"{token}\t{row[0]}" for token, row in zip(tokens, scores, strict=True))])
    elif kind == "csv":
        names = [f"s{index}" for index in range(columns)]
        if rarely(draw, 15):
            names = draw(st.lists(st.sampled_from(["score", "a", "", " a"]), min_size=columns, max_size=columns))
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator=draw(BREAKS))
        writer.writerow(["token", *names])
        for token, row in zip(tokens, scores, strict=True):
            writer.writerow([token, *row[: columns - 1]] if rarely(draw, 5) else [token, *row])
        first = buffer.getvalue() + end
    else:
        rows = [", ".join(row[column] for row in scores) for column in range(columns)]
        shape = draw(st.sampled_from(["list", "rows", "offsets"]))
        if shape == "list":
            scores_json = f"[{rows[0]}]"
        else:
            scores_json = "{" + ", ".join(f'"l{index}": [{row}]' for index, row in enumerate(rows)) + "}"
        first = f'{{"tokens": {json.dumps(tokens, ensure_ascii=draw(st.booleans()))}, "scores": {scores_json}'
        if shape == "offsets":
            text, spans = "", []
            for token in tokens:
                text += draw(st.sampled_from(["", " ", "\n"]))
                spans.append([len(text), len(text) + len(token)])
                text += token
            if rarely(draw, 30):  # a span out of range, reversed, out of order or not a pair
                spans.insert(
                    draw(st.integers(0, len(spans))), draw(st.lists(st.integers(-1, len(text) + 1), max_size=3))
                )
            first += f', "text": {json.dumps(text)}, "offsets": {json.dumps(spans)}'
        first += "}" + end
    raw = (draw(st.sampled_from(BOMS[3:])) if rarely(draw, 15) else b"") + first.encode()
    if rarely(draw, 10):  # a stray byte
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.sampled_from([b"\xe9", b"\xff", b"\x80", b"\x00", b"\r"])) + raw[at:]
    return raw, second.encode()


JSON_LEAVES = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=4)
    | st.sampled_from([10**400, -(10**310)])
)
JSON_VALUES = st.recursive(
    JSON_LEAVES, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner, max_size=3)
)
NUMBER_LISTS = st.lists(st.floats() | st.integers(-5, 5), max_size=5)
#: JSON documents with the right keys holding anything.
JSON_ANYTHING = st.fixed_dictionaries(
    {"tokens": st.lists(st.text(max_size=4), max_size=5) | JSON_VALUES},
    optional={
        "scores": NUMBER_LISTS | st.dictionaries(st.text(max_size=3), NUMBER_LISTS, max_size=3) | JSON_VALUES,
        "text": st.text(max_size=8) | JSON_VALUES,
        "offsets": st.lists(st.lists(st.integers(-2, 10), max_size=3), max_size=5) | JSON_VALUES,
    },
).map(lambda document: (json.dumps(document).encode("utf-8", "surrogatepass"), b""))

#: kind -> (the data file, or the tokens file; the scores file for a pair)
INPUTS = {
    kind: st.tuples(st.binary(max_size=200), st.binary(max_size=50))
    | st.tuples(pieced(kind), pieced("pair"))
    | documents(kind)
    | documents(kind)
    for kind in PIECES
}
INPUTS["json"] = INPUTS["json"] | JSON_ANYTHING


def write_inputs(folder: Path, kind: str, files: tuple[bytes, bytes]) -> list[str]:
    """Write the bytes as ``kind``'s files; the command line's data arguments for them."""
    first, second = files
    if kind == "pair":
        (folder / "t.txt").write_bytes(first)
        (folder / "s.txt").write_bytes(second)
        return ["--text_path", str(folder / "t.txt"), "--score_path", str(folder / "s.txt")]
    (folder / f"d.{kind}").write_bytes(first)
    return ["--data", str(folder / f"d.{kind}")]


FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.mark.parametrize("kind", list(PIECES))
def test_any_bytes_raise_only_the_package_errors_in_the_readers_and_the_api(tmp_path: Path, kind: str) -> None:
    tokens, scores, data_file = tmp_path / "t.txt", tmp_path / "s.txt", tmp_path / f"d.{kind}"

    @FUZZ
    @given(files=INPUTS[kind])
    def read(files: tuple[bytes, bytes]) -> None:
        write_inputs(tmp_path, kind, files)
        if kind == "pair":
            attempts = [
                lambda: read_token_score_files(tokens, scores, "t.txt", "s.txt"),
                lambda: AttentionViz.from_files(tokens=tokens, scores=scores).to_html(),
            ]
        else:
            attempts = [
                lambda: read_data_file(data_file, data_file.name),
                lambda: AttentionViz.from_files(data_file).to_html(),
            ]
        for attempt in attempts:
            with no_hang(), warnings_as_errors():
                try:
                    attempt()
                except AttnvizError as error:
                    assert str(error)

    read()


@pytest.mark.parametrize("kind", list(PIECES))
def test_any_bytes_give_the_command_line_an_exit_status_and_one_line(tmp_path: Path, kind: str) -> None:
    @FUZZ
    @given(files=INPUTS[kind], output=st.sampled_from(["text", "html", "latex"]))
    def run(files: tuple[bytes, bytes], output: str) -> None:
        arguments = write_inputs(tmp_path, kind, files)
        with no_hang(), warnings_as_errors():
            status, out, err = run_cli([*arguments, "--format", output])
        if status == 0:
            assert out and (err == "" or err.startswith("attention-viz: warning: pdflatex cannot typeset")), err
        else:
            assert status == 2 and out == ""
            assert err.startswith("attention-viz: error: ") and err.count("\n") == 1, err

    run()


@contextlib.contextmanager
def warnings_as_errors() -> Iterator[None]:
    """Python warnings (NumPy's overflow, say) as errors: the package should give none."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield
