"""Text as LaTeX source that typesets it verbatim and always compiles.

:func:`escape_latex` turns any string (tokens from tokenizers: CJK, emoji, U+2581, ...)
into LaTeX for one of the engines in :data:`ENGINES`:

* LaTeX's special characters are escaped (:data:`SPECIALS`).
* TeX's ligatures are broken, so ``--`` stays two hyphens, ``,,`` two commas
  (:data:`LIGATURE_PAIRS`, :data:`LIGATURE_BREAK`).
* The project's stand-ins for whitespace and controls become LaTeX that every engine
  typesets with its default fonts (:data:`STAND_INS`).
* Under pdflatex, a character that pdflatex cannot typeset in a T1 + TS1, UTF-8 document
  (:mod:`.pdflatex_chars`, generated from TeX Live's files by ``scripts/latex_charset.py``)
  is written as a visible code-point marker, ``[U+2581]`` in typewriter (a run of them
  in one ``\\texttt``: :func:`codepoint_marker`), and reported, so the caller can warn once per figure.
  Under xelatex and lualatex (:data:`UNICODE_ENGINES`) the characters are kept; whether
  they show depends on the document's fonts.
* Characters that must never reach a LaTeX file raw (:func:`is_never_raw`: controls,
  line/paragraph separators, surrogates, noncharacters) are markers under every engine.

No Sphinx import: the Sphinx, CLI and API fronts all use this.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

from .pdflatex_chars import PDFLATEX_CHAR_RANGES

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

#: Every character pdflatex typesets (see :mod:`.pdflatex_chars`).
PDFLATEX_CHARS: frozenset[str] = frozenset(
    chr(code) for low, high in PDFLATEX_CHAR_RANGES for code in range(low, high + 1)
)


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
    """Whether ``char`` must never be written raw into a LaTeX file, under any engine.

    C0 and C1 controls and DEL (category Cc: TeX reads ``^^@``... or end-of-line, or
    stops), LINE/PARAGRAPH SEPARATOR U+2028/U+2029 (line ends to some readers),
    surrogates (category Cs: not encodable in UTF-8), and noncharacters (U+FDD0-U+FDEF and
    every U+xxFFFE/U+xxFFFF, Unicode's chapter 23.7: not for interchange).
    """
    code = ord(char)
    return (
        unicodedata.category(char) in ("Cc", "Cs")
        or code in (0x2028, 0x2029)
        or 0xFDD0 <= code <= 0xFDEF
        or (code & 0xFFFE) == 0xFFFE
    )


def codepoint_marker(chars: str) -> str:
    """The visible stand-in for characters that cannot be written: ``[U+2581]`` each, in typewriter."""
    return "\\texttt{" + "".join(f"[U+{ord(char):04X}]" for char in chars) + "}"


def pdflatex_supports(char: str) -> bool:
    """Whether pdflatex typesets ``char`` in a T1 + TS1, UTF-8 document (or it is a stand-in)."""
    return char in STAND_INS or char in PDFLATEX_CHARS


def escape_latex(text: str, engine: str = "pdflatex") -> EscapedLatex:
    """``text`` as LaTeX that typesets it verbatim under ``engine``, and what was unsupported.

    ``engine`` is one of :data:`ENGINES`. Under pdflatex the text is first put in Unicode's
    composed form (NFC: ``e`` + U+0301 becomes ``é``, which pdflatex has; canonically
    equivalent text looks the same). Spaces after the first of a run are control spaces
    (``\\ ``), as TeX would fold a run into one.
    """
    if engine not in ENGINES:
        raise ValueError(f"unknown LaTeX engine {engine!r}: expected one of {', '.join(ENGINES)}")
    pdflatex = engine not in UNICODE_ENGINES
    if pdflatex:
        text = unicodedata.normalize("NFC", text)
    parts: list[str] = []
    marked: list[str] = []  # a run of characters written as one marker
    unsupported: set[str] = set()
    previous = ""
    for char in text:
        if is_never_raw(char) or (pdflatex and char not in PDFLATEX_CHARS and char not in STAND_INS):
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
