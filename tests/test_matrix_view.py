"""The matrix view (``:view: matrix``): real Sphinx builds of an inseq file and a Captum
LLM attribution drawn as heatmap tables in HTML, text and a compiled PDF.

The PDF tests need ``latexmk``, ``make``, ``pdftotext`` and ``pdfinfo`` (Debian: latexmk
texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended poppler-utils).
Without them they skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import unicodedata
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from sphinx.cmd.build import build_main

from sphinxcontrib_attnviz.cli import main as cli_main
from sphinxcontrib_attnviz.options import OPTION_NAMES, parse_options
from sphinxcontrib_attnviz.readers.files import parse_read_options, read_data
from sphinxcontrib_attnviz.render import format_scores
from sphinxcontrib_attnviz.render.html import render_html
from sphinxcontrib_attnviz.render.latex import latex_fragment
from sphinxcontrib_attnviz.render.matrix import NARROW_TEXT_WIDTH, column_headers, matrix_grid, row_headers
from sphinxcontrib_attnviz.render.text import legend_line, render_text_lines
from sphinxcontrib_attnviz.visualization import Visualization, visualize

DATA = Path(__file__).resolve().parent / "data"
INSEQ = DATA / "inseq" / "gpt2_saliency.json"
CAPTUM = DATA / "tools" / "captum_llm.json"


def load(path: Path, **options: str) -> Visualization:
    data = read_data(str(path), str(path), options=parse_read_options({}))
    return visualize(data, parse_options({"view": "matrix", **options}))


def make_project(root: Path, files: dict[str, Path | str], body: str) -> Path:
    """A Sphinx project in ``root / "src"``: the data ``files`` and an index page ``body``."""
    source = root / "src"
    source.mkdir(parents=True)
    (source / "conf.py").write_text(
        'project = "Matrix"\nextensions = ["sphinxcontrib_attnviz"]\nshow_warning_types = True\n', encoding="utf-8"
    )
    for name, content in files.items():
        if isinstance(content, Path):
            shutil.copy(content, source / name)
        else:
            (source / name).write_text(content, encoding="utf-8")
    (source / "index.rst").write_text("Matrix\n======\n\n" + body, encoding="utf-8")
    return source


def build(source: Path, builder: str) -> Path:
    out = source.parent / builder
    assert (
        build_main(["-q", "-b", builder, "-d", str(source.parent / f"doctrees-{builder}"), str(source), str(out)]) == 0
    )
    return out


INSEQ_PAGE = """\
.. attention-viz:: gpt2_saliency.json
   :view: matrix
   :legend:
   :caption: GPT-2 saliency, every step

"""


# --- HTML ---------------------------------------------------------------------------------


class Table(HTMLParser):
    """The first matrix figure of a page: its scroll box, header cells and body rows."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside the figure: > 0
        self.figure: dict[str, str] = {}
        self.scroll: dict[str, str] = {}
        self.table: dict[str, str] = {}
        self.columns: list[str] = []
        self.rows: list[tuple[str, list[tuple[dict[str, str], str]]]] = []
        self.cell: tuple[str, dict[str, str]] | None = None
        self.text = ""
        self.styles: list[str] = []
        self.in_style = False
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if self.done:
            return
        if tag == "div" and "attnviz-matrix" in attributes.get("class", "").split():
            self.figure, self.depth = attributes, 1
            return
        if not self.depth:
            return
        if tag == "div":
            self.depth += 1
            if "attnviz-matrix-scroll" in attributes.get("class", ""):
                self.scroll = attributes
        elif tag == "style":
            self.in_style = True
        elif tag == "table":
            self.table = attributes
        elif tag in ("th", "td") and "attnviz-corner" not in attributes.get("class", ""):
            self.cell, self.text = (tag, attributes), ""

    def handle_endtag(self, tag: str) -> None:
        if not self.depth or self.done:
            return
        if tag == "div":
            self.depth -= 1
            self.done = self.depth == 0
        elif tag == "style":
            self.in_style = False
        elif tag in ("th", "td") and self.cell is not None:
            kind, attributes = self.cell
            if kind == "th" and attributes.get("scope") == "col":
                self.columns.append(self.text)
            elif kind == "th":
                assert attributes.get("scope") == "row"
                self.rows.append((self.text, []))
            else:
                self.rows[-1][1].append((attributes, self.text))
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.styles.append(data)
        elif self.cell is not None:
            self.text += data


def parse_table(html: str) -> Table:
    table = Table()
    table.feed(html)
    assert table.figure, "no matrix figure"
    return table


def test_view_is_the_last_option_and_tokens_by_default() -> None:
    assert OPTION_NAMES[-1] == "view"
    assert parse_options({}).view == "tokens"
    assert visualize(read_data(str(CAPTUM), str(CAPTUM), options=parse_read_options({}))).view == "tokens"


def test_sphinx_html_builds_a_real_table_of_an_inseq_file(tmp_path: Path) -> None:
    source = make_project(tmp_path, {"gpt2_saliency.json": INSEQ}, INSEQ_PAGE)
    html = (build(source, "html") / "index.html").read_text(encoding="utf-8")
    table = parse_table(html)
    viz = load(INSEQ, legend="true")
    assert table.figure["role"] == "figure"
    assert table.figure["aria-label"] == "GPT-2 saliency, every step"  # the caption's text
    assert table.scroll["tabindex"] == "0"
    assert table.table["aria-label"] == "GPT-2 saliency, every step"
    # a column header per token (its display text), a row header per step: its generated token
    assert table.columns == list(viz.display.texts) == list(viz.tokens)
    assert [label for label, _ in table.rows] == list("ï¿½ēï¿½")
    assert [label for label, _ in table.rows] == row_headers(viz)
    for (_, cells), row in zip(table.rows, viz.rows, strict=True):
        assert len(cells) == len(viz.tokens)  # a cell per score
        for (attributes, text), score, missing in zip(cells, row.scores.tolist(), row.missing.tolist(), strict=True):
            classes = attributes["class"].split()
            if missing:  # blank: no colour, marked, and "no score" for screen readers
                assert "attnviz-missing" in classes
                assert not [name for name in classes if re.fullmatch(r"c\d+", name)]
                assert attributes["title"] == "no score" and text == "no score"
                assert "style" not in attributes
            else:
                assert "attnviz-missing" not in classes
                assert attributes["title"] == text == format_scores(np.array([score]))[0]
    assert sum(int(row.missing.sum()) for row in viz.rows) == 28 == html.count('title="no score"')
    assert '<div class="attnviz-legend">' in html
    assert "attnviz-matrix-scroll" in (build(source, "html") / "_static" / "attnviz.css").read_text(encoding="utf-8")


def test_cells_take_the_token_views_colours(tmp_path: Path) -> None:
    """Each cell names the palette entry its score has in the token view, and the
    figure's <style> gives that entry the same light and dark colours."""
    for path in (INSEQ, CAPTUM):
        matrix = load(path)
        tokens = visualize(read_data(str(path), str(path), options=parse_read_options({})))
        table = parse_table(render_html(matrix))
        token_html = render_html(tokens)
        token_entries = re.findall(r'class="attnviz-token (c\d+)', token_html)
        cell_entries = [
            name
            for _, cells in table.rows
            for attributes, _ in cells
            for name in attributes["class"].split()
            if re.fullmatch(r"c\d+", name)
        ]
        assert cell_entries == token_entries
        for (_, cells), row, token_row in zip(table.rows, matrix.rows, tokens.rows, strict=True):
            assert row.backgrounds == token_row.backgrounds
            expected = [
                f"c{index}" for index, missing in zip(row.colour_index, row.missing, strict=True) if not missing
            ]
            assert [name for a, _ in cells for name in a["class"].split() if re.fullmatch(r"c\d+", name)] == expected
        rules = re.findall(r"\.attnviz-p-\w+ \.c\d+\{[^}]*\}", "".join(table.styles))
        assert rules == re.findall(r"\.attnviz-p-\w+ \.c\d+\{[^}]*\}", token_html.split("</style>")[0])
        # light and dark: the cells follow the same page switches as tokens
        style = "".join(table.styles)
        assert ".attnviz-cell{background-color:var(--av-bg);color:var(--av-fg)}" in style
        assert 'html[data-theme="dark"]' in style and ".attnviz-cell{background-color:var(--av-dark-bg)" in style


def test_inline_colours_and_escaped_headers() -> None:
    data = read_data(str(CAPTUM), str(CAPTUM), options=parse_read_options({}))
    viz = visualize(data, parse_options({"view": "matrix"}))
    html = render_html(viz, inline_colours=True)
    assert "<style>" not in html
    table = parse_table(html)
    first = table.rows[0][1][1][0]
    assert first["style"] == f"background-color: {viz.rows[0].backgrounds[1]}; color: {viz.rows[0].foregrounds[1]}"
    nasty = visualize(
        read_data(str(CAPTUM), str(CAPTUM), options=parse_read_options({})).__class__.checked(
            ["<script>", "a&b"], {"<b>row</b>": [0.1, 0.2]}
        ),
        parse_options({"view": "matrix"}),
    )
    html = render_html(nasty)
    assert "<script>" not in html and "<b>" not in html
    assert parse_table(html).columns == ["<script>", "a&b"]
    assert parse_table(html).rows[0][0] == "<b>row</b>"


# --- text ---------------------------------------------------------------------------------


def grid_blocks(lines: list[str]) -> list[list[str]]:
    blocks: list[list[str]] = [[]]
    for line in lines:
        if line:
            blocks[-1].append(line)
        else:
            blocks.append([])
    return blocks


@pytest.mark.parametrize("path", [INSEQ, CAPTUM], ids=["inseq", "captum"])
def test_the_same_figure_as_an_aligned_text_grid(path: Path) -> None:
    viz = load(path)
    lines = render_text_lines(viz)
    headers, labels = column_headers(viz), row_headers(viz)
    seen_columns: list[str] = []
    cells: list[list[str]] = [[] for _ in labels]  # by row: labels may repeat (a generated token)
    for block in grid_blocks(lines):
        header, *rows = block
        assert len(rows) == len(labels)
        # every cell's right edge is its header's right edge: columns aligned
        ends = [match.end() for match in re.finditer(r"\S+", header)]
        for number, (line, label) in enumerate(zip(rows, labels, strict=True)):
            assert line.startswith(label)
            rest = line[len(label) :]
            found = [(match.end() + len(label), match.group()) for match in re.finditer(r"\S+", rest)]
            assert [end for end, _ in found] == ends
            cells[number] += [text for _, text in found]
        seen_columns += header.split()
        assert max(map(len, block)) <= 100
    assert seen_columns == headers
    for row, row_cells in zip(viz.rows, cells, strict=True):
        assert row_cells == format_scores(row.scores)  # "—" for missing
    assert sum(text == "\u2014" for row in cells for text in row) == sum(int(r.missing.sum()) for r in viz.rows)


def test_sphinx_text_builder_and_cli_write_the_grid(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = make_project(tmp_path, {"gpt2_saliency.json": INSEQ}, INSEQ_PAGE)
    text = (build(source, "text") / "index.txt").read_text(encoding="utf-8")
    viz = load(INSEQ, legend="true")
    for line in render_text_lines(viz):
        assert line in text
    assert cli_main(["--data", str(INSEQ), "--view", "matrix", "--format", "text"]) == 0
    assert capsys.readouterr().out == "\n".join(render_text_lines(load(INSEQ))) + "\n"


@pytest.mark.parametrize(("builder", "suffix"), [("man", ".1"), ("texinfo", ".texi")])
def test_man_and_texinfo_keep_the_grid_aligned(tmp_path: Path, builder: str, suffix: str) -> None:
    """As groff and makeinfo show them, the grid's lines are the text grid's at 70
    characters (every block of columns: an 80-column terminal holds them with the indent),
    each column's right edge where its header's is; the legend follows as prose."""
    from test_sphinx_builders import read_written

    hostile = json.dumps({"tokens": [".TH", "-x", "@{}", "'q'", "--"], "matrix": [[1, 2, 3, 4, 5]] * 5})
    page = INSEQ_PAGE + "\n.. attention-viz:: hostile.json\n   :view: matrix\n"
    source = make_project(tmp_path, {"gpt2_saliency.json": INSEQ, "hostile.json": hostile}, page)
    (source / "conf.py").write_text(
        (source / "conf.py").read_text(encoding="utf-8")
        + 'man_pages = [("index", "matrix", "Matrix", [], 1)]\n'
        + 'texinfo_documents = [("index", "matrix", "Matrix", "", "matrix", "", "")]\n',
        encoding="utf-8",
    )
    shown = read_written(build(source, builder) / f"matrix{suffix}")
    hostile_path = source / "hostile.json"
    shown_lines = shown.splitlines()
    for viz in (load(INSEQ, legend="true"), load(hostile_path)):
        grid = matrix_grid(viz, NARROW_TEXT_WIDTH)
        for start_line in range(0, len(grid), len(viz.rows) + 2):  # each block: the header, the rows
            header, first_row, *rows = grid[start_line : start_line + len(viz.rows) + 1]
            start = next(number for number, line in enumerate(shown_lines) if line.strip() == first_row.strip())
            indent = shown_lines[start].index(first_row.strip())
            # the header, then every row, as the grid has them: the spaces kept, aligned
            assert shown_lines[start - 1 : start + len(rows) + 1] == [
                " " * indent + line for line in [header, first_row, *rows]
            ]
            assert all(len(line) <= 80 for line in shown_lines[start - 1 : start + len(rows) + 1])
    assert " ".join(legend_line(load(INSEQ, legend="true")).split()) in " ".join(shown.split())


# --- LaTeX and PDF -------------------------------------------------------------------------


@pytest.fixture
def latex_tools() -> None:
    missing = [tool for tool in ("latexmk", "pdftotext", "pdfinfo", "make") if shutil.which(tool) is None]
    if missing:
        message = f"missing {', '.join(missing)}: install Debian's latexmk, texlive-* and poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def build_pdf(source: Path) -> Path:
    out = build(source, "latex")
    run = subprocess.run(["make", "-C", str(out), "all-pdf"], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:]
    [pdf] = out.glob("*.pdf")
    return pdf


def pdf_text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return unicodedata.normalize("NFKC", text)


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def test_latex_is_tabulars_of_cellcolor_cells_with_rotated_headers() -> None:
    viz = load(INSEQ)
    source = latex_fragment(viz).source
    assert "\\begin{tabular}" in source and "longtable" not in source
    assert source.count("\\rotatebox{90}") == len(viz.tokens)  # narrow enough for one block
    colour = viz.rows[0].backgrounds[0].lstrip("#").upper()
    assert f"\\cellcolor[HTML]{{{colour}}}" in source
    cells = sum(int((~row.missing).sum()) for row in viz.rows)
    assert source.count("\\cellcolor") == cells


def test_sphinx_pdf_of_inseq_and_captum_matrices(tmp_path: Path, latex_tools: None) -> None:
    body = INSEQ_PAGE + ".. attention-viz:: captum_llm.json\n   :view: matrix\n\n"
    source = make_project(tmp_path, {"gpt2_saliency.json": INSEQ, "captum_llm.json": CAPTUM}, body)
    text = pdf_text(build_pdf(source))
    squeezed = "".join(text.split())
    for path in (INSEQ, CAPTUM):
        viz = load(path)
        for header in column_headers(viz):
            assert unicodedata.normalize("NFKC", header) in text, header
        for label in row_headers(viz):
            assert "".join(unicodedata.normalize("NFKC", label).split()) in squeezed, label
        rng = np.random.default_rng(0)
        for row in viz.rows:
            scores = [score for score in format_scores(row.scores) if score != "\u2014"]
            for score in rng.choice(scores, size=min(4, len(scores)), replace=False):
                assert score.replace("-", "") in squeezed, score  # pdftotext reads a minus sign its own way
    assert "Fig. 1: GPT-2 saliency, every step" in text


def test_a_120_by_120_matrix_builds_and_spans_pages(tmp_path: Path, latex_tools: None) -> None:
    size = 120
    rng = np.random.default_rng(14)
    tokens = [f"t{index}" for index in range(size)]
    scores = {f"q{row}": [round(float(value), 4) for value in rng.random(size)] for row in range(size)}
    figure = json.dumps({"tokens": tokens, "scores": scores})
    body = ".. attention-viz:: attention.json\n   :view: matrix\n   :legend:\n\n"
    source = make_project(tmp_path, {"attention.json": figure}, body)
    html = (build(source, "html") / "index.html").read_text(encoding="utf-8")
    table = parse_table(html)
    assert table.columns == tokens
    assert [len(cells) for _, cells in table.rows] == [size] * size
    pdf = build_pdf(source)
    assert pdf_pages(pdf) > 1
    # the table itself runs over several pages (not just the title and contents pages)
    pages_with_rows = [
        page
        for page in range(1, pdf_pages(pdf) + 1)
        if re.search(
            r"^q\d+$",
            subprocess.run(
                ["pdftotext", "-f", str(page), "-l", str(page), str(pdf), "-"], capture_output=True, text=True
            ).stdout,
            re.MULTILINE,
        )
    ]
    assert len(pages_with_rows) > 1
    text = pdf_text(pdf)
    squeezed = "".join(text.split())
    for token in tokens:
        assert token in squeezed
    for row in ("q0", "q59", "q119"):
        assert row in squeezed


@pytest.mark.parametrize("packages", ["xcolor,colortbl,graphicx", "xcolor", ""], ids=["all", "xcolor", "none"])
def test_myst_tex_export_compiles_with_or_without_the_packages(
    tmp_path: Path, latex_tools: None, packages: str
) -> None:
    """MyST-MD's LaTeX of the matrix view: the table where the template loads colortbl and
    graphicx, the aligned grid in a fixed-width font where it does not; a PDF either way."""
    from sphinxcontrib_attnviz.myst.directive import latex_source

    viz = load(INSEQ, legend="true")
    uses = f"\\usepackage{{{packages}}}\n" if packages else ""
    preamble = f"\\documentclass{{article}}\n\\usepackage[T1]{{fontenc}}\n{uses}"
    document = f"{preamble}\\begin{{document}}\n{latex_source(viz)}\\end{{document}}\n"
    (tmp_path / "m.tex").write_text(document, encoding="utf-8")
    run = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "m.tex"],
        cwd=tmp_path,
        capture_output=True,
        encoding="utf-8",
        errors="replace",  # TeX's log holds the tokens' bytes as it read them
    )
    assert run.returncode == 0, run.stdout[-2000:]
    text = pdf_text(tmp_path / "m.pdf")
    if packages.startswith("xcolor,colortbl"):
        assert "\\cellcolor" in latex_source(viz)
    else:  # the grid, its columns aligned in the fixed-width font: the header's tokens on one line
        layout = subprocess.run(
            ["pdftotext", "-layout", str(tmp_path / "m.pdf"), "-"], capture_output=True, text=True
        ).stdout
        assert re.search(r"The +\S*c +ap +it +al", layout), layout[:500]
        assert "\\cellcolor" not in text
    squeezed = "".join(text.split())
    for token in ("The", "ap", "it", "Fr"):
        assert token in squeezed
    for row in viz.rows[::3]:
        for score, missing in zip(format_scores(row.scores)[:4], row.missing.tolist(), strict=False):
            assert missing or score in squeezed
