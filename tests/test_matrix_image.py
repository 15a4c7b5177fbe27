"""Images of the matrix view (SVG, PNG, PDF) from real tool outputs: every header as
text, the HTML's colours cell for cell, missing cells blank, wide matrices cut into
blocks, large ones drawn in colours only; the command line and the API alike.

The PDF checks need ``pdfinfo`` and ``pdftotext`` (Debian: poppler-utils); without them
they skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import re
import subprocess
import warnings
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from test_image import SVG, png_size

from sphinxcontrib_attnviz import AttentionViz
from sphinxcontrib_attnviz.cli import main as cli_main
from sphinxcontrib_attnviz.render import format_scores
from sphinxcontrib_attnviz.render.matrix import column_headers, row_headers
from sphinxcontrib_attnviz.render.matrix_image import MAX_ANNOTATED_CELLS

DATA = Path(__file__).parent / "data"
INSEQ = DATA / "inseq" / "gpt2_attention.json"
CAPTUM = DATA / "tools" / "captum_llm.json"


def save_svg(viz: AttentionViz, path: Path, width: float = 8.0) -> ET.Element:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the inseq tokens' Control Picture may lack a glyph here
        viz.save(path, width=width)
    return ET.fromstring(path.read_bytes())


def texts_by_id(root: ET.Element, prefix: str) -> dict[str, str]:
    """The text of each group whose id starts with ``prefix``."""
    found = {}
    for group in root.iter(f"{SVG}g"):
        gid = group.get("id", "")
        if gid.startswith(prefix):
            text = group.find(f"{SVG}text")
            assert text is not None, gid
            found[gid] = text.text or ""
    return found


def cell_fills(root: ET.Element) -> list[str]:
    """The fill of every coloured cell, block by block, row by row, column by column."""
    fills = []
    for group in root.iter(f"{SVG}g"):
        if group.get("id", "").startswith("attnviz-cells-"):
            for path in group.iter(f"{SVG}path"):
                fills.append(re.search(r"fill: (#[0-9a-f]{6})", path.get("style", "")).group(1))
    return fills


class CellColours(HTMLParser):
    """Each row's ``<td>`` background colours (None for a missing cell) in the inline-coloured HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "tr":
            self.rows.append([])
        elif tag == "td" and "attnviz-cell" in (attributes.get("class") or ""):
            colour = re.search(r"background-color: (#[0-9a-f]{6})", attributes.get("style") or "")
            self.rows[-1].append(colour.group(1) if colour else None)


@pytest.mark.parametrize("data", [INSEQ, CAPTUM], ids=["inseq", "captum"])
def test_svg_holds_the_headers_scores_and_the_html_colours(data: Path, tmp_path: Path) -> None:
    viz = AttentionViz.from_files(data=str(data), view="matrix", legend=True, subwords="auto")
    root = save_svg(viz, tmp_path / "m.svg")
    figure = viz.visualization
    headers = column_headers(figure)
    # every column header, once, as its display text
    columns = texts_by_id(root, "attnviz-col-")
    assert [columns[f"attnviz-col-{index}"] for index in range(len(headers))] == headers
    assert len(columns) == len(headers)
    # every row label in each block
    labels = set(texts_by_id(root, "attnviz-row-").values())
    assert labels == set(row_headers(figure))
    # every present score as text, in its cell; missing cells blank, outlined
    scores = texts_by_id(root, "attnviz-score-")
    missing_ids = {
        group.get("id") for group in root.iter(f"{SVG}g") if group.get("id", "").startswith("attnviz-missing-")
    }
    for number, row in enumerate(figure.rows):
        shown = format_scores(row.scores)
        for index, absent in enumerate(row.missing.tolist()):
            if absent:
                assert f"attnviz-score-{number}-{index}" not in scores
                assert f"attnviz-missing-{number}-{index}" in missing_ids
            else:
                assert scores[f"attnviz-score-{number}-{index}"] == shown[index]
    assert len(missing_ids) == sum(int(row.missing.sum()) for row in figure.rows)
    if data == INSEQ:
        assert missing_ids, "the inseq file has cells not generated yet"
    # the fills are the HTML table's colours (the same multiset: blocks reorder the cells)
    parser = CellColours()
    parser.feed(_inline_html(viz))
    html_rows = [row for row in parser.rows if row]
    assert len(html_rows) == len(figure.rows)
    expected = [colour for row in html_rows for colour in row if colour is not None]
    fills = cell_fills(root)
    assert sorted(fills) == sorted(expected)
    assert len(fills) == len(expected)


def _inline_html(viz: AttentionViz) -> str:
    from sphinxcontrib_attnviz.render.matrix import render_matrix_html

    return render_matrix_html(viz.visualization, inline_colours=True)


def test_cells_in_one_block_follow_the_table_order(tmp_path: Path) -> None:
    tokens = ["a", "b", "c"]
    rows = {"x": [0.0, 0.5, 1.0], "y": [1.0, None, 0.25]}
    viz = AttentionViz(tokens, rows, view="matrix")
    root = save_svg(viz, tmp_path / "m.svg")
    parser = CellColours()
    parser.feed(_inline_html(viz))
    expected = [colour for row in parser.rows for colour in row if colour is not None]
    assert cell_fills(root) == expected
    assert {group.get("id") for group in root.iter(f"{SVG}g")} >= {"attnviz-missing-1-1"}


def cell_boxes(root: ET.Element) -> list[tuple[float, float, float, float]]:
    """Each coloured cell's left, top, right and bottom."""
    boxes = []
    for group in root.iter(f"{SVG}g"):
        if group.get("id", "").startswith("attnviz-cells-"):
            for path in group.iter(f"{SVG}path"):
                numbers = [float(number) for number in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
                xs, ys = numbers[0::2], numbers[1::2]
                boxes.append((min(xs), min(ys), max(xs), max(ys)))
    return boxes


def test_a_large_matrix_is_a_compact_heatmap_of_square_cells(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    size = 64
    tokens = [f"tok{index}" for index in range(size)]
    matrix = rng.random((size, size))
    matrix[np.triu_indices(size, 1)] = np.nan  # causal attention: the future is missing
    viz = AttentionViz.from_attention(tokens, matrix, legend=True)
    assert size * size > MAX_ANNOTATED_CELLS
    root = save_svg(viz, tmp_path / "m.svg", width=6.0)
    blocks = [group for group in root.iter(f"{SVG}g") if group.get("id", "").startswith("attnviz-cells-")]
    assert len(blocks) == 1  # every column side by side
    assert not texts_by_id(root, "attnviz-score-")
    boxes = cell_boxes(root)
    assert len(boxes) == int((~np.isnan(matrix)).sum())
    sides = {(round(right - left, 3), round(bottom - top, 3)) for left, top, right, bottom in boxes}
    assert len(sides) == 1 and len({round(side, 3) for side in next(iter(sides))}) == 1  # squares, all alike
    width = float(root.get("width", "0").removesuffix("pt"))
    height = float(root.get("height", "0").removesuffix("pt"))
    assert width <= 6 * 72 and height < 1.3 * width  # about square: not a tower of blocks
    assert max(right for _, _, right, _ in boxes) <= width
    assert sorted(texts_by_id(root, "attnviz-col-").values()) == sorted(tokens)
    assert len(texts_by_id(root, "attnviz-row-")) == size


def test_a_very_wide_matrix_is_cut_into_blocks(tmp_path: Path) -> None:
    rng = np.random.default_rng(4)
    tokens = [f"t{index}" for index in range(300)]
    viz = AttentionViz(tokens, {f"q{row}": rng.random(300).tolist() for row in range(5)}, view="matrix")
    narrow = save_svg(viz, tmp_path / "narrow.svg", width=3.0)
    count = len([g for g in narrow.iter(f"{SVG}g") if g.get("id", "").startswith("attnviz-cells-")])
    assert count > 1
    # the row labels are repeated in every block; each header appears once
    assert len(texts_by_id(narrow, "attnviz-row-")) == 5 * count
    assert sorted(texts_by_id(narrow, "attnviz-col-").values()) == sorted(tokens)
    assert len(cell_boxes(narrow)) == 5 * 300
    wide = save_svg(viz, tmp_path / "wide.svg", width=12.0)
    assert len([g for g in wide.iter(f"{SVG}g") if g.get("id", "").startswith("attnviz-cells-")]) < count


def test_a_small_matrix_image_is_as_wide_as_it_needs(tmp_path: Path) -> None:
    viz = AttentionViz(["a", "b"], {"x": [0.1, 0.2]}, view="matrix")
    root = save_svg(viz, tmp_path / "small.svg", width=8.0)
    assert float(root.get("width", "0").removesuffix("pt")) < 2 * 72


@pytest.mark.parametrize("image_format", ["svg", "png", "pdf"])
def test_command_line_writes_the_matrix_image(image_format: str, tmp_path: Path) -> None:
    out = tmp_path / f"m.{image_format}"
    status = cli_main(
        [
            "--data",
            str(CAPTUM),
            "--view",
            "matrix",
            "--legend",
            "--format",
            image_format,
            "--width",
            "6",
            "-o",
            str(out),
        ]
    )
    assert status == 0
    api = tmp_path / f"api.{image_format}"
    AttentionViz.from_files(data=str(CAPTUM), view="matrix", legend=True).save(api, width=6)
    assert out.read_bytes() == api.read_bytes()
    if image_format == "png":
        assert png_size(out)[0] <= 6 * 150  # as wide as the table needs, at most the width


def test_pdf_of_the_matrix_has_its_headers_as_text(tmp_path: Path, poppler: None) -> None:
    viz = AttentionViz.from_files(data=str(CAPTUM), view="matrix", legend=True)
    viz.save(tmp_path / "m.pdf")
    info = subprocess.run(["pdfinfo", str(tmp_path / "m.pdf")], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)
    text = subprocess.run(["pdftotext", str(tmp_path / "m.pdf"), "-"], capture_output=True, text=True).stdout
    squeezed = "".join(text.split())
    for label in row_headers(viz.visualization):
        assert "".join(label.split()) in squeezed
    for row in viz.visualization.rows:
        for score, absent in zip(format_scores(row.scores), row.missing.tolist(), strict=True):
            if not absent:
                assert score in squeezed


def test_long_headers_are_cut_and_every_column_stays_on_the_figure(tmp_path: Path) -> None:
    viz = AttentionViz.from_attention(["a", "b" * 300], [[1.0, 2.0], [3.0, 4.0]], queries=["y" * 800, "z"])
    root = save_svg(viz, tmp_path / "long.svg", width=4.0)
    columns = texts_by_id(root, "attnviz-col-")
    assert columns["attnviz-col-0"] == "a" and columns["attnviz-col-1"].endswith("\u2026")
    rows = texts_by_id(root, "attnviz-row-")
    assert rows["attnviz-row-0-0"].endswith("\u2026") and rows["attnviz-row-0-1"] == "z"
    scores = texts_by_id(root, "attnviz-score-")
    assert sorted(scores.values()) == ["1.000", "2.000", "3.000", "4.000"]
    width = float(root.get("width", "0").removesuffix("pt"))
    for group in root.iter(f"{SVG}g"):
        if group.get("id", "").startswith("attnviz-score-"):
            assert float(group.find(f"{SVG}text").get("x")) < width
