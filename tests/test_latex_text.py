"""LaTeX text that always compiles (``render/latex_text.py``): unit tests of the escaping,
then one real document per engine, read back with ``pdftotext``.

The compile tests need pdflatex / xelatex / lualatex (xelatex and lualatex with fontspec)
and pdftotext (Debian: texlive-latex-recommended texlive-fonts-recommended tex-gyre
texlive-xetex texlive-luatex poppler-utils). Without them they skip, except under
``CI=true``, where they fail.
"""

from __future__ import annotations

import importlib.util
import itertools
import os
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from sphinxcontrib_attnviz.pages import latex_document
from sphinxcontrib_attnviz.render.latex_text import (
    CONTROL_ABBREVIATIONS,
    ENGINES,
    LIGATURE_BREAK,
    PDFLATEX_CHARS,
    SPECIALS,
    STAND_INS,
    UNICODE_ENGINES,
    EscapedLatex,
    escape_latex,
    is_never_raw,
    pdflatex_supports,
)
from sphinxcontrib_attnviz.render.pdflatex_chars import PDFLATEX_CHAR_RANGES

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "latex_charset.py"
LIGATURES = [
    "a--b",
    "a---b",
    ",,",
    "<<",
    ">>",
    "``",
    "''",
    "!`",
    "?`",
    "\u2018\u2018",
    "\u2019\u2019",
    "\u2013-",
    "\u2010-",
]
UNSUPPORTED = {
    "日本語": "[U+65E5][U+672C][U+8A9E]",
    "😊": "[U+1F60A]",
    "\u2581": "[U+2581]",
    "αβγ": "[U+03B1][U+03B2][U+03B3]",
}
NEVER_RAW = ["\x00", "\t", "\n", "\x1b", "\x7f", "\x85", "\u2028", "\u2029", "\ud800", "\ufdd0", "\ufffe", "\U0010ffff"]


# --- escaping ---------------------------------------------------------------------------


@pytest.mark.parametrize("engine", ENGINES)
def test_specials_are_escaped(engine: str) -> None:
    for char, latex in SPECIALS.items():
        assert escape_latex(char, engine) == (latex, frozenset())
    assert escape_latex("50% of $x_1$", engine).source == r"50\% of \$x\_1\$"


@pytest.mark.parametrize("engine", ENGINES)
def test_printable_ascii_is_kept(engine: str) -> None:
    plain = "".join(chr(c) for c in range(0x20, 0x7F) if chr(c) not in SPECIALS and chr(c) not in "-,!? ")
    assert escape_latex(plain, engine) == (plain, frozenset())


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("text", LIGATURES)
def test_ligatures_are_broken_between_every_pair(engine: str, text: str) -> None:
    source = escape_latex(text, engine).source
    assert source.count(LIGATURE_BREAK) == len(text.strip("ab")) - 1
    assert source.replace(LIGATURE_BREAK, "") == "".join(escape_latex(char, engine).source for char in text)


def test_no_break_where_no_ligature() -> None:
    for text in ["a-b", "-,-", "?!", "`!", "<>", "'`", "-\u2013", "\u2014-"]:
        assert LIGATURE_BREAK not in escape_latex(text).source, text


def test_unsupported_characters_become_markers_under_pdflatex() -> None:
    for text, marker in UNSUPPORTED.items():
        assert escape_latex(text) == EscapedLatex(f"\\texttt{{{marker}}}", frozenset(text))
    source, unsupported = escape_latex("x\u2581y 日")
    assert source == "x\\texttt{[U+2581]}y \\texttt{[U+65E5]}"
    assert unsupported == {"\u2581", "日"}
    assert escape_latex("é ß € \u2013 ﬁ Ł").unsupported == frozenset()


@pytest.mark.parametrize("engine", UNICODE_ENGINES)
def test_unicode_engines_keep_characters(engine: str) -> None:
    for text in UNSUPPORTED:
        assert escape_latex(text, engine) == (text, frozenset())
    assert escape_latex("e\u0301", engine).source == "e\u0301"


@pytest.mark.parametrize("engine", ENGINES)
def test_never_raw_characters_are_markers_under_every_engine(engine: str) -> None:
    for char in NEVER_RAW:
        assert is_never_raw(char)
        assert escape_latex(char, engine) == (f"\\texttt{{[U+{ord(char):04X}]}}", frozenset(char))
    assert not any(is_never_raw(char) for char in "a é日😊\u2581\u00a0\u200b\ufffd")


@pytest.mark.parametrize("engine", ENGINES)
def test_stand_ins_are_latex_not_unsupported(engine: str) -> None:
    assert escape_latex("\u2423\u21b5\u2205\u241b", engine) == (
        r"\textvisiblespace{}\ensuremath{\hookleftarrow}\ensuremath{\emptyset}{\ttfamily\footnotesize ESC}",
        frozenset(),
    )
    assert all(pdflatex_supports(char) for char in STAND_INS)


def test_control_abbreviations_are_unicode_aliases_of_the_pictured_controls() -> None:
    pictured = [*map(chr, range(0x20)), " ", "\x7f"]
    assert len(CONTROL_ABBREVIATIONS) == len(pictured) == 0x2422 - 0x2400
    for index, (name, control) in enumerate(zip(CONTROL_ABBREVIATIONS, pictured, strict=True)):
        assert unicodedata.lookup("EOM" if name == "EM" else name) == control
        assert unicodedata.name(chr(0x2400 + index)).startswith("SYMBOL FOR ")


def test_pdflatex_text_is_composed_first() -> None:
    assert escape_latex("e\u0301") == ("é", frozenset())
    assert escape_latex("x\u0301").unsupported == {"\u0301"}


def test_space_runs_are_kept() -> None:
    assert escape_latex("a  b   c").source == "a \\ b \\ \\ c"


def test_unknown_engine() -> None:
    with pytest.raises(ValueError, match="unknown LaTeX engine 'context'"):
        escape_latex("x", "context")


# --- the generated table and its generator ---------------------------------------------


def test_table_is_sorted_disjoint_ranges_with_ascii() -> None:
    flat = [code for pair in PDFLATEX_CHAR_RANGES for code in pair]
    assert flat == sorted(flat) and all(low <= high for low, high in PDFLATEX_CHAR_RANGES)
    assert all(b[0] > a[1] + 1 for a, b in itertools.pairwise(PDFLATEX_CHAR_RANGES))
    assert PDFLATEX_CHAR_RANGES[0] == (0x20, 0x7E)
    assert {"é", "ß", "€", "\u2013", "„", "\u2423", "ﬁ"} <= PDFLATEX_CHARS
    assert not {"\u03b1", "\u0416", "\u2581", "日", "😊", "\t"} & PDFLATEX_CHARS


def load_script():
    spec = importlib.util.spec_from_file_location("latex_charset", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generator_reads_declarations(tmp_path: Path) -> None:
    script = load_script()
    dfu = tmp_path / "x1enc.dfu"
    dfu.write_text(
        "\\ProvidesFile{x1enc.dfu}\n   [2022/06/07 v1.3c UTF-8 support]\n"
        "\\DeclareUnicodeCharacter{00C0}{\\@tabacckludge`A}\n"
        "\\DeclareUnicodeCharacter{FB01}{fi}   % {comment}\n"
        "\\DeclareUnicodeCharacter{2011}{\\mbox{-}}\n"
        "% \\DeclareUnicodeCharacter{0416}{\\CYRZH}\n",
        encoding="latin-1",
    )
    assert script.declarations(dfu) == {0xC0: "\\@tabacckludge`A", 0xFB01: "fi", 0x2011: "\\mbox{-}"}
    assert script.provides(dfu) == "2022/06/07 v1.3c UTF-8 support"
    assert script.ranges({1, 2, 3, 7, 9, 10}) == [(1, 3), (7, 7), (9, 10)]


# --- real documents ---------------------------------------------------------------------


def need(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    fontspec = {"xelatex", "lualatex"} & set(tools)
    if (
        fontspec
        and shutil.which("kpsewhich")
        and not subprocess.run(["kpsewhich", "fontspec.sty"], capture_output=True).stdout
    ):
        missing.append("fontspec.sty")
    if missing:
        message = f"missing {', '.join(missing)}: install Debian's texlive-* and poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def compile_tex(engine: str, source: str, folder: Path) -> tuple[str, str]:
    """Compile ``source`` with ``engine``; return the PDF's text and the log."""
    (folder / "doc.tex").write_text(source, encoding="utf-8")
    run = subprocess.run(
        [engine, "-interaction=nonstopmode", "-halt-on-error", "doc.tex"],
        cwd=folder,
        capture_output=True,
        text=True,
        errors="replace",
    )
    log = (folder / "doc.log").read_text(encoding="utf-8", errors="replace")
    assert run.returncode == 0, log[-3000:]
    text = subprocess.run(["pdftotext", "doc.pdf", "-"], cwd=folder, capture_output=True, text=True, check=True).stdout
    return text, log


def samples(engine: str, prefix: str = "S") -> tuple[str, dict[str, str]]:
    """Labelled paragraphs ``S<n>=<text>=``, and what pdftotext should show for each label."""
    texts = [*LIGATURES, "".join(SPECIALS), *UNSUPPORTED, "é", "\x00\x1b"]
    lines, expected = [], {}
    for index, text in enumerate(texts):
        label = f"{prefix}{index}"
        lines.append(f"{label}={escape_latex(text, engine).source}=\\par\n")
        if text in UNSUPPORTED and engine not in UNICODE_ENGINES:
            expected[label] = UNSUPPORTED[text]
        elif text == "\x00\x1b":
            expected[label] = "[U+0000][U+001B]"
        elif engine not in UNICODE_ENGINES:  # t1enc.dfu: U+2010 is typeset as "-"
            expected[label] = text.replace("\u2010", "-")
        else:
            expected[label] = text
    return "".join(lines), expected


def shown(text: str) -> dict[str, str]:
    """The ``S<n>=...=`` paragraphs pdftotext read."""
    return dict(re.findall(r"^(S\d+)=(.*)=$", text, re.MULTILINE))


def table_paragraph(engine: str) -> str:
    """Every character of the pdflatex table and every stand-in, spaced so lines can break."""
    return " ".join(escape_latex(char, engine).source for char in [*sorted(PDFLATEX_CHARS), *STAND_INS]) + "\\par\n"


def test_pdflatex_document_compiles_every_character(tmp_path: Path) -> None:
    need("pdflatex", "pdftotext")
    body, expected = samples("pdflatex")
    compile_only, _ = samples("pdflatex", prefix="E")
    # First the CLI document's own fonts (EC; without cm-super they are bitmaps that
    # pdftotext reads badly), then Sphinx's pdflatex fonts (TeX Gyre Termes, txtt: Type 1),
    # whose text is checked. Both T1 font sets have the same ligature table.
    fragment = (
        table_paragraph("pdflatex")
        + compile_only
        + "\\fontfamily{qtm}\\selectfont\\renewcommand\\ttdefault{txtt}\n"
        + table_paragraph("pdflatex")
        + body
    )
    text, log = compile_tex("pdflatex", latex_document(fragment, "Characters"), tmp_path)
    assert "Missing character" not in log
    assert shown(text) == expected
    for mark in ["\u2423", "\u2205", "\u2190", *CONTROL_ABBREVIATIONS]:
        assert mark in text


@pytest.mark.parametrize("engine", ["xelatex", "lualatex"])
def test_unicode_engine_document_keeps_characters(engine: str, tmp_path: Path) -> None:
    need(engine, "pdftotext")
    body, expected = samples(engine)
    # A font with Greek, U+2581 and an emoji (DejaVu Sans, Debian's fonts-dejavu-core);
    # without one, fontspec's default Latin Modern, and those characters are only logged.
    font = ""
    if shutil.which("fc-list"):
        fonts = subprocess.run(["fc-list", ":charset=3b1 2581 1f60a", "family"], capture_output=True, text=True)
        font = next((line.split(",")[0] for line in sorted(fonts.stdout.splitlines()) if line), "")
    setfont = f"\\setmainfont{{{font}}}\n" if font else ""
    document = (
        "\\documentclass{article}\n\\usepackage{fontspec}\n" + setfont + "\\usepackage{xcolor}\n"
        "\\begin{document}\n" + table_paragraph(engine) + body + "\\end{document}\n"
    )
    text, log = compile_tex(engine, document, tmp_path)
    got = shown(text)
    for label, want in expected.items():
        if want == "日本語":  # no CJK font here: kept, but only the log shows it
            assert got.get(label) == want or re.search(r"Missing character: There is no 日 \(U\+65E5\)", log)
        elif want in UNSUPPORTED and not font:
            assert f"(U+{ord(want[0]):04X})" in log
        else:
            assert got.get(label) == want, label
    for mark in ["\u2205", "\u2190", *CONTROL_ABBREVIATIONS]:
        assert mark in text
