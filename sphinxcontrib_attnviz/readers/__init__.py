"""Readers of other tools' outputs, as the tools give them: tokens and named rows of scores.

Each tool has a module: :mod:`.captum`, :mod:`.shap`, and :mod:`.json_shapes` (ferret,
transformers-interpret, LIT). Each reader takes the tool's own Python object, read by duck
typing (no tool is ever imported), or the JSON document (or ``.npz`` arrays) that a
two-line export of that object gives, and returns :data:`ToolScores`: the tokens and the
rows of float64 arrays, named as the tool names them (NaN is a missing cell). Each tool
also has a ``looks_like_*`` check of a few keys or attributes, for detection by content;
:func:`from_tool_object` tries them in a fixed order. Errors are
:class:`~sphinxcontrib_attnviz.errors.DataError` naming the format the data was taken for.
"""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from ..arrays import as_float_array
from ..data import TokenScores, decode_text, read_bytes
from ..errors import DataError
from ..formats import json_document, no_repeated_keys


class Rows(dict[str | None, np.ndarray]):
    """Rows of scores by name (``None``: the one row of a tool that names none); ``tokens``
    maps a row's name to the token it stands for, for rows that stand for one (a generated
    token: an inseq step's, a Captum output token's)."""

    def __init__(self, rows: Mapping[str | None, np.ndarray] = (), tokens: Mapping[str | None, str] = ()) -> None:  # type: ignore[assignment]
        super().__init__(rows)
        self.tokens: dict[str | None, str] = dict(tokens)


#: The tokens and the rows of scores, by name (a :class:`Rows` when rows stand for tokens).
ToolScores = tuple[list[str], dict[str | None, np.ndarray]]


def member(obj: Any, name: str, default: Any = None) -> Any:
    """``obj[name]`` of a mapping (a JSON object), else the attribute ``name`` (a tool's object)."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def has_members(obj: Any, *names: str) -> bool:
    """Whether ``obj`` has every one of ``names``: keys of a mapping, else attributes."""
    if isinstance(obj, Mapping):
        return all(name in obj for name in names)
    return all(hasattr(obj, name) for name in names)


def token_list(tokens: Any, what: str, source: str | None, name: str = "tokens") -> list[str]:
    """The tokens as a list of ``str`` (NumPy strings become plain strings); a DataError
    naming ``what`` (the format) unless they are a sequence of strings."""
    if isinstance(tokens, np.ndarray):
        if tokens.ndim != 1:
            raise DataError(f"{what}: {name} has shape {tokens.shape}; expected one token per entry", source)
        tokens = tokens.tolist()
    if tokens is None or isinstance(tokens, str | bytes) or not isinstance(tokens, Sequence):
        raise DataError(f"{what}: {name} must be a list of strings, not {type(tokens).__name__}", source)
    wrong = next((index for index, token in enumerate(tokens) if not isinstance(token, str)), None)
    if wrong is not None:
        raise DataError(f"{what}: {name}[{wrong}] is not a string: {tokens[wrong]!r}", source)
    if not tokens:
        raise DataError(f"{what}: {name} is empty: nothing to draw", source)
    return [str(token) for token in tokens]


def float_array(values: Any, what: str, name: str, source: str | None) -> np.ndarray:
    """``values`` (a tensor, an array, nested JSON lists) as a float64 array of any shape:
    JSON ``null`` and NaN are missing cells (NaN); infinity, text and booleans are errors."""
    if isinstance(values, list):
        values = _nulls_as_nan(values, what, name, source)
    try:
        array = as_float_array(values)
    except DataError as error:
        raise DataError(f"{what}: {name}: {error.message}", source) from None
    infinite = np.argwhere(np.isinf(array))
    if infinite.size:
        where = "".join(f"[{index}]" for index in infinite[0])
        raise DataError(f"{what}: {name}{where} is {array[tuple(infinite[0])]}: not a finite score", source)
    return array


def _nulls_as_nan(values: list[Any], what: str, name: str, source: str | None) -> list[Any]:
    """JSON lists with ``null`` as NaN; a DataError naming the first boolean or string."""
    result: list[Any] = []
    for index, value in enumerate(values):
        if value is None:
            value = math.nan
        elif isinstance(value, list):
            value = _nulls_as_nan(value, what, f"{name}[{index}]", source)
        elif isinstance(value, bool | str) or not isinstance(value, int | float):
            raise DataError(f"{what}: {name}[{index}] is {value!r}, not a number", source)
        result.append(value)
    return result


def score_row(values: Any, tokens: Sequence[str], what: str, name: str, source: str | None) -> np.ndarray:
    """One row: a one-dimensional float64 array as long as ``tokens``, else a DataError."""
    array = float_array(values, what, name, source)
    if array.ndim != 1:
        raise DataError(f"{what}: {name} has shape {array.shape}; expected [tokens] ({len(tokens)})", source)
    if array.size != len(tokens):
        raise DataError(
            f"{what}: {len(tokens)} tokens but {array.size} scores in {name}; the counts must be equal", source
        )
    return array


def label_of(value: Any) -> str:
    """A row name from a tool's class or output name: a string, a number, a one-element tensor or array."""
    if hasattr(value, "item") and not isinstance(value, str):
        with contextlib.suppress(TypeError, ValueError, RuntimeError):  # more than one element: named as it prints
            value = value.item()
    return value if isinstance(value, str) else str(value)


def same_tokens(tokens: list[str], first: list[str], what: str, which: str, source: str | None) -> None:
    """A DataError unless ``tokens`` (of ``which``) are ``first`` (the first item's): rows
    drawn one under another share their tokens."""
    if tokens != first:
        differ = next(
            (i for i, (a, b) in enumerate(zip(tokens, first, strict=False)) if a != b), min(len(tokens), len(first))
        )
        raise DataError(
            f"{what}: the tokens of {which} differ from the first's (at token {differ}: "
            f"{tokens[differ] if differ < len(tokens) else 'none'!r} vs "
            f"{first[differ] if differ < len(first) else 'none'!r}); rows of one figure share their tokens",
            source,
        )


#: Each tool's check and reader, in the order :func:`from_tool_object` tries them.
def _detectors() -> list[tuple[str, Callable[[Any], bool], Callable[..., ToolScores], str]]:
    from . import captum, json_shapes, shap

    return [
        ("Captum LLMAttributionResult", captum.looks_like_llm_result, captum.from_llm_result,
         "input_tokens, output_tokens, seq_attr (and token_attr)"),
        ("Captum VisualizationDataRecord", captum.looks_like_records, captum.from_records,
         "a VisualizationDataRecord or a list of them: raw_input_ids, word_attributions, attr_class"),
        ("SHAP Explanation", shap.looks_like_shap, shap.from_explanation, "values, data (and output_names)"),
        ("ferret explanations", json_shapes.looks_like_ferret, json_shapes.from_ferret,
         "a list of explanations with tokens, scores, explainer"),
        ("LIT TokenSalience", json_shapes.looks_like_lit, json_shapes.from_lit, "tokens, salience"),
        ("transformers-interpret word_attributions", json_shapes.looks_like_transformers_interpret,
         json_shapes.from_transformers_interpret, "a list of (token, score) pairs, or label -> such a list"),
    ]  # fmt: skip


def detect_tool(obj: Any) -> str | None:
    """The name of the tool format ``obj`` (a tool's object or a parsed JSON document) looks like, or None."""
    return next((name for name, looks_like, _, _ in _detectors() if looks_like(obj)), None)


def from_tool_object(obj: Any, source: str | None = None) -> ToolScores:
    """Tokens and named rows from another tool's output, found by duck typing: a Captum
    ``LLMAttributionResult`` or ``VisualizationDataRecord`` (or a list of them), a SHAP
    ``Explanation`` of one text, ferret's list of explanations, a LIT ``TokenSalience``,
    transformers-interpret's ``word_attributions``; or the JSON document of any of them.

    Raises a DataError listing what was looked for when nothing matches.
    """
    for _, looks_like, read, _ in _detectors():
        if looks_like(obj):
            return read(obj, source)
    wanted = "; ".join(f"{name} ({members})" for name, _, _, members in _detectors())
    raise DataError(f"not the output of a known tool: {type(obj).__name__} has none of these shapes: {wanted}", source)


def parse_tool_json(text: str, source: str | None = None) -> ToolScores:
    """A JSON export of a tool's output (see each tool's module), its tool found from its keys.

    ``NaN`` (which Python's ``json.dump`` writes for a NaN) and ``null`` are missing cells.
    """
    return from_tool_object(load_json(text, source), source)


def to_record(scores: ToolScores, source: str | None = None) -> TokenScores:
    """A reader's tokens and rows as the record every front draws (NaN: missing cells; a
    lone row named None: the unnamed row)."""
    tokens, rows = scores
    named = rows[None] if list(rows) == [None] else {str(label): row for label, row in rows.items()}
    record = TokenScores.checked(tokens, named, source, missing=True)
    row_tokens = getattr(rows, "tokens", None)
    if not row_tokens:
        return record
    return replace(record, row_tokens=tuple(row_tokens.get(label) for label in rows))


def rows_sharing_tokens(
    items: Iterable[tuple[str, Any]],
    needed: Sequence[str],
    scores_of: Callable[[Any], Any],
    what: str,
    source: str | None,
    tokens_name: str = "tokens",
    scores_name: str = "scores",
    hint: str = "",
) -> tuple[list[str], list[np.ndarray]]:
    """The tokens and a row of scores from each of several items (``(which, item)`` pairs:
    Captum records, ferret explanations, LIT fields) that must share their tokens: each
    item must have every one of ``needed``; its tokens are ``tokens_name``, its scores
    ``scores_of(item)``. A DataError naming ``what`` (the format) and the item otherwise."""
    tokens: list[str] = []
    rows = []
    for index, (which, item) in enumerate(items):
        missing = [name for name in needed if not has_members(item, name)]
        if missing:
            raise DataError(f"{what}: {which} has no {', '.join(missing)}{hint}", source)
        item_tokens = token_list(member(item, tokens_name), what, source, f"{which}: {tokens_name}")
        if index == 0:
            tokens = item_tokens
        else:
            same_tokens(item_tokens, tokens, what, which, source)
        rows.append(score_row(scores_of(item), tokens, what, f"{which}: {scores_name}", source))
    return tokens, rows


def load_json(text: str, source: str | None = None) -> Any:
    """A tool's JSON document; ``NaN`` read as NaN. A located DataError for invalid JSON,
    or a key given twice in one object (Python's reader would keep the last value)."""
    return json_document(text, source, parse_constant=float, object_pairs_hook=no_repeated_keys(source))


def read_tool_file(path: str | Path, source: str | None = None) -> ToolScores:
    """A tool's output saved to a file: a SHAP ``.npz`` (never unpickled), or any tool's JSON."""
    from .shap import NPZ_MAGIC, parse_shap_npz

    source = source or str(path)
    raw = read_bytes(path, source)
    if raw.startswith(NPZ_MAGIC) or Path(path).suffix.lower() == ".npz":
        return parse_shap_npz(raw, source)
    return parse_tool_json(decode_text(raw, source), source)
