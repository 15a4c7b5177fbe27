"""The benchmark script runs (at tiny sizes, so that it cannot rot), and enabling the
extension without using it does not import matplotlib."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from pages import ROOTS

BENCH = ROOTS.parent.parent / "benchmarks" / "bench.py"


def test_benchmark_smoke_run_prints_the_table() -> None:
    run = subprocess.run([sys.executable, str(BENCH), "--smoke"], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "| measure | size | ours | reference | ratio | target | met |"
    measures = {line.split(" | ")[0].lstrip("| ") for line in lines[2:]}
    assert {"core: colour + render", "command line: wall time", "command line: peak RSS"} <= measures
    assert {"page bytes/token (raw)", "page bytes/token (gzip)", "sphinx: full build vs raw html"} <= measures
    assert any("(1 page re-read)" in line for line in lines)
    assert any("matplotlib imported: False" in line for line in lines)
    images = ("SVG, token view", "PNG, token view", "PDF, token view", "PNG, matrix view")
    assert {f"image export: {image}, vs matplotlib plain texts" for image in images} <= measures


def test_an_unused_extension_does_not_import_matplotlib(tmp_path: Path) -> None:
    (tmp_path / "conf.py").write_text('extensions = ["sphinxcontrib_attnviz"]\n')
    (tmp_path / "index.rst").write_text("Title\n=====\n\nNo visualisation.\n")
    code = (
        "import sys; from sphinx.cmd.build import build_main; "
        f"status = build_main(['-q', '-b', 'html', {str(tmp_path)!r}, {str(tmp_path / 'out')!r}]); "
        "print(status, 'matplotlib' in sys.modules, 'sphinxcontrib_attnviz' in sys.modules)"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.split() == ["0", "False", "True"]
