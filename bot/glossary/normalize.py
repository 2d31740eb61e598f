"""Fold what a parent types and what the glossary holds into one comparable form.

A parent types "O.P.P.", "opp", "ib'er", "Zorgplicht", "ما هو opp" or
"ТЛВ" on a phone keyboard, in any of seventeen languages. The glossary's
own forms are folded by the very same function, so a rule here only has to be
consistent, not linguistically perfect. Each rule below says what it fixes.

- NFKC: full-width letters (Chinese and Japanese keyboards), ligatures and
  Arabic presentation forms become the ordinary letters.
- Invisible characters go: zero-width spaces and joiners, bidi controls (a
  right-to-left client may wrap "opp" in them), the soft hyphen, the BOM. The
  Persian zero-width non-joiner goes too; "می‌خواهم" and "میخواهم" are both
  written.
- casefold (not lower): "STRASSE" and "straße" meet as "strasse".
- Latin, Greek and Cyrillic lose their diacritics (é→e, ü→u, ş→s, ș→s, ł→l,
  ı→i, ø→o, ё→е): parents type without them, or with the wrong ones.
  Cyrillic й and Ukrainian ї keep theirs: nobody writes и for й, so folding
  would only merge different words.
- Arabic script: short vowels (tashkeel) and the tatweel go; أ إ آ ٱ → ا,
  ى → ي, ة → ه, ؤ and ئ → ء (مسؤول = مسئول); Persian ی and ک → Arabic ي
  and ك (keyboards differ more than spelling does); Arabic-Indic and Persian
  digits → 0-9; the article ال is dropped from words of five letters or more
  (الخطة = خطة).
- Ethiopic is left as it is: its syllables carry no separable marks.
- Apostrophes join: "ib'er" → "iber" ("auto's", "opp's" likewise).
  ``split_apostrophes=True`` splits instead ("TLV'yi" → "tlv yi",
  "l'opp" → "l opp"); the search tries both.
- Dotted abbreviations join: "o.p.p." → "opp", "T.L.V" → "tlv" — single
  letters separated by dots. Other punctuation, symbols and emoji become
  spaces between words.
- Scripts are split apart: "ماهوopp" → "ماهو opp", "什么是opp" → "什么是 opp",
  because parents do not type a space between their script and a Dutch term.
- Spaces are collapsed.

``compact`` removes the spaces as well, so "o p p" meets "opp" and
"samen werkings verband" meets "samenwerkingsverband".
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["APOSTROPHES", "compact", "dotted_abbreviations", "is_han", "normalize", "script_of"]

#: Characters that carry no letters but reorder or hide text.
_INVISIBLE = (
    [chr(c) for c in range(0x200B, 0x2010)]  # zero-width space/non-joiner/joiner, LRM, RLM
    + [chr(c) for c in range(0x202A, 0x202F)]  # LRE RLE PDF LRO RLO
    + [chr(c) for c in range(0x2060, 0x2065)]  # word joiner, invisible operators
    + [chr(c) for c in range(0x2066, 0x206A)]  # LRI RLI FSI PDI
    + ["\ufeff", "\u00ad", "\u061c", "\u180e", "\u034f"]  # BOM, soft hyphen, ALM, MVS, CGJ
)

#: Every way a phone writes an apostrophe; all become "'" first.
APOSTROPHES = "'\u2019\u2018\u02bc\u02bb\u0060\u00b4\u2032\u02b9\ua78c\uff07"

#: Letters that look like a base letter plus a mark but must stay themselves.
_KEEP = frozenset("йЙїЇ")

#: Letters with no decomposition that parents still type without their stroke.
_SPECIAL_LATIN = {
    "ł": "l", "Ł": "L", "ı": "i", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D",
    "ħ": "h", "Ħ": "H", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ŀ": "l", "Ŀ": "L",
    "ß": "ss", "ẞ": "SS", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ə": "e", "Ə": "E",
}  # fmt: skip

#: Arabic-script letters unified so that keyboard and spelling variants meet.
_ARABIC = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ې": "ي", "ک": "ك",
    "ة": "ه", "ۀ": "ه", "ؤ": "ء", "ئ": "ء", "ـ": None,
}  # fmt: skip

#: Ranges whose precomposed letters lose their marks (Latin, Greek, Cyrillic).
_FOLDED_RANGES = ((0x00C0, 0x024F), (0x0370, 0x03FF), (0x0400, 0x04FF), (0x1E00, 0x1EFF), (0x1F00, 0x1FFF))


def _is_mark(char: str) -> bool:
    return unicodedata.category(char).startswith("M")


def _build_fold_table() -> dict[int, str | None]:
    """One ``str.translate`` table for all per-character rules (one C-level pass per query)."""
    table: dict[int, str | None] = {ord(c): None for c in _INVISIBLE}
    for char in APOSTROPHES:
        table[ord(char)] = "'"
    for start, end in _FOLDED_RANGES:
        for code in range(start, end + 1):
            char = chr(code)
            if char in _KEEP:
                continue
            stripped = "".join(c for c in unicodedata.normalize("NFD", char) if not _is_mark(c))
            if stripped and stripped != char:
                table[code] = stripped
    for code in range(0x0300, 0x0370):  # loose combining marks a keyboard left behind
        table[code] = None
    for source, latin in _SPECIAL_LATIN.items():
        table[ord(source)] = latin
    for source, arabic in _ARABIC.items():
        table[ord(source)] = arabic
    for code in [*range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)]:  # tashkeel, Quranic marks
        table[code] = None
    for digit in range(10):
        table[0x0660 + digit] = str(digit)  # Arabic-Indic
        table[0x06F0 + digit] = str(digit)  # Persian
    return table


_FOLD = _build_fold_table()

#: Single letters joined by dots: "o.p.p.", "T.L.V", "v.o." (the last dot belongs to it).
_DOTTED = re.compile(r"(?<!\w)(?:[^\W\d_]\.)+[^\W\d_](?!\w)\.?")
_HAN = r"\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
#: A word is a run of ASCII letters/digits, of Han/Kana, or of any other letters.
_WORD = re.compile(rf"[A-Za-z0-9]+|[{_HAN}]+|[^\W_A-Za-z0-9{_HAN}]+")
_ARABIC_ARTICLE = re.compile(r"^ال(?=[\u0621-\u064a]{3})")


def normalize(text: str, *, keep_case: bool = False, split_apostrophes: bool = False) -> str:
    """Fold ``text`` for matching: see the module docstring for each rule and its reason.

    ``keep_case`` skips casefolding (the search uses it to see that "MR" was
    written in capitals); ``split_apostrophes`` makes an apostrophe separate
    words instead of joining them.
    """
    text = unicodedata.normalize("NFKC", text)
    if not keep_case:
        text = text.casefold()
    text = text.translate(_FOLD)
    text = text.replace("'", " " if split_apostrophes else "")
    text = _DOTTED.sub(lambda match: match.group().replace(".", ""), text)
    words = _WORD.findall(text)
    return " ".join(_ARABIC_ARTICLE.sub("", word) if "ال" in word else word for word in words)


def dotted_abbreviations(text: str) -> frozenset[str]:
    """The dotted abbreviations in ``text``, normalized: "wat is p.o.?" -> {"po"}.

    A parent who types dots means an abbreviation, just as one who types capitals
    ("PO"); the search lets both count where a lower-case "po" in a sentence is only a word.
    """
    if "." not in text:
        return frozenset()
    return frozenset(normalize(match.group()) for match in _DOTTED.finditer(unicodedata.normalize("NFKC", text)))


def compact(text: str) -> str:
    """``normalize`` without spaces: "o p p" and "opp" are the same key."""
    return normalize(text).replace(" ", "")


def is_han(char: str) -> bool:
    """True for Chinese characters (and Japanese kana): words there are not separated by spaces."""
    code = ord(char)
    return 0x3040 <= code <= 0x30FF or 0x3400 <= code <= 0x4DBF or 0x4E00 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF


def script_of(word: str) -> str:
    """The script of a normalized word, by its first character: latin, cyrillic, arabic, ethiopic, han..."""
    if not word:
        return "other"
    code = ord(word[0])
    if code < 0x80:
        return "latin"
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F:
        return "arabic"
    if 0x1200 <= code <= 0x139F or 0x2D80 <= code <= 0x2DDF:
        return "ethiopic"
    if is_han(word[0]):
        return "han"
    return "other"
