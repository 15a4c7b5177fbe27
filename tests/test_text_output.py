"""Text-like outputs keep their promises: a line per row in text (the text builder, the
command line, the API), each line break the display model's and no other; man and
texinfo break lines only between tokens, and man never hyphenates a token."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main

from sphinxcontrib_attnviz import AttentionViz
from sphinxcontrib_attnviz.render.roff import ROFF, unhyphenated
from sphinxcontrib_attnviz.render.text import render_text_lines

#: Every character but ``\n`` that ``str.splitlines()`` splits at, with the stand-in the
#: display model shows it as (display.py: Control Pictures, or the code as Python writes it).
SEPARATORS = {
    "\r": "\u240d",
    "\x0b": "\u240b",
    "\x0c": "\u240c",
    "\x1c": "\u241c",
    "\x1d": "\u241d",
    "\x1e": "\u241e",
    "\x85": "\\x85",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
RETURN = "\u21b5"
#: Each separator inside a token, alone as a token, then a newline inside a token and a CR LF.
TOKENS = ["a", *(f"b{char}c" for char in SEPARATORS), *SEPARATORS, "n\nl", "cr\r\nlf", "z"]
SCORES = [float(index + 1) for index in range(len(TOKENS))]
LABEL = "row\u2028one\r"  # a row label holding separators, shown on its line


def scored(text: str, score: float) -> str:
    return f"{text}[{score:#.4g}]"


def expected_lines(indent: str = "") -> list[str]:
    """The lines the display model intends for TOKENS: one, until the token holding a
    newline ends it; the row goes on under its first token."""
    first = [scored("a", SCORES[0])]
    first += [scored(f"b{shown}c", score) for shown, score in zip(SEPARATORS.values(), SCORES[1:], strict=False)]
    first += [scored(shown, score) for shown, score in zip(SEPARATORS.values(), SCORES[10:], strict=False)]
    first.append(scored(f"n{RETURN}l", SCORES[-3]))
    return [" ".join(first), indent + scored(f"cr\u240d{RETURN}lf", SCORES[-2]), indent + scored("z", SCORES[-1])]


def assert_no_raw_separator(text: str) -> None:
    assert not set(text) & set(SEPARATORS), [char for char in text if char in SEPARATORS]
    assert text.splitlines() == text.split("\n")[: len(text.splitlines())]


def test_the_table_holds_every_line_separator() -> None:
    splitting = {chr(code) for code in range(0x110000) if len(f"a{chr(code)}b".splitlines()) == 2}
    assert splitting == {*SEPARATORS, "\n"}


def test_api_text_has_the_model_lines() -> None:
    text = AttentionViz(TOKENS, SCORES).to_text()
    assert_no_raw_separator(text)
    assert text.splitlines() == expected_lines()
    assert len(expected_lines()[0]) > 70


def test_api_text_of_labelled_rows_goes_on_under_the_first_token() -> None:
    text = AttentionViz(TOKENS, {LABEL: SCORES, "two": SCORES}).to_text()
    assert_no_raw_separator(text)
    label = "row\\u2028one\u240d: "
    first, *rest = expected_lines(" " * len(label))
    two = expected_lines(" " * len("two: "))
    assert text.splitlines() == [label + first, *rest, "two: " + two[0], *two[1:]]


@pytest.mark.parametrize("label", [None, "x"])
def test_a_newline_at_the_end_of_a_row_adds_no_line(label: str | None) -> None:
    """A line break after the row's last token ends the row: no empty (or blank) line."""
    scores = [1.0, 2.0] if label is None else {label: [1.0, 2.0], "y": [3.0, 4.0]}
    lines = AttentionViz(["a", "b\n"], scores).to_text().splitlines()
    if label is None:
        assert lines == ["a[1.000] b\u21b5[2.000]"]
    else:
        assert lines == ["x: a[1.000] b\u21b5[2.000]", "y: a[3.000] b\u21b5[4.000]"]


def test_text_between_tokens_keeps_only_its_newlines() -> None:
    """With offsets, the original text is drawn between tokens: a newline (or CR LF)
    breaks the line there, every other separator shows as its stand-in."""
    text = "a" + "".join(f"{char}w" for char in SEPARATORS) + "\r\nx\ny"
    spans = [(match.start(), match.end()) for match in re.finditer(r"[a-z]", text)]
    out = AttentionViz(text=text, offsets=spans, scores=range(len(spans))).to_text()
    assert_no_raw_separator(out)
    first = "a[0.000]" + "".join(f"{shown}w[{index + 1:#.4g}]" for index, shown in enumerate(SEPARATORS.values()))
    assert out.splitlines() == [first, "x[10.00]", "y[11.00]"]


def run_cli(*args: str, cwd: Path) -> str:
    """The command line's standard output, as bytes decoded (no newline translation)."""
    executable = shutil.which("attention-viz")
    command = [executable] if executable else [sys.executable, "-m", "sphinxcontrib_attnviz"]
    result = subprocess.run([*command, *args], cwd=cwd, capture_output=True, check=True)
    assert result.stderr == b""
    return result.stdout.decode("utf-8")


def test_cli_text_has_the_model_lines(tmp_path: Path) -> None:
    (tmp_path / "data.json").write_text(json.dumps({"tokens": TOKENS, "scores": SCORES}), encoding="utf-8")
    out = run_cli("--data", "data.json", "--format", "text", cwd=tmp_path)
    assert_no_raw_separator(out)
    assert out.splitlines() == expected_lines() and out.endswith("]\n")
    assert out == AttentionViz(TOKENS, SCORES).to_text()


#: Long words, a word after "(", a token with an inner space, hyphens; clipped scores.
WORDS = ["internationalization", "(counterrevolutionaries)", "new york", "state-of-the-art", "extraordinarily"] * 6


def long_row() -> dict[str, object]:
    text = " ".join(WORDS)
    spans, position = [], 0
    for word in WORDS:
        start = text.index(word, position) + word.startswith("(")
        end = start + len(word.strip("()"))
        spans.append([start, end])
        position = end
    scores = [(0.05, 0.5, 0.95)[index % 3] for index in range(len(WORDS))]
    return {"text": text, "offsets": spans, "scores": {"layer one": scores}}


def long_row_units() -> list[str]:
    """Each token with its score note, as every text-like output must keep it whole."""
    units = []
    for index, word in enumerate(WORDS):
        score = (0.05, 0.5, 0.95)[index % 3]
        note = f"{score:#.4g}{' clipped' if score != 0.5 else ''}"
        units.append(f"{word.rstrip(')')}[{note}]")
    return units


PAGE = """Text outputs
============

Before the figures.

.. attention-viz:: separators.json

.. attention-viz:: long.json
   :vmin: 0.2
   :vmax: 0.8

After the figures.
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("text-outputs") / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        'extensions = ["sphinxcontrib_attnviz"]\nproject = "outputs"\nshow_warning_types = True\n', encoding="utf-8"
    )
    (source / "index.rst").write_text(PAGE, encoding="utf-8")
    (source / "separators.json").write_text(json.dumps({"tokens": TOKENS, "scores": SCORES}), encoding="utf-8")
    (source / "long.json").write_text(json.dumps(long_row()), encoding="utf-8")
    return source


def build(project: Path, builder: str, out: Path) -> Path:
    warnings = out / "warnings.txt"
    arguments = ["-q", "-b", builder, "-d", str(out / "doctrees"), "-w", str(warnings)]
    assert build_main([*arguments, str(project), str(out / builder)]) == 0
    assert warnings.read_text(encoding="utf-8") == ""
    return out / builder


def test_text_builder_writes_the_rows_as_the_command_line_does(project: Path, tmp_path: Path) -> None:
    written = (build(project, "text", tmp_path) / "index.txt").read_text(encoding="utf-8")
    assert_no_raw_separator(written)
    lines = written.splitlines()
    start = lines.index(expected_lines()[0])  # longer than 70 columns, one line, not indented
    assert lines[start : start + 3] == expected_lines()
    long_lines = AttentionViz(**long_row(), vmin=0.2, vmax=0.8).to_text().splitlines()
    assert len(long_lines) == 1 and len(long_lines[0]) > 400
    assert long_lines[0] in lines
    assert lines.index("Before the figures.") < start < lines.index(long_lines[0]) < lines.index("After the figures.")


def reader(name: str) -> str:
    if shutil.which(name) is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is missing")
        pytest.skip(f"{name} is missing")
    return name


def assert_units_whole(shown: str) -> None:
    """Each token with its score note stands whole on one line, and nothing is hyphenated."""
    lines = shown.splitlines()
    for unit in long_row_units():
        assert any(unit in line for line in lines), unit
    assert "\u2010" not in shown  # groff's hyphen in UTF-8 output


@pytest.mark.parametrize("width", ["30n", "45n", "78n"])
def test_man_breaks_lines_between_tokens_only_and_never_hyphenates(project: Path, tmp_path: Path, width: str) -> None:
    groff = reader("groff")
    page = build(project, "man", tmp_path) / "outputs.1"
    assert_no_raw_separator(page.read_text(encoding="utf-8"))
    command = [groff, "-K", "utf-8", "-man", "-Tutf8", "-P-cbou", f"-rLL={width}", str(page)]
    shown = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    assert_units_whole(shown)
    assert "layer one: " in shown or "layer one:\n" in shown  # the label is never parted
    squeezed = " ".join(shown.split())
    assert " ".join(expected_lines()) in squeezed  # separators as stand-ins, line breaks as .br


def test_roff_words_all_start_unhyphenated() -> None:
    assert unhyphenated("a (b[1.0]) c\\ d\n.br\n\\&e  f") == "\\%a \\%(b[1.0]) \\%c\\ d\n.br\n\\&\\%e  \\%f"
    viz = AttentionViz(["x y", "z"], {"lab el": [1.0, 2.0]}, vmin=1.5, vmax=3).visualization
    assert render_text_lines(viz, ROFF) == ["\\%lab\\ el: \\%x\\ y[1.000\\ clipped] \\%z[2.000]"]


def test_texinfo_breaks_lines_between_tokens_only(project: Path, tmp_path: Path) -> None:
    makeinfo = reader("makeinfo")
    manual = build(project, "texinfo", tmp_path) / "outputs.texi"
    source = manual.read_text(encoding="utf-8")
    assert_no_raw_separator(source)
    assert "@w{[0.9500 clipped]}" in source
    command = [makeinfo, "--plaintext", "-o", "-", str(manual)]
    assert_units_whole(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
