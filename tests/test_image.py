"""Images of the token view (SVG, PNG, PDF), real matplotlib output: text kept as text,
the HTML's colours, sizes, fonts that fall back with one warning, the same bytes from
the command line and the API.

The PDF checks need ``pdfinfo`` and ``pdftotext`` (Debian: poppler-utils); without them
they skip, except under ``CI=true``, where they fail.
"""

from __future__ import annotations

import re
import struct
import subprocess
import warnings
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from sphinxcontrib_attnviz import cli
from sphinxcontrib_attnviz.api import AttentionViz
from sphinxcontrib_attnviz.render.fonts import missing_glyphs
from sphinxcontrib_attnviz.render.html import render_html
from sphinxcontrib_attnviz.render.image import draw_figure, save_image

SVG = "{http://www.w3.org/2000/svg}"
NAN = float("nan")
TOKENS = ["[CLS]", "The", "<b>", "un", "##believ", "##able", "a&b", "$x$", "\n", "tab\t", "", "  ", "end", "[SEP]"]
SCORES = {
    "layer 1": [0.1, 0.5, 0.2, 0.9, 0.3, 0.4, NAN, 0.6, 0.7, 2.0, 0.25, 0.35, 0.45, 0.05],
    "layer <2>": [0.3, 0.2, 0.1, 0.4, 0.8, 0.6, 0.5, NAN, 0.2, 0.1, 0.15, 0.3, -0.5, 0.9],
}


def figure(**options: str | float | bool) -> AttentionViz:
    settings: dict[str, str | float | bool] = {"legend": True, "subwords": "wordpiece", "vmin": 0, "vmax": 1.5}
    return AttentionViz(TOKENS, SCORES, **{**settings, **options})


def svg_tree(viz: AttentionViz, tmp_path: Path, width: float = 5.0) -> tuple[ET.Element, bytes]:
    path = tmp_path / "fig.svg"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tab's Control Picture may lack a glyph here
        viz.save(path, width=width)
    data = path.read_bytes()
    return ET.fromstring(data), data


def groups(root: ET.Element, prefix: str) -> dict[str, ET.Element]:
    return {group.get("id", ""): group for group in root.iter(f"{SVG}g") if group.get("id", "").startswith(prefix)}


def style_of(group: ET.Element) -> dict[str, str]:
    path = group.find(f"{SVG}path")
    assert path is not None
    return dict(part.strip().split(": ", 1) for part in path.get("style", "").split(";") if part.strip())


def corners(group: ET.Element) -> tuple[float, float, float, float]:
    """A box's left, top, right and bottom (SVG coordinates: y grows downwards)."""
    path = group.find(f"{SVG}path")
    assert path is not None
    numbers = [float(number) for number in re.findall(r"-?\d+(?:\.\d+)?", path.get("d", ""))]
    xs, ys = numbers[0::2], numbers[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def test_svg_parses_and_holds_every_token_as_text(tmp_path: Path) -> None:
    viz = figure()
    root, data = svg_tree(viz, tmp_path)
    display = viz.visualization.display
    texts = groups(root, "attnviz-text-")
    for row in range(2):
        for index, shown in enumerate(display.texts):
            element = texts[f"attnviz-text-{row}-{index}"].find(f"{SVG}text")
            assert element is not None and element.text == shown.removesuffix("\n")
    # stand-ins as the HTML shows them: a newline, a tab, an empty token, a blank one
    assert {"↵", "tab␉", "∅", "␣␣"} <= {element.text for element in root.iter(f"{SVG}text")}
    labels = [group.find(f"{SVG}text").text for group in groups(root, "attnviz-label-").values()]  # type: ignore[union-attr]
    assert labels == ["layer 1", "layer <2>"]
    # markup-like tokens are XML text, escaped, never elements; no mathtext
    assert b"&lt;b&gt;" in data and b"a&amp;b" in data and b"<b>" not in data
    assert "$x$" in {element.text for element in root.iter(f"{SVG}text")}
    assert not [element for element in root.iter() if element.tag in (f"{SVG}b", "b")]


def test_svg_is_self_contained_and_deterministic(tmp_path: Path) -> None:
    root, data = svg_tree(figure(), tmp_path)
    references = [
        value
        for element in root.iter()
        for name, value in element.attrib.items()
        if name.endswith("href") and not value.startswith(("#", "data:"))
    ]
    assert references == []
    assert not re.search(rb"url\((?!#)", data)
    assert b"<dc:date>" not in data
    again = tmp_path / "again.svg"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        figure().save(again, width=5.0)
    assert again.read_bytes() == data


def test_svg_box_fills_are_the_html_colours(tmp_path: Path) -> None:
    viz = figure()
    root, _ = svg_tree(viz, tmp_path)
    html = render_html(viz.visualization, inline_colours=True)
    spans = re.findall(r'<span class="attnviz-token[^"]*"( style="[^"]*")? title="', html)
    boxes = groups(root, "attnviz-box-")
    size = len(TOKENS)
    assert len(spans) == len(boxes) == 2 * size
    for number, style in enumerate(spans):
        row, index = divmod(number, size)
        drawn = style_of(boxes[f"attnviz-box-{row}-{index}"])
        colours = dict(re.findall(r"(background-color|color): (#[0-9a-f]{6})", style))
        coloured = viz.visualization.rows[row]
        if coloured.missing[index]:  # no colour in the HTML, no fill in the image: a dashed outline
            assert "background-color" not in colours
            assert drawn["fill"] == "none" and "stroke-dasharray" in drawn
        else:
            assert drawn["fill"] == colours["background-color"] == coloured.backgrounds[index]
            text = root.find(f".//{SVG}g[@id='attnviz-text-{row}-{index}']/{SVG}text")
            assert text is not None
            fill = re.search(r"fill: (#[0-9a-f]{6})", text.get("style", ""))
            assert (fill.group(1) if fill else "#000000") == colours["color"]  # SVG's default fill is black
            assert colours["color"] == coloured.foregrounds[index]


def test_clipped_scores_are_underlined(tmp_path: Path) -> None:
    viz = figure()
    root, _ = svg_tree(viz, tmp_path)
    underlined = set(groups(root, "attnviz-clipped-"))
    expected = {
        f"attnviz-clipped-{row}-{index}"
        for row, coloured in enumerate(viz.visualization.rows)
        for index in range(len(TOKENS))
        if coloured.clipped[index] and not coloured.missing[index]
    }
    assert underlined == expected and "attnviz-clipped-0-9" in expected  # 2.0 > vmax 1.5


def test_word_pieces_touch_and_a_newline_ends_the_line(tmp_path: Path) -> None:
    viz = figure()
    root, _ = svg_tree(viz, tmp_path, width=8.0)
    boxes = groups(root, "attnviz-box-0-")
    un, believ, able = (corners(boxes[f"attnviz-box-0-{index}"]) for index in (3, 4, 5))
    assert un[2] == pytest.approx(believ[0]) and believ[2] == pytest.approx(able[0])
    assert un[1] == believ[1] == able[1]
    the, ab = corners(boxes["attnviz-box-0-1"]), corners(boxes["attnviz-box-0-6"])
    assert ab[0] > the[2]  # a space between words
    newline, tab = corners(boxes["attnviz-box-0-8"]), corners(boxes["attnviz-box-0-9"])
    assert tab[1] > newline[3] and tab[0] < newline[0]  # the next token starts the next line


def test_a_narrower_figure_wraps_into_more_lines(tmp_path: Path) -> None:
    def line_tops(width: float) -> set[float]:
        root, _ = svg_tree(figure(), tmp_path, width=width)
        return {corners(group)[1] for group in groups(root, "attnviz-box-0-").values()}

    wide, narrow = line_tops(12.0), line_tops(3.0)
    assert len(wide) == 2 and len(narrow) > len(wide)
    root, _ = svg_tree(figure(), tmp_path, width=3.0)
    assert all(corners(group)[2] <= 3.0 * 72 for group in groups(root, "attnviz-box-").values())


def test_every_box_fits_its_text_as_the_renderer_draws_it() -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    viz = figure(legend=False)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        drawn = draw_figure(viz.visualization, width=4.0)
        canvas = FigureCanvasAgg(drawn)
        renderer = canvas.get_renderer()
        boxes = {artist.get_gid(): artist for artist in drawn.artists if artist.get_gid()}
        for text in drawn.texts:
            gid = text.get_gid() or ""
            if not gid.startswith("attnviz-text-"):
                continue
            extent = text.get_window_extent(renderer)
            box = boxes[gid.replace("-text-", "-box-")].get_window_extent(renderer)
            assert box.x0 - 0.5 <= extent.x0 and extent.x1 <= box.x1 + 0.5, gid
            assert box.y0 - 0.5 <= extent.y0 and extent.y1 <= box.y1 + 0.5, gid


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def test_png_has_the_width_and_dpi_given(tmp_path: Path) -> None:
    viz = figure()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        viz.save(tmp_path / "fig.png", width=4.0, dpi=100)
        viz.save(tmp_path / "big.PNG", width=6.5, dpi=200)
    width, height = png_size(tmp_path / "fig.png")
    assert width == 400 and 50 < height < 400
    assert png_size(tmp_path / "big.PNG")[0] == 1300


def test_pdf_is_one_page_with_the_tokens_as_text(tmp_path: Path, poppler: None) -> None:
    path = tmp_path / "fig.pdf"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        figure().save(path)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+1$", info, re.MULTILINE)
    assert "CreationDate" not in info
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    for token in ("[CLS]", "The", "<b>", "a&b", "$x$", "end", "[SEP]", "layer 1", "layer <2>", "BuGn"):
        assert token in text
    assert re.search(r"un\s*believ\s*able", text)


def test_cjk_and_emoji_render_with_one_warning_for_missing_glyphs(tmp_path: Path) -> None:
    tokens = ["日本語", "の", "テキスト", "😊", "🚀", "한국어", "\U00013000", "ok"]
    viz = AttentionViz(tokens, [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8], legend=True)
    missing = missing_glyphs(tokens)
    assert "\U00013000" in missing  # an Egyptian hieroglyph: no font here has one
    for suffix in ("svg", "png", "pdf"):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            viz.save(tmp_path / f"cjk.{suffix}", width=3.0)
        messages = [str(warning.message) for warning in caught]
        assert len(messages) == 1, messages  # matplotlib's own, one per glyph, are not repeated
        assert all(f"U+{ord(char):04X}" in messages[0] for char in missing)
        assert (tmp_path / f"cjk.{suffix}").stat().st_size > 0
    root = ET.fromstring((tmp_path / "cjk.svg").read_bytes())
    assert set(tokens) <= {element.text for element in root.iter(f"{SVG}text")}


def test_command_line_and_api_write_the_same_bytes(tmp_path: Path) -> None:
    data = tmp_path / "data.json"
    data.write_text('{"tokens": ["Hi", "<b>", "there", "\\n", "end"], "scores": [0.1, 0.5, 0.3, 0.2, 0.9]}')
    for suffix in ("svg", "png", "pdf"):
        out = tmp_path / f"cli.{suffix}"
        assert cli.main(["--data", str(data), "--legend", "--format", suffix, "--width", "3", "-o", str(out)]) == 0
        AttentionViz.from_files(data, legend=True).save(tmp_path / f"api.{suffix}", width=3)
        assert out.read_bytes() == (tmp_path / f"api.{suffix}").read_bytes()
    assert png_size(tmp_path / "cli.png") == png_size(tmp_path / "api.png")
    assert png_size(tmp_path / "cli.png")[0] == 450  # 3 inches at the default 150 dpi


def test_command_line_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "data.tsv"
    data.write_text("a\t0.1\nb\t0.2\n")
    assert cli.main(["--data", str(data), "--format", "svg"]) == 2
    assert "give -o FILE" in capsys.readouterr().err
    for width in ("0", "-1", "wide", "inf"):
        with pytest.raises(SystemExit) as exit_status:
            cli.main(["--data", str(data), "--format", "png", "--width", width, "-o", str(tmp_path / "x.png")])
        assert exit_status.value.code == 2
    assert not (tmp_path / "x.png").exists()


def test_save_refuses_an_unknown_suffix_or_width(tmp_path: Path) -> None:
    viz = AttentionViz(["a", "b"], [0.1, 0.2])
    with pytest.raises(ValueError, match=r"\.svg, \.png or \.pdf"):
        viz.save(tmp_path / "fig.gif")
    for width in (0, 2.5, 101, float("inf"), float("nan"), "8"):
        with pytest.raises(ValueError, match="a number of inches from 3 to 100"):
            viz.save(tmp_path / "fig.svg", width=width)  # type: ignore[arg-type]
    assert not (tmp_path / "fig.svg").exists()
    with pytest.raises(ValueError, match="image format"):
        save_image(viz.visualization, tmp_path / "fig.svg", "eps")


def test_long_labels_are_cut_to_fit_and_spaces_are_kept(tmp_path: Path) -> None:
    label = "a very long row label " * 20
    viz = AttentionViz(["  two  spaces", "b"], {label: [0.1, 0.2], "short": [0.3, 0.4]})
    root, _ = svg_tree(viz, tmp_path, width=4.0)
    assert root.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    texts = {
        group.get("id"): group.find(f"{SVG}text").text
        for group in groups(root, "attnviz-").values()
        if group.find(f"{SVG}text") is not None
    }
    cut = texts["attnviz-label-0"]
    assert cut.endswith("\u2026") and label.startswith(cut[:-1]) and len(cut) < len(label)
    assert texts["attnviz-label-1"] == "short"
    assert texts["attnviz-text-0-0"] == "  two  spaces"
    assert all(corners(group)[2] <= 4.0 * 72 for group in groups(root, "attnviz-box-").values())


def test_the_output_suffix_names_the_format(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = Path(__file__).parent / "data" / "tools" / "captum_records.json"
    for suffix, magic in (("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF"), ("tex", b"\\documentclass")):
        out = tmp_path / f"fig.{suffix}"
        assert cli.main(["--data", str(data), "-o", str(out)]) == 0
        assert out.read_bytes().startswith(magic), suffix
    assert cli.main(["--data", str(data), "-o", str(tmp_path / "fig.html")]) == 0
    assert (tmp_path / "fig.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert cli.main(["--data", str(data), "--format", "png", "-o", str(tmp_path / "clash.svg")]) == 2
    assert "--format png with -o" in capsys.readouterr().err and not (tmp_path / "clash.svg").exists()
    assert cli.main(["--data", str(data), "--dpi", "300", "--width", "4", "-o", str(tmp_path / "hi.png")]) == 0
    assert png_size(tmp_path / "hi.png")[0] == 1200
    with pytest.raises(SystemExit):
        cli.main(["--data", str(data), "--dpi", "0", "-o", str(tmp_path / "x.png")])
