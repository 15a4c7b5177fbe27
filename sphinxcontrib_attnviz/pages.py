"""Whole documents around a fragment, for the command line and notebooks: a
self-contained HTML page (styles inline, nothing fetched) and a LaTeX document."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from importlib.resources import files

from .render.html import escape_text
from .render.latex_text import escape_latex


@cache
def stylesheet() -> str:
    """The package's CSS, the same file Sphinx builds link to."""
    return files(__package__).joinpath("static", "attnviz.css").read_text(encoding="utf-8")


def html_page(fragment: Iterable[str], title: str) -> Iterator[str]:
    """A complete UTF-8 HTML page showing ``fragment`` (given in pieces), with no external
    resource, in pieces: a long page is written out without being held whole."""
    yield (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape_text(title)}</title>\n"
        "<style>\nbody { font-family: system-ui, sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em; }\n"
        f"{stylesheet()}</style>\n</head>\n<body>\n<main>\n<h1>{escape_text(title)}</h1>\n"
    )
    yield from fragment
    yield "\n</main>\n</body>\n</html>\n"


def latex_document(fragment: str, title: str, engine: str = "pdflatex") -> str:
    """A complete document showing ``fragment``, for ``engine``: pdflatex (and pLaTeX)
    with T1 fonts and UTF-8 input; the Unicode engines with fontspec."""
    if engine in ("pdflatex", "platex"):
        fonts = "\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
    else:
        fonts = "\\usepackage{fontspec}\n"
    title_source = escape_latex(title, "pdflatex" if engine in ("pdflatex", "platex") else "xelatex").source
    return (
        f"\\documentclass{{article}}\n{fonts}\\usepackage{{xcolor}}\n"
        f"\\begin{{document}}\n\\section*{{{title_source}}}\n{fragment}\\end{{document}}\n"
    )
