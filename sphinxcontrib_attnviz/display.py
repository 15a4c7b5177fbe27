"""What each token shows: the one model of displayed tokens that every renderer draws.

A tokenizer's tokens are not the text they stand for: GPT-2 writes a space as ``Ġ`` and
every byte of "café" through its byte-to-unicode table, BERT marks a word's later pieces
with ``##``, SentencePiece marks a word's start with ``▁`` and writes characters outside
its vocabulary as byte pieces ``<0xF0>``. :func:`display_tokens` undoes a scheme and
makes whitespace and control characters visible; :func:`display_offsets` takes the
original text and each token's character span instead. Both give a :class:`TokenDisplay`.

Schemes (``none`` changes nothing but the visible stand-ins below):

- ``wordpiece``: a piece starting with ``##`` continues the previous word (Hugging Face
  ``tokenizers``, ``decoders.WordPiece``, prefix ``##``; BERT's vocabulary).
- ``bpe``: byte-level BPE. Each character stands for one byte through GPT-2's
  ``bytes_to_unicode`` table (Radford et al., 2019, ``encoder.py`` of openai/gpt-2;
  ``tokenizers``' ``decoders.ByteLevel``); the bytes are decoded as UTF-8. A piece
  whose bytes start with a space starts a word; others continue it.
- ``sentencepiece``: ``▁`` (U+2581) stands for a space, and a piece starting with it
  starts a word (SentencePiece; ``tokenizers``' ``decoders.Metaspace``); byte-fallback
  pieces ``<0x00>`` ... ``<0xFF>`` are bytes decoded as UTF-8 (``decoders.ByteFallback``).
- ``auto``: the scheme whose markers the tokens carry (:func:`detect_scheme`), or ``none``.

Special tokens (``[CLS]``, ``<s>``, ``<|endoftext|>``) always stand alone.

A character whose UTF-8 bytes are split across tokens is shown once, on the token that
completes it; the tokens before it show nothing of it (their display text is empty and
their note says so) and are drawn in the same word. Bytes that never make a character
show as U+FFFD (as ``bytes.decode(errors="replace")`` gives) on the last token that held
them; a lone surrogate a token holds shows as its code.

Visible stand-ins, in every scheme:

- a newline is ``↵`` (U+21B5), and the line breaks after the token;
- the other C0 controls and DEL are Unicode's Control Pictures (tab ``␉``, form feed ``␌``,
  escape ``␛``, NUL ``␀``, ...);
- C1 controls, the line and paragraph separators U+2028/U+2029, bidirectional controls,
  surrogates and the noncharacters (U+FDD0 to U+FDEF, U+FFFE and U+FFFF of every plane)
  are written as Python writes them,
  ``\\x85``, ``\\u2028``, ``\\u202e``;
- a token that shows nothing is ``∅`` (U+2205); in a token of nothing visible each space
  is ``␣`` (U+2423), other spaces and format characters (zero-width space and joiner,
  BOM, soft hyphen) are written as codes (``\\xa0``, ``\\u200d``), and a lone combining
  mark stands on a dotted circle (``◌́``).
"""

from __future__ import annotations

import codecs
import operator
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property

import numpy as np

from .errors import DataError

SCHEMES = ("none", "wordpiece", "bpe", "sentencepiece", "auto")

NEWLINE_MARK = "\u21b5"
EMPTY_MARK = "\u2205"
SPACE_MARK = "\u2423"
#: The base Unicode draws a lone combining mark on (The Unicode Standard, 2.11).
DOTTED_CIRCLE = "\u25cc"
PARTIAL_NOTE = "the first bytes of a character the next token completes"
BROKEN_NOTE = "bytes that make no character (shown as U+FFFD on a token after it)"
SHARED_NOTE = "shares characters with the next token, which shows them"

#: Special tokens: BERT's ``[CLS]``, GPT's ``<|endoftext|>``, SentencePiece's and RoBERTa's
#: ``<s>``, ``</s>``, ``<pad>``, ``<unk>``, ``<mask>`` (a token such as ``<b>`` is text).
_SPECIAL = re.compile(r"^(\[[A-Z_]+\]|<\|[^<>|\s]+\|>|</?s>|<(?:pad|unk|mask|cls|sep|bos|eos)>)$")
_BYTE_PIECE = re.compile(r"^<0x([0-9A-Fa-f]{2})>$")
_WORDPIECE_MARK = "##"
_METASPACE = "\u2581"
_BYTE_LEVEL_SPACE = "\u0120"
#: Characters never drawn as they are: controls, line separators, bidi controls,
#: surrogates, and noncharacters (what XML 1.0 and UTF-8 output do not allow).
NEEDS_STAND_IN = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef"
    + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
    + "]"
)


@cache
def byte_decoder() -> dict[str, int]:
    """GPT-2's ``bytes_to_unicode`` table reversed: each of its 256 characters -> its byte.

    Printable Latin-1 bytes stand for themselves; the other 68 bytes (controls, space,
    DEL, ...) are shifted to U+0100 onwards in byte order, so the space 0x20 is ``Ġ``
    (U+0120) and the newline 0x0A is ``Ċ`` (U+010A). Source: openai/gpt-2 ``encoder.py``.
    """
    printable = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    table = {chr(byte): byte for byte in printable}
    shifted = (byte for byte in range(256) if byte not in table.values())
    table.update({chr(256 + index): byte for index, byte in enumerate(shifted)})
    return table


def visible(text: str) -> str:
    """``text`` with whitespace and control characters shown by their stand-ins.

    Each newline is a ``↵``; a text that holds one ends with a newline, where renderers
    break the line (after the token). A text of nothing visible (spaces, zero-width and
    other format characters, combining marks) shows each of them: ``␣``, a code, a mark
    on a dotted circle ``◌́``.
    """
    if text.isascii() and text.isprintable() and text.strip(" "):
        return text  # the common case, at once: letters, digits, punctuation, inner spaces
    if not text:
        return EMPTY_MARK
    if _shows_nothing(text):
        shown = "".join(map(_visible_alone, text))
    elif NEEDS_STAND_IN.search(text) is None:
        return text
    else:
        shown = NEEDS_STAND_IN.sub(lambda match: _stand_in(match.group()), text)
    return shown + "\n" if "\n" in text else shown


#: Unicode categories that draw nothing on their own: format characters (zero-width
#: space and joiner, BOM, soft hyphen), combining marks, separators.
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Mn", "Me", "Zs", "Zl", "Zp"})


def _shows_nothing(text: str) -> bool:
    if text.isascii():
        return text.isspace() or all(char < " " or char == "\x7f" for char in text.replace(" ", ""))
    return all(map(_INVISIBLE_CATEGORIES.__contains__, map(unicodedata.category, text)))


def _visible_alone(char: str) -> str:
    """A character of a text that shows nothing otherwise."""
    if char == " ":
        return SPACE_MARK
    if NEEDS_STAND_IN.match(char):
        return _stand_in(char)
    if unicodedata.category(char) in ("Mn", "Me"):
        return DOTTED_CIRCLE + char
    return _code(char)


def _stand_in(char: str) -> str:
    """A control character's stand-in: ``↵``, a Control Picture, or its code."""
    code = ord(char)
    if char == "\n":
        return NEWLINE_MARK
    if code < 0x20:
        return chr(0x2400 + code)
    if code == 0x7F:
        return "\u2421"
    return _code(char)


def _code(char: str) -> str:
    """``\\x85``, ``\\u2028``: the character's code as Python writes it."""
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


@dataclass(frozen=True, eq=False)
class TokenDisplay:
    """What each of N tokens shows, and what is drawn between them.

    ``texts[i]`` is token i's display text: decoded, with visible stand-ins; it holds a
    newline only right after a ``↵``, where the line breaks after the token. ``joins``
    (N booleans) says which tokens continue the word of the token before (no space
    between them). ``decoded[i]`` is what token i adds to the decoded text, as the
    tokenizer's decoder writes it: no stand-ins, the space that starts a word included
    (with ``none``, the tokens themselves, joined by spaces; with offsets, the token's span
    with the original text before it). With offsets, ``gaps[i]`` is what is drawn before
    token i: the original text between token i-1 and token i (controls as stand-ins), and
    ``tail`` the text after the last token (``decoded_tail`` as it is). The per-token
    flags are arrays, so long texts stay light.
    """

    texts: tuple[str, ...]
    joins: np.ndarray
    decoded: tuple[str, ...]
    scheme: str = "none"
    detected: bool = False
    gaps: tuple[str, ...] | None = None
    tail: str = ""
    decoded_tail: str = ""
    #: Notes for a token's tooltip, by index (a split character's first bytes).
    notes: dict[int, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        joins = np.array(self.joins, dtype=bool).reshape(len(self.texts))
        joins.flags.writeable = False
        object.__setattr__(self, "joins", joins)

    def __len__(self) -> int:
        return len(self.texts)

    @cached_property
    def breaks(self) -> np.ndarray:
        """Whether the line breaks after each token (its text ends with a newline)."""
        if "\n" not in "".join(self.texts):  # one scan in C: most texts break no line
            return np.zeros(len(self.texts), dtype=bool)
        return np.fromiter((text.endswith("\n") for text in self.texts), dtype=bool, count=len(self.texts))

    @cached_property
    def _breaks_before(self) -> np.ndarray:
        return np.concatenate(([False], self.breaks[:-1])) if len(self.texts) else self.breaks

    @cached_property
    def spaced(self) -> np.ndarray:
        """Whether a single space is drawn before each token (a new word, not the first,
        not at the start of a line; with offsets, where the gap is one space)."""
        if self.gaps is not None:
            return np.fromiter((gap == " " for gap in self.gaps), dtype=bool, count=len(self.gaps))
        spaced = ~self.joins & ~self._breaks_before
        spaced[:1] = False
        return spaced

    def separators(self) -> list[str]:
        """The plain text drawn before each token: with offsets, the gap from the original
        text; otherwise a space before each new word (none at the start or after a line break)."""
        if self.gaps is not None:
            return list(self.gaps)
        return [" " if spaced else "" for spaced in self.spaced.tolist()]

    @cached_property
    def joined(self) -> np.ndarray:
        """Whether each token is drawn in one word with the token before it: a piece that
        continues the word, with nothing drawn between them."""
        return self.joins & ~self._breaks_before  # with offsets, joins already means no gap

    @cached_property
    def word_edges(self) -> tuple[np.ndarray, np.ndarray]:
        """For each token, whether it is the first piece of a word of several pieces, and
        whether it is the last piece of one."""
        following = np.concatenate((self.joined[1:], [False]))
        return ~self.joined & following, self.joined & ~following

    @cached_property
    def completes(self) -> dict[int, list[int]]:
        """The tokens that show nothing because a token after them shows their character
        (its first bytes, or a shared span), by that token's index."""
        completed: dict[int, list[int]] = {}
        run: list[int] = []
        for index in sorted(self.notes):
            if self.texts[index] or self.notes[index] not in (PARTIAL_NOTE, SHARED_NOTE):
                continue
            run.append(index)
            following = index + 1
            if following not in self.notes or self.texts[following]:
                completed[following] = run
                run = []
        return completed

    def decoded_text(self) -> str:
        """The text the tokens stand for, as the tokenizer's own decoder gives it: the
        decoded pieces one after the other (with offsets, each span with the text before
        it, then ``decoded_tail``: the original text again)."""
        if self.scheme == "none":
            return " ".join(self.decoded)
        return "".join(self.decoded) + self.decoded_tail


#: Separates tokens in a joined text, which a regular expression then scans once in C:
#: a character no token may hold for the scan to be valid (checked by counting).
_SEPARATOR = "\x00"
#: In a joined text, what makes a token other than itself when shown: a character that is
#: not printable ASCII; a token of nothing but spaces, or of nothing (after a separator).
_NOT_ASCII_PRINTABLE = re.compile("[^\x00\x20-\x7e]")
_BLANK_AFTER = re.compile("\x00(?= *(?:\x00|$))")
#: The bytes of ASCII text that :data:`_NOT_ASCII_PRINTABLE` does not match.
_ASCII_PRINTABLE = bytes([0, *range(0x20, 0x7F)])


def visible_texts(tokens: Sequence[str]) -> tuple[str, ...]:
    """``tuple(map(visible, tokens))``, with :func:`visible` called only for the tokens that
    are not shown as they are: the tokens are joined and scanned by two regular
    expressions (in C), so that a text of many distinct tokens costs no Python per token."""
    texts = tuple(tokens)
    if not texts:
        return texts
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != len(texts) - 1:  # a token holds the separator
        return tuple(map(visible, texts))
    odd = []
    # each scan only where a test in C (ASCII text with no control character; no separator
    # followed by a space, another separator or the end) does not rule out any match
    if not joined.isascii() or joined.encode("ascii").translate(None, _ASCII_PRINTABLE):
        odd += [match.start() for match in _NOT_ASCII_PRINTABLE.finditer(joined)]
    if "\x00 " in joined or "\x00\x00" in joined or joined.endswith("\x00"):
        odd += [match.start() + 1 for match in _BLANK_AFTER.finditer(joined)]  # the blank token's start
    if not texts[0].strip(" "):
        odd.append(0)
    if not odd:
        return texts
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)) + 1)  # separator included
    shown = list(texts)
    for index in np.unique(np.searchsorted(ends, odd, side="right")).tolist():
        shown[index] = visible(texts[index])
    return tuple(shown)


def display_tokens(tokens: Sequence[str], scheme: str = "none") -> TokenDisplay:
    """The display of N ``tokens`` under ``scheme`` (one of :data:`SCHEMES`); a ValueError
    for any other scheme."""
    if scheme not in SCHEMES:
        raise ValueError(f"unknown subword scheme {scheme!r}: expected one of {', '.join(SCHEMES)}")
    detected = scheme == "auto"
    if detected:
        scheme = detect_scheme(tokens)
    if scheme == "none":
        return TokenDisplay(visible_texts(tokens), np.zeros(len(tokens), dtype=bool), tuple(tokens), scheme, detected)
    pieces = _decode(tokens, scheme)
    return TokenDisplay(
        texts=tuple(_shown(piece) for piece in pieces),
        joins=np.array([piece.continues for piece in pieces], dtype=bool),
        decoded=tuple(piece.decoded for piece in pieces),
        scheme=scheme,
        detected=detected,
        notes={index: piece.note for index, piece in enumerate(pieces) if piece.note},
    )


def detect_scheme(tokens: Sequence[str]) -> str:
    """The scheme whose markers most distinct tokens carry: ``##`` continuations
    (wordpiece), ``▁`` or byte pieces ``<0xNN>`` (sentencepiece), or ``Ġ`` word starts in
    tokens written wholly in GPT-2's byte alphabet (bpe; the alphabet alone is no sign:
    it holds letters such as Turkish dotless i and Polish l with stroke); ``none`` when no token
    carries one."""
    counts = {"wordpiece": 0, "sentencepiece": 0, "bpe": 0}
    distinct = set(tokens)
    byte_level = byte_decoder()
    in_alphabet = all(_SPECIAL.match(token) or all(char in byte_level for char in token) for token in distinct)
    for token in distinct:
        if not _wordpiece(token)[1]:  # a continuation
            counts["wordpiece"] += 1
        elif _METASPACE in token or _BYTE_PIECE.match(token):
            counts["sentencepiece"] += 1
        elif in_alphabet and token.startswith(_BYTE_LEVEL_SPACE):
            counts["bpe"] += 1
    scheme, count = max(counts.items(), key=lambda item: item[1])
    return scheme if count else "none"


def _replace_or_pass_surrogate(error: UnicodeError) -> tuple[str, int]:
    """UTF-8 decoding errors: a lone surrogate that a token held comes back as itself
    (its stand-in shows it), any other byte that makes no character as U+FFFD."""
    assert isinstance(error, UnicodeDecodeError)
    encoded = error.object[error.start : error.start + 3]
    try:
        return encoded.decode("utf-8", "surrogatepass"), error.start + 3
    except UnicodeDecodeError:
        return "\ufffd", error.end


_DECODE_ERRORS = "attnviz.replace-or-pass-surrogate"
codecs.register_error(_DECODE_ERRORS, _replace_or_pass_surrogate)


@dataclass(frozen=True)
class _Piece:
    text: str  # what the token shows, without the space that starts a word
    decoded: str  # what the token adds to the decoded text, that space included
    continues: bool  # drawn in one word with the piece before it
    partial: bool = False  # holds only the first bytes of a character
    lone_space: bool = False  # only the mark that starts a word: a space, and a word of its own
    note: str | None = None  # for its tooltip


def _partial(piece: _Piece, note: str) -> _Piece:
    return _Piece("", piece.decoded, piece.continues, partial=True, note=note)


def _shown(piece: _Piece) -> str:
    if piece.partial:
        return ""
    return SPACE_MARK if piece.lone_space else visible(piece.text)


def _decode(tokens: Sequence[str], scheme: str) -> list[_Piece]:
    """Each token's text under ``scheme``, bytes decoded across tokens as one UTF-8 stream
    (``decoders.ByteLevel`` and ``decoders.ByteFallback`` decode a whole sequence at once)."""
    decoder = codecs.getincrementaldecoder("utf-8")(errors=_DECODE_ERRORS)
    pieces: list[_Piece] = []
    previous_special = True  # the first piece never continues
    for index, token in enumerate(tokens):
        special = _SPECIAL.match(token) is not None and not (scheme == "sentencepiece" and _BYTE_PIECE.match(token))
        if special or scheme == "wordpiece":
            _flush(decoder, pieces)
            text, starts_word = _wordpiece(token) if scheme == "wordpiece" and not special else (token, True)
            space = " " if scheme == "wordpiece" and starts_word and index > 0 else ""
            pieces.append(_Piece(text, space + text, continues=not (starts_word or special or previous_special)))
            previous_special = special
            continue
        raw = _token_bytes(token, scheme)
        if decoder.getstate()[0] and not (raw and 0x80 <= raw[0] <= 0xBF):
            _flush(decoder, pieces)  # what came before is no character: U+FFFD, on its own token
        starts_word = raw.startswith(b" ") if scheme == "bpe" else token.startswith(_METASPACE)
        full = decoder.decode(raw)
        text = full[1:] if starts_word and full.startswith(" ") else full
        # decoders.Metaspace drops the first token's space
        decoded = full.removeprefix(" ") if scheme == "sentencepiece" and index == 0 else full
        continues = not (starts_word or previous_special)
        previous_special = False
        if starts_word and raw == b" ":
            pieces.append(_Piece("", decoded, continues=False, lone_space=True))
        else:
            partial = not text and bool(decoder.getstate()[0])
            pieces.append(_Piece(text, decoded, continues, partial, note=PARTIAL_NOTE if partial else None))
    _flush(decoder, pieces)
    return pieces


def _flush(decoder: codecs.IncrementalDecoder, pieces: list[_Piece]) -> None:
    """End the byte stream: bytes left over never made a character, and show as U+FFFD
    on the last token that held them."""
    rest = decoder.decode(b"", final=True)
    if rest:
        last = pieces[-1]
        pieces[-1] = _Piece(last.text + rest, last.decoded + rest, last.continues)
        index = len(pieces) - 2
        while index >= 0 and pieces[index].partial:  # their bytes completed nothing
            pieces[index] = _partial(pieces[index], BROKEN_NOTE)
            index -= 1
    decoder.reset()


def _wordpiece(token: str) -> tuple[str, bool]:
    """A WordPiece token's text and whether it starts a word."""
    if token.startswith(_WORDPIECE_MARK) and len(token) > len(_WORDPIECE_MARK):
        return token[len(_WORDPIECE_MARK) :], False
    return token, True


def _token_bytes(token: str, scheme: str) -> bytes:
    """The bytes a byte-level BPE or SentencePiece token stands for (a word-start space included)."""
    if scheme == "bpe":
        table = byte_decoder()
        # a character outside the table (a special token's, say) stands for its own UTF-8 bytes
        return b"".join(
            bytes([table[char]]) if char in table else char.encode("utf-8", "surrogatepass") for char in token
        )
    byte = _BYTE_PIECE.match(token)
    if byte:
        return bytes([int(byte.group(1), 16)])
    return token.replace(_METASPACE, " ").encode("utf-8", "surrogatepass")


def byte_label(token: str, scheme: str) -> str:
    """A token's bytes as SentencePiece names its byte tokens, ``<0xEF><0xBF>``: the label of
    a piece that shows nothing alone (the first bytes of a character split across tokens),
    where a label must show something (the matrix view's column headers)."""
    return "".join(f"<0x{byte:02X}>" for byte in _token_bytes(token, scheme))


def display_offsets(
    text: str, offsets: Sequence[Sequence[int]], tokens: Sequence[str] | None = None, source: str | None = None
) -> TokenDisplay:
    """The display of ``text`` cut into tokens by character ``offsets``: one ``[start, end)``
    per token, what Hugging Face tokenizers return with ``return_offsets_mapping=True``.

    The text between spans is drawn plain, as it is, and so are a span's leading spaces;
    a token joins the one before it when nothing lies between them. Spans come in order.
    A span may overlap the one before it, as byte-level and SentencePiece tokenizers give
    the tokens that share a character (or a word-start mark) the same characters: the
    shared characters are shown once, on the later token, like a split character's bytes.
    An empty span at 0 is a special token with no text (Hugging Face gives ``[CLS]`` and
    ``[SEP]`` the span ``(0, 0)``): it shows its name from ``tokens`` if that is a special
    token's, else ``∅``, and stands alone.
    Raises DataError naming the token for a span out of range, reversed or out of order.
    """
    texts: list[str] = []
    joins: list[bool] = []
    gaps: list[str] = []
    decoded: list[str] = []  # each token's span, with the text before it
    raw_gaps: list[str] = []
    notes: dict[int, str] = {}
    position = 0  # where the text shown so far ends
    previous_start: int | None = None  # the span start of the last token with text, if it may share
    for index, span in enumerate(offsets):
        start, end = _checked_span(span, index, len(text), source)
        if start == end == 0:  # a special token (or an empty span): a word of its own
            name = tokens[index] if tokens is not None else ""
            texts.append(visible(name if _SPECIAL.match(name) else ""))
            joins.append(False)
            gaps.append(" " if index else "")
            decoded.append("")
            raw_gaps.append("")
            previous_start = None
            continue
        if start < position:
            if previous_start is None or start < previous_start or end < position:
                raise DataError(
                    f"offsets of token {index + 1} ({start}, {end}) overlap the token before it, "
                    f"which ends at {position}, and do not go on from it",
                    source,
                )
            kept = text[previous_start:start]  # the earlier token keeps what the later one does not show
            texts[-1], decoded[-1] = visible(kept) if kept else "", raw_gaps[-1] + kept
            notes[index - 1] = SHARED_NOTE
            gap = ""
        else:
            gap = text[position:start]
        piece = text[start:end]
        if not piece.isspace():  # a span's leading spaces (GPT-2 gives them) are drawn between tokens
            lead = len(piece) - len(piece.lstrip())
            gap, piece, start = gap + piece[:lead], piece[lead:], start + lead
        after_special = index > 0 and previous_start is None
        gaps.append(plain(gap) or (" " if after_special else ""))  # a special token is a word of its own
        # one word with the token before: nothing between them, no space at the seam
        joins.append(
            not gap and previous_start is not None and not piece[:1].isspace() and not decoded[-1][-1:].isspace()
        )
        texts.append(visible(piece))
        decoded.append(gap + piece)
        raw_gaps.append(gap)
        position, previous_start = end, start
    return TokenDisplay(
        tuple(texts),
        tuple(joins),
        tuple(decoded),
        scheme="offsets",
        gaps=tuple(gaps),
        tail=plain(text[position:]),
        decoded_tail=text[position:],
        notes=notes,
    )


def _checked_span(span: Sequence[int], index: int, length: int, source: str | None) -> tuple[int, int]:
    try:
        if isinstance(span, (str, bytes)) or any(isinstance(value, bool) for value in span):
            raise TypeError
        start, end = (operator.index(value) for value in span)
    except (TypeError, ValueError):
        raise DataError(
            f"offsets of token {index + 1} must be two integers [start, end], not {span!r}", source
        ) from None
    if not 0 <= start <= end <= length:
        raise DataError(
            f"offsets of token {index + 1} ({start}, {end}) are out of range: the text has {length} characters", source
        )
    return start, end


def plain(gap: str) -> str:
    """Text between tokens as drawn: as it is, but never a raw control character
    (a newline, or CR LF, stays a line break)."""
    text = gap.replace("\r\n", "\n")
    return NEEDS_STAND_IN.sub(lambda match: "\n" if match.group() == "\n" else _stand_in(match.group()), text)


def inline(text: str) -> str:
    """A label or other text on one line: every control character, newlines included,
    shown by its stand-in."""
    return NEEDS_STAND_IN.sub(lambda match: _stand_in(match.group()), text)
