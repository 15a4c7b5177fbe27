"""Write ``sphinxcontrib_attnviz/render/pdflatex_chars.py``: the characters pdflatex can typeset.

    .venv/bin/python scripts/latex_charset.py            # needs TeX Live: pdflatex, kpsewhich
    .venv/bin/python scripts/latex_charset.py --no-check # skip the compile check (step 4)

The set is read from TeX Live's own files, for the document our LaTeX goes into: the
CLI's (``pages.latex_document``) and Sphinx's pdflatex documents, both
``\\usepackage[T1]{fontenc}`` and UTF-8 input (``inputenc``'s ``utf8``, the default
since LaTeX 2018).

1. Which encodings the document has: pdflatex itself prints them (``\\cdp@list``, the
   list for which ``utf8.def`` reads ``<encoding>enc.dfu``). With TeX Live 2022 these are
   OML, OMS, OT1, T1, TS1 (the format's; TS1 is textcomp, in the kernel since 2020),
   OMX and U, of which OMS, OT1, T1 and TS1 have a ``.dfu`` file.
2. The ``\\DeclareUnicodeCharacter`` lines of those ``.dfu`` files (``kpsewhich
   t1enc.dfu`` ...) and of ``utf8.def`` (the kernel's own, e.g. U+2423 visible space).
   ``utf8enc.dfu`` is only a cross-check: it is the union of *all* encodings' files
   (docstrip option ``all``: Cyrillic, LY1, ...), which no document loads, so its extra
   characters (e.g. Cyrillic, "Command \\CYRZH unavailable in encoding T1") are left out.
3. Printable ASCII (U+0020-U+007E) is always in; LaTeX's special characters among it are
   escaped by ``render/latex_text.py``.
4. Every declared character is compiled by pdflatex, one per line, in that preamble;
   a character that still stops the build is left out and named in the header (none with
   TeX Live 2022).

The table is written as code-point ranges.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "sphinxcontrib_attnviz" / "render" / "pdflatex_chars.py"
#: The preamble our LaTeX is compiled in (``pages.latex_document``; Sphinx's has the same encodings).
PREAMBLE = "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n"
FALLBACK_ENCODINGS = ("OML", "OMS", "OT1", "T1", "TS1", "OMX", "U")
PRINTABLE_ASCII = range(0x20, 0x7F)
_DECLARE = re.compile(r"\\DeclareUnicodeCharacter\{([0-9A-Fa-f]+)\}\{")
_PROVIDES = re.compile(r"\\ProvidesFile\{([^}]+)\}\s*\[([^\]]*)\]")


def run(*command: str, cwd: Path | None = None) -> str:
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, errors="replace").stdout


def kpsewhich(name: str) -> Path | None:
    found = run("kpsewhich", name).strip()
    return Path(found) if found else None


def strip_comments(source: str) -> str:
    """TeX source without ``%`` comments (a ``\\%`` stays)."""
    return "\n".join(re.sub(r"(?<!\\)%.*", "", line) for line in source.splitlines())


def declarations(path: Path) -> dict[int, str]:
    """The file's ``\\DeclareUnicodeCharacter{hex}{definition}``: code point -> definition."""
    source = strip_comments(path.read_text(encoding="latin-1"))
    found = {}
    for match in _DECLARE.finditer(source):
        depth, end = 1, match.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(source[end], 0)
            end += 1
        found[int(match.group(1), 16)] = source[match.end() : end - 1].strip()
    return found


def provides(path: Path) -> str:
    """The file's ``\\ProvidesFile`` date and version, e.g. ``2022/06/07 v1.3c UTF-8 support``."""
    match = _PROVIDES.search(path.read_text(encoding="latin-1"))
    return " ".join(match.group(2).split()) if match else "no version line"


def document_encodings(workdir: Path) -> tuple[str, ...]:
    """The font encodings of a document with ``PREAMBLE``, as pdflatex lists them."""
    (workdir / "encodings.tex").write_text(
        PREAMBLE + "\\makeatletter\\def\\cdp@elt#1#2#3#4{\\typeout{ENCODING:#1}}\\cdp@list\\makeatother\n"
        "\\begin{document}\\end{document}\n",
        encoding="utf-8",
    )
    log = run("pdflatex", "-interaction=nonstopmode", "-halt-on-error", "encodings.tex", cwd=workdir)
    found = tuple(dict.fromkeys(re.findall(r"^ENCODING:(\S+)$", log, re.MULTILINE)))
    return found or FALLBACK_ENCODINGS


def failing(chars: list[int], workdir: Path) -> set[int]:
    """The characters that stop pdflatex in ``PREAMBLE``: one per line, errors read by line number."""
    first_line = PREAMBLE.count("\n") + 2
    body = "".join(f"{chr(code)}\\par\n" for code in chars)
    (workdir / "check.tex").write_text(PREAMBLE + "\\begin{document}\n" + body + "\\end{document}\n", encoding="utf-8")
    run("pdflatex", "-interaction=nonstopmode", "check.tex", cwd=workdir)
    log = (workdir / "check.log").read_text(encoding="utf-8", errors="replace")
    if "Output written on check.pdf" not in log and "No pages of output" not in log:
        raise SystemExit(f"pdflatex did not finish the check document:\n{log[-2000:]}")
    bad = set()
    for error in re.finditer(r"^! .*?^l\.(\d+) ", log, re.MULTILINE | re.DOTALL):
        index = int(error.group(1)) - first_line
        if 0 <= index < len(chars):
            bad.add(chars[index])
    return bad


def ranges(codes: set[int]) -> list[tuple[int, int]]:
    """Sorted code points as inclusive ranges."""
    result: list[tuple[int, int]] = []
    for code in sorted(codes):
        if result and result[-1][1] == code - 1:
            result[-1] = (result[-1][0], code)
        else:
            result.append((code, code))
    return result


def render(table: list[tuple[int, int]], sources: list[str], notes: list[str]) -> str:
    lines = [
        'r"""Characters pdflatex typesets in a T1 + TS1, UTF-8 document: code-point ranges (inclusive).',
        "",
        "GENERATED by scripts/latex_charset.py from TeX Live's files; do not edit, run the script.",
        "",
        *sources,
        "",
        *notes,
        '"""',
        "",
        "PDFLATEX_CHAR_RANGES: tuple[tuple[int, int], ...] = (",
    ]
    row: list[str] = []
    for low, high in table:
        row.append(f"(0x{low:04X}, 0x{high:04X}),")
        if len(row) == 6:
            lines.append("    " + " ".join(row))
            row = []
    if row:
        lines.append("    " + " ".join(row))
    lines.append(")  # fmt: skip")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-check", action="store_true", help="do not compile the characters (step 4)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()

    tex_version = run("pdflatex", "--version").split("\n")[0].strip()
    if not tex_version:
        print("pdflatex not found: install TeX Live (Debian: texlive-latex-base)", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        encodings = document_encodings(workdir)
        files = [
            path for name in ("utf8.def", *(f"{e.lower()}enc.dfu" for e in encodings)) if (path := kpsewhich(name))
        ]
        declared: dict[int, str] = {}
        sources = [f"Sources ({tex_version}; encodings {', '.join(encodings)}):"]
        for path in files:
            found = declarations(path)
            declared.update(found)
            sources.append(f"  {path.name} [{provides(path)}]: {len(found)} characters")
        union = kpsewhich("utf8enc.dfu")
        notes = []
        if union is not None:
            everything = declarations(union)
            disagree = sorted(
                code for code, text in declared.items() if code in everything and everything[code] != text
            )
            if disagree:
                notes.append("Declared differently in utf8enc.dfu: " + ", ".join(f"U+{c:04X}" for c in disagree))
            left_out = len(everything.keys() - declared.keys())
            notes.append(
                f"utf8enc.dfu [{provides(union)}] (all encodings): {left_out} characters of other encodings left out."
            )
        candidates = sorted(code for code in declared if code not in PRINTABLE_ASCII)
        bad = set() if args.no_check else failing(candidates, workdir)
        if args.no_check:
            notes.append("Not compile-checked (--no-check).")
        else:
            notes.append(f"Each compiled by pdflatex: {len(bad)} left out as failing" + (":" if bad else "."))
            notes.extend(f"  U+{code:04X} {declared[code]}" for code in sorted(bad))
    codes = set(PRINTABLE_ASCII) | (set(candidates) - bad)
    notes.append(f"{len(codes)} characters (printable ASCII included).")
    args.output.write_text(render(ranges(codes), sources, notes), encoding="utf-8")
    print(f"wrote {args.output}: {len(codes)} characters; left out as failing: {sorted(map(hex, bad))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
