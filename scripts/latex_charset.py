"""Write ``sphinxcontrib_attnviz/render/pdflatex_chars.py``: the characters pdflatex can typeset, per font encoding.

    .venv/bin/python scripts/latex_charset.py            # needs TeX Live: pdflatex, kpsewhich
    .venv/bin/python scripts/latex_charset.py --no-check # skip the compile checks (step 5)

The tables are read from TeX Live's own files, for the documents our LaTeX goes into: the
CLI's (``pages.latex_document``) and Sphinx's pdflatex documents, UTF-8 input
(``inputenc``'s ``utf8``, the default since LaTeX 2018) with the running text in T1
(``\\usepackage[T1]{fontenc}``; T1 is the last, main, encoding also in
``\\usepackage[LGR,X2,T1]{fontenc}``).

1. Which encodings a default document has: pdflatex itself prints them (``\\cdp@list``,
   the list for which ``utf8.def`` reads ``<encoding>enc.dfu``). With TeX Live 2022 these
   are OML, OMS, OT1, T1, TS1 (the format's; TS1 is textcomp, in the kernel since 2020),
   OMX and U, of which OMS, OT1, T1 and TS1 have a ``.dfu`` file: ``DEFAULT_ENCODINGS``.
2. The encodings a Sphinx project adds with its ``fontenc`` (:data:`OPTIONAL_ENCODINGS`):
   LGR (Greek; ``lgrenc.dfu`` of greek-inputenc, ``lgrenc.def`` of greek-fontenc: Debian's
   texlive-lang-greek) and the Cyrillic T2A and X2 (``t2aenc.dfu`` / ``x2enc.dfu`` are in
   LaTeX's base, but ``t2aenc.def`` / ``x2enc.def`` and the fonts are the cyrillic and lh
   packages: texlive-lang-cyrillic). An encoding whose files are missing is left out (said
   in the header). In a non-Greek, non-Cyrillic document a Greek or Cyrillic character is
   typeset in its encoding only through text-symbol defaults, which Sphinx loads with those
   encodings (``sphinx/builders/latex/__init__.py``, ``init_multilingual``): ``textalpha``
   for LGR (``latex_elements['textgreek']``) and Sphinx's ``sphinxpackagecyrillic`` with
   option ``Xtwo`` or ``TtwoA`` (``'textcyrillic'``; found in the installed Sphinx's
   ``texinputs``). The check documents load them the same way.
3. The ``\\DeclareUnicodeCharacter`` lines of each encoding's ``.dfu`` file (``kpsewhich
   t1enc.dfu`` ...): one table per encoding; and those of ``utf8.def`` (the kernel's own,
   e.g. U+2423 visible space), with printable ASCII (U+0020-U+007E; LaTeX's special
   characters among it are escaped by ``render/latex_text.py``), the base table every
   document has. ``utf8enc.dfu`` is only a cross-check: it is the union of *all*
   encodings' files (docstrip option ``all``: T2B, LY1, ...), which no document loads, so
   its characters of other encodings are left out.
4. Fonts: the check documents use LaTeX's defaults, as the CLI's document does and Sphinx's
   ``fontsubstitution`` does for LGR, T2A and X2 (``\\substitutefont{LGR}{\\rmdefault}{cmr}``):
   EC for T1, the cbfonts (Type 1, texlive-lang-greek) for LGR, the lh fonts for T2A and X2
   (METAFONT sources: ``mktextfm``/``mktexpk`` make bitmap fonts on first use; cm-super
   would give Type 1 ones).
5. Every declared character is compiled by pdflatex, one per line: the default encodings'
   in the default document, each optional encoding's (with the default ones) in a
   document that loads it (``\\usepackage[LGR,T1]{fontenc}``...). A character that stops
   the build is left out of its encoding's table and named in the header. Then every
   combination of optional encodings (``\\usepackage[LGR,T2A,X2,T1]{fontenc}``...) compiles
   the union of its tables, but T2A's not with X2 (:data:`SUPERSEDED`, written into the
   table module); a failure there stops the script, as the tables could not say it.
   ``\\tracinglostchars`` counts characters a font lacks (none with TeX Live 2022).

The tables are written as code-point ranges.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "sphinxcontrib_attnviz" / "render" / "pdflatex_chars.py"
FALLBACK_ENCODINGS = ("OML", "OMS", "OT1", "T1", "TS1", "OMX", "U")
#: The encodings a Sphinx ``fontenc`` may add before T1, and the file that declares each
#: (without it, ``\\usepackage[...]{fontenc}`` fails).
OPTIONAL_ENCODINGS = {"LGR": "lgrenc.def", "T2A": "t2aenc.def", "X2": "x2enc.def"}
#: Sphinx's ``textcyrillic`` option for each Cyrillic encoding (X2 wins when both are loaded).
CYRILLIC_OPTIONS = {"X2": "Xtwo", "T2A": "TtwoA"}
#: Encodings whose table does not hold when another is loaded too: with T2A and X2,
#: Sphinx's ``sphinxpackagecyrillic`` declares X2's letters only, and T2A's U+0407/U+0457
#: (``\CYRYI``, not in X2) stop the build.
SUPERSEDED = {"T2A": "X2"}
PRINTABLE_ASCII = range(0x20, 0x7F)
_DECLARE = re.compile(r"\\DeclareUnicodeCharacter\{([0-9A-Fa-f]+)\}\{")
_PROVIDES = re.compile(r"\\ProvidesFile\{([^}]+)\}\s*\[([^\]]*)\]")


def run(*command: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    return subprocess.run(command, capture_output=True, text=True, cwd=cwd, env=env, errors="replace").stdout


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


def sphinx_texinputs() -> Path | None:
    """The installed Sphinx's LaTeX support files (``sphinxpackagecyrillic.sty``), if any."""
    try:
        import sphinx
    except ImportError:
        return None
    folder = Path(sphinx.__file__).parent / "texinputs"
    return folder if (folder / "sphinxpackagecyrillic.sty").is_file() else None


def preamble(extra: tuple[str, ...] = ()) -> str:
    """A document loading the ``extra`` encodings before T1, as Sphinx's does (see step 2)."""
    lines = ["\\documentclass{article}", f"\\usepackage[{','.join((*extra, 'T1'))}]{{fontenc}}"]
    if "LGR" in extra:
        lines.append("\\usepackage{textalpha}")
    cyrillic = next((option for name, option in CYRILLIC_OPTIONS.items() if name in extra), None)
    if cyrillic:
        lines.append(f"\\usepackage[{cyrillic}]{{sphinxpackagecyrillic}}")
    lines.append("\\usepackage[utf8]{inputenc}")
    return "\n".join(lines) + "\n"


class Checker:
    """Compiles documents in one folder, with Sphinx's ``texinputs`` on TeX's search path."""

    def __init__(self, workdir: Path, texinputs: Path | None) -> None:
        self.workdir = workdir
        self.env = dict(os.environ)
        if texinputs is not None:  # the trailing separator keeps TeX's own path
            self.env["TEXINPUTS"] = f"{texinputs}{os.pathsep}{self.env.get('TEXINPUTS', '')}"
        self.lost = 0

    def compile(self, name: str, source: str) -> str:
        (self.workdir / f"{name}.tex").write_text(source, encoding="utf-8")
        # Log lines unwrapped (TeX Live's default wraps at 79 characters), so an error is one line.
        command = ("pdflatex", "-interaction=nonstopmode", "-cnf-line=max_print_line=100000", f"{name}.tex")
        run(*command, cwd=self.workdir, env=self.env)
        return (self.workdir / f"{name}.log").read_text(encoding="utf-8", errors="replace")

    def encodings(self, extra: tuple[str, ...] = ()) -> tuple[str, ...]:
        """The font encodings of a document with ``preamble(extra)``, as pdflatex lists them."""
        log = self.compile(
            "encodings",
            preamble(extra) + "\\makeatletter\\def\\cdp@elt#1#2#3#4{\\typeout{ENCODING:#1}}\\cdp@list\\makeatother\n"
            "\\begin{document}\\end{document}\n",
        )
        return tuple(dict.fromkeys(re.findall(r"^ENCODING:(\S+)$", log, re.MULTILINE)))

    def failing(self, chars: list[int], extra: tuple[str, ...] = ()) -> dict[int, str]:
        """The characters that stop pdflatex in ``preamble(extra)``, with the error:
        one per line, errors read by line number."""
        head = preamble(extra) + "\\begin{document}\n\\tracinglostchars=2\n"
        first_line = head.count("\n") + 1
        body = "".join(f"{chr(code)}\\par\n" for code in chars)
        log = self.compile("check", head + body + "\\end{document}\n")
        if "Output written on check.pdf" not in log and "No pages of output" not in log:
            raise SystemExit(f"pdflatex did not finish the check document ({extra}):\n{log[-2000:]}")
        self.lost += len(re.findall(r"^Missing character: ", log, re.MULTILINE))
        bad = {}
        for error in re.finditer(r"^! (.*?)$.*?^l\.(\d+) ", log, re.MULTILINE | re.DOTALL):
            index = int(error.group(2)) - first_line
            if 0 <= index < len(chars):
                bad.setdefault(chars[index], error.group(1).strip())
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


def range_lines(codes: set[int], indent: str) -> list[str]:
    lines, row = [], []
    for low, high in ranges(codes):
        row.append(f"(0x{low:04X}, 0x{high:04X}),")
        if len(row) == 6:
            lines.append(indent + " ".join(row))
            row = []
    if row:
        lines.append(indent + " ".join(row))
    return lines


def quoted(name: str) -> str:
    """``name`` as a Python string literal in double quotes, as ruff writes them."""
    return '"' + name + '"'


def render(
    base: set[int], tables: dict[str, set[int]], defaults: tuple[str, ...], sources: list[str], notes: list[str]
) -> str:
    lines = [
        'r"""Characters pdflatex typesets in a UTF-8 document with T1 text, per font encoding:',
        "code-point ranges (inclusive).",
        "",
        "GENERATED by scripts/latex_charset.py from TeX Live's files; do not edit, run the script.",
        "",
        *sources,
        "",
        *notes,
        '"""',
        "",
        "#: The encodings of a default document (``\\usepackage[T1]{fontenc}``) that have a table.",
        f"DEFAULT_ENCODINGS: tuple[str, ...] = ({', '.join(map(quoted, defaults))})",
        "",
        "#: Every document's characters: printable ASCII and ``utf8.def``'s own.",
        "BASE_RANGES: tuple[tuple[int, int], ...] = (",
        *range_lines(base, "    "),
        ")  # fmt: skip",
        "",
        "#: Per font encoding: the characters of its ``.dfu`` file that compile in a document loading it.",
        "ENCODING_RANGES: dict[str, tuple[tuple[int, int], ...]] = {",
    ]
    for name, codes in tables.items():
        lines += [f"    {quoted(name)}: (", *range_lines(codes, "        "), "    ),"]
    lines += [
        "}  # fmt: skip",
        "",
        "#: Encodings whose table does not hold when the other one is loaded too (Sphinx's",
        "#: ``sphinxpackagecyrillic`` declares X2's letters only when both X2 and T2A are).",
        "SUPERSEDED: dict[str, str] = {" + ", ".join(f"{quoted(a)}: {quoted(b)}" for a, b in SUPERSEDED.items()) + "}",
    ]
    return "\n".join(lines) + "\n"


def check(
    checker: Checker,
    base: set[int],
    tables: dict[str, set[int]],
    defaults: tuple[str, ...],
    optional: list[str],
    definitions: dict[int, str],
) -> list[str]:
    """Step 5: take the characters that stop pdflatex out of ``base`` and ``tables``; the header's notes."""
    failed: dict[str, dict[int, str]] = {}
    bad = checker.failing(sorted((base | set().union(*(tables[name] for name in defaults))) - set(PRINTABLE_ASCII)))
    for name in ("base", *defaults):
        failed[name] = {code: error for code, error in bad.items() if code in tables.get(name, base)}
    base -= bad.keys()
    for name in defaults:
        tables[name] -= bad.keys()
    every_default = base.union(*(tables[name] for name in defaults))
    for name in optional:
        bad = checker.failing(sorted((every_default | tables[name]) - set(PRINTABLE_ASCII)), (name,))
        if bad.keys() - tables[name]:
            raise SystemExit(f"loading {name} breaks characters of the default encodings: {sorted(map(hex, bad))}")
        failed[name] = bad
        tables[name] -= bad.keys()
    combinations = [c for size in range(2, len(optional) + 1) for c in itertools.combinations(optional, size)]
    for combination in combinations:
        used = [name for name in combination if SUPERSEDED.get(name) not in combination]
        chars = every_default.union(*(tables[name] for name in used)) - set(PRINTABLE_ASCII)
        bad = checker.failing(sorted(chars), combination)
        if bad:
            raise SystemExit(f"{'+'.join(combination)} together break {sorted(map(hex, bad))}")
    notes = ["Each character compiled by pdflatex in a document loading its encoding"]
    if combinations:
        notes.append("  (and the tables together in " + ", ".join("+".join(c) for c in combinations) + ");")
    notes.append(f"  characters a font lacks (\\tracinglostchars): {checker.lost}. Left out as failing:")
    for name, errors in failed.items():
        notes.append(f"  {name}: {len(errors)}" + (":" if errors else ""))
        notes.extend(f"    U+{code:04X} {definitions[code]}: {error}" for code, error in sorted(errors.items()))
    return notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--no-check", action="store_true", help="do not compile the characters (step 5)")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()

    tex_version = run("pdflatex", "--version").split("\n")[0].strip()
    utf8 = kpsewhich("utf8.def")
    if not tex_version or utf8 is None:
        print("pdflatex or utf8.def not found: install TeX Live (Debian: texlive-latex-base)", file=sys.stderr)
        return 2
    texinputs = sphinx_texinputs()
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        checker = Checker(Path(tmp), texinputs)
        listed = checker.encodings() or FALLBACK_ENCODINGS
        dfu = {name: path for name in listed if (path := kpsewhich(f"{name.lower()}enc.dfu"))}
        defaults = tuple(sorted(dfu))
        optional = []
        for name, definition in OPTIONAL_ENCODINGS.items():
            path = kpsewhich(f"{name.lower()}enc.dfu")
            missing = [file for file in (f"{name.lower()}enc.dfu", definition) if not kpsewhich(file)]
            if name in CYRILLIC_OPTIONS and texinputs is None:
                missing.append("Sphinx's sphinxpackagecyrillic.sty")
            if path is None or missing:
                notes.append(f"{name} left out: no {', '.join(missing)}.")
                continue
            if name not in checker.encodings((name,)):
                raise SystemExit(f"pdflatex does not list {name} in a document loading it")
            dfu[name] = path
            optional.append(name)

        own = declarations(utf8)
        declared = {name: declarations(path) for name, path in dfu.items()}
        sources = [
            f"Sources ({tex_version};",
            f"a default document's encodings {', '.join(listed)}; added: {', '.join(optional) or 'none'}):",
            f"  {utf8.name} [{provides(utf8)}]: {len(own)} characters",
            *(f"  {path.name} [{provides(path)}]: {len(declared[name])} characters" for name, path in dfu.items()),
        ]
        union = kpsewhich("utf8enc.dfu")
        if union is not None:
            everything = declarations(union)
            known = {code: text for table in declared.values() for code, text in table.items()} | own
            disagree = sorted(code for code, text in known.items() if code in everything and everything[code] != text)
            if disagree:
                notes.append("Declared differently in utf8enc.dfu: " + ", ".join(f"U+{c:04X}" for c in disagree))
            left_out = len(everything.keys() - known.keys())
            notes.append(f"utf8enc.dfu [{provides(union)}] (all encodings): {left_out} characters of others left out.")

        base = set(PRINTABLE_ASCII) | own.keys()
        tables = {name: set(table) - set(PRINTABLE_ASCII) for name, table in declared.items()}
        if args.no_check:
            notes.append("Not compile-checked (--no-check).")
        else:
            definitions = {code: text for table in (own, *declared.values()) for code, text in table.items()}
            notes += check(checker, base, tables, defaults, optional, definitions)
    default_chars = base.union(*(tables[name] for name in defaults))
    sizes = f"base {len(base)}, " + ", ".join(f"{name} {len(codes)}" for name, codes in tables.items())
    notes += [f"Characters: {sizes};", f"  {len(default_chars)} in a default document (printable ASCII included)."]
    args.output.write_text(render(base, tables, defaults, sources, notes), encoding="utf-8")
    print(f"wrote {args.output}: {sizes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
