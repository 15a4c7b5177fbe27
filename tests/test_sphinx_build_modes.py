"""Parallel builds and incremental rebuilds."""

from __future__ import annotations

import os
import time
from pathlib import Path

from pages import figures


def test_parallel_build_matches_serial_without_warnings(make_app, copy_project) -> None:
    outputs = {}
    for mode, parallel in (("serial", 0), ("parallel", 2)):
        app = make_app("html", srcdir=copy_project("parallel", mode), parallel=parallel)
        assert app.is_parallel_allowed("read") and app.is_parallel_allowed("write")
        app.build()
        assert app.warning.getvalue() == ""
        outputs[mode] = {page.name: figures(page.read_text(encoding="utf-8")) for page in app.outdir.glob("page*.html")}
        app.cleanup()  # before the next app registers the same nodes and directives
    assert len(outputs["serial"]) == 8 and all(len(drawn) == 1 for drawn in outputs["serial"].values())
    for name, drawn in outputs["serial"].items():
        assert [figure.html for figure in outputs["parallel"][name]] == [figure.html for figure in drawn]


def test_touching_a_data_file_rereads_exactly_the_pages_that_use_it(make_app, copy_project) -> None:
    srcdir = copy_project("incremental")
    for path in srcdir.iterdir():  # every source older than the first build
        os.utime(path, (time.time() - 100, time.time() - 100))
    app = make_app("html", srcdir=srcdir)
    app.build()
    assert app.builder.read() == []  # nothing changed: nothing re-read

    touch(srcdir / "sample.scores")
    assert sorted(app.builder.read()) == ["also_uses_sample", "uses_sample"]

    touch(srcdir / "other.tokens")
    assert app.builder.read() == ["uses_other"]


def touch(path: Path) -> None:
    """Give ``path`` a modification time later than any page's last read."""
    time.sleep(0.01)
    os.utime(path)


def test_edited_scores_show_in_the_next_build(make_app, copy_project) -> None:
    app = make_app("html", srcdir=copy_project("incremental"))
    app.build()
    before = figures((app.outdir / "uses_other.html").read_text(encoding="utf-8"))[0]
    scores = app.srcdir / "other.scores"
    scores.write_text(scores.read_text().replace("0.2669704988390519", "0.0"))
    touch(scores)
    app.build()
    after = figures((app.outdir / "uses_other.html").read_text(encoding="utf-8"))[0]
    assert before.spans[6].attrs["title"] == "0.2670" and after.spans[6].attrs["title"] == "0.000"
    assert figures((app.outdir / "uses_sample.html").read_text(encoding="utf-8"))[0].html == before.html
