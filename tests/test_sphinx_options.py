"""Every option and data source through real builds, from rST and from MyST alike."""

from __future__ import annotations

import pytest

from pages import DARK_VARIANT, figures, read_output

SNIPPETS = 8  # figures on each of rst_page.rst and myst_page.md, in the same order


@pytest.mark.sphinx("html", testroot="options")
def test_myst_and_rst_give_the_same_figures(app, warning) -> None:
    app.build()
    assert warning.getvalue() == ""
    rst = figures(read_output(app.outdir, "rst_page.html"))
    myst = figures(read_output(app.outdir, "myst_page.html"))
    assert len(rst) == SNIPPETS
    assert [figure.html for figure in myst] == [figure.html for figure in rst]


@pytest.mark.sphinx("html", testroot="options")
def test_json_tsv_csv_and_inline_give_the_same_fragment(app) -> None:
    app.build()
    json_figure, tsv, csv, inline = figures(read_output(app.outdir, "rst_page.html"))[:4]
    assert json_figure.tokens == ["[CLS]", "new york", "is", "great", "!", "[SEP]"]
    assert json_figure.html == tsv.html == csv.html == inline.html


@pytest.mark.sphinx("html", testroot="options")
def test_options_show_in_the_html(app) -> None:
    app.build()
    html = read_output(app.outdir, "rst_page.html")
    _, _, _, _, layers, saliency, fixed, captioned = figures(html)
    assert [span.text for span in layers.spans][:2] == ["[CLS]", "honestly"]
    assert layers.html.count('class="attnviz-label"') == 2
    assert layers.html.index(">layer_6<") < layers.html.index(">layer_1<")
    assert "clipped" in layers.spans[0].attrs["title"]  # [CLS] is left out of the scale
    assert 'class="attnviz-legend"' in layers.html and f"(BuGn{DARK_VARIANT}, the scores span" in layers.html
    assert f"(RdBu_r{DARK_VARIANT}, centre 0, the scores span" in saliency.html
    assert fixed.classes == ["attnviz", "attnviz-p-viridis", "attnviz-flow", "wide", "special"]
    assert [label in captioned.html for label in (">first<", ">second<")] == [True, True]
    assert "Fig. 1" in html and '<figure class="attnviz-figure' in html


@pytest.mark.sphinx("html", testroot="options")
def test_numref_resolves_in_html(app, warning) -> None:
    app.build()
    refs = read_output(app.outdir, "refs.html")
    assert (
        '<a class="reference internal" href="rst_page.html#fig-rows"><span class="std std-numref">Fig. 1</span></a>'
        in refs
    )
    assert 'href="myst_page.html#fig-rows-myst"><span class="std std-numref">Fig. 2</span>' in refs
    assert "Two rows, one scale" in refs  # :ref: takes the caption's text
    assert warning.getvalue() == ""


@pytest.mark.sphinx("latex", testroot="options")
def test_numref_resolves_in_latex(app, warning) -> None:
    app.build()
    tex = read_output(app.outdir, "options.tex")
    assert r"\caption{Two rows, one \sphinxstylestrong{scale}}\label{\detokenize{rst_page:fig-rows}}" in tex
    assert r"\hyperref[\detokenize{rst_page:fig-rows}]{Fig.\@ \ref{\detokenize{rst_page:fig-rows}}}" in tex
    assert r"\textbf{first}\quad" in tex and r"(RdBu\_r, centre 0, the scores span" in tex
    assert warning.getvalue() == ""


@pytest.mark.sphinx("text", testroot="options")
def test_text_builder_shows_rows_scores_and_legend(app) -> None:
    """Each row and each legend a line of its own, never re-wrapped, at the text's indentation."""
    app.build()
    rst, myst = (read_output(app.outdir, page).splitlines() for page in ("rst_page.txt", "myst_page.txt"))
    [layer_6] = [line for line in rst if line.startswith("layer_6: [CLS][0.4776 clipped] honestly[0.03026]")]
    assert len(layer_6) > 70 and layer_6.endswith("[SEP][0.04464]")
    assert any(line.startswith("colour scale: RdBu_r from -0.01093 to 0.01093, centre 0") for line in rst)  # alpha 0.5
    assert "[CLS][0.5000] new york[-0.2500 clipped] is[0.1250] great[0.7500 clipped] ![0.06250] [SEP][0.3000]" in rst
    second = "second: [CLS][1.000] new york[-0.5000] is[0.2500] great[1.500] ![0.1250] [SEP][0.6000]"
    assert "   " + second in rst  # in a figure, indented as the figure's text is
    assert [line for line in myst if "[" in line] == [line for line in rst if "[" in line]
