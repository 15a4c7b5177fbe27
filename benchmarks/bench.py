"""Benchmarks against the original script's way, each figure a ratio measured in the same run.

    make bench                                   # the full run (several minutes)
    .venv/bin/python benchmarks/bench.py --smoke  # tiny sizes: checks the script works

Prints one table: the core (colour + render) against a reference implementation of the
original per-token way; the whole command line against the reference script as processes
(wall time, peak RSS); an error on the last line of a long scores file against
``numpy.loadtxt`` reading it; page weight raw and gzip-compressed; a Sphinx project with the
extension against the same HTML pre-rendered into ``raw`` blocks, and an incremental
rebuild; start-up of a project that enables the extension without using it; image export
(SVG, PNG, PDF of 1,000 tokens, and a matrix) against matplotlib drawing the same texts
plainly, with an absolute target (at most 2 s each); the command line's page in Chromium
against a plain-text page of the same words (load, relayout, memory;
``benchmarks/browser_bench.py``), skipped with a line on stderr saying why where playwright
or Chromium is missing. Then the core against the CPython floor (``workloads.floor``) on
Zipf-distributed text and on all-distinct tokens; the per-token cost of the core and of the
command line at each size, ours, the original's and the peers'; and the peers (Captum,
inseq, SHAP: ``benchmarks/peers.py``, run in the bench venv ``.venv-bench`` that ``make
bench`` makes), each skipped with a line on stderr saying why where it cannot run.

    .venv/bin/python benchmarks/bench.py --browser-only  # only the browser rows (a minute or two)
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import datetime
import gzip
import json
import os
import platform
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import astuple, dataclass
from functools import partial
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from browser_bench import NARROW_WIDTH, WIDE, PageFigures, measure_pages, plain_page, unavailable  # noqa: E402
from reference_viz import reference_page  # noqa: E402
from workloads import distinct_text, floor, zipf_text  # noqa: E402

from sphinxcontrib_attnviz.api import AttentionViz  # noqa: E402
from sphinxcontrib_attnviz.data import ScoreRow, TokenScores  # noqa: E402
from sphinxcontrib_attnviz.pages import html_page  # noqa: E402
from sphinxcontrib_attnviz.render import format_scores  # noqa: E402
from sphinxcontrib_attnviz.render.html import iter_html, render_html  # noqa: E402
from sphinxcontrib_attnviz.render.matrix import column_headers, row_headers  # noqa: E402
from sphinxcontrib_attnviz.visualization import visualize  # noqa: E402

#: Series of the plot and the scaling rows: a name, then seconds at each size.
Series = dict[str, dict[int, float]]


@dataclass
class Row:
    """One line of the table."""

    measure: str
    size: str
    ours: str
    reference: str
    #: None where there is no ratio (a yes or no).
    ratio: float | None
    target: str
    met: bool


@dataclass
class Sizes:
    core: list[int]
    process: int
    pages: int
    figures: int
    tokens: int
    repeats: int
    browser: list[int]
    #: Lines of the long scores file whose last line is an error.
    big_file: int
    #: Tokens of the token view's images, and the side of the matrix view's.
    image_tokens: int
    matrix: int
    #: Sizes of the floor rows (targets at the last), the scaling rows and the peers'.
    floor: list[int]
    scaling: list[int]
    peers: list[int]


FULL = Sizes(
    core=[1_000, 10_000, 100_000, 1_000_000],
    process=1_000_000,
    pages=100,
    figures=10,
    tokens=200,
    repeats=3,
    browser=[10_000, 100_000],
    big_file=10_000_000,
    image_tokens=1_000,
    matrix=30,
    floor=[10_000, 100_000, 1_000_000],
    scaling=[1_000, 10_000, 100_000, 1_000_000],
    peers=[1_000, 10_000, 100_000],
)
SMOKE = Sizes(
    core=[100, 1_000],
    process=2_000,
    pages=3,
    figures=2,
    tokens=20,
    repeats=1,
    browser=[200],
    big_file=2_000,
    image_tokens=20,
    matrix=4,
    floor=[1_000],
    scaling=[100, 1_000],
    peers=[100],
)
#: The size at which the page weight and browser targets apply.
TARGET_SIZE = 100_000
#: The image export target: this many tokens, each format in at most this many seconds.
IMAGE_TARGET_TOKENS = 1_000
IMAGE_TARGET_SECONDS = 2.0
#: The floor rows' targets, at this size: ours at most this many times the floor.
FLOOR_TARGETS = {"Zipf text": 1.2, "all-distinct tokens": 1.5}
FLOOR_TARGET_SIZE = 1_000_000
#: The scaling rows' target applies at this size: the per-token cost at most 1.5x the size before's.
SCALING_TARGET_SIZE = 1_000_000
#: Full builds of each Sphinx project, taking turns (the best of each counts): on a shared
#: machine one build in a few can run a fifth slower.
SPHINX_REPEATS = 5
#: Runs of each one-page start-up project, taking turns (the best of each counts): a run is
#: about half a second, and a noisy machine shifts one by a tenth.
STARTUP_REPEATS = 15
#: The seed of the Zipf text of the scaling and the peer rows: the same tokens and scores at each size.
TEXT_SEED = 5
ROOT = HERE.parent
#: The bench venv's Python, where the peers are installed (``make bench`` makes it).
PEERS_PYTHON = ROOT / ".venv-bench" / "bin" / "python"


def random_text(count: int, seed: int = 0) -> tuple[list[str], list[float]]:
    """``count`` random words (from a vocabulary of 20,000) and random positive scores."""
    rng = random.Random(seed)
    vocabulary = ["".join(rng.choices("abcdefghijklmnopqrstuvwxyz", k=rng.randint(2, 9))) for _ in range(20_000)]
    return [rng.choice(vocabulary) for _ in range(count)], [rng.random() for _ in range(count)]


def best_time(function: Callable[[], object], repeats: int) -> float:
    """The fastest of ``repeats`` runs, in seconds (the least disturbed by the machine)."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def ours_fragment(tokens: list[str], scores: list[float]) -> str:
    """What the core does for the same input: the record, coloured, rendered."""
    return render_html(visualize(TokenScores(tuple(tokens), (ScoreRow(None, np.array(scores)),))))


def ours_page(tokens: list[str], scores: list[float]) -> str:
    """The command line's whole page (tooltips on) for the same input."""
    viz = visualize(TokenScores(tuple(tokens), (ScoreRow(None, np.array(scores)),)))
    return "".join(html_page(iter_html(viz), "Token scores"))


def core_rows(sizes: Sizes) -> tuple[list[Row], list[Row]]:
    """Colour + render time, and page weight, against the reference, at each size."""
    timing, weight = [], []
    for count in sizes.core:
        tokens, scores = random_text(count)
        repeats = sizes.repeats if count <= 100_000 else 1
        reference = best_time(partial(reference_page, tokens, scores), repeats)
        ours = best_time(partial(ours_fragment, tokens, scores), max(repeats, 3))
        target = "at least 100x" if count == 1_000_000 else ""
        timing.append(
            Row(
                "core: colour + render",
                f"{count:,}",
                seconds(ours),
                seconds(reference),
                reference / ours,
                target,
                count != 1_000_000 or reference / ours >= 100,
            )
        )
        page, original = ours_page(tokens, scores).encode(), reference_page(tokens, scores).encode()
        for kind, measure, most in (("raw", len, 1.0), ("gzip", lambda data: len(gzip.compress(data, 6)), 0.8)):
            ours_bytes, reference_bytes = measure(page) / count, measure(original) / count
            targeted = count == TARGET_SIZE
            weight.append(
                Row(
                    f"page bytes/token ({kind})",
                    f"{count:,}",
                    f"{ours_bytes:.1f}",
                    f"{reference_bytes:.1f}",
                    ours_bytes / reference_bytes,
                    f"at most {most:.1f}x the original" if targeted else "",
                    not targeted or ours_bytes <= most * reference_bytes,
                )
            )
    return timing, weight


#: Runs a command and prints its wall time and peak RSS. A fresh, small Python does the
#: measuring: a child forked from this (large) process would count its pages too.
MEASURE = """
import os, subprocess, sys, time
start = time.perf_counter()
process = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
_, status, usage = os.wait4(process.pid, 0)
print(time.perf_counter() - start, usage.ru_maxrss / 1024, status)
"""


#: The command line on the files ``text`` and ``score`` of its folder, and the reference
#: script on the same files.
OURS_COMMAND = [sys.executable, "-m", "sphinxcontrib_attnviz", "-o", "ours.html"]
REFERENCE_COMMAND = [sys.executable, str(HERE / "reference_viz.py")]


def taking_turns(runs: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    """The fewest seconds each of ``runs`` reported over ``rounds`` rounds, in each round
    every one run once in turn (so that each sees the machine as the others do)."""
    best = dict.fromkeys(runs, float("inf"))
    for _ in range(rounds):
        for name, run in runs.items():
            best[name] = min(best[name], run())
    return best


def run_process(
    command: list[str], cwd: Path, exit_code: int = 0, env: dict[str, str] | None = None
) -> tuple[float, float]:
    """Wall time (s) and peak RSS (MiB) of one process, its output discarded; a
    RuntimeError unless it exits with ``exit_code``. ``env``: the process's environment
    (default: this one's)."""
    printed = subprocess.run(
        [sys.executable, "-c", MEASURE, *command], cwd=cwd, capture_output=True, text=True, check=True, env=env
    )
    elapsed, rss, status = printed.stdout.split()
    if os.waitstatus_to_exitcode(int(status)) != exit_code:
        raise RuntimeError(f"{command} exited with status {status}, not {exit_code}")
    return float(elapsed), float(rss)


def process_rows(sizes: Sizes, folder: Path) -> list[Row]:
    """The command line against the reference script, as whole processes.

    The command line's figures are the best of ``repeats`` runs after one uncounted run, as
    a user's second run of it finds the machine (the colormap's tables in the user's cache
    folder, the files in the page cache); that first run, with a cache folder of the
    bench's own still empty (``XDG_CACHE_HOME``: Linux's and the BSDs' way), is a row of its
    own. The reference script runs once (about a minute).
    """
    tokens, scores = random_text(sizes.process, seed=1)
    (folder / "text").write_text("".join(f"{token}\n" for token in tokens), encoding="utf-8")
    (folder / "score").write_text("".join(f"{score!r}\n" for score in scores), encoding="utf-8")
    command = OURS_COMMAND
    cache = {**os.environ, "XDG_CACHE_HOME": str(folder / "cache")}  # empty: the first run fills it
    first_time, _ = run_process(command, folder, env=cache)
    runs = [run_process(command, folder, env=cache) for _ in range(sizes.repeats)]
    ours_time, ours_rss = min(time for time, _ in runs), max(rss for _, rss in runs)
    reference_time, reference_rss = run_process(REFERENCE_COMMAND, folder)
    size = f"{sizes.process:,}"
    return [
        Row(
            "command line: wall time",
            size,
            seconds(ours_time),
            seconds(reference_time),
            reference_time / ours_time,
            "at least 40x",
            reference_time / ours_time >= 40,
        ),
        Row(
            "command line: wall time, first run on a machine (no colour tables cached)",
            size,
            seconds(first_time),
            seconds(reference_time),
            reference_time / first_time,
            "",
            True,
        ),
        Row(
            "command line: peak RSS",
            size,
            f"{ours_rss:.0f} MiB",
            f"{reference_rss:.0f} MiB",
            reference_rss / ours_rss,
            "at most 150 MiB",
            ours_rss <= 150,
        ),
    ]


def floor_rows(sizes: Sizes) -> tuple[list[Row], Series]:
    """The core against the CPython floor (:func:`workloads.floor`, given the colours our
    core draws) on Zipf text and on all-distinct tokens, taking turns, the best of several
    runs each; the targets apply at 1,000,000 tokens. Returns the rows, and the floor's
    seconds at each size on Zipf text (for the plot)."""
    rows, series = [], {"CPython floor (Zipf text)": {}}
    for name, make in (("Zipf text", zipf_text), ("all-distinct tokens", distinct_text)):
        for count in sizes.floor:
            tokens, scores = make(count)
            data = TokenScores(tuple(tokens), (ScoreRow(None, np.array(scores)),))
            index = visualize(data).rows[0].colour_index.tolist()
            ours_best = floor_best = float("inf")
            for _ in range(sizes.repeats + 2):
                ours_best = min(ours_best, best_time(partial(ours_fragment, tokens, scores), 1))
                floor_best = min(floor_best, best_time(partial(floor, tokens, scores, index), 1))
            if name == "Zipf text":
                series["CPython floor (Zipf text)"][count] = floor_best
            most, targeted = FLOOR_TARGETS[name], count >= FLOOR_TARGET_SIZE
            rows.append(
                Row(
                    f"core vs the CPython floor: {name}",
                    f"{count:,}",
                    seconds(ours_best),
                    f"{seconds(floor_best)} (floor)",
                    ours_best / floor_best,
                    f"at most {most}x the floor" if targeted else "",
                    not targeted or ours_best <= most * floor_best,
                )
            )
    return rows, series


def nanoseconds(elapsed: float, count: int) -> str:
    """``elapsed`` seconds for ``count`` tokens, in nanoseconds per token."""
    return f"{elapsed * 1e9 / count:,.0f}"


def scaling_rows(sizes: Sizes, folder: Path, peers: Series) -> tuple[list[Row], Series]:
    """Per-token cost of the core and of the command line on Zipf text at each size, ours
    against the original's way (the peers' core figures in brackets, where measured): one
    line per size. Target, at the largest size: at most 1.5x the per-token cost at a tenth of
    it (a linear total cost). Returns the rows and the series for the plot."""
    series: Series = {"ours: core": {}, "original's way: core": {}, **peers}
    series.update({"ours: command line": {}, "original script: command line": {}})
    for count in sizes.scaling:
        tokens, scores = zipf_text(count, seed=TEXT_SEED)
        repeats = sizes.repeats if count <= 100_000 else 1
        series["ours: core"][count] = best_time(partial(ours_fragment, tokens, scores), max(repeats, 3))
        series["original's way: core"][count] = best_time(partial(reference_page, tokens, scores), repeats)
        (folder / "text").write_text("".join(f"{token}\n" for token in tokens), encoding="utf-8")
        (folder / "score").write_text("".join(f"{score!r}\n" for score in scores), encoding="utf-8")
        series["ours: command line"][count] = min(run_process(OURS_COMMAND, folder)[0] for _ in range(repeats))
        series["original script: command line"][count] = min(
            run_process(REFERENCE_COMMAND, folder)[0] for _ in range(repeats)
        )
    rows = []
    for kind, ours_name, original_name in (
        ("core", "ours: core", "original's way: core"),
        ("command line", "ours: command line", "original script: command line"),
    ):
        for position, count in enumerate(sizes.scaling):
            ours, original = series[ours_name][count], series[original_name][count]
            reference = f"{nanoseconds(original, count)} (original)"
            if kind == "core":
                measured = [
                    f"{name} {nanoseconds(points[count], count)}" for name, points in peers.items() if count in points
                ]
                reference += f" [{', '.join(measured)}]" if measured else ""
            previous = sizes.scaling[position - 1] if position else 0
            targeted = count >= SCALING_TARGET_SIZE and previous > 0
            rows.append(
                Row(
                    f"scaling: {kind}, ns/token",
                    f"{count:,}",
                    nanoseconds(ours, count),
                    reference,
                    original / ours,
                    f"at most 1.5x the ns/token at {previous:,}" if targeted else "",
                    not targeted or ours / count <= 1.5 * series[ours_name][previous] / previous,
                )
            )
    return rows, series


def peer_rows(sizes: Sizes, folder: Path, python: Path) -> tuple[list[Row], Series, dict[str, str]]:
    """The peers' HTML for the same Zipf text at each size (``benchmarks/peers.py``, run in
    the bench venv's ``python``): time, bytes per token raw and gzip, whether every token
    shows as it is, each against ours in the same process. Returns the rows, the peers'
    seconds at each size (for the scaling rows and the plot) and the versions used. A peer
    that cannot run is left out, with a line on stderr saying why; all of them where the
    bench venv is missing."""
    if not python.exists():
        print(f"peers skipped: no bench venv ({python} is missing; make bench makes it)", file=sys.stderr)
        return [], {}, {}
    texts = [dict(zip(("tokens", "scores"), zipf_text(count, seed=TEXT_SEED), strict=True)) for count in sizes.peers]
    (folder / "peer-texts.json").write_text(json.dumps(texts), encoding="utf-8")
    command = [str(python), str(HERE / "peers.py"), str(folder / "peer-texts.json"), "--repeats", str(sizes.repeats)]
    done = subprocess.run(command, capture_output=True, text=True)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        reason = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        print(f"peers skipped: benchmarks/peers.py failed in the bench venv: {reason}", file=sys.stderr)
        return [], {}, {}
    report = json.loads(lines[-1])
    for name, reason in report["skipped"].items():
        print(f"peer {name} skipped: {reason}", file=sys.stderr)
    results, series = report["results"], {}
    for result in results:
        series.setdefault(result["peer"], {})[result["size"]] = result["seconds"]
    rows = []
    for peer in series:
        mine = [result for result in results if result["peer"] == peer]
        for result in mine:
            rows.append(
                Row(
                    f"peer: {peer} HTML, time",
                    f"{result['size']:,}",
                    seconds(result["ours_seconds"]),
                    seconds(result["seconds"]),
                    result["seconds"] / result["ours_seconds"],
                    "",
                    True,
                )
            )
        for result in mine:
            count = result["size"]
            rows.append(
                Row(
                    f"peer: {peer} HTML, bytes/token raw, gzip",
                    f"{count:,}",
                    f"{result['ours_raw'] / count:.1f}, {result['ours_gzip'] / count:.1f}",
                    f"{result['raw'] / count:.1f}, {result['gzip'] / count:.1f}",
                    result["ours_raw"] / result["raw"],
                    "",
                    True,
                )
            )
        for result in mine:
            rows.append(
                Row(
                    f"peer: {peer} HTML, every token shown as it is",
                    f"{result['size']:,}",
                    result["ours_verbatim"],
                    result["verbatim"],
                    None,
                    "ours: yes",
                    result["ours_verbatim"] == "yes",
                )
            )
    return rows, series, report["versions"]


def big_file_rows(sizes: Sizes, folder: Path) -> list[Row]:
    """An error on the last line of a long scores file: the command line reports it (exit
    status 2) in time and memory close to ``numpy.loadtxt`` reading the same file."""
    rng = np.random.default_rng(2)
    lines = "\n".join(f"{score:.6f}" for score in rng.random(sizes.big_file - 1))
    (folder / "big.scores").write_text(f"{lines}\nnan\n", encoding="utf-8")
    (folder / "big.tokens").write_text("token\n" * sizes.big_file, encoding="utf-8")
    file_mib = (folder / "big.scores").stat().st_size / 2**20
    command = [sys.executable, "-m", "sphinxcontrib_attnviz", "--text_path", "big.tokens", "--score_path", "big.scores"]
    loadtxt = [sys.executable, "-c", "import sys, numpy; numpy.loadtxt(sys.argv[1])", "big.scores"]
    runs = [(run_process(command, folder, exit_code=2), run_process(loadtxt, folder)) for _ in range(sizes.repeats)]
    ours_time, reference_time = min(ours[0] for ours, _ in runs), min(reference[0] for _, reference in runs)
    ours_rss = max(ours[1] for ours, _ in runs)
    size = f"{sizes.big_file:,} lines, {file_mib:.0f} MiB"
    return [
        Row(
            "error on a long file's last line: time",
            size,
            seconds(ours_time),
            f"{seconds(reference_time)} (numpy.loadtxt)",
            ours_time / reference_time,
            "at most 1.5x numpy.loadtxt",
            ours_time <= 1.5 * reference_time,
        ),
        Row(
            "error on a long file's last line: peak RSS",
            size,
            f"{ours_rss:.0f} MiB",
            f"{file_mib:.0f} MiB (the file)",
            ours_rss / file_mib,
            "at most 2x the file",
            ours_rss <= 2 * file_mib,
        ),
    ]


@dataclass(frozen=True)
class SphinxProjects:
    """The same pages three ways: with the directive (each figure two data files named by
    ``:tokens:``/``:scores:``), with its HTML pre-rendered in ``raw`` blocks, and in ``raw``
    blocks with two option lines (``:class:``, ``:encoding:``), which docutils parses as it
    parses the directive's: every directive with options pays for that, ours included."""

    extension: Path
    raw: Path
    raw_with_options: Path


def write_sphinx_projects(sizes: Sizes, folder: Path) -> SphinxProjects:
    """:class:`SphinxProjects` in ``folder``."""
    projects = SphinxProjects(folder / "extension", folder / "raw", folder / "raw-with-options")
    for project in astuple(projects):
        (project / "data").mkdir(parents=True)
        extensions = '["sphinxcontrib_attnviz"]' if project == projects.extension else "[]"
        (project / "conf.py").write_text(f"extensions = {extensions}\n")
        toctree = "".join(f"   page{page:03}\n" for page in range(sizes.pages))
        (project / "index.rst").write_text(f"Benchmark\n=========\n\n.. toctree::\n\n{toctree}")
    for page in range(sizes.pages):
        pages: dict[Path, list[str]] = {project: [f"Page {page}\n========\n"] for project in astuple(projects)}
        for figure in range(sizes.figures):
            tokens, scores = random_text(sizes.tokens, seed=page * 1000 + figure)
            stem = f"data/p{page:03}f{figure:02}"
            (projects.extension / f"{stem}.tokens").write_text("".join(f"{t}\n" for t in tokens))
            (projects.extension / f"{stem}.scores").write_text("".join(f"{s!r}\n" for s in scores))
            fragment = ours_fragment(tokens, scores)
            pages[projects.extension].append(
                f"Figure {figure}.\n\n.. attention-viz::\n   :tokens: {stem}.tokens\n   :scores: {stem}.scores\n"
            )
            pages[projects.raw].append(f"Figure {figure}.\n\n.. raw:: html\n\n   {fragment}\n")
            pages[projects.raw_with_options].append(
                f"Figure {figure}.\n\n.. raw:: html\n   :class: figure\n   :encoding: utf-8\n\n   {fragment}\n"
            )
        for project, parts in pages.items():
            (project / f"page{page:03}.rst").write_text("\n".join(parts))
    return projects


def sphinx_build(project: Path, fresh: bool) -> tuple[float, str]:
    """Wall time of a ``sphinx-build -b html`` process, and what it printed."""
    command = [sys.executable, "-m", "sphinx", "-b", "html", str(project), str(project / "_build")]
    start = time.perf_counter()
    done = subprocess.run([*command, "-E"] if fresh else command, capture_output=True, text=True, check=True)
    return time.perf_counter() - start, done.stdout


def build_seconds(project: Path) -> float:
    """Wall time of a full (``-E``) ``sphinx-build -b html`` of ``project``."""
    return sphinx_build(project, fresh=True)[0]


def sphinx_rows(sizes: Sizes, folder: Path) -> list[Row]:
    """A full build with the extension against the raw-HTML builds (:class:`SphinxProjects`),
    then an incremental rebuild."""
    projects = write_sphinx_projects(sizes, folder)
    builds = {str(project): partial(build_seconds, project) for project in astuple(projects)}
    best = taking_turns(builds, SPHINX_REPEATS if sizes.repeats > 1 else 1)
    extension_time, raw_time, raw_options_time = best.values()
    with_extension = projects.extension
    touched = with_extension / "data" / "p000f00.scores"
    touched.write_text(touched.read_text())  # same content, new modification time
    rebuild_time, printed = sphinx_build(with_extension, fresh=False)
    changed = re.search(r"(\d+) added, (\d+) changed, (\d+) removed", printed)
    reread = sum(int(number) for number in changed.groups()) if changed else -1
    project = f"{sizes.pages} pages x {sizes.figures} x {sizes.tokens} tokens"
    return [
        Row(
            "sphinx: full build vs raw html",
            project,
            seconds(extension_time),
            seconds(raw_time),
            extension_time / raw_time,
            "at most 1.10x",
            extension_time / raw_time <= 1.10,
        ),
        Row(
            "sphinx: full build vs raw html with two option lines (docutils parses options as for ours)",
            project,
            seconds(extension_time),
            seconds(raw_options_time),
            extension_time / raw_options_time,
            "",
            True,
        ),
        Row(
            f"sphinx: rebuild after touching 1 data file ({reread} page re-read)",
            project,
            seconds(rebuild_time),
            seconds(extension_time),
            rebuild_time / extension_time,
            "1 page re-read",
            reread == 1,
        ),
    ]


def process_seconds(command: list[str]) -> float:
    """Wall time of one run of ``command``, its output discarded."""
    return best_time(partial(subprocess.run, command, check=True, capture_output=True), 1)


def startup_rows(sizes: Sizes, folder: Path) -> list[Row]:
    """sphinx-build of a one-page project with and without the (unused) extension."""
    checks, imported = {}, {}
    for name, extensions in (("with", '["sphinxcontrib_attnviz"]'), ("without", "[]")):
        project = folder / f"startup-{name}"
        project.mkdir()
        (project / "conf.py").write_text(f"extensions = {extensions}\n")
        (project / "index.rst").write_text("Start-up\n========\n\nNo visualisation here.\n")
        check = (
            "import sys; from sphinx.cmd.build import build_main; "
            f"build_main(['-q', '-E', '-b', 'html', {str(project)!r}, {str(project / '_build')!r}]); "
            "print('matplotlib' in sys.modules)"
        )
        checks[name] = check
        imported[name] = subprocess.run(
            [sys.executable, "-c", check], check=True, capture_output=True, text=True
        ).stdout.strip()
    runs = {name: partial(process_seconds, [sys.executable, "-c", check]) for name, check in checks.items()}
    timings = taking_turns(runs, STARTUP_REPEATS if sizes.repeats > 1 else 1)
    ratio = timings["with"] / timings["without"]
    return [
        Row(
            f"start-up, extension unused (matplotlib imported: {imported['with']})",
            "1 page",
            seconds(timings["with"]),
            seconds(timings["without"]),
            ratio,
            "at most 1.05x, no matplotlib",
            imported["with"] == "False" and ratio <= 1.05,
        )
    ]


def plain_texts_image(texts: list[str], path: Path, size: tuple[float, float]) -> None:
    """The image rows' reference: matplotlib drawing ``texts`` as plain figure texts (no
    boxes, no colours, the default font), 12 to a line, on a figure of ``size`` inches,
    saved with the same settings and dpi as ours."""
    import matplotlib
    from matplotlib.figure import Figure

    from sphinxcontrib_attnviz.render.image import DEFAULT_DPI, SETTINGS

    per_line = 12
    lines = -(-len(texts) // per_line)
    with matplotlib.rc_context(SETTINGS):
        figure = Figure(figsize=size)
        for index, text in enumerate(texts):
            line, column = divmod(index, per_line)
            figure.text(column / per_line, 1 - (line + 1) / (lines + 1), text, fontsize=10, parse_math=False)
        figure.savefig(path, dpi=DEFAULT_DPI)


def image_times(
    viz: AttentionViz, texts: list[str], folder: Path, image_format: str, repeats: int
) -> tuple[float, float]:
    """Seconds for ``viz.save`` to a file of ``image_format``, and for its reference
    (:func:`plain_texts_image` of ``texts`` at the figure's size): the best of ``repeats``
    runs each, taking turns, after one uncounted run of each (imports, font lookups)."""
    from sphinxcontrib_attnviz.render.image import draw_figure

    size = tuple(draw_figure(viz.visualization).get_size_inches())
    ours = partial(viz.save, folder / f"ours.{image_format}")
    reference = partial(plain_texts_image, texts, folder / f"reference.{image_format}", size)
    ours(), reference()
    ours_best = reference_best = float("inf")
    for _ in range(repeats):
        ours_best = min(ours_best, best_time(ours, 1))
        reference_best = min(reference_best, best_time(reference, 1))
    return ours_best, reference_best


def image_rows(sizes: Sizes, folder: Path) -> list[Row]:
    """``AttentionViz.save`` of random words with random scores as SVG, PNG and PDF (the
    token view; the issue's target: at most 2 s each at 1,000 tokens), and of a square
    attention matrix as PNG (the matrix view, for information), each against matplotlib
    drawing the same texts plainly (:func:`image_times`)."""
    count = sizes.image_tokens
    tokens, scores = random_text(count)
    viz = AttentionViz(tokens, scores)
    targeted = count == IMAGE_TARGET_TOKENS
    rows = []
    for image_format in ("svg", "png", "pdf"):
        ours, reference = image_times(viz, tokens, folder, image_format, sizes.repeats)
        rows.append(
            Row(
                f"image export: {image_format.upper()}, token view, vs matplotlib plain texts",
                f"{count:,}",
                seconds(ours),
                seconds(reference),
                ours / reference,
                f"at most {IMAGE_TARGET_SECONDS:g} s" if targeted else "",
                ours <= IMAGE_TARGET_SECONDS or not targeted,
            )
        )
    side = sizes.matrix
    rng = np.random.default_rng(3)
    words = random_text(side, seed=3)[0]
    matrix = AttentionViz(words, {f"q{row}": rng.random(side).tolist() for row in range(side)}, view="matrix")
    drawn = matrix.visualization
    texts = [
        *column_headers(drawn),
        *row_headers(drawn),
        *(score for row in drawn.rows for score in format_scores(row.scores)),
    ]
    ours, reference = image_times(matrix, texts, folder, "png", sizes.repeats)
    rows.append(
        Row(
            "image export: PNG, matrix view, vs matplotlib plain texts",
            f"{side} x {side}",
            seconds(ours),
            seconds(reference),
            ours / reference,
            "",
            True,
        )
    )
    return rows


def browser_rows(sizes: Sizes) -> list[Row]:
    """The command line's page in Chromium against a plain-text page of the same words: load,
    relayout and memory, at each size; none (and a line on stderr) where Chromium cannot run."""
    reason = unavailable()
    if reason:
        print(f"browser rows skipped: {reason}", file=sys.stderr)
        return []
    rows = []
    for count in sizes.browser:
        tokens, scores = random_text(count)
        figures = measure_pages({"ours": ours_page(tokens, scores), "plain": plain_page(tokens)}, sizes.repeats)
        rows += browser_comparison(count, figures["ours"], figures["plain"])
    return rows


def browser_comparison(count: int, ours: PageFigures, plain: PageFigures) -> list[Row]:
    """The rows for one size: targets apply at ``TARGET_SIZE`` tokens."""
    targeted = count == TARGET_SIZE

    def row(measure: str, ours_figure: str, plain_figure: str, ratio: float, target: str = "", met: bool = True) -> Row:
        return Row(
            f"browser: {measure} vs plain text",
            f"{count:,}",
            ours_figure,
            plain_figure,
            ratio,
            target if targeted else "",
            met or not targeted,
        )

    load, relayout = ours.load / plain.load, ours.relayout / plain.relayout
    rows = [
        row("load + first frame", seconds(ours.load), seconds(plain.load), load, "at most 5x plain text", load <= 5),
        row(
            f"relayout {WIDE['width']} -> {NARROW_WIDTH} px",
            seconds(ours.relayout),
            seconds(plain.relayout),
            relayout,
            "at most 5x plain text",
            relayout <= 5,
        ),
    ]
    if ours.rss is not None and plain.rss is not None:
        rows.append(
            row(
                "renderer memory (RSS)",
                f"{ours.rss:.0f} MiB ({ours.private:.0f} MiB own)",
                f"{plain.rss:.0f} MiB ({plain.private:.0f} MiB own)",
                ours.rss / plain.rss,
                "at most 200 MiB",
                ours.rss <= 200,
            )
        )
    else:
        print("browser: the renderer process's memory could not be read (no /proc entry)", file=sys.stderr)
    rows.append(
        row("JS heap used", f"{ours.js_heap:.1f} MiB", f"{plain.js_heap:.1f} MiB", ours.js_heap / plain.js_heap)
    )
    rows.append(row("DOM elements", f"{ours.elements:,}", f"{plain.elements:,}", ours.elements / plain.elements))
    return rows


def seconds(value: float) -> str:
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def ratio(row: Row) -> str:
    return "" if row.ratio is None else f"{row.ratio:.2f}x"


def print_table(rows: list[Row]) -> None:
    print("| measure | size | ours | reference | ratio | target | met |")
    print("|---|---|---|---|---|---|---|")
    for row in rows:
        met = "yes" if row.met else "NO"
        print(f"| {row.measure} | {row.size} | {row.ours} | {row.reference} | {ratio(row)} | {row.target} | {met} |")


def rst_table(rows: list[Row]) -> str:
    """The table as an rST list-table, for the docs' performance page."""
    lines = [".. list-table::", "   :header-rows: 1", ""]
    header = ["measure", "size", "ours", "reference", "ratio", "target", "met"]
    for cells in [
        header,
        *([r.measure, r.size, r.ours, r.reference, ratio(r), r.target, "yes" if r.met else "NO"] for r in rows),
    ]:
        lines.append(f"   * - {cells[0]}")
        lines.extend(f"     - {cell}" for cell in cells[1:])
    return "\n".join(lines) + "\n"


def machine(peer_versions: dict[str, str]) -> str:
    """One paragraph on the machine and the versions measured, for the docs' page."""
    import matplotlib
    import sphinx

    cpu, memory = "CPU model not reported", 0.0
    with contextlib.suppress(OSError):
        models = re.findall(r"^model name\s*:\s*(.+)$", Path("/proc/cpuinfo").read_text(), re.MULTILINE)
        cpu = models[0].strip() if models else cpu
    with contextlib.suppress(OSError, AttributeError):
        total = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.MULTILINE)
        memory = int(total.group(1)) / 2**20
    versions = [
        f"Python {platform.python_version()}",
        f"NumPy {np.__version__}",
        f"matplotlib {matplotlib.__version__}",
        f"Sphinx {sphinx.__version__}",
    ]
    chromium = shutil.which("chromium")
    if chromium:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            printed = subprocess.run([chromium, "--version"], capture_output=True, text=True, timeout=30).stdout
            versions.append(printed.strip().removesuffix(" built on Debian GNU/Linux").split(" built on ")[0])
    text = (
        f"Measured on {datetime.date.today().isoformat()} on a {platform.machine()} Linux machine with "
        f"{os.cpu_count()} cores ({cpu}) and {memory:.0f} GiB of memory; {', '.join(versions)}."
    )
    names = {"torch": "torch", "captum": "Captum", "inseq": "inseq", "shap": "SHAP", "numpy": "NumPy"}
    peers = [f"{label} {peer_versions[name]}" for name, label in names.items() if name in peer_versions]
    if peers:
        text += f" The peers, in the bench venv (Python {peer_versions.get('python', '?')}): {', '.join(peers)}."
    return text


#: How the plot draws each kind of series, and each subject's colour.
STYLES = {"core": "-", "command line": "--", "floor": ":"}
COLOURS = {
    "ours": "tab:blue",
    "original": "tab:orange",
    "Captum": "tab:green",
    "inseq": "tab:red",
    "SHAP": "tab:purple",
    "CPython": "tab:gray",
}


def plot(series: Series, path: Path) -> None:
    """Time per token against the number of tokens, log-log: the core and the command line,
    ours and the original's, the peers and the CPython floor, saved as a PNG at ``path``."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8, 5), layout="constrained")
    axes = figure.add_subplot()
    for name, points in series.items():
        if not points:
            continue
        counts = sorted(points)
        style = next((STYLES[kind] for kind in STYLES if kind in name), "-")
        colour = next((COLOURS[subject] for subject in COLOURS if name.startswith(subject)), None)
        per_token = [points[count] * 1e9 / count for count in counts]
        axes.loglog(counts, per_token, style, marker="o", color=colour, label=name, linewidth=1.5)
    axes.set_xlabel("tokens")
    axes.set_ylabel("time per token (ns)")
    axes.set_title("Time per token (log-log; flat = linear total cost)")
    axes.grid(True, which="major", alpha=0.4)
    axes.grid(True, which="minor", alpha=0.15)
    axes.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    figure.savefig(path, dpi=100, metadata={"Software": None})


def compile_package() -> None:
    """Write the package's bytecode, as installing it from a wheel does: run from the
    checkout (an editable install) where ``PYTHONDONTWRITEBYTECODE`` is set, every process
    the bench starts would compile every module it imports again."""
    compileall.compile_dir(ROOT / "sphinxcontrib_attnviz", quiet=1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, to check that the script runs")
    parser.add_argument("--rst", type=Path, help="also write the table as an rST list-table to this file")
    parser.add_argument("--browser-only", action="store_true", help="only the browser rows")
    parser.add_argument("--plot", type=Path, help="also draw time per token against size to this PNG file")
    parser.add_argument(
        "--peers-python", type=Path, default=PEERS_PYTHON, help=f"the bench venv's Python (default: {PEERS_PYTHON})"
    )
    args = parser.parse_args()
    sizes = SMOKE if args.smoke else FULL
    compile_package()
    folder = Path(tempfile.mkdtemp(prefix="attnviz-bench-"))
    series: Series = {}
    versions: dict[str, str] = {}
    try:
        if args.browser_only:
            rows = browser_rows(sizes)
        else:
            timing, weight = core_rows(sizes)
            rows = timing + process_rows(sizes, folder) + big_file_rows(sizes, folder) + weight
            floors, floor_series = floor_rows(sizes)
            peers, peer_series, versions = peer_rows(sizes, folder, args.peers_python)
            scaling, series = scaling_rows(sizes, folder, peer_series)
            series.update(floor_series)
            rows += floors + scaling + peers + sphinx_rows(sizes, folder)
            rows += startup_rows(sizes, folder) + image_rows(sizes, folder) + browser_rows(sizes)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_table(rows)
    described = machine(versions)
    print(f"\n{described}")
    if args.rst:
        args.rst.write_text(f"{described}\n\n{rst_table(rows)}", encoding="utf-8")
    if args.plot and series:
        plot(series, args.plot)
    return 0 if args.smoke or all(row.met for row in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
