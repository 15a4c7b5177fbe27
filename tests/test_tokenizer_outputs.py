"""Real tokenizer output through every builder: the text the tokens stand for in HTML,
EPUB (well-formed XHTML), text, man, texinfo, and PDF from pdflatex and xelatex."""

from __future__ import annotations

import json
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from sphinx.cmd.build import build_main
from test_pdf import latex_tools  # noqa: F401 (the fixture skips without TeX)
from test_sphinx_builders import read_written

from pages import ROOTS, figures
from sphinxcontrib_attnviz import colors

SOURCE = ROOTS / "test-tokenizers"
#: Each figure of the page as shown: tokens, the text between them, line breaks.
SHOWN = [
    "The cat don\u2019t like caf\u00e9.\u21b5\n\U0001f60a",
    "The cat don\u2019t like caf\u00e9.\u21b5\n\U0001f60a",
    "Hallo wereld \u2423. </s>",
    "<s> Hi\u21b5\nthere\U0001f60a",
    "para \u21b5\u21b5\nnext",
    "form \u240c esc\u241b[31m end",
    "a \u2205 \u2423 \u2409 b",
    "[CLS] Hi, caf\u00e9\n\U0001f60a  x [SEP]",
    "a--b x---y ,, '' ``q'' don't <<",
    "\u6771\u4eac \u30bf\u30ef\u30fc na\u00efve \u03b1\u03b2\u03b3",
]
#: Under pdflatex: the same words, what pdflatex cannot typeset as code-point markers.
PDFLATEX_WORDS = [
    ["The cat don\u2019t like caf\u00e9.", "[U+1F60A]"],
    ["Hallo wereld", "</s>"],
    ["<s> Hi", "there[U+1F60A]"],
    ["para", "next"],
    ["form FF escESC[31m end"],
    ["a", "HT b"],
    ["[CLS] Hi, caf\u00e9", "[U+1F60A] x [SEP]"],
    ["a--b x---y ,, '' ``q'' don't <<"],
    ["[U+6771][U+4EAC] [U+30BF][U+30EF][U+30FC] na\u00efve [U+03B1][U+03B2][U+03B3]"],
]


def build(builder: str, out: Path, *overrides: str) -> str:
    """Build the page with ``builder``; return what it warned."""
    warnings = out / "warnings.txt"
    arguments = ["-q", "-b", builder, "-d", str(out / "doctrees"), "-w", str(warnings), str(SOURCE), str(out / builder)]
    assert build_main([*arguments, *(item for override in overrides for item in ("-D", override))]) == 0
    return warnings.read_text(encoding="utf-8")


def test_html_shows_the_text_the_tokens_stand_for(tmp_path: Path) -> None:
    assert build("html", tmp_path) == ""
    page = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    assert [figure.shown[0].strip() for figure in figures(page)] == SHOWN
    assert 'title="subwords: bpe (detected)"' in page


def test_epub_xhtml_is_well_formed(tmp_path: Path) -> None:
    assert build("epub", tmp_path) == ""
    [page] = (tmp_path / "epub").glob("index.xhtml")
    ET.parse(page)  # raises on a control character or anything else XML does not allow
    found = figures(page.read_text(encoding="utf-8"))
    assert [figure.shown[0].strip() for figure in found] == SHOWN
    # XHTML allows no <style> in the body: each token carries its (light) colours inline
    assert [figure.css for figure in found] == [""] * len(found)
    palette = colors.palette("BuGn")
    for figure in found:
        for span in figure.spans:
            entry = int(next(name for name in span.attrs["class"].split() if name[1:].isdigit())[1:])
            assert span.style == {"background-color": palette.backgrounds[entry], "color": palette.foregrounds[entry]}


@pytest.mark.parametrize(
    ("builder", "output"), [("text", "index.txt"), ("man", "tokenizers.1"), ("texinfo", "tokenizers.texi")]
)
def test_text_like_outputs_hold_no_raw_control_character(tmp_path: Path, builder: str, output: str) -> None:
    assert build(builder, tmp_path) == ""
    source = (tmp_path / builder / output).read_text(encoding="utf-8")
    assert not set(source) & {"\x00", "\x0c", "\x1b", "\t"}
    written = read_written(tmp_path / builder / output)
    squeezed = " ".join(written.split())
    for shown in [
        "don[0.2500]\u2019t[0.3500]",
        "caf[0.5500]\u00e9[",
        "esc\u241b[31m[",
        "\u2205[",
        "\u2423[",
        "\u2409[",
    ]:
        assert shown in squeezed
    # TeX ligatures and quotes stay as written (Texinfo's @verb, read back by makeinfo)
    assert " a--b[0.05000] x---y[0.1500] ,,[0.2500] ''[0.3500] ``q''[0.4500] don't[0.5500] <<[0.6500]" in squeezed


def pdf_text(tmp_path: Path, *overrides: str) -> tuple[str, str]:
    """The PDF's text (pdftotext) and the LaTeX build's warnings."""
    warnings = build("latex", tmp_path, *overrides)
    run = subprocess.run(["make", "-C", str(tmp_path / "latex"), "all-pdf"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]
    [pdf] = (tmp_path / "latex").glob("*.pdf")
    return subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout, warnings


def squeezed(text: str) -> str:
    return " ".join(text.split())


def test_pdflatex_pdf_shows_the_words_and_marks_what_it_cannot_typeset(tmp_path: Path) -> None:
    text, warnings = pdf_text(tmp_path)
    for words in PDFLATEX_WORDS:
        for word in words:
            assert word in squeezed(text), word
    # one typed warning per figure with characters pdflatex lacks (the emoji): both GPT-2
    # figures, the Llama one, the one from offsets, and the CJK one
    assert warnings.count("[attnviz.latex]") == 5
    assert "pdflatex cannot typeset \U0001f60a (U+1F60A): shown as code-point markers" in warnings


def test_pdflatex_with_greek_fonts_keeps_greek(tmp_path: Path) -> None:
    """A project whose fontenc loads LGR (as Sphinx's own Greek setup does) gets Greek
    tokens as text, not markers."""
    text, warnings = pdf_text(tmp_path, r"latex_elements.fontenc=\usepackage[LGR,T1]{fontenc}")
    assert "\u03b1\u03b2\u03b3" in squeezed(text) and "[U+03B1]" not in text
    assert "U+03B1" not in warnings and "(U+6771)" in warnings


def test_xelatex_pdf_keeps_every_character(tmp_path: Path) -> None:
    # the fonts docs/tokenizers.rst gives: DejaVu Sans, and a CJK font for CJK characters
    fonts = (
        r"\setmainfont{DejaVu Sans}\setmonofont{DejaVu Sans Mono}\newfontfamily\cjkfont{Droid Sans Fallback}"
        r"\usepackage{ucharclasses}\setTransitionsForCJK{\cjkfont}{\normalfont}"
    )
    text, warnings = pdf_text(tmp_path, "latex_engine=xelatex", f"latex_elements.fontpkg={fonts}")
    assert warnings == ""
    for word in [
        "The cat don\u2019t like caf\u00e9.",
        "\U0001f60a",
        "Hallo wereld",
        "there\U0001f60a",
        "Hi, caf\u00e9",
        "\u6771\u4eac \u30bf\u30ef\u30fc na\u00efve \u03b1\u03b2\u03b3",
    ]:
        assert word in squeezed(text), word


def test_man_pages_keep_words_whole_and_labels_inert(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text('extensions = ["sphinxcontrib_attnviz"]\nproject = "inert"\n', encoding="utf-8")
    tokens = ["word"] * 12 + ["check", "##point", "##ing"] + ["word"] * 12
    (source / "rows.json").write_text(
        json.dumps({"tokens": tokens, "scores": {"L1\n.so /etc/hostname\n.TH PWNED 9": list(range(len(tokens)))}}),
        encoding="utf-8",
    )
    (source / "index.rst").write_text("Inert\n=====\n\n.. attention-viz:: rows.json\n   :subwords: wordpiece\n")
    assert build_main(["-q", "-b", "man", str(source), str(tmp_path / "man")]) == 0
    page = read_written(tmp_path / "man" / "inert.1")
    assert "PWNED(9" not in page and "L1\u21b5.so /etc/hostname\u21b5.TH PWNED 9:" in " ".join(page.split())
    assert "check[12.00]point[13.00]ing[14.00]" in "".join(page.split())  # one word, never hyphenated
    assert "\u2010" not in page


def test_text_builder_keeps_a_row_on_its_lines(tmp_path: Path) -> None:
    """No re-wrapping at 70 columns: a row is one line, and a newline token goes on to
    the next line; a token and its score are never parted."""
    assert build("text", tmp_path) == ""
    lines = [line.strip() for line in (tmp_path / "text" / "index.txt").read_text(encoding="utf-8").splitlines()]
    first = (
        "The[0.05000] cat[0.1500] don[0.2500]\u2019t[0.3500] like[0.4500] "
        "caf[0.5500]\u00e9[0.6500].[0.05000]\u21b5[0.1500]"
    )
    assert len(first) > 70 and lines[lines.index(first) + 1] == "[0.2500]\U0001f60a[0.3500]"
    assert "a--b[0.05000] x---y[0.1500] ,,[0.2500] ''[0.3500] ``q''[0.4500] don't[0.5500] <<[0.6500]" in lines
