"""What real HTML builds write: colours, paths, escaping, MyST equal to rST."""

from __future__ import annotations

import pytest
from test_colors import SAMPLE_COLOURS, original_colours
from test_render import HOSTILE

from pages import figures, read_output

SAMPLE_TOKENS = ["wow", ",", "this", "movie", "is", "really", "great", "!", "i", "enjoyed", "it", "."]


@pytest.mark.sphinx("html", testroot="basic")
def test_directive_draws_the_sample(app, warning) -> None:
    app.build()
    assert warning.getvalue() == ""
    html = read_output(app.outdir, "index.html")
    default, viridis = figures(html)
    assert default.tokens == SAMPLE_TOKENS
    assert [span.style["background-color"] for span in default.spans] == SAMPLE_COLOURS
    scores = [float(span.attrs["title"]) for span in default.spans]
    assert scores[6] == pytest.approx(0.2670)
    expected_viridis = original_colours(
        [float(line) for line in (app.srcdir / "data/sample.scores").read_text().split()], "viridis", 0.0
    )
    assert [span.style["background-color"] for span in viridis.spans] == expected_viridis
    assert html.index("Before the figure.") < html.index("Between the figures.") < html.index("After the figures.")
    assert "_static/attnviz.css" in html
    assert (app.outdir / "_static" / "attnviz.css").is_file()


@pytest.mark.sphinx("html", testroot="basic")
def test_paths_resolve_like_literalinclude(app, warning) -> None:
    app.build()
    [figure] = figures(read_output(app.outdir, "sub/page.html"))
    assert figure.tokens == SAMPLE_TOKENS
    assert warning.getvalue() == ""


@pytest.mark.sphinx("html", testroot="escaping")
def test_hostile_tokens_are_text_in_the_built_page(app, warning) -> None:
    app.build()
    assert warning.getvalue() == ""
    html = read_output(app.outdir, "index.html")
    [figure] = figures(html)
    expected = (app.srcdir / "hostile.tokens").read_text(encoding="utf-8").split("\n")[:-1]
    assert set(HOSTILE[:7]) <= set(expected)
    assert figure.tokens == expected
    assert figure.nested_tags == [] and all(span.nested_tags == [] for span in figure.spans)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "After the figure." in html


@pytest.mark.sphinx("html", testroot="myst")
def test_myst_gives_the_same_fragment_as_rst(app, warning) -> None:
    app.build()
    [rst_figure] = figures(read_output(app.outdir, "rst_page.html"))
    myst_figures = figures(read_output(app.outdir, "myst_page.html"))
    assert len(myst_figures) == 1
    assert rst_figure.tokens == SAMPLE_TOKENS
    assert myst_figures[0].html == rst_figure.html
    assert "(magma" not in rst_figure.html  # no legend: the colormap shows in the colours only
    warnings = warning.getvalue()
    assert (
        "myst_page.md:10: WARNING: attention-viz: no-such.scores: file not found; "
        'a path starting with "/" is read from the top of the docs folder (myst/) [attnviz.file]'
    ) in warnings
    assert "myst_page.md:17: WARNING: attention-viz: myst_page.md:21: not a number: 'high' [attnviz.data]" in warnings
    assert "myst_page.md:24: WARNING: attention-viz: vmin must be a number, not 'low' [attnviz.option]" in warnings
    assert "After the figures." in read_output(app.outdir, "myst_page.html")


@pytest.mark.sphinx(
    "html",
    testroot="basic",
    srcdir="basic-config-defaults",
    confoverrides={"attnviz_default_cmap": "viridis", "attnviz_default_alpha": 0},
)
def test_config_values_set_the_defaults(app, warning) -> None:
    app.build()
    default, explicit = figures(read_output(app.outdir, "index.html"))
    assert default.html == explicit.html  # the second figure says :cmap: viridis and :alpha: 0
