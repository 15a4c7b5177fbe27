#!/usr/bin/env python3
"""Write the inseq example files under ``tests/data/inseq/`` (real files, written by inseq itself).

The models are tiny and RANDOMLY INITIALISED (seeded): their numbers mean nothing and are only
for structure. Nothing is downloaded; the tokenizer is a byte-level BPE (GPT-2's scheme) trained
here with the ``tokenizers`` package on a few fixed sentences.

Setup (CPU only; not the project's venv, inseq needs torch)::

    python3 -m venv /tmp/inseq-venv
    /tmp/inseq-venv/bin/pip install torch==2.13.0 inseq transformers
    /tmp/inseq-venv/bin/python scripts/make_inseq_examples.py [--out tests/data/inseq]

Written with inseq 0.7.1, transformers 5.24.0, torch 2.13.0+cpu, tokenizers 0.23.3.

For each example NAME (a model and an attribution method, two prompts):

- ``NAME.json``: ``FeatureAttributionOutput.save()`` with its defaults (tensors as base64 safetensors);
- ``NAME.primitives.json``: ``use_primitives=True`` (no ``__instance_type__`` wrappers);
- ``NAME.json.gz``: ``compress=True`` (gzip);
- ``NAME_0.json``, ``NAME_1.json``: ``split_sequences=True`` (one file per prompt);
- ``NAME.aggregated.json``: ``out.aggregate()`` (inseq's default aggregation), then ``save()``;
- ``gpt2_saliency.float16.json``, ``gpt2_attention.float8.json``: ``scores_precision`` (F16, F8_E4M3);

and ``reference.json``: for every example and prompt, the tokens, the raw and the aggregated
attributions as inseq computed them in memory (plain JSON lists, ``null`` where inseq has NaN;
the raw ones for attention only, to keep the file small).

``info["exec_time"]`` (a wall-clock time) is set to 0.0 before saving, so that running the
script again writes the same bytes.
"""

from __future__ import annotations

import argparse
import json
import math
import os
from importlib.metadata import version
from pathlib import Path

os.environ["HF_HUB_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import inseq
import tokenizers
import torch
import transformers
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import (
    BartConfig,
    BartForConditionalGeneration,
    GPT2Config,
    GPT2LMHeadModel,
    PreTrainedTokenizerFast,
)

PROMPTS = ["The capital of France is", "The cat sat on"]
CORPUS = [
    "The capital of France is Paris.",
    "The cat sat on the mat.",
    "Hello world, this is a tiny tokenizer for tests.",
]
NEW_TOKENS = 3
README = """\
Files written by inseq {inseq} (FeatureAttributionOutput.save) with scripts/make_inseq_examples.py:
tiny RANDOMLY INITIALISED models (seeded), so the numbers are only for structure, not meaning.
See the script's docstring for what each file is; reference.json holds inseq's own numbers.
"""


def tokenizer() -> PreTrainedTokenizerFast:
    """A byte-level BPE trained on :data:`CORPUS` (deterministic: same corpus, same merges)."""
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=300,
        special_tokens=["<s>", "<pad>", "</s>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train_from_iterator(CORPUS * 3, trainer)
    return PreTrainedTokenizerFast(
        tokenizer_object=bpe, bos_token="<s>", eos_token="</s>", pad_token="<pad>", unk_token="</s>"
    )


def gpt2(vocab_size: int) -> GPT2LMHeadModel:
    torch.manual_seed(0)
    config = GPT2Config(
        n_layer=2,
        n_head=2,
        n_embd=64,
        n_positions=64,
        vocab_size=vocab_size,
        bos_token_id=0,
        eos_token_id=2,
        pad_token_id=1,
        attn_implementation="eager",  # attentions are returned only by the eager implementation
    )
    return GPT2LMHeadModel(config).eval()


def bart(vocab_size: int) -> BartForConditionalGeneration:
    torch.manual_seed(0)
    config = BartConfig(
        vocab_size=vocab_size,
        d_model=32,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=64,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_bos_token_id=None,
        attn_implementation="eager",
    )
    return BartForConditionalGeneration(config).eval()


def listed(tensor: torch.Tensor | None) -> list | None:
    """A tensor as nested lists of floats, None where it holds NaN."""
    if tensor is None:
        return None
    flat = [None if math.isnan(value) else value for value in tensor.double().flatten().tolist()]
    for size in reversed(tensor.shape[1:]):
        flat = [flat[i : i + size] for i in range(0, len(flat), size)]
    return flat


def sequence_reference(raw, aggregated, with_raw: bool) -> dict:
    """The tokens and inseq's numbers for one prompt; the raw attributions only ``with_raw``
    (they are large for gradient methods: one score per hidden dimension)."""
    reference = {
        "source": [token.token for token in raw.source] if raw.source is not None else None,
        "target": [token.token for token in raw.target],
        "attr_pos_start": raw.attr_pos_start,
        "attr_pos_end": raw.attr_pos_end,
        "step_scores": {name: listed(scores) for name, scores in (raw.step_scores or {}).items()},
        "aggregated_source_attributions": listed(aggregated.source_attributions),
        "aggregated_target_attributions": listed(aggregated.target_attributions),
    }
    if with_raw:
        reference["source_attributions"] = listed(raw.source_attributions)
        reference["target_attributions"] = listed(raw.target_attributions)
    return reference


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "tests/data/inseq")
    out_dir: Path = parser.parse_args().out
    out_dir.mkdir(parents=True, exist_ok=True)
    torch.use_deterministic_algorithms(True)
    torch.set_num_threads(1)
    tok = tokenizer()
    examples = [
        # name, model, method, attribute() arguments
        ("gpt2_saliency", gpt2, "saliency", {"step_scores": ["probability"]}),
        ("gpt2_attention", gpt2, "attention", {}),
        ("bart_saliency", bart, "saliency", {"step_scores": ["probability"], "attribute_target": True}),
    ]
    reference: dict = {
        "versions": {
            "inseq": version("inseq"),
            "transformers": transformers.__version__,
            "torch": torch.__version__,
            "tokenizers": tokenizers.__version__,
        }
    }
    for name, make_model, method, arguments in examples:
        model = inseq.load_model(make_model(len(tok)), method, tokenizer=tok)
        torch.manual_seed(0)
        out = model.attribute(
            PROMPTS,
            generation_args={"max_new_tokens": NEW_TOKENS, "do_sample": True},
            show_progress=False,
            **arguments,
        )
        out.info["exec_time"] = 0.0  # wall-clock time: the same bytes on every run
        aggregated = out.aggregate()
        reference[name] = {
            "method": method,
            "class": type(out.sequence_attributions[0]).__name__,
            "sequences": [
                sequence_reference(raw, agg, with_raw=method == "attention")
                for raw, agg in zip(out.sequence_attributions, aggregated.sequence_attributions, strict=True)
            ],
        }
        out.save(out_dir / f"{name}.json", overwrite=True)
        aggregated.save(out_dir / f"{name}.aggregated.json", overwrite=True)
        if name.startswith("gpt2"):
            out.save(out_dir / f"{name}.primitives.json", overwrite=True, use_primitives=True)
            out.save(out_dir / f"{name}.json.gz", overwrite=True, compress=True)
            out.save(out_dir / f"{name}.json", overwrite=True, split_sequences=True)  # NAME_0.json, NAME_1.json
        if name == "gpt2_saliency":
            out.save(out_dir / f"{name}.float16.json", overwrite=True, scores_precision="float16")
        if name == "gpt2_attention":  # float8 keeps attention weights (saliency's ~1e-4 underflow to 0)
            out.save(out_dir / f"{name}.float8.json", overwrite=True, scores_precision="float8")
    (out_dir / "reference.json").write_text(json.dumps(reference, indent=1) + "\n", encoding="utf-8")
    (out_dir / "README.txt").write_text(README.format(inseq=version("inseq")), encoding="utf-8")
    for path in sorted(out_dir.iterdir()):
        print(f"{path.stat().st_size:>8,}  {path.name}")


if __name__ == "__main__":
    main()
