"""LaTeX text that always compiles (``render/latex_text.py``): unit tests of the escaping,
then one real document per engine, read back with ``pdftotext``.

The compile tests need pdflatex / xelatex / lualatex (xelatex and lualatex with fontspec)
and pdftotext (Debian: texlive-latex-recommended texlive-fonts-recommended tex-gyre
texlive-xetex texlive-luatex poppler-utils), the Greek and Cyrillic ones also LGR, T2A and
X2 (texlive-lang-greek texlive-lang-cyrillic). Without them they skip, except under
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
import sphinx
from sphinx.builders.latex.constants import DEFAULT_SETTINGS

from sphinxcontrib_attnviz.pages import latex_document
from sphinxcontrib_attnviz.render import pdflatex_chars
from sphinxcontrib_attnviz.render.latex_text import (
    CONTROL_ABBREVIATIONS,
    DEFAULT_ENCODINGS,
    ENGINES,
    LIGATURE_BREAK,
    PDFLATEX_CHARS,
    PDFLATEX_ENCODINGS,
    SPECIALS,
    STAND_INS,
    UNICODE_ENGINES,
    EscapedLatex,
    escape_latex,
    fontenc_encodings,
    is_never_raw,
    pdflatex_charset,
    pdflatex_supports,
)

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
#: Greek and Cyrillic tokens, which a document with LGR and T2A (or X2) typesets.
GREEK_CYRILLIC = ["αβγ", "Ελληνικά", "ἀρχή", "ΑΩ ω", "Жизнь", "привет мир", "x«αβ»Ж", "Ґґ Ђђ Її"]
LGR_T2A = DEFAULT_ENCODINGS | {"LGR", "T2A"}
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


# --- font encodings ----------------------------------------------------------------------


def test_fontenc_encodings() -> None:
    assert {"T1", "TS1", "OT1", "OMS"} == DEFAULT_ENCODINGS
    assert fontenc_encodings(DEFAULT_SETTINGS["fontenc"]) == DEFAULT_ENCODINGS  # Sphinx's pdflatex default
    assert fontenc_encodings("\\usepackage[LGR,X2,T1]{fontenc}") == DEFAULT_ENCODINGS | {"LGR", "X2"}
    assert fontenc_encodings("\\usepackage[ LGR , T2A,T1 ]{fontenc}") == LGR_T2A
    assert fontenc_encodings("\\RequirePackage[T2A]{fontenc}") == DEFAULT_ENCODINGS | {"T2A"}
    assert fontenc_encodings("\\usepackage[LGR]{fontenc}\n\\usepackage[X2,T2A,T1]{fontenc}") == PDFLATEX_ENCODINGS
    for ignored in [
        "",
        "\\usepackage{fontenc}",
        "\\usepackage{fontspec}\n\\defaultfontfeatures[\\rmfamily,\\sffamily,\\ttfamily]{}",
        "\\usepackage[T2B,LY1,lgr,x2,T5,T1]{fontenc}",  # no table, or not LaTeX's spelling
        "\\usepackage[T1]{fontenc}% \\usepackage[LGR,T1]{fontenc}",
        "\\usepackage[LGR,T2A]{inputenc}",
    ]:
        assert fontenc_encodings(ignored) == DEFAULT_ENCODINGS, ignored
    assert fontenc_encodings("\\usepackage[T1]{fontenc}\\%\\usepackage[LGR]{fontenc}") == DEFAULT_ENCODINGS | {"LGR"}


def test_greek_and_cyrillic_need_their_encodings() -> None:
    for text in GREEK_CYRILLIC:
        marked = {char for char in text if not char.isascii() and char not in "«»"}
        assert escape_latex(text).unsupported == marked, text
        assert escape_latex(text, "pdflatex", LGR_T2A) == (text, frozenset()), text
    assert escape_latex("βЖ", "pdflatex", DEFAULT_ENCODINGS | {"LGR"}) == ("β\\texttt{[U+0416]}", frozenset("Ж"))
    assert escape_latex("βЖ", "pdflatex", DEFAULT_ENCODINGS | {"X2"}) == ("\\texttt{[U+03B2]}Ж", frozenset("β"))
    assert escape_latex("βЖ日", "pdflatex", LGR_T2A) == ("βЖ\\texttt{[U+65E5]}", frozenset("日"))
    # NFC first: alpha + combining acute is U+03AC, which LGR has
    assert escape_latex("\u03b1\u0301", "pdflatex", LGR_T2A) == ("\u03ac", frozenset())
    # Ї: T2A's, but not X2's, whose letters Sphinx declares when both are loaded
    assert escape_latex("Ї", "pdflatex", DEFAULT_ENCODINGS | {"T2A"}).unsupported == frozenset()
    assert escape_latex("Ї", "pdflatex", DEFAULT_ENCODINGS | {"X2", "T2A"}).unsupported == {"Ї"}
    # the defaults are not added: without T1 its letters are markers
    assert escape_latex("Ðβ", "pdflatex", frozenset({"LGR"})).unsupported == {"Ð"}
    assert pdflatex_supports("β", LGR_T2A) and not pdflatex_supports("β")
    for engine in UNICODE_ENGINES:
        assert escape_latex("βЖ日", engine, LGR_T2A) == ("βЖ日", frozenset())


def test_encodings_are_checked_and_cached() -> None:
    assert pdflatex_charset() is PDFLATEX_CHARS
    assert pdflatex_charset({"LGR", *DEFAULT_ENCODINGS}) is pdflatex_charset(DEFAULT_ENCODINGS | {"LGR"})
    assert pdflatex_charset(LGR_T2A) > PDFLATEX_CHARS
    for engine in ENGINES:
        with pytest.raises(ValueError, match="no character table for font encoding T2B, lgr"):
            escape_latex("x", engine, frozenset({"T1", "lgr", "T2B"}))
    with pytest.raises(TypeError, match="not the string 'LGR'"):
        pdflatex_charset("LGR")


# --- the generated table and its generator ---------------------------------------------


def test_tables_are_sorted_disjoint_ranges() -> None:
    for table in [pdflatex_chars.BASE_RANGES, *pdflatex_chars.ENCODING_RANGES.values()]:
        flat = [code for pair in table for code in pair]
        assert flat == sorted(flat) and all(low <= high for low, high in table)
        assert all(b[0] > a[1] + 1 for a, b in itertools.pairwise(table))
    assert pdflatex_chars.BASE_RANGES[0] == (0x20, 0x7E)
    assert set(pdflatex_chars.DEFAULT_ENCODINGS) == DEFAULT_ENCODINGS
    assert {"T1", "TS1", "OT1", "OMS", "LGR", "T2A", "X2"} == PDFLATEX_ENCODINGS
    assert len(PDFLATEX_CHARS) == 444  # the single table's size before there were several
    assert {"é", "ß", "€", "\u2013", "„", "\u2423", "ﬁ"} <= PDFLATEX_CHARS
    assert not {"\u03b1", "\u0416", "\u2581", "日", "😊", "\t"} & PDFLATEX_CHARS
    assert {"\u03b1", "\u03a9", "\u1f00"} <= pdflatex_charset(DEFAULT_ENCODINGS | {"LGR"})
    assert {"\u0416", "\u0436", "\u0490"} <= pdflatex_charset(DEFAULT_ENCODINGS | {"T2A"})
    assert {"\u0416", "\u04e8"} <= pdflatex_charset(DEFAULT_ENCODINGS | {"X2"})
    # left out as failing (greek-fontenc: "not available in text mode"; X2 has no \CYRYI)
    assert "\u03d1" not in pdflatex_charset(PDFLATEX_ENCODINGS)
    assert "\u0407" not in pdflatex_charset(DEFAULT_ENCODINGS | {"X2"})


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


def test_generator_documents_load_what_sphinx_loads() -> None:
    script = load_script()
    assert script.preamble() == ("\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n")
    assert script.preamble(("LGR", "T2A", "X2")) == (
        "\\documentclass{article}\n\\usepackage[LGR,T2A,X2,T1]{fontenc}\n\\usepackage{textalpha}\n"
        "\\usepackage[Xtwo]{sphinxpackagecyrillic}\n\\usepackage[utf8]{inputenc}\n"
    )
    assert "TtwoA" in script.preamble(("T2A",))
    assert script.SUPERSEDED == pdflatex_chars.SUPERSEDED
    assert set(script.OPTIONAL_ENCODINGS) == PDFLATEX_ENCODINGS - DEFAULT_ENCODINGS
    assert script.sphinx_texinputs() == Path(sphinx.__file__).parent / "texinputs"


# --- real documents ---------------------------------------------------------------------


def need(*tools: str, tex_files: tuple[str, ...] = ()) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if {"xelatex", "lualatex"} & set(tools):
        tex_files = ("fontspec.sty", *tex_files)
    if shutil.which("kpsewhich"):
        missing += [name for name in tex_files if not subprocess.run(["kpsewhich", name], capture_output=True).stdout]
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


@pytest.mark.parametrize("cyrillic", ["T2A", "X2"])
def test_pdflatex_document_with_greek_and_cyrillic(cyrillic: str, tmp_path: Path) -> None:
    # Sphinx's pdflatex preamble for \usepackage[LGR,X2,T1]{fontenc} (or T2A): its cmappkg,
    # textgreek (textalpha) and textcyrillic (sphinxpackagecyrillic) and its fonts, for
    # which LGR and Cyrillic fall back to cm: the cbfonts and the lh fonts (METAFONT, made on
    # first use). cmap gives the fonts ToUnicode maps; it has one for T2A, none for X2,
    # whose Cyrillic pdftotext cannot read, so there it is only compiled. Every character
    # of the tables, then labelled tokens.
    need("pdflatex", "pdftotext", tex_files=("lgrenc.dfu", "lgrenc.def", "textalpha.sty", f"{cyrillic.lower()}enc.def"))
    fontenc = f"\\usepackage[LGR,{cyrillic},T1]{{fontenc}}"
    encodings = fontenc_encodings(fontenc)
    assert encodings == DEFAULT_ENCODINGS | {"LGR", cyrillic}
    shutil.copy(Path(sphinx.__file__).parent / "texinputs" / "sphinxpackagecyrillic.sty", tmp_path)
    option = {"T2A": "TtwoA", "X2": "Xtwo"}[cyrillic]
    every = " ".join(escape_latex(char, "pdflatex", encodings).source for char in sorted(pdflatex_charset(encodings)))
    markers = {"日"} | ({"Ї", "ї"} if cyrillic == "X2" else set())  # X2 has no \CYRYI
    lines, expected = [], {}
    for index, text in enumerate([*GREEK_CYRILLIC, "β日Ж"]):
        escaped = escape_latex(text, "pdflatex", encodings)
        assert escaped.unsupported == markers & set(text)
        lines.append(f"S{index}={escaped.source}=\\par\n")
        if cyrillic == "T2A" or not any("\u0400" <= char <= "\u04ff" for char in text):
            expected[f"S{index}"] = text.replace("日", "[U+65E5]")
    document = (
        "\\documentclass{article}\n\\usepackage{cmap}\n" + fontenc + "\n\\usepackage{textalpha}\n"
        f"\\usepackage[{option}]{{sphinxpackagecyrillic}}\n"
        "\\usepackage{tgtermes}\n\\usepackage{tgheros}\n\\renewcommand{\\ttdefault}{txtt}\n"
        "\\begin{document}\n\\tracinglostchars=2\n" + every + "\\par\n" + "".join(lines) + "\\end{document}\n"
    )
    text, log = compile_tex("pdflatex", document, tmp_path)
    assert "Missing character" not in log
    got = {label: unicodedata.normalize("NFC", shown_text) for label, shown_text in shown(text).items()}
    for label, want in expected.items():
        assert got.get(label) == want, label
