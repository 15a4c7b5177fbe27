"""Captum's text attributions, read by duck typing (captum is never imported).

- ``VisualizationDataRecord`` (``captum/attr/_utils/visualization.py``), one or a list:
  ``raw_input_ids`` are the tokens, ``word_attributions`` one score per token, and each
  record is a row named by its ``attr_class`` (Captum's "Attribution Label"), or by its
  position when it has none.
- ``LLMAttributionResult`` (``captum/attr/_core/llm_attr.py``): ``input_tokens`` are the
  tokens, ``seq_attr`` (one score per input token) the row ``seq_attr``, and each row of
  ``token_attr`` (output tokens x input tokens; may be None) a row named by its output
  token (a repeated one numbered from its second use on: ``the (2)``).

As JSON, the same names as keys, tensors as lists (``null`` or ``NaN`` a missing cell)::

    rows = [{"raw_input_ids": r.raw_input_ids, "word_attributions": r.word_attributions.tolist(), "attr_class": r.attr_class} for r in records]
    json.dump(rows, open("captum.json", "w"))

    llm = {"input_tokens": r.input_tokens, "output_tokens": r.output_tokens, "seq_attr": r.seq_attr.tolist(), "token_attr": None if r.token_attr is None else r.token_attr.tolist()}
    json.dump(llm, open("llm.json", "w"))
"""  # noqa: E501

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..data import unique_labels
from ..errors import DataError
from . import (
    Rows,
    ToolScores,
    float_array,
    has_members,
    label_of,
    member,
    rows_sharing_tokens,
    score_row,
    token_list,
)

RECORD_MEMBERS = ("raw_input_ids", "word_attributions")
LLM_MEMBERS = ("input_tokens", "seq_attr")


def _is_document(obj: Any) -> bool:
    return isinstance(obj, Mapping) or (isinstance(obj, list) and all(isinstance(item, Mapping) for item in obj))


def looks_like_records(obj: Any) -> bool:
    """A ``VisualizationDataRecord``, a non-empty list of them, or their JSON (only the first is looked at)."""
    if isinstance(obj, Sequence) and not isinstance(obj, str | bytes):
        return len(obj) > 0 and has_members(obj[0], *RECORD_MEMBERS)
    return has_members(obj, *RECORD_MEMBERS)


def looks_like_llm_result(obj: Any) -> bool:
    """An ``LLMAttributionResult`` or its JSON."""
    return has_members(obj, *LLM_MEMBERS)


def from_records(obj: Any, source: str | None = None) -> ToolScores:
    """Tokens and one row per ``VisualizationDataRecord`` (all records must share their tokens)."""
    what = f"Captum {'JSON' if _is_document(obj) else 'VisualizationDataRecord'}"
    records = list(obj) if isinstance(obj, Sequence) and not isinstance(obj, str | bytes) else [obj]
    if not records:
        raise DataError(f"{what}: no records", source)
    tokens, rows = rows_sharing_tokens(
        ((f"record {index}", record) for index, record in enumerate(records)),
        RECORD_MEMBERS,
        lambda record: member(record, "word_attributions"),
        what,
        source,
        tokens_name="raw_input_ids",
        scores_name="word_attributions",
    )
    classes = [member(record, "attr_class") for record in records]
    labels = unique_labels([str(index) if cls is None else label_of(cls) for index, cls in enumerate(classes)])
    return tokens, dict(zip(labels, rows, strict=True))


def from_llm_result(obj: Any, source: str | None = None) -> ToolScores:
    """Tokens (``input_tokens``), the row ``seq_attr``, then a row per output token from ``token_attr``."""
    what = f"Captum {'JSON' if _is_document(obj) else 'LLMAttributionResult'}"
    tokens = token_list(member(obj, "input_tokens"), what, source, "input_tokens")
    rows: dict[str | None, Any] = {"seq_attr": score_row(member(obj, "seq_attr"), tokens, what, "seq_attr", source)}
    token_attr = member(obj, "token_attr")
    if token_attr is None:
        return tokens, rows
    outputs = token_list(member(obj, "output_tokens"), what, source, "output_tokens")
    matrix = float_array(token_attr, what, "token_attr", source)
    if matrix.shape != (len(outputs), len(tokens)):
        raise DataError(
            f"{what}: token_attr has shape {matrix.shape}; expected [output tokens, input tokens] "
            f"({len(outputs)}, {len(tokens)})",
            source,
        )
    labels = unique_labels(["seq_attr", *outputs])[1:]
    for label, row in zip(labels, matrix, strict=True):
        rows[label] = row
    return tokens, Rows(rows, tokens=dict(zip(labels, outputs, strict=True)))
