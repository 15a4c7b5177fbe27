"""The command line: the original's flags and colours, a self-contained page, one-line errors."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_colors import SAMPLE_COLOURS
from test_sphinx_html import SAMPLE_TOKENS

from pages import DARK_VARIANT, ROOTS, figures

SAMPLE = ROOTS / "test-basic" / "data"


def run(*args: str, cwd: Path, stdin: str = "") -> subprocess.CompletedProcess[str]:
    executable = shutil.which("attention-viz")
    command = [executable] if executable else [sys.executable, "-m", "sphinxcontrib_attnviz"]
    return subprocess.run([*command, *args], cwd=cwd, input=stdin, capture_output=True, text=True)


@pytest.fixture
def seed(tmp_path: Path) -> Path:
    """A folder with the original script's sample under its original names."""
    shutil.copy(SAMPLE / "sample.tokens", tmp_path / "text")
    shutil.copy(SAMPLE / "sample.scores", tmp_path / "score")
    return tmp_path


def test_the_original_command_gives_the_original_colours(seed: Path) -> None:
    result = run("--text_path", "text", "--score_path", "score", cwd=seed)
    assert result.returncode == 0 and result.stderr == ""
    page = result.stdout
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page and "<title>" in page
    [figure] = figures(page)
    assert figure.tokens == SAMPLE_TOKENS
    assert [span.style["background-color"] for span in figure.spans] == SAMPLE_COLOURS
    assert not re.search(r"""(src|href)=|url\(|@import|<script|<link""", page)


def test_defaults_and_dashed_spellings(seed: Path) -> None:
    assert (
        run(cwd=seed).stdout
        == run("--text-path", "text", "--score-path", "score", "--cmap", "BuGn", "--alpha", "1.0", cwd=seed).stdout
    )


def test_python_dash_m_and_output_file(seed: Path) -> None:
    subprocess.run([sys.executable, "-m", "sphinxcontrib_attnviz", "-o", "index.html"], cwd=seed, check=True)
    assert figures((seed / "index.html").read_text(encoding="utf-8"))[0].tokens == SAMPLE_TOKENS


def test_escaped_tokens(tmp_path: Path) -> None:
    shutil.copy(ROOTS / "test-escaping" / "hostile.tokens", tmp_path / "text")
    shutil.copy(ROOTS / "test-escaping" / "hostile.scores", tmp_path / "score")
    page = run(cwd=tmp_path).stdout
    assert figures(page)[0].tokens == (tmp_path / "text").read_text().split("\n")[:-1]
    assert "<script>alert" not in page


def test_stdin_and_every_format(seed: Path) -> None:
    scores = (seed / "score").read_text()
    text = run("--score_path", "-", "--format", "text", cwd=seed, stdin=scores).stdout
    assert text.startswith("wow[0.03613] ,[0.001799]")
    latex = run("--format", "latex", cwd=seed).stdout
    assert latex.startswith("\\documentclass") and "\\colorbox[HTML]{C4E9E1}" in latex
    fragment = run("--format", "html", "--fragment", cwd=seed).stdout
    assert fragment.startswith('<div class="attnviz attnviz-p-BuGn attnviz-flow" role="figure"') and fragment.endswith(
        "</div>\n"
    )
    tsv = run("--data", "-", "--fragment", cwd=seed, stdin="a\t1\nb\t2\n").stdout
    assert figures(tsv)[0].tokens == ["a", "b"]


def test_option_flags(tmp_path: Path) -> None:
    shutil.copy(ROOTS / "test-options" / "layers.json", tmp_path)
    result = run(
        "--data",
        "layers.json",
        "--rows",
        "layer_6,layer_1",
        "--scale-ignore",
        "[CLS],[SEP]",
        "--legend",
        "--center",
        "0.05",
        "--subwords",
        "wordpiece",
        "--class",
        "mine",
        "--fragment",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    [figure] = figures(result.stdout)
    assert figure.classes == ["attnviz", "attnviz-p-RdBu_r", "attnviz-aligned", "mine"] and len(figure.rows) == 2
    assert f"(RdBu_r{DARK_VARIANT}, centre 0.05" in figure.html
    fixed = run("--data", "layers.json", "--vmin", "0", "--vmax", "0.1", "--format", "text", cwd=tmp_path).stdout
    assert "[0.5316 clipped]" in fixed


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        ((), "", "attention-viz: error: text: file not found"),
        (("--score_path", "missing.txt"), "", "attention-viz: error: missing.txt: file not found"),
        (("--score_path", "bad"), "", "attention-viz: error: bad:3: not a number: 'x'"),
        (("--score_path", "short"), "", "attention-viz: error: text:3: 3 tokens in text but 2 scores in short"),
        (("--cmap", "virdis"), "", "attention-viz: error: unknown colormap 'virdis'; did you mean 'viridis'"),
        (("--alpha", "-1"), "", "attention-viz: error: alpha must be a finite number >= 0, not '-1'"),
        (("--vmin", "x"), "", "attention-viz: error: vmin must be a number, not 'x'"),
        (("--vmin", "1_0"), "", "attention-viz: error: vmin must be a number, not '1_0' (write numbers without"),
        (("--subwords", "morse"), "", "attention-viz: error: argument --subwords: invalid choice: 'morse'"),
        (("--bogus",), "", "attention-viz: error: unrecognized arguments: --bogus"),
        (
            ("--data", "d.json", "--text_path", "text"),
            "",
            "attention-viz: error: give --data or --text_path/--score_path",
        ),
        (("--data", "d.xlsx"), "", "attention-viz: error: d.xlsx: unknown data format '.xlsx'"),
        (
            ("--text_path", "-", "--score_path", "-"),
            "",
            "attention-viz: error: only one of --text_path and --score_path",
        ),
        (("--score_path", "-"), "1\nnan\n", "attention-viz: error: <stdin>:2: 'nan' is not a finite number"),
        (("-o", "no/such/dir/out.html"), "", "attention-viz: error: no/such/dir/out.html: No such file or directory"),
    ],
)
def test_every_error_is_one_line_and_exit_2(tmp_path: Path, args: tuple[str, ...], stdin: str, message: str) -> None:
    if args:  # with no arguments, the folder is empty: the default files are missing
        files = {"text": "a\nb\nc\n", "score": "1\n2\n3\n", "bad": "1\n2\nx\n", "short": "1\n2\n", "d.xlsx": "x"}
        for name, content in files.items():
            (tmp_path / name).write_text(content)
    result = run(*args, cwd=tmp_path, stdin=stdin)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith(message), result.stderr


#: ASCII, LaTeX's specials, TeX ligatures, CJK and an emoji, as a --data JSON file.
MIXED_TOKENS = ["plain", "\\&$#%_{}~^", "a--b", "x---y", ",,", "<<", "''", "\u65e5\u672c\u8a9e", "\U0001f60a", "end"]


@pytest.mark.parametrize("engine", ["pdflatex", "xelatex", "lualatex"])
def test_latex_document_compiles_under_every_engine(tmp_path: Path, engine: str) -> None:
    if shutil.which(engine) is None or shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{engine} or pdftotext is missing")
        pytest.skip(f"{engine} or pdftotext is missing")
    (tmp_path / "mixed.json").write_text(
        json.dumps({"tokens": MIXED_TOKENS, "scores": list(range(len(MIXED_TOKENS)))}), encoding="utf-8"
    )
    result = run("--data", "mixed.json", "--format", "latex", "--latex-engine", engine, "-o", "mixed.tex", cwd=tmp_path)
    assert result.returncode == 0
    if engine == "pdflatex":  # one line names what pdflatex cannot typeset
        assert result.stderr == (
            "attention-viz: warning: pdflatex cannot typeset \u65e5 (U+65E5) \u672c (U+672C) \u8a9e (U+8A9E) "
            "\U0001f60a (U+1F60A): shown as code-point markers; "
            "to keep the characters, use --latex-engine xelatex or lualatex\n"
        )
    else:
        assert result.stderr == ""
    compiled = subprocess.run(
        [engine, "-interaction=nonstopmode", "-halt-on-error", "mixed.tex"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert compiled.returncode == 0, compiled.stdout[-2000:]
    log = (tmp_path / "mixed.log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log
    text = subprocess.run(["pdftotext", "mixed.pdf", "-"], cwd=tmp_path, capture_output=True, text=True).stdout
    words = " ".join(text.split())
    for kept in ["a--b", "x---y", ",,", "''", "end"]:  # no dashes or quotes made of them
        assert kept in words
    if engine == "pdflatex":
        assert "[U+65E5][U+672C][U+8A9E]" in words and "[U+1F60A]" in words
    else:
        assert "\u65e5\u672c\u8a9e" in words and "\U0001f60a" in words and "<<" in words
