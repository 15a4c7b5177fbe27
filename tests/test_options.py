"""The options of the core: scales, clipping, rows, legend, subwords, scale-ignore, formats."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from matplotlib.colors import to_hex

from pages import DARK_VARIANT, figures
from sphinxcontrib_attnviz import render_html
from sphinxcontrib_attnviz.display import display_tokens
from sphinxcontrib_attnviz.errors import DataError, OptionError
from sphinxcontrib_attnviz.formats import parse_csv, parse_json, parse_pairs, parse_tsv, read_data_file
from sphinxcontrib_attnviz.options import parse_options
from sphinxcontrib_attnviz.render.latex import render_latex
from sphinxcontrib_attnviz.render.text import render_text
from sphinxcontrib_attnviz.scale import ColourScale, centred_range
from sphinxcontrib_attnviz.visualization import visualize_lists

TOKENS = ["[CLS]", "new york", "is", "great", "!", "[SEP]"]
SCORES = [0.5, -0.25, 0.125, 0.75, 0.0625, 0.3]


def backgrounds(viz, row: int = 0) -> list[str]:
    return list(viz.rows[row].backgrounds)


@pytest.mark.parametrize("cmap", ["RdBu_r", "coolwarm", "PiYG", "viridis"])
def test_centre_gets_the_middle_colour_and_mirrors(cmap: str) -> None:
    rng = np.random.default_rng(1)
    x = rng.uniform(0.001, 0.01, 20)
    scores = [0.0, *x, *(-x), 0.004]
    viz = visualize_lists([f"t{i}" for i in range(len(scores))], scores, center=0, cmap=cmap)
    colormap = matplotlib.colormaps[cmap]
    assert backgrounds(viz)[0] == to_hex(colormap(0.5))
    positions = viz.scale.positions(np.array(scores))
    assert positions[0] == 0.5
    np.testing.assert_allclose(positions[1:21] - 0.5, 0.5 - positions[21:41], rtol=0, atol=1e-15)
    lut_index = (positions * colormap.N).astype(int)  # the colormap entry each score takes
    np.testing.assert_array_equal(lut_index[1:21] + lut_index[21:41], colormap.N - 1)
    assert viz.scale.vmin == -viz.scale.vmax


def test_centred_range_formula() -> None:
    scores = np.array([1.0, 3.0, 6.0])  # distances from 2: 1, 1, 4; M = 4 + 0.5 * 2 = 5
    assert centred_range(scores, 2.0, 0.5) == ColourScale(-3.0, 7.0, 2.0, widening=1.0)


def test_centre_without_cmap_takes_the_diverging_default() -> None:
    assert parse_options({"center": "0"}).cmap == "RdBu_r"
    assert parse_options({}).cmap == "BuGn"
    assert parse_options({"center": "0", "cmap": "PiYG"}).cmap == "PiYG"


def test_vmin_vmax_fix_the_range_and_clip() -> None:
    html = render_html(TOKENS, SCORES, vmin=0, vmax=0.5, cmap="viridis")
    [figure] = figures(html)
    ends = [to_hex(matplotlib.colormaps["viridis"](p)) for p in (0.0, 1.0)]
    colours = [span.style["background-color"] for span in figure.spans]
    assert colours[1] == ends[0] and colours[3] == ends[1]  # -0.25 and 0.75 clip to the ends
    titles = [span.attrs["title"] for span in figure.spans]
    assert titles[1] == "-0.2500 (outside the colour range: clipped)"
    assert "clipped" in titles[3] and titles[0] == "0.5000" and "clipped" not in titles[2]


def test_one_bound_keeps_the_data_for_the_other() -> None:
    viz = visualize_lists(TOKENS, SCORES, vmax=1.0)
    assert (viz.scale.vmin, viz.scale.vmax) == (-0.25, 1.0)


def test_rows_share_one_scale() -> None:
    viz = visualize_lists(["a", "b", "c"], {"first": [0.1, 0.2, 0.4], "second": [0.4, 0.1, 0.9]})
    assert viz.scale.vmax > 0.9  # the second row's maximum sets the shared range
    first, second = viz.rows
    assert first.backgrounds[2] == second.backgrounds[0]  # 0.4 in both rows
    assert first.backgrounds[0] == second.backgrounds[1]  # 0.1 in both rows
    assert first.backgrounds[2] != second.backgrounds[2]


def test_rows_pick_and_order() -> None:
    viz = visualize_lists(TOKENS, {"a": SCORES, "b": SCORES[::-1], "c": SCORES}, rows="c, a")
    assert [row.label for row in viz.rows] == ["c", "a"]
    with pytest.raises(OptionError, match=r"no row named 'z'; the rows are a, b, c"):
        visualize_lists(TOKENS, {"a": SCORES, "b": SCORES, "c": SCORES}, rows="z")


def test_scale_ignore_leaves_tokens_out_of_the_range() -> None:
    viz = visualize_lists(TOKENS, SCORES, scale_ignore="[CLS], [SEP]", alpha=0)
    assert (viz.scale.vmin, viz.scale.vmax) == (-0.25, 0.75)
    with_cls = visualize_lists(["[CLS]", "a", "b"], [0.9, 0.1, 0.2], scale_ignore="[CLS]", alpha=0)
    assert with_cls.rows[0].clipped.tolist() == [True, False, False]
    with pytest.raises(OptionError, match="leaves out every token"):
        visualize_lists(["[CLS]"], [1.0], scale_ignore="[CLS]")
    with pytest.raises(OptionError, match=r"none of '\[PAD\]', '\[UNK\]' occurs in the data"):
        visualize_lists(TOKENS, SCORES, scale_ignore="[PAD], [UNK]")
    assert visualize_lists(TOKENS, SCORES, scale_ignore="[CLS], [PAD]", alpha=0).scale.vmax == 0.75


@pytest.mark.parametrize(
    ("scheme", "tokens", "pieces", "joins"),
    [
        (
            "wordpiece",
            ["[CLS]", "check", "##point", "##ing", "saves", "[SEP]"],
            ["[CLS]", "check", "point", "ing", "saves", "[SEP]"],
            [0, 0, 1, 1, 0, 0],
        ),
        (
            "bpe",
            ["<s>", "Hello", "\u0120wor", "ld", "!", "</s>"],
            ["<s>", "Hello", "wor", "ld", "!", "</s>"],
            [0, 0, 0, 1, 1, 0],
        ),
        (
            "sentencepiece",
            ["\u2581Check", "point", "ing", "\u2581saves"],
            ["Check", "point", "ing", "saves"],
            [0, 1, 1, 0],
        ),
        ("none", ["##a", "\u0120b"], ["##a", "\u0120b"], [0, 0]),
    ],
)
def test_subword_schemes(scheme: str, tokens: list[str], pieces: list[str], joins: list[int]) -> None:
    display = display_tokens(tokens, scheme)
    assert (display.texts, display.joins.tolist()) == (tuple(pieces), [bool(j) for j in joins])


def test_subword_pieces_keep_their_own_colours_and_join_without_space() -> None:
    html = render_html(["check", "##point", "saves"], [0.1, 0.9, 0.5], subwords="wordpiece")
    assert "</span><span" in html  # check|point: no space
    [figure] = figures(html)
    assert figure.tokens == ["check", "point", "saves"]
    assert len({span.style["background-color"] for span in figure.spans}) == 3
    assert render_text(visualize_lists(["check", "##point", "saves"], [0.1, 0.9, 0.5], subwords="wordpiece")) == (
        "check[0.1000]point[0.9000] saves[0.5000]\n"
    )


def test_legend_in_html_latex_and_text() -> None:
    viz = visualize_lists(TOKENS, SCORES, center=0, legend=True)
    html = render_html(TOKENS, SCORES, center=0, legend=True)
    assert 'class="attnviz-legend"' in html and "linear-gradient(to right, #" in html
    assert f">{viz.scale.vmin:.4g}<" in html and f">{viz.scale.vmax:.4g}<" in html
    widening = "the range reaches alpha (1) times their mean distance from the centre past the farthest"
    assert f"(RdBu_r{DARK_VARIANT}, centre 0, the scores span -0.25 to 0.75; {widening})" in html
    assert "url(" not in html
    latex = render_latex(viz)
    assert latex.count("\\colorbox") == len(TOKENS) + len(viz.legend.stops)
    assert "(RdBu\\_r, centre 0, the scores span" in latex
    assert render_text(viz).splitlines()[-1] == (
        f"colour scale: RdBu_r from {viz.scale.vmin:.4g} to {viz.scale.vmax:.4g}, centre 0, "
        f"the scores span -0.25 to 0.75; {widening}"
    )


def test_row_labels_in_every_output() -> None:
    viz = visualize_lists(["a", "b"], {"layer_1": [0.1, 0.2], "layer_2": [0.3, 0.4]})
    html = render_html(["a", "b"], {"layer_1": [0.1, 0.2], "layer_2": [0.3, 0.4]})
    assert html.count('<div class="attnviz-row" role="group" aria-label="layer_') == 2
    assert html.count('<span class="attnviz-label">layer_') == 2
    assert "\\textbf{layer\\_1}" in render_latex(viz)
    assert render_text(viz).startswith("layer_1: a[0.1000] b[0.2000]\nlayer_2: a[0.3000]")


def test_classes_join_the_root() -> None:
    html = render_html(["a"], [1.0], **{"class": "wide special"})
    assert html.startswith('<div class="attnviz attnviz-p-BuGn attnviz-flow wide special" role="figure"')


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"vmin": "low"}, "vmin must be a number, not 'low'"),
        ({"vmax": "nan"}, "vmax must be a finite number"),
        ({"vmin": "1", "vmax": "0"}, r"vmin \(1\) must be below vmax \(0\)"),
        ({"center": "0", "vmin": "-1"}, "center cannot be combined with vmin or vmax"),
        ({"legend": "maybe"}, "legend must be true or false"),
        ({"subwords": "morse"}, "subwords must be one of none, wordpiece, bpe, sentencepiece, auto, not 'morse'"),
        ({"rows": " , "}, "rows needs a comma-separated list"),
        ({"colour": "red"}, "unknown option 'colour'; the options are cmap"),
        ({"cmpa": "red"}, r"unknown option 'cmpa' \(did you mean 'cmap'\?\)"),
    ],
)
def test_bad_option_values(raw: dict[str, str], message: str) -> None:
    with pytest.raises(OptionError, match=message):
        parse_options(raw)


def test_the_same_content_in_every_format_is_the_same_record(tmp_path: Path) -> None:
    lines = [f"{t}\t{s!r}" for t, s in zip(TOKENS, SCORES, strict=True)]
    records = [
        parse_json(json.dumps({"tokens": TOKENS, "scores": SCORES, "model": "x"}), "j"),
        parse_tsv("\n".join(lines), "t"),
        parse_tsv("token\tscore\n" + "\n".join(lines), "t"),
        parse_csv("token,score\n" + "\n".join(f'"{t}",{s}' for t, s in zip(TOKENS, SCORES, strict=True)), "c"),
        parse_pairs("\n".join(f"{t}   {s}" for t, s in zip(TOKENS, SCORES, strict=True)), "inline"),
    ]
    assert all(record == records[0] for record in records)
    assert records[0].tokens[1] == "new york"


def test_format_errors_name_source_and_line(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"^d.json:3: not valid JSON"):
        parse_json('{"tokens": ["a"],\n "scores": [1],\n oops}', "d.json")
    with pytest.raises(DataError, match=r"^d.json: row 'x': score 2 \('b'\) is NaN: not a JSON number"):
        parse_json('{"tokens": ["a", "b"], "scores": {"x": [1, NaN]}}', "d.json")
    with pytest.raises(DataError, match=r"^d.json: row 'x': 2 tokens but 1 scores"):
        parse_json('{"tokens": ["a", "b"], "scores": {"x": [1]}}', "d.json")
    with pytest.raises(DataError, match=r"^d.tsv:2: expected a token, a tab, and a score: 'b 2'"):
        parse_tsv("a\t1\nb 2\n", "d.tsv")
    with pytest.raises(DataError, match=r"^d.csv:3: 2 fields where the header has 3"):
        parse_csv("token,x,y\na,1,2\nb,1\n", "d.csv")
    with pytest.raises(DataError, match=r"^d.csv:1: the first line must be a header"):
        parse_csv("a,1\n", "d.csv")
    with pytest.raises(DataError, match=r"^page.rst:12: not a number: 'high'"):
        parse_pairs("a 1\nb high\n", "page.rst", first_line=11)
    (tmp_path / "d.xlsx").write_text("")
    with pytest.raises(DataError, match=r"unknown data format '.xlsx'; use one of .json, .tsv, .csv"):
        read_data_file(tmp_path / "d.xlsx", "d.xlsx")


def test_csv_columns_are_named_rows() -> None:
    record = parse_csv("token,layer_1,layer_2\na,1,2\nb,3,4\n", "c")
    assert [(row.label, row.scores.tolist()) for row in record.rows] == [
        ("layer_1", [1.0, 3.0]),
        ("layer_2", [2.0, 4.0]),
    ]
