"""Whole documents around a fragment, for the command line and notebooks: a
self-contained HTML page (styles inline, nothing fetched) and a LaTeX document."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from functools import cache
from importlib.resources import files

from .render.html import escape_text


@cache
def stylesheet() -> str:
    """The package's CSS, the same file Sphinx builds link to."""
    return files(__package__).joinpath("static", "attnviz.css").read_text(encoding="utf-8")


def html_page(fragment: Iterable[str], title: str) -> Iterator[str]:
    """A complete UTF-8 HTML page showing ``fragment`` (given in pieces), with no external
    resource, in pieces: a long page is written out without being held whole. The page
    follows the reader's light or dark preference (``color-scheme``), and so do the
    figures' colours (``body.attnviz-auto``)."""
    yield (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f"<title>{escape_text(title)}</title>\n"
        "<style>\nbody { font-family: system-ui, sans-serif; max-width: 50em; margin: 2em auto; padding: 0 1em; }\n"
        f'{stylesheet()}</style>\n</head>\n<body class="attnviz-auto">\n<main>\n<h1>{escape_text(title)}</h1>\n'
    )
    yield from fragment
    yield "\n</main>\n</body>\n</html>\n"


#: The font the Unicode engines' documents use where the machine has it: Latin, Greek,
#: Cyrillic, symbols, block elements and black-and-white emoji (Debian: fonts-dejavu-core).
MAIN_FONT = "DejaVu Sans"
#: Fonts for CJK characters, first found first used (Debian: fonts-noto-cjk, fonts-droid-fallback,
#: fonts-wqy-microhei).
CJK_FONTS = ("Noto Sans CJK SC", "Droid Sans Fallback", "WenQuanYi Micro Hei")

_PDFLATEX_FONTS = "\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
_MAIN_FONT = f"\\IfFontExistsTF{{{MAIN_FONT}}}{{\\setmainfont{{{MAIN_FONT}}}}}{{}}\n"
#: xelatex: ucharclasses switches to the first CJK font the machine has for CJK characters.
_XELATEX_CJK = (
    "\\let\\attnvizcjk\\relax\n"
    + "".join(
        f"\\IfFontExistsTF{{{font}}}{{\\newfontfamily\\attnvizcjk{{{font}}}}}{{}}\n" for font in reversed(CJK_FONTS)
    )
    + "\\usepackage{ucharclasses}\n\\setTransitionsForCJK{\\attnvizcjk}{\\normalfont}\n"
)
#: lualatex: luaotfload falls back on the CJK fonts the machine has (a missing one would stop it).
_LUALATEX_FALLBACK = (
    "\\def\\attnvizfallback{}\n"
    + "".join(
        f'\\IfFontExistsTF{{{font}}}{{\\edef\\attnvizfallback{{\\attnvizfallback"{font}:mode=harf;",}}}}{{}}\n'
        for font in CJK_FONTS
    )
    + '\\directlua{luaotfload.add_fallback("attnviz", {\\attnvizfallback})}\n'
    + f"\\IfFontExistsTF{{{MAIN_FONT}}}{{\\setmainfont{{{MAIN_FONT}}}[RawFeature={{fallback=attnviz}}]}}{{}}\n"
)


#: The engines :func:`latex_document` writes for.
DOCUMENT_ENGINES = ("pdflatex", "xelatex", "lualatex")


def latex_document(fragment: str, title: str, engine: str = "pdflatex") -> str:
    """A complete document showing ``fragment``, for ``engine`` (one of
    :data:`DOCUMENT_ENGINES`): pdflatex with T1 fonts and UTF-8 input; xelatex and
    lualatex with fontspec, :data:`MAIN_FONT` and a CJK font (:data:`CJK_FONTS`) where the
    machine has them."""
    from .render.latex_text import escape_latex  # LaTeX only: HTML pages need none of it

    if engine not in DOCUMENT_ENGINES:
        raise ValueError(f"no document for {engine!r}: use one of {', '.join(DOCUMENT_ENGINES)}")
    unicode_engine = engine != "pdflatex"
    if not unicode_engine:
        fonts = _PDFLATEX_FONTS
    elif engine == "lualatex":
        fonts = "\\usepackage{fontspec}\n" + _LUALATEX_FALLBACK
    else:
        fonts = "\\usepackage{fontspec}\n" + _MAIN_FONT + _XELATEX_CJK
    title_source = escape_latex(title, engine).source
    return (
        f"\\documentclass{{article}}\n{fonts}\\usepackage{{xcolor}}\n"
        f"\\begin{{document}}\n\\section*{{{title_source}}}\n{fragment}\\end{{document}}\n"
    )
