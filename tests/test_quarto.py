"""The Quarto extension (``_extensions/attention-viz``), a Pandoc Lua filter, run by
Debian's ``pandoc`` (Quarto itself is not installed here): the figures are the fragments
the command line and the API make, the stylesheet is in the page once, the LaTeX compiles
with every token in the PDF, and a bad block is a warning naming the document and line
plus a visible note while the other figures render. Also the command line's ``--block``,
``--block-source``, ``--block-line`` and ``--stylesheet``, which the filter calls.

Needs ``pandoc`` (and ``pdflatex`` and ``pdftotext`` for the PDF); the tests skip without
them, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import io
import json
import os
import shlex
import shutil
import subprocess
import sys
from html import escape as html_escape
from pathlib import Path

import pytest

from pages import ROOTS, figures
from sphinxcontrib_attnviz import render_html
from sphinxcontrib_attnviz.cli import main
from sphinxcontrib_attnviz.pages import stylesheet

FILTER = ROOTS.parent.parent / "_extensions" / "attention-viz" / "attention-viz.lua"
BASIC = ROOTS / "quarto-basic"
DOCUMENT = BASIC / "index.qmd"
#: The command the filter runs: this Python's package, whatever is on PATH.
COMMAND = f"{shlex.quote(sys.executable)} -m sphinxcontrib_attnviz"
#: The bad block's line: its score that is not a number.
BAD_LINE = 41


def need(*tools: str) -> None:
    missing = [tool for tool in tools if shutil.which(tool) is None]
    if missing:
        message = f"missing {', '.join(missing)}: install Debian's pandoc, texlive-latex-recommended and poppler-utils"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def pandoc(
    document: Path, *arguments: str, command: str | None = COMMAND, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run pandoc with the filter on ``document`` (read as Markdown)."""
    need("pandoc")
    env = {key: value for key, value in os.environ.items() if key != "ATTENTION_VIZ_COMMAND"}
    if command is not None:
        env["ATTENTION_VIZ_COMMAND"] = command
    return subprocess.run(
        ["pandoc", "-f", "markdown", "--lua-filter", str(FILTER), *arguments, str(document)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        check=True,
    )


def cli(*arguments: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "sphinxcontrib_attnviz", *arguments], input=stdin, capture_output=True, text=True
    )


def quarto_fragment(tmp_path: Path, data_file: Path, options: dict[str, str]) -> str:
    """The HTML fragment the filter puts in a document for one ```` ```{attention-viz} ````
    block reading ``data_file`` (a JSON, TSV or CSV file, copied next to the document) with
    ``options`` (``{"cmap": "PiYG", "legend": "true", ...}``), rendered by pandoc."""
    folder = tmp_path / "quarto"
    folder.mkdir(exist_ok=True)
    shutil.copy(data_file, folder / data_file.name)
    block = "".join(f"{name}: {value}\n" for name, value in options.items())
    document = folder / "index.qmd"
    document.write_text(f"# Fronts\n\n```{{attention-viz}}\ndata: {data_file.name}\n{block}```\n", encoding="utf-8")
    run = pandoc(document, "-t", "html")
    assert "WARNING" not in run.stderr, run.stderr
    html = run.stdout.split("\n", 1)[1]  # after the heading
    style = f"<style>\n{stylesheet()}</style>\n"  # not standalone: the stylesheet stands before the figure
    assert html.startswith(style)
    return html.removeprefix(style).strip()


@pytest.fixture(scope="module")
def basic_html(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    """The test document as a standalone HTML page, and pandoc's standard error."""
    output = tmp_path_factory.mktemp("quarto") / "index.html"
    run = pandoc(DOCUMENT, "-s", "-t", "html", "-o", str(output))
    return output.read_text(encoding="utf-8"), run.stderr


def test_figures_are_the_fragments_of_the_api_and_the_command_line(basic_html: tuple[str, str]) -> None:
    html, _ = basic_html
    pair, layers, inline = figures(html)
    data = BASIC / "data"
    from_files = cli(
        "--text_path",
        str(data / "review.tokens"),
        "--score_path",
        str(data / "review.scores"),
        "--legend",
        "--fragment",
    )
    from_json = cli(
        "--data",
        str(data / "layers.json"),
        "--rows",
        "layer_6, layer_1",
        "--scale-ignore",
        "[CLS], [SEP]",
        "--fragment",
    )
    assert pair.html == from_files.stdout.strip()
    assert layers.html == from_json.stdout.strip()
    assert inline.html == render_html(["good", "café", "not", "bad"], [0.8, -0.2, -0.6, -0.9], center=0, legend=True)
    assert [row[:2] for row in layers.rows] == [["[CLS]", "honestly"]] * 2


def test_tokens_are_escaped(basic_html: tuple[str, str]) -> None:
    html, _ = basic_html
    pair = figures(html)[0]
    assert pair.rows == [["wow", ",", "this", "<b>", "movie", "is", "really", "great", "!", "i", "enjoyed", "it", "."]]
    assert ">&lt;b&gt;</span>" in pair.html and "<b>" not in pair.html


def test_the_stylesheet_is_in_the_head_once(basic_html: tuple[str, str]) -> None:
    html, _ = basic_html
    head, body = html.split("</head>")
    css = "".join(stylesheet().split())  # pandoc's template indents what goes in the head
    assert "".join(html.split()).count(css) == 1
    assert f"<style>{css}</style>" in "".join(head.split())
    assert len(figures(body)) == 3


def test_a_bad_block_is_a_warning_and_a_note_and_the_rest_renders(basic_html: tuple[str, str]) -> None:
    html, stderr = basic_html
    message = f"{DOCUMENT}:{BAD_LINE}: not a number: 'n/a'"
    assert f"[WARNING] attention-viz: {message}\n" in stderr
    assert stderr.count("attention-viz:") == 1
    note = html.split('<div class="attnviz-error">', 1)[1].split("</div>", 1)[0]
    assert "This visualisation could not be drawn:" in note
    assert f"<code>{html_escape(message, quote=False)}</code>" in note
    assert len(figures(html)) == 3
    assert html.index("attnviz-error") < html.index("After the figures.")


def test_not_standalone_the_stylesheet_precedes_the_first_figure_once(tmp_path: Path) -> None:
    run = pandoc(DOCUMENT, "-t", "html")
    html = run.stdout
    assert html.count(stylesheet()) == 1
    assert html.index(stylesheet()) < html.index('<div class="attnviz ')
    assert len(figures(html)) == 3


def test_latex_compiles_with_every_token_in_the_pdf(tmp_path: Path) -> None:
    need("pandoc", "pdflatex", "pdftotext")
    tex = tmp_path / "index.tex"
    run = pandoc(DOCUMENT, "-s", "-t", "latex", "-o", str(tex))
    assert f"[WARNING] attention-viz: {DOCUMENT}:{BAD_LINE}: not a number: 'n/a'" in run.stderr
    source = tex.read_text(encoding="utf-8")
    preamble = source.split("\\begin{document}")[0]
    assert "\\usepackage{xcolor}" in preamble
    assert source.count("\\colorbox[HTML]") >= 13 + 2 * 16 + 4
    compiled = subprocess.run(
        ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", tex.name], cwd=tmp_path, capture_output=True
    )
    assert compiled.returncode == 0, compiled.stdout[-3000:]
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "index.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    squeezed = "".join(text.split())
    tokens = (BASIC / "data" / "review.tokens").read_text(encoding="utf-8").split()
    layers = json.loads((BASIC / "data" / "layers.json").read_text(encoding="utf-8"))["tokens"]
    position = 0
    for token in [*tokens, *layers, *layers, "good", "café", "not", "bad"]:
        found = squeezed.find(token, position)
        assert found >= 0, f"{token!r} not in the PDF after {squeezed[position : position + 60]!r}"
        position = found + len(token)
    assert "Thisvisualisationcouldnotbedrawn" in squeezed[position:]
    assert "Afterthefigures." in squeezed


def test_the_latex_engine_follows_pdf_engine(tmp_path: Path) -> None:
    document = tmp_path / "cjk.qmd"
    block = "```{attention-viz}\n猫 0.5\ndog 0.2\n```\n"
    document.write_text(block, encoding="utf-8")
    pdflatex = pandoc(document, "-t", "latex")
    assert "[U+732B]" in pdflatex.stdout and "猫" not in pdflatex.stdout
    assert "pdflatex cannot typeset" in pdflatex.stderr and f"{document}:1:" in pdflatex.stderr
    document.write_text(f"---\npdf-engine: xelatex\n---\n\n{block}", encoding="utf-8")
    xelatex = pandoc(document, "-t", "latex")
    assert "猫" in xelatex.stdout and "WARNING" not in xelatex.stderr


def test_other_formats_get_the_text_output(tmp_path: Path) -> None:
    document = tmp_path / "text.qmd"
    document.write_text("```attention-viz\nwow 0.1\ngreat 0.6\n```\n", encoding="utf-8")
    plain = pandoc(document, "-t", "plain").stdout
    expected = cli("--block", "-", "--format", "text", stdin="wow 0.1\ngreat 0.6\n").stdout
    assert expected.startswith("wow[")
    assert [line.strip() for line in plain.splitlines() if line.strip()] == expected.strip().splitlines()


def test_the_command_comes_from_the_metadata(tmp_path: Path) -> None:
    document = tmp_path / "meta.qmd"
    words = json.dumps([sys.executable, "-m", "sphinxcontrib_attnviz"])
    document.write_text(f"---\nattention-viz:\n  command: {words}\n---\n\n```{{attention-viz}}\nwow 0.1\n```\n")
    run = pandoc(document, "-t", "html", command="/nonexistent/attention-viz")
    assert len(figures(run.stdout)) == 1 and "WARNING" not in run.stderr


def test_a_missing_command_is_a_warning_and_a_note(tmp_path: Path) -> None:
    document = tmp_path / "missing.qmd"
    document.write_text("Before.\n\n```{attention-viz}\nwow 0.1\n```\n\nAfter.\n", encoding="utf-8")
    run = pandoc(document, "-t", "html", command="/nonexistent/attention-viz")
    assert f"[WARNING] attention-viz: {document}:3: could not run '/nonexistent/attention-viz'" in run.stderr
    assert "sphinxcontrib-attnviz" in run.stderr
    assert 'class="attnviz-error"' in run.stdout and "<p>After.</p>" in run.stdout


def test_paths_are_relative_to_the_document(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    run = pandoc(DOCUMENT.relative_to(ROOTS.parent.parent), "-t", "html", cwd=ROOTS.parent.parent)
    assert len(figures(run.stdout)) == 3
    run = pandoc(DOCUMENT, "-t", "html", cwd=elsewhere)
    assert len(figures(run.stdout)) == 3


def test_the_fragment_helper_matches_the_command_line(tmp_path: Path) -> None:
    data = BASIC / "data" / "layers.json"
    options = {"cmap": "PiYG", "center": "0.1", "legend": "true", "rows": "layer_6, layer_1"}
    expected = cli(
        "--data", str(data), "--cmap", "PiYG", "--center", "0.1", "--legend", "--rows", "layer_6, layer_1", "--fragment"
    )
    assert quarto_fragment(tmp_path, data, options) == expected.stdout.strip()


# The command line's additions for the filter ---------------------------------------------


def run_main(*arguments: str, stdin: str = "") -> tuple[int, str]:
    out = io.StringIO()
    status = main(list(arguments), stdin=io.BytesIO(stdin.encode()), stdout=out)
    return status, out.getvalue()


def test_block_reads_the_mkdocs_syntax_and_cell_options(tmp_path: Path) -> None:
    (tmp_path / "pairs.tsv").write_text("good\t0.8\nbad\t-0.9\n", encoding="utf-8")
    _, expected = run_main("--data", str(tmp_path / "pairs.tsv"), "--center", "0", "--legend", "--fragment")
    blocks = [
        f"data: {tmp_path / 'pairs.tsv'}\ncenter: 0\nlegend: true\n",
        "#| center: 0\n#| legend: true\n\ngood 0.8\nbad -0.9\n",
        "#| center: 0\nlegend: true\n\ngood 0.8\nbad -0.9\n",
        "#| center: 0\n#| legend: true\ngood 0.8\nbad -0.9\n",
    ]
    for block in blocks:
        assert run_main("--block", "-", "--fragment", stdin=block) == (0, expected)
    (tmp_path / "block").write_text(blocks[1], encoding="utf-8")
    assert run_main("--block", str(tmp_path / "block"), "--fragment") == (0, expected)
    # the block's options override the flags
    assert (
        run_main("--block", "-", "--cmap", "viridis", "--fragment", stdin="cmap: PiYG\n\ngood 1\nbad 2\n")[1]
        == (run_main("--cmap", "PiYG", "--data", "-", "--fragment", stdin="good\t1\nbad\t2\n")[1])
    )


@pytest.mark.parametrize(
    ("block", "arguments", "message"),
    [
        ("cmap: viridis\n\nfine 0.5\nbroken n/a\n", (), "doc.qmd:14: not a number: 'n/a'"),
        ("cmap: nope\n\nfine 0.5\n", (), "doc.qmd:10: "),
        ("data: missing.json\n", (), "doc.qmd:10: missing.json: "),
        ("#| cmap: PiYG\ncmap: BuGn\n\nx 1\n", (), "doc.qmd:12: cmap is given twice"),
        ("#| good 0.5\n", (), "doc.qmd:11: expected '#| key: value'"),
        ("x 1\n", ("--data", "f.json"), "doc.qmd:10: give --block or --data"),
    ],
)
def test_block_errors_name_the_document_and_line(
    block: str, arguments: tuple[str, ...], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _ = run_main("--block", "-", "--block-source", "doc.qmd", "--block-line", "10", *arguments, stdin=block)
    assert status == 2
    err = capsys.readouterr().err
    assert err.startswith(f"attention-viz: error: {message}") and err.count("\n") == 1


def test_block_errors_without_a_source_name_stdin(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_main("--block", "-", stdin="fine 0.5\nbroken n/a\n")[0] == 2
    assert capsys.readouterr().err.startswith("attention-viz: error: <stdin>:2: not a number: 'n/a'")


def test_stylesheet_prints_the_css(tmp_path: Path) -> None:
    assert run_main("--stylesheet") == (0, stylesheet())
    assert run_main("--stylesheet", "-o", str(tmp_path / "a.css")) == (0, "")
    assert (tmp_path / "a.css").read_text(encoding="utf-8") == stylesheet()


#: Stands in for Quarto's Lua API around the filter, recording what the filter asks of it.
QUARTO_STUB = """
local included, packages = {}, {}
quarto = {
  doc = {
    input_file = %s,
    include_text = function(where, text) included[#included + 1] = where .. "|" .. text end,
    use_latex_package = function(name) packages[#packages + 1] = name end,
  },
  log = { warning = function(message) io.stderr:write("QUARTO WARNING " .. message .. "\\n") end },
}
local filters = dofile(%s)
filters[#filters + 1] = { Pandoc = function()
  for _, text in ipairs(included) do io.stderr:write("INCLUDED " .. text:sub(1, 50) .. "\\n") end
  io.stderr:write("PACKAGES " .. table.concat(packages, ",") .. "\\n")
end }
return filters
"""


def test_under_quarto_its_api_is_used(tmp_path: Path) -> None:
    need("pandoc")
    stub = tmp_path / "quarto-stub.lua"
    stub.write_text(QUARTO_STUB % (json.dumps(str(DOCUMENT)), json.dumps(str(FILTER))), encoding="utf-8")
    env = {**os.environ, "ATTENTION_VIZ_COMMAND": COMMAND}

    def render(*arguments: str) -> subprocess.CompletedProcess[str]:
        command = ["pandoc", "-f", "markdown", "--lua-filter", str(stub), *arguments, str(DOCUMENT)]
        return subprocess.run(command, capture_output=True, text=True, env=env, cwd=BASIC, check=True)

    html = render("-s", "-t", "html")
    name = "index.qmd"  # Quarto's full path, relative to the folder it runs in
    assert f"QUARTO WARNING attention-viz: {name}:{BAD_LINE}: not a number: 'n/a'\n" in html.stderr
    assert "[WARNING] attention-viz" not in html.stderr
    assert html.stderr.count("INCLUDED in-header|<style>\n/* sphinxcontrib-attnviz") == 1
    assert stylesheet()[:40] not in html.stdout  # Quarto puts it in the head, not the filter
    assert 'class="callout-warning attnviz-error" title="attention-viz"' in html.stdout
    assert len(figures(html.stdout)) == 3
    latex = render("-t", "latex")
    assert "PACKAGES xcolor\n" in latex.stderr and "\\usepackage{xcolor}" not in latex.stdout
    assert "café" in latex.stdout  # a Unicode engine (lualatex) is Quarto's default
