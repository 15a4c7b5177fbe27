"""Bad input: one typed, located warning each; the build goes on and the page stays whole."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from html import escape
from pathlib import Path

import pytest
from sphinx.util.docutils import patch_docutils

from pages import figures, read_output

#: page -> (subtype, what the message must say). Every page has its directive on line 6.
CASES = {
    "missing_file": ("file", "data/no-such.scores: file not found"),
    "not_utf8": ("file", "data/latin1.tokens:1: not UTF-8 text (byte 0xe9)"),
    "unreadable": ("file", "data/a-directory: is a directory, not a file"),
    "unequal_counts": ("data", "data/three.tokens:3: 3 tokens in data/three.tokens but 2 scores in data/two.scores"),
    "not_a_number": ("data", "data/word.scores:3: not a number: 'not-a-number'"),
    "nan_score": ("data", "data/nan.scores:2: 'nan' is not a finite number"),
    "inf_score": ("data", "data/inf.scores:3: 'inf' is not a finite number"),
    "empty_file": ("data", "data/empty.scores: no scores (the file is empty or blank)"),
    "unknown_cmap": ("option", "unknown colormap 'virdis'; did you mean 'viridis'"),
    "negative_alpha": ("option", "alpha must be a finite number >= 0, not '-1'"),
    "text_alpha": ("option", "alpha must be a number >= 0, not 'wide'"),
    "missing_tokens": ("option", "missing tokens (give a tokens file and a scores file"),
    "missing_scores": ("option", "missing scores (give a tokens file and a scores file"),
    "outside_srcdir": ("file", "../outside.tokens: the path resolves outside the source directory"),
    "tokens_and_text": ("option", "tokens and text name the same file; give only one of them"),
    "empty_cmap": ("option", "cmap needs a colormap name"),
    "vmin_text": ("option", "vmin must be a number, not 'low'"),
    "center_with_vmax": ("option", "center cannot be combined with vmin or vmax"),
    "unknown_subwords": ("option", "subwords must be one of none, wordpiece, bpe, sentencepiece, auto, not 'morse'"),
    "bad_legend": ("option", "legend must be true or false (or given with no value), not 'maybe'"),
    "scale_ignore_all": ("option", "scale-ignore leaves out every token"),
    "unknown_rows": ("option", "rows: no row named 'z'; the rows are x, y"),
    "two_sources": (
        "option",
        "more than one data source (a data file (.json, .tsv, .csv) and :tokens:/:scores: files)",
    ),
    "no_source": (
        "option",
        "no data: give a data file (.json, .tsv, .csv), or :tokens:/:scores: files, or inline lines",
    ),
    "unknown_suffix": ("file", "data/three.xlsx: unknown data format '.xlsx'; use one of .json, .tsv, .csv"),
    "broken_json": ("data", "data/broken.json:3: not valid JSON: Expecting property name enclosed in double quotes"),
    "bad_inline": ("data", "bad_inline.rst:9: not a number: 'high'"),
}


@pytest.fixture
def bad_input_app(make_app, copy_project, tmp_path: Path):
    """The bad-input project, with a real data file just outside its source directory."""
    srcdir = copy_project("bad-input")
    (tmp_path / "outside.tokens").write_text("wow\nthis\nmovie\n", encoding="utf-8")
    app = make_app("html", srcdir=srcdir)
    app.build()
    return app


def warning_lines(warning_text: str) -> list[str]:
    """The warning lines of a build's log, without colour codes."""
    return [line for line in re.sub(r"\x1b\[[0-9;]*m", "", warning_text).splitlines() if "WARNING" in line]


def test_each_bad_input_gives_one_typed_located_warning(bad_input_app) -> None:
    lines = warning_lines(bad_input_app.warning.getvalue())
    assert len(lines) == len(CASES), "\n".join(lines)
    for page, (subtype, message) in CASES.items():
        [line] = [line for line in lines if f"{page}.rst:" in line]
        assert line.startswith(str(bad_input_app.srcdir / f"{page}.rst") + ":6: WARNING: attention-viz: "), line
        assert message in line, line
        assert line.endswith(f"[attnviz.{subtype}]"), line


@pytest.mark.parametrize("page", CASES)
def test_the_page_survives_with_a_visible_note(bad_input_app, page: str) -> None:
    html = read_output(bad_input_app.outdir, f"{page}.html")
    assert figures(html) == []
    assert html.index("Before the figure.") < html.index("could not be drawn") < html.index("After the figure.")
    note = html[html.index("attnviz-error") : html.index("After the figure.")]
    assert escape(CASES[page][1], quote=False) in note


def test_unequal_counts_give_both_counts(bad_input_app) -> None:
    assert "3 tokens in data/three.tokens but 2 scores in data/two.scores" in bad_input_app.warning.getvalue()


def test_a_symlink_out_of_the_source_directory_is_refused(make_app, tmp_path: Path, rootdir: Path) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["sphinxcontrib_attnviz"]\nshow_warning_types = True\n')
    secret = tmp_path / "secret.tokens"
    secret.write_text("a\nb\n")
    (srcdir / "linked.tokens").symlink_to(secret)
    (srcdir / "s.scores").write_text("1\n2\n")
    (srcdir / "index.rst").write_text("T\n=\n\n.. attention-viz::\n   :tokens: linked.tokens\n   :scores: s.scores\n")
    app = make_app("html", srcdir=srcdir)
    app.build()
    [line] = warning_lines(app.warning.getvalue())
    assert "linked.tokens: the path resolves outside the source directory" in line
    assert line.endswith("[attnviz.file]")
    assert figures(read_output(app.outdir, "index.html")) == []


def test_a_path_through_a_linked_folder_is_named_as_written(make_app, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    (srcdir / "real" / "deep").mkdir(parents=True)
    (srcdir / "conf.py").write_text('extensions = ["sphinxcontrib_attnviz"]\nshow_warning_types = True\n')
    (srcdir / "linked").symlink_to(srcdir / "real" / "deep")
    (srcdir / "real" / "deep" / "t.tokens").write_text("a\nb\n")
    (srcdir / "real" / "deep" / "s.scores").write_text("1\n2\n")
    index = "T\n=\n\n.. attention-viz::\n   :tokens: linked/t.tokens\n   :scores: linked/../deep/s.scores\n\n"
    index += ".. attention-viz::\n   :tokens: linked/gone.tokens\n   :scores: linked/s.scores\n"
    (srcdir / "index.rst").write_text(index)
    app = make_app("html", srcdir=srcdir)
    app.build()
    [line] = warning_lines(app.warning.getvalue())
    assert "linked/gone.tokens: file not found" in line and line.endswith("[attnviz.file]")
    assert figures(read_output(app.outdir, "index.html"))[0].tokens == ["a", "b"]  # ".." after the link: its target's


def test_outside_paths_can_be_allowed(make_app, tmp_path: Path) -> None:
    srcdir = tmp_path / "src"
    srcdir.mkdir()
    (srcdir / "conf.py").write_text('extensions = ["sphinxcontrib_attnviz"]\nattnviz_allow_outside_srcdir = True\n')
    (tmp_path / "shared.tokens").write_text("a\nb\n")
    (srcdir / "s.scores").write_text("1\n2\n")
    (srcdir / "index.rst").write_text(
        "T\n=\n\n.. attention-viz::\n   :tokens: ../shared.tokens\n   :scores: s.scores\n"
    )
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert app.warning.getvalue() == ""
    assert figures(read_output(app.outdir, "index.html"))[0].tokens == ["a", "b"]


@pytest.mark.sphinx("html", testroot="no-file-insertion", docutils_conf="[general]\nfile_insertion_enabled: false\n")
def test_file_insertion_disabled_reads_no_file(app, warning) -> None:
    with patch_docutils(app.confdir):  # as sphinx-build does, so docutils.conf is read
        app.build()
    [line] = warning_lines(warning.getvalue())
    assert "index.rst:6: WARNING: attention-viz: file insertion is disabled" in line
    assert line.endswith("[attnviz.file]")
    html = read_output(app.outdir, "index.html")
    assert figures(html) == [] and "After the figure." in html
    assert not [path for path in app.env.dependencies.get("index", set()) if "sample" in str(path)]


def test_sphinx_build_exits_0_and_fails_only_under_strict_mode(rootdir: Path, tmp_path: Path) -> None:
    def build(*flags: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "sphinx", *flags, "-q", "-b", "html", str(rootdir / "test-bad-input")]
        out = tmp_path / ("strict" if flags else "lenient")
        return subprocess.run([*command, str(out)], capture_output=True, text=True, env=os.environ | {"NO_COLOR": "1"})

    lenient = build()
    assert lenient.returncode == 0, lenient.stderr
    assert lenient.stderr.count("WARNING: attention-viz:") == len(CASES)
    assert build("-W").returncode != 0


@pytest.mark.sphinx(
    "html", testroot="basic", srcdir="basic-bad-default-alpha", confoverrides={"attnviz_default_alpha": -1}
)
def test_a_bad_default_in_conf_is_a_typed_warning(app, warning) -> None:
    app.build()
    [line] = warning_lines(warning.getvalue())  # once, from conf.py, not once per figure
    assert "WARNING: conf.py: attnviz_default_alpha: alpha must be a finite number >= 0, not -1" in line
    assert line.endswith("; using 1.0 [attnviz.config]")
    assert len(figures(read_output(app.outdir, "index.html"))) == 2  # drawn with the default 1.0


@pytest.mark.sphinx(
    "html", testroot="basic", srcdir="basic-bad-dark-cmap", confoverrides={"attnviz_dark_cmap": "viridiss"}
)
def test_an_unknown_dark_colormap_in_conf_is_one_typed_warning(app, warning) -> None:
    app.build()
    [line] = warning_lines(warning.getvalue())
    assert "WARNING: conf.py: attnviz_dark_cmap: unknown colormap 'viridiss'; did you mean 'viridis'" in line
    assert line.endswith("; using each colormap's dark variant [attnviz.config]")
    assert len(figures(read_output(app.outdir, "index.html"))) == 2
