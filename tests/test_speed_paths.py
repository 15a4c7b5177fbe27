"""The fast paths give what the plain ones give: the cached colour tables, the words line
joined in C, the span closings escaped a piece at a time; and enabling the extension
without using it imports nothing heavy."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from sphinxcontrib_attnviz import colors, colour_cache
from sphinxcontrib_attnviz.display import visible
from sphinxcontrib_attnviz.render.html import escape_text, escaped_closings, render_html, token_closings
from sphinxcontrib_attnviz.render.text import PLAIN, _lines, words_line
from sphinxcontrib_attnviz.visualization import visualize_lists

TRICKY = [
    "a",
    "<b>",
    "&amp;",
    '"q"',
    "'s",
    "\x01",
    "é",
    "##ing",
    "Ġthe",
    "▁x",
    "日本",
    "\u2028",
    "x\n",
    "\n",
    " ",
    "ok",
]


@pytest.fixture
def cache_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / colour_cache.CACHE_NAME


def test_a_dark_variant_is_kept_and_read_back(cache_home: Path) -> None:
    rgb = colors.table_rgb("RdBu")
    assert np.array_equal(colors.cached_dark_variant(rgb), colors.dark_variant(rgb))
    [kept] = cache_home.glob("dark-*.rgb")
    planted = np.full_like(rgb, 7)
    colour_cache.write_rgb(kept.stem, planted)  # what a later run finds is what it uses
    assert np.array_equal(colors.cached_dark_variant(rgb), planted)


def test_a_damaged_cache_file_is_worked_out_anew(cache_home: Path) -> None:
    rgb = colors.table_rgb("BuGn")
    expected = colors.cached_dark_variant(rgb)
    [kept] = cache_home.glob("dark-*.rgb")
    kept.write_bytes(kept.read_bytes()[:-1] + b"?")
    assert np.array_equal(colors.cached_dark_variant(rgb), expected)
    kept.write_bytes(b"")
    assert np.array_equal(colors.cached_dark_variant(rgb), expected)


def test_a_cache_folder_that_cannot_be_written_is_no_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    rgb = colors.table_rgb("viridis")
    assert np.array_equal(colors.cached_dark_variant(rgb), colors.dark_variant(rgb))


def test_only_matplotlibs_own_colormaps_tables_are_kept(cache_home: Path) -> None:
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap

    name = "attnviz-test-registered"
    if name not in colormaps:
        colormaps.register(ListedColormap(["#102030", "#405060"], name=name))
    assert colors.table_rgb(name).tolist() == [[16, 32, 48], [64, 80, 96]]
    assert not list(cache_home.glob("table-*.rgb"))
    first = colors.table_rgb("magma")
    assert len(list(cache_home.glob("table-*.rgb"))) == 1
    assert np.array_equal(colors.table_rgb("magma"), first)


def test_a_warm_cache_spares_the_command_line_matplotlib_and_coloraide(tmp_path: Path) -> None:
    (tmp_path / "text").write_text("the\ncat\n<sat>\n")
    (tmp_path / "score").write_text("0.1\n0.5\n-0.2\n")
    code = (
        "import sys; from sphinxcontrib_attnviz.cli import main; status = main(['--legend', '-o', sys.argv[1]]); "
        "print(status, 'matplotlib' in sys.modules, 'coloraide' in sys.modules)"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, f"out{run}.html"], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        for run in range(2)
    ]
    assert [run.stdout.split() for run in runs] == [["0", "True", "True"], ["0", "True", "False"]]
    # the legend samples the colormap (matplotlib); without it, a warm run needs neither
    plain = code.replace("'--legend', ", "")
    run = subprocess.run(
        [sys.executable, "-c", plain, "out2.html"], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert run.stdout.split() == ["0", "False", "False"]
    assert (tmp_path / "out0.html").read_bytes() == (tmp_path / "out1.html").read_bytes()


def test_an_unused_extension_imports_nothing_heavy(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text('extensions = ["sphinxcontrib_attnviz"]\n')
    (tmp_path / "index.rst").write_text("Title\n=====\n\nNo visualisation.\n")
    code = (
        "import sys; from sphinx.cmd.build import build_main; "
        f"status = build_main(['-q', '-b', 'html', {str(tmp_path)!r}, {str(tmp_path / 'out')!r}]); "
        "names = ('sphinxcontrib_attnviz', 'numpy', 'matplotlib', 'coloraide'); "
        "print(status, *(name in sys.modules for name in names))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["0", "True", "False", "False", "False"]  # loaded, and nothing heavy with it


@pytest.mark.parametrize("scheme", ["none", "wordpiece", "bpe", "sentencepiece", "auto"])
def test_the_words_line_is_what_the_lines_writer_gives(scheme: str) -> None:
    for start in range(len(TRICKY)):
        tokens = TRICKY[start:] + TRICKY[:start]
        for scores in ([0.5] * len(tokens), {"row a": [0.1] * len(tokens), "b": [0.2] * len(tokens)}):
            viz = visualize_lists(tokens, scores, subwords=scheme)
            for row in viz.rows:
                assert words_line(viz, row) == _lines(viz.display, row.label, [""] * len(tokens), PLAIN)


def test_closings_a_piece_at_a_time_are_each_tokens_own() -> None:
    texts = [visible(token) for token in TRICKY] + ["a\x00b", "tab\tx", "end\n"]
    for start in range(len(texts)):
        piece = texts[start:]
        assert escaped_closings(piece) == [f'">{escape_text(text.removesuffix(chr(10)))}</span>' for text in piece]
    assert escaped_closings([]) == []


def test_closings_by_text_and_a_piece_at_a_time_give_the_same_fragment(monkeypatch: pytest.MonkeyPatch) -> None:
    from sphinxcontrib_attnviz.render import html

    tokens = [TRICKY[index % len(TRICKY)] for index in range(30_000)]
    viz = visualize_lists(tokens, [index / 30_000 for index in range(30_000)], subwords="auto")
    assert token_closings(viz.display.texts) is not None  # repeats: escaped once per text
    by_text = render_html(viz)
    monkeypatch.setattr(html, "token_closings", lambda texts: None)
    assert render_html(viz) == by_text
    distinct = [f"{token}{index}" for index, token in enumerate(tokens)]
    assert token_closings(tuple(distinct)) is None


@pytest.mark.parametrize(
    ("near", "offset"), [("start", 1), ("start", 5), ("edge", -1), ("edge", 0), ("edge", 1), ("all", -1), ("all", 0)]
)
def test_a_token_limit_read_a_batch_at_a_time_stops_where_a_line_by_line_read_would(near: str, offset: int) -> None:
    """A limit ``offset`` tokens from ``near``: ``edge`` is the first batch's tokens (the
    first token past the limit then opens the second batch), ``all`` every token."""
    from sphinxcontrib_attnviz.data import TokenLimit
    from sphinxcontrib_attnviz.errors import DataError
    from sphinxcontrib_attnviz.formats import TOKEN_BATCH, token_list

    lines = [f" t{index % 7}\n" if index % 3 else "\n" for index in range(3 * TOKEN_BATCH)]  # every third blank
    tokens = [line.strip() for line in lines if line.strip()]
    edge = sum(1 for line in lines[:TOKEN_BATCH] if line.strip())
    count = {"start": 0, "edge": edge, "all": len(tokens)}[near] + offset
    if count >= len(tokens):
        assert token_list(lines, "t.txt", TokenLimit(count, "the limit")) == tokens
        return
    first_past = [number for number, line in enumerate(lines, start=1) if line.strip()][count]
    with pytest.raises(DataError) as raised:
        token_list(lines, "t.txt", TokenLimit(count, "the limit"))
    assert (raised.value.source, raised.value.line) == ("t.txt", first_past)
    assert token_list(lines[: first_past - 1], "t.txt", TokenLimit(count, "the limit")) == tokens[:count]


def test_a_path_resolved_a_folder_at_a_time_is_what_realpath_gives(tmp_path: Path) -> None:
    from sphinxcontrib_attnviz.sphinx.directive import forget_resolved_folders, real_path

    (tmp_path / "real" / "deep").mkdir(parents=True)
    (tmp_path / "real" / "deep" / "f.txt").write_text("x")
    (tmp_path / "other.txt").write_text("y")
    (tmp_path / "linked").symlink_to(tmp_path / "real" / "deep")  # a folder that is a link
    (tmp_path / "real" / "deep" / "file-link").symlink_to(tmp_path / "other.txt")  # a file that is a link
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    names = [
        "real/deep/f.txt",
        "linked/f.txt",
        "linked/../deep/f.txt",  # ".." after a link: the link's target's parent
        "linked/..",
        "linked/.",
        "real/deep/file-link",
        "linked/file-link",
        "linked/missing.txt",
        "missing/x.txt",
        "loop",
        "loop/x",
        "real//deep/./f.txt",
    ]
    forget_resolved_folders()
    for name in names:
        path = os.path.join(tmp_path, name)
        assert real_path(path) == os.path.realpath(path), name
    (tmp_path / "real" / "f.txt").write_text("z")
    (tmp_path / "linked").unlink()  # a link changed between builds
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    assert real_path(os.path.join(tmp_path, "linked/f.txt")) == str(tmp_path / "real" / "deep" / "f.txt")  # kept
    forget_resolved_folders()
    assert real_path(os.path.join(tmp_path, "linked/f.txt")) == str(tmp_path / "real" / "f.txt")
