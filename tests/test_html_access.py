"""What the HTML carries for every reader, checked on the markup and the colours
(the browser tests check what Chromium makes of it): dark variants, names, layouts,
clipped marks, the legend's words and light long figures."""

from __future__ import annotations

import re

import numpy as np
import pytest
from coloraide import Color

from pages import figures
from sphinxcontrib_attnviz import AttentionViz, colors, render_html
from sphinxcontrib_attnviz.errors import OptionError
from sphinxcontrib_attnviz.options import Defaults, parse_options
from sphinxcontrib_attnviz.render.css import DARK_PAGES, FOLLOWING_PAGES, palette_class
from sphinxcontrib_attnviz.render.html import CHUNKED_ROW, SCREEN_CHUNK
from sphinxcontrib_attnviz.render.latex import render_latex
from sphinxcontrib_attnviz.render.text import render_text
from sphinxcontrib_attnviz.visualization import visualize_lists

SEQUENTIAL = ["BuGn", "Blues", "Greys", "OrRd", "YlGnBu", "Purples"]


def oklab_lightness(hex_colours: tuple[str, ...]) -> np.ndarray:
    return np.array([Color(colour).convert("oklab")["lightness"] for colour in hex_colours])


@pytest.mark.parametrize("cmap", ["viridis", "magma", "cividis", "Greys_r"])
def test_colormaps_that_go_dark_to_light_suit_dark_pages_as_they_are(cmap: str) -> None:
    assert colors.dark_palette(cmap) == colors.palette(cmap)
    html = render_html(["a", "b"], [0.0, 1.0], cmap=cmap, legend=True)
    assert "attnviz-dark-only" not in html.split("</style>")[1]  # the legend does not claim a variant


@pytest.mark.parametrize("cmap", ["RdBu_r", "coolwarm", "PiYG"])
def test_diverging_colormaps_get_a_dark_centre_and_light_ends(cmap: str) -> None:
    dark_l = oklab_lightness(colors.dark_palette(cmap).backgrounds)
    assert dark_l[len(dark_l) // 2] < 0.35 < 0.5 < min(dark_l[0], dark_l[-1])


@pytest.mark.parametrize("cmap", SEQUENTIAL)
def test_dark_variant_turns_the_lightness_order_around(cmap: str) -> None:
    """Light colormaps that darken with the score: the dark variant lightens with it,
    starting near a dark page and keeping the hues' order."""
    light, dark = colors.palette(cmap), colors.dark_palette(cmap)
    light_l, dark_l = oklab_lightness(light.backgrounds), oklab_lightness(dark.backgrounds)
    assert np.all(np.diff(light_l) <= 1e-3)
    assert np.all(np.diff(dark_l) >= -0.02)  # gamut mapping may nudge lightness a little
    assert dark_l[0] < 0.35 < 0.6 < dark_l[-1]
    hues = [Color(c).convert("oklch")["hue"] for c in (light.backgrounds[-1], dark.backgrounds[-1])]
    if cmap != "Greys":  # grey has no hue
        assert abs((hues[0] - hues[1] + 180) % 360 - 180) < 25


@pytest.mark.parametrize("cmap", [*SEQUENTIAL, "RdBu_r", "viridis", "magma_r", "coolwarm"])
def test_every_text_colour_reaches_4_5_to_1_in_light_and_dark(cmap: str) -> None:
    for palette in (colors.palette(cmap), colors.dark_palette(cmap)):
        rgb = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in palette.backgrounds], dtype=np.uint8)
        text = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in palette.foregrounds], dtype=np.uint8)
        ratio = colors.contrast_ratio(colors.relative_luminance(rgb), colors.relative_luminance(text))
        assert ratio.min() >= colors.MIN_CONTRAST


def test_light_colours_stay_the_originals_and_dark_ones_follow_the_pages_that_are_dark() -> None:
    [figure] = figures(render_html(["a", "b", "c"], [0.1, 0.5, 0.9]))
    viz = visualize_lists(["a", "b", "c"], [0.1, 0.5, 0.9])
    assert [span.style["background-color"] for span in figure.spans] == list(viz.rows[0].backgrounds)
    dark = colors.dark_palette("BuGn")
    assert [span.style["dark-background-color"] for span in figure.spans] == [
        dark.backgrounds[index] for index in viz.rows[0].colour_index.tolist()
    ]
    for selector in (*DARK_PAGES, *FOLLOWING_PAGES):
        assert selector in figure.css
    assert "@media screen{" in figure.css  # printed pages keep the light colours
    assert "print-color-adjust:exact" in figure.css


def test_dark_cmap_overrides_the_variant_everywhere() -> None:
    html = render_html(["a", "b"], [0.0, 1.0], dark_cmap="viridis", legend=True, alpha=0)
    [figure] = figures(html)
    viridis = colors.palette("viridis").backgrounds
    assert figure.spans[0].style["dark-background-color"] == viridis[0]
    assert figure.spans[1].style["dark-background-color"] == viridis[-1]
    assert palette_class("BuGn", "viridis") in figure.classes
    assert "dark: viridis" in html
    assert parse_options({"dark-cmap": "magma"}).dark_cmap == "magma"
    # a project's dark default is for figures on its default colormaps; a figure's own
    # colormap gets its own dark variant
    defaults = Defaults(dark_cmap="magma", dark_diverging_cmap="PuOr")
    assert parse_options({}, defaults).dark_cmap == "magma"
    assert parse_options({"center": "0"}, defaults).dark_cmap == "PuOr"
    assert parse_options({"cmap": "Blues"}, defaults).dark_cmap is None
    assert AttentionViz(["a"], [1.0], dark_cmap=None, layout=None).visualization.dark_cmap is None
    with pytest.raises(OptionError, match="unknown colormap 'viridiss'"):
        AttentionViz(["a"], [1.0], dark_cmap="viridiss")


def test_figures_are_named_and_rows_grouped() -> None:
    [figure] = figures(render_html(["a", "b"], {"layer 1": [0.1, 0.2], "layer 2": [0.3, 0.4]}))
    assert '<div class="attnviz-rows" tabindex="0">' in figure.html
    assert 'role="figure" aria-label="Token scores"' in figure.html
    assert figure.html.count('role="group" aria-label="layer ') == 2
    named = render_html(["a"], [1.0])
    assert named.count("tabindex") == 1


def test_layout_defaults_to_aligned_for_several_rows_and_can_be_chosen() -> None:
    def classes(*args: object, **options: object) -> list[str]:
        return figures(render_html(*args, **options))[0].classes

    assert "attnviz-aligned" in classes(["a"], {"x": [1.0], "y": [2.0]})
    assert "attnviz-flow" in classes(["a"], [1.0])
    assert "attnviz-flow" in classes(["a"], {"x": [1.0], "y": [2.0]}, layout="flow")
    assert "attnviz-aligned" in classes(["a"], [1.0], layout="aligned")
    assert "attnviz-aligned" in classes(["a"], {"x": [1.0], "y": [2.0]}, layout="")  # empty: the default
    with pytest.raises(OptionError, match="layout must be one of flow, aligned, not 'grid'"):
        parse_options({"layout": "grid"})


def test_clipped_scores_are_underlined_in_latex() -> None:
    latex = render_latex(visualize_lists(["a", "b", "c"], [-1.0, 0.5, 2.0], vmin=0, vmax=1))
    assert latex.count("\\underline{") == 2 and "\\underline{b}" not in latex


def test_clipped_scores_are_marked_by_class_and_words() -> None:
    [figure] = figures(render_html(["a", "b", "c"], [-1.0, 0.5, 2.0], vmin=0, vmax=1))
    assert [("attnviz-clipped" in span.attrs["class"].split()) for span in figure.spans] == [True, False, True]
    assert [span.attrs["title"] for span in figure.spans] == [
        "-1.000 (outside the colour range: clipped)",
        "0.5000",
        "2.000 (outside the colour range: clipped)",
    ]


def test_the_legend_says_why_the_range_reaches_past_the_scores() -> None:
    widened = render_text(visualize_lists(["a", "b"], [0.2, 0.6], legend=True))
    assert "the scores span 0.2 to 0.6; the range adds alpha (1) times their |mean| at each end" in widened
    fixed = render_text(visualize_lists(["a", "b"], [0.2, 0.6], legend=True, vmin=0.2, vmax=0.6))
    assert "the scores span" not in fixed
    unwidened = render_text(visualize_lists(["a", "b"], [0.2, 0.6], legend=True, alpha=0))
    assert "the scores span" not in unwidened
    one_side = render_text(visualize_lists(["a", "b"], [0.2, 0.6], legend=True, vmin=0))
    assert "the scores span" not in one_side
    symmetric = render_text(visualize_lists(["a", "b"], [0.0, 1.0], legend=True, center=0, alpha=0))
    assert "the scores span" not in symmetric and "centre 0" in symmetric
    centred = render_text(visualize_lists(["a", "b"], [-0.5, 1.0], legend=True, center=0))
    assert "the range reaches alpha (1) times their mean distance from the centre past the farthest" in centred


def test_long_rows_come_in_screen_chunks_cut_between_words() -> None:
    count = CHUNKED_ROW + 3 * SCREEN_CHUNK
    tokens = [f"w{index}" if index % 3 == 0 else f"##p{index}" for index in range(count)]
    scores = np.linspace(0, 1, count)
    html = render_html(tokens, scores, subwords="wordpiece")
    [figure] = figures(html)
    assert len(figure.spans) == count
    chunks = re.findall(
        r'<span class="attnviz-chunk" style="contain-intrinsic-size: auto (\d+)em">( ?<span class="[^"]+")', html
    )
    assert len(chunks) == count // SCREEN_CHUNK
    for height, start in chunks:  # each chunk starts with a whole word, and has a height estimate
        assert start.strip() == '<span class="attnviz-word"' and 10 < int(height) < 100
    short = render_html(tokens[:CHUNKED_ROW], scores[:CHUNKED_ROW], subwords="wordpiece")
    assert "attnviz-chunk" not in short
    aligned = render_html(tokens, {"x": scores, "y": scores}, subwords="wordpiece")
    assert "attnviz-chunk" not in aligned  # one line per row: nothing to skip


def test_a_long_page_costs_fewer_bytes_per_token_than_an_inline_style() -> None:
    """Colours by class: a token's markup is its class, its title and its text."""
    rng = np.random.default_rng(0)
    tokens = [f"tok{index % 500}" for index in range(20_000)]
    html = render_html(tokens, rng.random(len(tokens)))
    per_token = len(html.encode()) / len(tokens)
    assert per_token < len('<span class="attnviz-token c123" title="0.1234">tok123</span> ') + 1
