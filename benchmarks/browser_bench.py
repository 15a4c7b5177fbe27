"""A page in Chromium: load time, relayout time and memory, ours against plain text.

Each page is written to a file and loaded from its ``file://`` URL (the closest to opening a
real page), in a fresh browser context each time, so that every load starts a new renderer
process with nothing cached. The pages take turns, so both see the same machine; the best
of the runs is kept. Chromium is Debian's, launched by ``scripts/browser.py`` (never
``playwright install``).

* load: from navigation start (``performance.now()`` counts from it) to two animation
  frames after the load event, i.e. once the page's first frame after loading is drawn;
* relayout: the forced synchronous layout after the page narrows from 1280 to 800 px,
  timed inside the page;
* memory, after a garbage collection: the renderer process's resident memory (``VmRSS``,
  and ``RssAnon + VmSwap``, what Chrome's task manager calls its memory footprint), the
  JavaScript heap in use (the DevTools protocol's ``Performance.getMetrics``) and the
  number of elements in the document.
"""

from __future__ import annotations

import html
import json
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

from browser import CHROMIUM, launch

from sphinxcontrib_attnviz.pages import html_page

WIDE = {"width": 1280, "height": 800}
NARROW_WIDTH = 800
#: Generous: a page of 100,000 tokens can take many seconds on a slow machine.
TIMEOUT_MS = 600_000
MIB = 1024 * 1024

#: Runs before the page's own content: two animation frames after the load event, the
#: first frame after loading has been drawn; note the time since navigation start.
MARK_FIRST_FRAME = """
addEventListener("load", () => requestAnimationFrame(() => requestAnimationFrame(() => {
    window.attnvizFirstFrame = performance.now();
})));
"""

#: Narrows the page as a 800 px wide window would (the root element is what the viewport
#: sizes), then reads a layout figure: a forced synchronous relayout, timed in the page.
RELAYOUT = """
(width) => {
    const body = document.body;
    const before = body.getBoundingClientRect().width;  // layout is clean before the clock starts
    const start = performance.now();
    document.documentElement.style.width = `${width}px`;
    void body.offsetHeight;
    const elapsed = performance.now() - start;
    return {elapsed, before, after: body.getBoundingClientRect().width};
}
"""


@dataclass(frozen=True)
class PageFigures:
    """What Chromium measured for one page."""

    load: float
    """Seconds from navigation start to the first frame drawn after the load event."""
    relayout: float
    """Seconds of the forced relayout after the page narrows from 1280 to 800 px."""
    rss: float | None
    """The renderer process's resident memory, MiB (None where it could not be read)."""
    private: float | None
    """The renderer's own memory (``RssAnon + VmSwap``), MiB (None where it could not be read)."""
    js_heap: float
    """The JavaScript heap in use, MiB."""
    elements: int
    """Elements in the document."""


def plain_page(tokens: Sequence[str]) -> str:
    """The same words as a plain-text page: the command line's page skeleton, one paragraph, no spans."""
    return "".join(html_page([f"<p>{html.escape(' '.join(tokens))}</p>"], "Token scores"))


def unavailable() -> str | None:
    """Why Chromium cannot be driven here, or None when it can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    return None


def measure_pages(pages: Mapping[str, str], repeats: int) -> dict[str, PageFigures]:
    """Each of ``pages`` (name: HTML) loaded ``repeats`` times, taking turns after one load each
    to warm up; the best of each figure."""
    from playwright.sync_api import sync_playwright

    runs: dict[str, list[PageFigures]] = {name: [] for name in pages}
    with tempfile.TemporaryDirectory(prefix="attnviz-browser-") as folder, sync_playwright() as playwright:
        urls = {}
        for name, text in pages.items():
            path = Path(folder) / f"{name}.html"
            path.write_text(text, encoding="utf-8")
            urls[name] = path.as_uri()
        browser = launch(playwright)
        try:
            for url in urls.values():  # warm-up, not counted: the browser's first page, a cold file cache
                measure_once(browser, url)
            for _ in range(repeats):
                for name, url in urls.items():
                    runs[name].append(measure_once(browser, url))
        finally:
            browser.close()
    return {name: best(figures) for name, figures in runs.items()}


def measure_once(browser: Any, url: str) -> PageFigures:
    """One load of ``url`` in a fresh browser context: its time, its memory after a garbage
    collection, then its relayout."""
    context = browser.new_context(viewport=WIDE)
    try:
        context.add_init_script(MARK_FIRST_FRAME)
        page = context.new_page()
        page.goto(url, wait_until="load", timeout=TIMEOUT_MS)
        page.wait_for_function("window.attnvizFirstFrame !== undefined", timeout=TIMEOUT_MS)
        load = page.evaluate("window.attnvizFirstFrame") / 1000
        pid = renderer_pid(browser, page)
        js_heap = js_heap_after_garbage_collection(context, page)
        rss, private = process_memory(pid)
        elements = page.evaluate("document.getElementsByTagName('*').length")
        relayout = page.evaluate(RELAYOUT, NARROW_WIDTH)
        if relayout["before"] == relayout["after"]:
            raise RuntimeError(f"narrowing the page to {NARROW_WIDTH} px did not change its body's width: {url}")
        return PageFigures(load, relayout["elapsed"] / 1000, rss, private, js_heap, elements)
    finally:
        context.close()


def renderer_pid(browser: Any, page: Any) -> int | None:
    """The id of the renderer process showing ``page``, as a trace's first event names it."""
    browser.start_tracing(page=page, categories=["disabled-by-default-devtools.timeline"])
    trace = json.loads(browser.stop_tracing())
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    for event in events:
        if event.get("name") == "TracingStartedInBrowser":
            for frame in event["args"]["data"]["frames"]:
                if frame.get("isOutermostMainFrame") and frame.get("url") == page.url:
                    return int(frame["processId"])
    return None


def process_memory(pid: int | None) -> tuple[float | None, float | None]:
    """A process's resident memory and its own part of it (``RssAnon + VmSwap``), MiB, from /proc."""
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines() if pid is not None else []
    except OSError:
        lines = []
    fields = {
        name: float(value.split()[0]) / 1024
        for name, _, value in (line.partition(":") for line in lines)
        if value.strip().endswith("kB")
    }
    if "VmRSS" not in fields:
        return None, None
    return fields["VmRSS"], fields.get("RssAnon", 0.0) + fields.get("VmSwap", 0.0)


def js_heap_after_garbage_collection(context: Any, page: Any) -> float:
    """Collects the page's garbage (the JavaScript heap's and the DOM's), then its JavaScript heap in use, MiB."""
    session = context.new_cdp_session(page)
    try:
        session.send("HeapProfiler.collectGarbage")
        session.send("Performance.enable")
        metrics = {metric["name"]: metric["value"] for metric in session.send("Performance.getMetrics")["metrics"]}
    finally:
        session.detach()
    return metrics["JSHeapUsedSize"] / MIB


def best(runs: Sequence[PageFigures]) -> PageFigures:
    """The least of each figure over ``runs`` (the least disturbed by the machine)."""

    def least(values: list[float | None]) -> float | None:
        known = [value for value in values if value is not None]
        return min(known) if known else None

    return PageFigures(
        load=min(run.load for run in runs),
        relayout=min(run.relayout for run in runs),
        rss=least([run.rss for run in runs]),
        private=least([run.private for run in runs]),
        js_heap=min(run.js_heap for run in runs),
        elements=min(run.elements for run in runs),
    )
