"""Text as LaTeX source that typesets it verbatim and always compiles.

:func:`escape_latex` turns any string (tokens from tokenizers: CJK, emoji, U+2581, ...)
into LaTeX for one of the engines in :data:`ENGINES`:

* LaTeX's special characters are escaped (:data:`SPECIALS`).
* TeX's ligatures are broken, so ``--`` stays two hyphens, ``,,`` two commas
  (:data:`LIGATURE_PAIRS`, :data:`LIGATURE_BREAK`).
* The project's stand-ins for whitespace and controls become LaTeX that every engine
  typesets with its default fonts (:data:`STAND_INS`).
* Under pdflatex, a character that pdflatex cannot typeset in a UTF-8 document with the
  given font encodings (:data:`DEFAULT_ENCODINGS`: T1, TS1, OT1 and OMS; a Sphinx project
  may add Greek LGR and Cyrillic T2A or X2, read from its ``fontenc`` by
  :func:`fontenc_encodings`) is written as a visible code-point marker, ``[U+2581]`` in
  typewriter (a run of them in one ``\\texttt``: :func:`codepoint_marker`), and reported,
  so the caller can warn once per figure. The characters of each encoding are in
  :mod:`.pdflatex_chars`, generated from TeX Live's files by ``scripts/latex_charset.py``.
  Under xelatex and lualatex (:data:`UNICODE_ENGINES`) the characters are kept; whether
  they show depends on the document's fonts.
* Characters that must never reach a LaTeX file raw (:func:`is_never_raw`: controls,
  line/paragraph separators, surrogates, noncharacters) are markers under every engine.

No Sphinx import: the Sphinx, CLI and API fronts all use this.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from typing import NamedTuple

from ..display import NEEDS_STAND_IN
from . import pdflatex_chars

#: The engines Sphinx's ``latex_engine`` names.
ENGINES = ("pdflatex", "xelatex", "lualatex", "platex", "uplatex")
#: Engines that read UTF-8 into Unicode characters and typeset any their fonts have.
#: pdflatex (and, untested, platex: JIS-based pTeX) get the :mod:`.pdflatex_chars` table.
UNICODE_ENGINES = ("xelatex", "lualatex", "uplatex")

#: LaTeX's special characters (the ten of the LaTeX manual: backslash, braces, dollar,
#: ampersand, hash, caret, underscore, percent, tilde) and the ASCII characters that fonts
#: or TeX would not show as typed: less/greater and bar (OT1 fonts put other glyphs
#: there), the double quote, apostrophe and backquote (curly in text fonts, and under
#: fontspec's Ligatures=TeX: XeTeX's ``tex-text.map``). Each command is the LaTeX kernel's
#: (``\textquotesingle`` and ``\textasciigrave`` are TS1, in the kernel since 2020). The
#: trailing ``{}`` ends the command name without eating a following space. The same table
#: as ``render/latex.py`` had.
SPECIALS: dict[str, str] = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"\textquotedbl{}",
    "'": r"\textquotesingle{}",
    "`": r"\textasciigrave{}",
}

#: What breaks a ligature in every engine. ``{}`` is not enough: it works in pdfTeX and
#: XeTeX, but LuaTeX forms ligatures on the finished node list, where an empty group leaves
#: nothing (``-{}-`` is an en dash there); a kern node stops them in all three (the same
#: ``-\kern0pt`` as Sphinx's ``\sphinxhyphen``). The ``{}`` ends the dimension.
LIGATURE_BREAK = r"\kern0pt{}"

#: Which ligature a character takes part in: the glyph it is in a T1 font. Under pdflatex
#: the UTF-8 input U+2010 HYPHEN is ``-``, U+2018/U+2019 are the backquote/apostrophe
#: glyphs and U+2013 the en dash (``t1enc.dfu``), so two U+2018 typeset as one U+201C,
#: like two backquotes, and U+2013 then ``-`` as an em dash.
_LIGATURE_CLASS: dict[str, str] = {
    "-": "-",
    "\u2010": "-",
    "\u2013": "\u2013",
    "`": "`",
    "\u2018": "`",
    "'": "'",
    "\u2019": "'",
    ",": ",",
    "<": "<",
    ">": ">",
    "!": "!",
    "?": "?",
}

#: Pairs of ligature classes that TeX joins into one glyph, found in
#: * the T1 fonts' ligature tables (``tftopl`` of ``ecrm1000.tfm``, ``ectt1000.tfm``,
#:   ``ec-qtmr.tfm``, ``ec-qhvr.tfm``, ``t1xtt.tfm``, ``ec-lmr10.tfm``): two hyphens an en
#:   dash, en dash and hyphen an em dash (so three hyphens), two backquotes or two
#:   apostrophes double quotes, two commas a low quote, two less/greater signs guillemets,
#:   ``!`` or ``?`` and a backquote the inverted marks;
#: * fontspec's ``Ligatures=TeX`` (XeTeX's ``tex-text.map``, luaotfload's ``tlig``): the
#:   same pairs (``---`` as ``--`` ``-``).
#: Letter ligatures (fi, ffl) are kept: they show the same letters.
LIGATURE_PAIRS: frozenset[tuple[str, str]] = frozenset(
    {("-", "-"), ("\u2013", "-"), ("`", "`"), ("'", "'"), (",", ","), ("<", "<"), (">", ">"), ("!", "`"), ("?", "`")}
)

#: Abbreviations of the characters the Control Pictures U+2400-U+2421 stand for:
#: U+0000-U+001F, then SP (U+0020) and DEL (U+007F). They are ASCII's (ECMA-6) control
#: mnemonics, which the pictures' reference glyphs show, and Unicode's abbreviation
#: aliases (NameAliases.txt: ``unicodedata.lookup("ESC") == "\x1b"``), except that
#: Unicode spells U+0019 EOM where ASCII and the picture U+2419 have EM.
CONTROL_ABBREVIATIONS: tuple[str, ...] = (
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "HT", "LF", "VT", "FF", "CR", "SO", "SI",
    "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
    "SP", "DEL",
)  # fmt: skip

#: The stand-ins the project draws for whitespace and controls, as LaTeX that pdflatex,
#: xelatex and lualatex typeset with their default fonts: the visible space of the LaTeX
#: kernel (``utf8.def`` maps U+2423 to it), two math symbols of plain TeX/LaTeX's
#: ``fontmath``, and the Control Pictures as small typewriter abbreviations (most text
#: fonts, T1 ones all, have no glyphs for U+2400-U+2421).
STAND_INS: dict[str, str] = {
    "\u2423": r"\textvisiblespace{}",
    "\u21b5": r"\ensuremath{\hookleftarrow}",
    "\u2205": r"\ensuremath{\emptyset}",
    **{chr(0x2400 + i): f"{{\\ttfamily\\footnotesize {name}}}" for i, name in enumerate(CONTROL_ABBREVIATIONS)},
}

#: The font encodings of a default pdflatex document (``\\usepackage[T1]{fontenc}``, as
#: the CLI's ``pages.latex_document`` and Sphinx's default ``latex_elements['fontenc']``)
#: that have a table in :mod:`.pdflatex_chars`: T1, TS1 (textcomp, in the kernel since
#: 2020), OT1 and OMS (the format's). OML, OMX and U are loaded too but map no characters.
DEFAULT_ENCODINGS: frozenset[str] = frozenset(pdflatex_chars.DEFAULT_ENCODINGS)

#: Every font encoding with a table: :data:`DEFAULT_ENCODINGS` and those a Sphinx project may
#: add with its ``fontenc`` (LGR, T2A, X2; see :func:`fontenc_encodings`).
PDFLATEX_ENCODINGS: frozenset[str] = frozenset(pdflatex_chars.ENCODING_RANGES)


def _chars(ranges: Iterable[tuple[int, int]]) -> frozenset[str]:
    return frozenset(chr(code) for low, high in ranges for code in range(low, high + 1))


@functools.cache
def _pdflatex_charset(encodings: frozenset[str]) -> frozenset[str]:
    unknown = encodings - PDFLATEX_ENCODINGS
    if unknown:
        raise ValueError(
            f"no character table for font encoding {', '.join(sorted(unknown))}: "
            f"expected some of {', '.join(sorted(PDFLATEX_ENCODINGS))}"
        )
    superseded = {name for name, by in pdflatex_chars.SUPERSEDED.items() if by in encodings}
    tables = [pdflatex_chars.ENCODING_RANGES[name] for name in sorted(encodings - superseded)]
    return _chars(pdflatex_chars.BASE_RANGES).union(*map(_chars, tables))


def pdflatex_charset(encodings: Iterable[str] = DEFAULT_ENCODINGS) -> frozenset[str]:
    """Every character pdflatex typesets in a document with these font encodings.

    The union of :mod:`.pdflatex_chars`'s base table (printable ASCII, ``utf8.def``'s own)
    and the tables of ``encodings`` (names from :data:`PDFLATEX_ENCODINGS`; anything else is
    a :class:`ValueError`), cached per set of encodings. No defaults are added: use
    :func:`fontenc_encodings` for a document's whole set. T2A's table is not used when X2
    is in the set (``pdflatex_chars.SUPERSEDED``: Sphinx's ``sphinxpackagecyrillic``
    declares X2's letters then). The tables hold for running text in T1 with Sphinx's
    text-symbol packages for the added encodings (``textalpha``, ``sphinxpackagecyrillic``);
    a document whose text is in another encoding (OT1 without fontenc, T2A as the last
    ``fontenc`` option or through babel for a Cyrillic language) lacks some T1 letters.
    """
    if isinstance(encodings, str):  # frozenset("T1") would be {"T", "1"}
        raise TypeError(f"encodings must be a set of names, not the string {encodings!r}")
    return _pdflatex_charset(frozenset(encodings))


#: Every character pdflatex typesets in a default document (:data:`DEFAULT_ENCODINGS`).
PDFLATEX_CHARS: frozenset[str] = pdflatex_charset(DEFAULT_ENCODINGS)

#: ``\\usepackage[options]{packages}`` (or ``\\RequirePackage``), as in a LaTeX preamble.
_USEPACKAGE = re.compile(r"\\(?:usepackage|RequirePackage)\s*\[([^\]]*)\]\s*\{([^}]*)\}")


def fontenc_encodings(fontenc: str) -> frozenset[str]:
    """The font encodings with a table in a document whose preamble has ``fontenc``.

    ``fontenc`` is LaTeX source such as Sphinx's ``latex_elements['fontenc']`` (the LaTeX
    builder's ``context['fontenc']``), e.g. ``\\usepackage[LGR,X2,T1]{fontenc}``: the options
    of every ``\\usepackage[...]{fontenc}`` in it (``%`` comments skipped) that name a
    table (:data:`PDFLATEX_ENCODINGS`, case as in LaTeX: LGR, T2A, X2), with
    :data:`DEFAULT_ENCODINGS`, which every pdflatex document has: OT1 and T1 in LaTeX's
    format, TS1 through textcomp (in the kernel since 2020), OMS. Other encodings (T2B, LY1,
    a misspelt name) are ignored, as is anything else (``\\usepackage{fontspec}`` for xelatex
    leaves the defaults).

    Sphinx's documents load ``textalpha`` with LGR and its ``sphinxpackagecyrillic`` with X2
    or T2A (``sphinx/builders/latex/__init__.py``, ``init_multilingual``), which let Greek
    and Cyrillic be typed in T1 text; the tables assume them (see :func:`pdflatex_charset`).
    """
    found = set(DEFAULT_ENCODINGS)
    source = "\n".join(re.sub(r"(?<!\\)%.*", "", line) for line in fontenc.splitlines())
    for options, packages in _USEPACKAGE.findall(source):
        if "fontenc" in (package.strip() for package in packages.split(",")):
            found.update(name for option in options.split(",") if (name := option.strip()) in PDFLATEX_ENCODINGS)
    return frozenset(found)


#: U+FFFD, which byte-level tokens that make no character decode to.
REPLACEMENT_CHARACTER = "\ufffd"


class EscapedLatex(NamedTuple):
    """The result of :func:`escape_latex`; unpacks as ``source, unsupported``."""

    #: LaTeX source that typesets the text verbatim.
    source: str
    #: The characters written as code-point markers: ones the engine cannot typeset
    #: (pdflatex) or that must never be written raw (any engine). Empty if none.
    unsupported: frozenset[str]


def is_never_raw(char: str) -> bool:
    """Whether ``char`` must never be written raw into a LaTeX file, under any engine:
    the characters the display model shows by stand-ins (:data:`..display.NEEDS_STAND_IN`:
    C0 and C1 controls and DEL, which TeX reads as ``^^@``... or a line end; LINE and
    PARAGRAPH SEPARATOR; bidirectional controls; surrogates, which UTF-8 cannot encode;
    noncharacters, Unicode's chapter 23.7)."""
    return NEEDS_STAND_IN.fullmatch(char) is not None


def codepoint_marker(chars: str) -> str:
    """The visible stand-in for characters that cannot be written: ``[U+2581]`` each, in typewriter."""
    return "\\texttt{" + "".join(f"[U+{ord(char):04X}]" for char in chars) + "}"


def pdflatex_supports(char: str, encodings: Iterable[str] = DEFAULT_ENCODINGS) -> bool:
    """Whether pdflatex typesets ``char`` in a UTF-8 document with these font encodings
    (:func:`pdflatex_charset`), or it is a stand-in."""
    return char in STAND_INS or char in pdflatex_charset(encodings)


def escape_latex(text: str, engine: str = "pdflatex", encodings: frozenset[str] = DEFAULT_ENCODINGS) -> EscapedLatex:
    """``text`` as LaTeX that typesets it verbatim under ``engine``, and what was unsupported.

    ``engine`` is one of :data:`ENGINES`. ``encodings`` are the document's font encodings,
    which decide what pdflatex (and platex) can typeset (:func:`pdflatex_charset`): the
    default T1 document's, or :func:`fontenc_encodings` of a Sphinx project's ``fontenc``
    (with ``\\usepackage[LGR,X2,T1]{fontenc}``, Greek and Cyrillic are kept). Under pdflatex
    the text is first put in Unicode's composed form (NFC: ``e`` + U+0301 becomes ``é``,
    which pdflatex has; canonically equivalent text looks the same). Spaces after the first
    of a run are control spaces (``\\ ``), as TeX would fold a run into one.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown LaTeX engine {engine!r}: expected one of {', '.join(ENGINES)}")
    pdflatex = engine not in UNICODE_ENGINES
    supported = pdflatex_charset(encodings)  # also checks the names under every engine
    if pdflatex:
        text = unicodedata.normalize("NFC", text)
    parts: list[str] = []
    marked: list[str] = []  # a run of characters written as one marker
    unsupported: set[str] = set()
    previous = ""
    for char in text:
        if is_never_raw(char) or (pdflatex and char not in supported and char not in STAND_INS):
            marked.append(char)
            unsupported.add(char)
            previous = char
            continue
        if marked:
            parts.append(codepoint_marker("".join(marked)))
            marked.clear()
        if (_LIGATURE_CLASS.get(previous), _LIGATURE_CLASS.get(char)) in LIGATURE_PAIRS:
            parts.append(LIGATURE_BREAK)
        if char in SPECIALS:
            parts.append(SPECIALS[char])
        elif char == " ":
            parts.append("\\ " if previous == " " else " ")
        elif char in STAND_INS:
            parts.append(STAND_INS[char])
        elif char == REPLACEMENT_CHARACTER:  # LuaTeX reads a raw U+FFFD as invalid input
            parts.append('\\char"FFFD{}')
        else:
            parts.append(char)
        previous = char
    if marked:
        parts.append(codepoint_marker("".join(marked)))
    return EscapedLatex("".join(parts), frozenset(unsupported))
