"""Which language a parent's question is written in -- only when that is clear.

The bot answers in the language of the question ("co to jest TLV" gets Polish
even from a user who chose Dutch), so a wrong guess is worse than none: when
the evidence is thin, ``detect_language`` returns None and the caller falls
back to the user's chosen language. The lead combines: language detected here
> the language of the matched glossary form (when not Dutch) > the user's
language.

Evidence, in order:

1. Script. Non-Latin letters decide the family: Arabic script is Persian when
   its Persian letters (پ چ ژ گ ک ی) and words outweigh Arabic ones (ة ى ي ك,
   Arabic words), else Arabic (Urdu letters: None; no evidence at all: the
   whole-query match's language if ar/fa, else Arabic); Cyrillic is Ukrainian, Bulgarian or Russian by
   letters (і ї є ґ / ы э ё) and words, None when nothing tells them apart;
   Ethiopic is Tigrinya unless clearly Amharic (not supported: None); Han is
   Chinese unless kana show Japanese (None). Other scripts: None.
2. Latin script: question phrases (2 + their length in words), question
   words (2), function and everyday words (1), letters only one language uses
   (2) or a few share (1). The best language needs at least 2 points and a
   lead of 1 over the next; a bare Dutch term ("tlv", "o.p.p.") has none and
   gives None.
3. Only when the text says nothing: the form language of a whole-query
   glossary match, if that form exists in exactly one non-Dutch catalog.

The same word lists serve the search, which strips question phrases and
function words before matching (``QUESTION_PHRASES``, ``STOPWORDS``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.glossary.normalize import APOSTROPHES, is_han, normalize

if TYPE_CHECKING:
    from bot.glossary.search import Match

__all__ = [
    "CUES", "CUE_WORDS", "HAN_STOP_PHRASES", "QUESTION_PHRASES", "STOPWORDS",
    "LanguageCues", "detect_language",
]  # fmt: skip


@dataclass(frozen=True)
class LanguageCues:
    """What a question in one language typically contains (written as a parent would)."""

    phrases: tuple[str, ...] = ()  # "what is": stripped by the search, 2 + length points
    question_words: tuple[str, ...] = ()  # "what", "mean": stripped, 2 points
    function_words: tuple[str, ...] = ()  # articles, "is", "my": stripped, 1 point
    hint_words: tuple[str, ...] = ()  # everyday words ("child", "school"): kept, 1 point
    strong_letters: str = ""  # letters (almost) only this language uses: 2 points
    weak_letters: str = ""  # letters a few languages share: 1 point


def _split(words: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in words.split(",") if word.strip())


#: Per language. Words are listed as typed; they are normalized once at import.
CUES: dict[str, LanguageCues] = {
    "nl": LanguageCues(
        phrases=_split(
            "wat is, wat zijn, wat betekent, wat betekend, wat betekenen, wat houdt in, "
            "wat is de betekenis van, wat bedoelen ze met, wat wordt bedoeld met, wie is, wat doet, "
            "wat moet ik met, wat is dat"
        ),
        question_words=_split(
            "wat, betekent, betekend, betekenis, bedoeld, bedoelen, houdt, waarom, welke, wie"
        ),
        function_words=_split(
            "een, het, de, is, zijn, van, mijn, ons, onze, ik, dat, dit, er, voor, bij, naar, met, en, 'n"
        ),
        hint_words=_split(
            "kind, kinderen, zoon, dochter, juf, meester, ouders, wil, moet, kan, heeft, hoe, graag, niet, "
            "ook, waar, hallo, hoi, dag, bedankt, dank, weer, vandaag"
        ),
        weak_letters="ëï",
    ),
    "en": LanguageCues(
        phrases=_split(
            "what is, what's, what are, what does, what do, what is meant by, meaning of, who is, "
            "can you explain, tell me about, what is a, what is the"
        ),
        question_words=_split("what, whats, does, mean, means, meaning, explain, who, why"),
        function_words=_split("the, a, an, is, are, of, my, our, about, please, me, this, it, i"),
        hint_words=_split(
            "child, children, son, daughter, school, teacher, hello, hi, thanks, thank, weather, want, "
            "how, today, you, your, need, help"
        ),
    ),
    "tr": LanguageCues(
        phrases=_split(
            "ne demek, ne demektir, ne anlama gelir, ne anlama geliyor, nedir, anlamı nedir, "
            "ne demek oluyor"
        ),
        question_words=_split("nedir, demek, anlamı, anlama, nedemek, neymiş, kimdir, ne"),
        function_words=_split("bir, bu, ve, benim, için, mi, mı, mu, mü"),
        hint_words=_split("çocuğum, çocuk, okul, okulu, öğretmen, merhaba, teşekkürler, nasıl"),
        strong_letters="şğı",
        weak_letters="çöü",
    ),
    "pl": LanguageCues(
        phrases=_split("co to jest, co to, co to znaczy, co oznacza, czym jest, co znaczy, co to takiego"),
        question_words=_split("co, czym, jest, oznacza, znaczy, znaczenie, kto, dlaczego"),
        function_words=_split("to, się, mój, moje, moja, w, z"),
        hint_words=_split("dziecko, dziecka, szkoła, szkole, syn, córka, dzień, dobry, proszę, jak"),
        strong_letters="łąęśżźćń",
        weak_letters="ó",
    ),
    "es": LanguageCues(
        phrases=_split(
            "qué es, que es, qué significa, que significa, qué quiere decir, que quiere decir, qué son, "
            "cuál es, qué es el, qué es la"
        ),
        question_words=_split("qué, que, significa, significado, cuál, quién, quiere, decir"),
        function_words=_split("el, la, los, las, un, una, es, del, mi, y, por, favor"),
        hint_words=_split("hijo, hija, escuela, colegio, hola, gracias, cómo, maestro, maestra"),
        strong_letters="ñ¿¡",
        weak_letters="áéíóú",
    ),
    "pt": LanguageCues(
        phrases=_split(
            "o que é, o que significa, o que quer dizer, que quer dizer, o que são, qual é, o que é o, "
            "o que é a"
        ),
        question_words=_split("significa, significado, quer, dizer, qual"),
        function_words=_split("o, a, os, as, um, uma, é, do, da, meu, minha, no, na"),
        hint_words=_split(
            "filho, filha, escola, olá, obrigado, obrigada, não, como, professor, professora"
        ),
        strong_letters="ãõ",
        weak_letters="çâêôàéáíóú",
    ),
    "fr": LanguageCues(
        phrases=_split(
            "qu'est-ce que, qu'est ce que, qu'est-ce que c'est, c'est quoi, que signifie, que veut dire, "
            "ça veut dire quoi, qu'est-ce qu'un, qu'est-ce qu'une, c'est quoi le, c'est quoi la"
        ),
        question_words=_split("quoi, signifie, veut, dire, pourquoi"),
        function_words=_split("le, la, les, un, une, des, du, mon, ma, mes, l, c, d, qu, est, ce, que"),
        hint_words=_split("enfant, fils, fille, école, bonjour, merci, comment, maîtresse, professeur"),
        strong_letters="œùèû",
        weak_letters="çêéàâîïë",
    ),
    "ro": LanguageCues(
        phrases=_split("ce este, ce înseamnă, ce e, ce reprezintă, ce inseamna, ce este un, ce este o"),
        question_words=_split("ce, este, înseamnă, reprezintă, cine"),
        function_words=_split("un, o, al, lui, meu, mea, în, și, pe"),
        hint_words=_split(
            "copilul, copil, copilului, școala, școală, bună, mulțumesc, cum, profesor, profesoara"
        ),
        strong_letters="ășț",
        weak_letters="âîş",
    ),
    "de": LanguageCues(
        phrases=_split(
            "was ist, was sind, was bedeutet, was heißt, was versteht man unter, was ist ein, "
            "was ist eine"
        ),
        question_words=_split("was, bedeutet, bedeutung, heißt, warum"),
        function_words=_split("der, die, das, ein, eine, einen, ist, mein, meine, und, von, im"),
        hint_words=_split("kind, schule, hallo, danke, sohn, tochter, lehrer, lehrerin, wie"),
        strong_letters="ßä",
        weak_letters="öü",
    ),
    "so": LanguageCues(
        phrases=_split(
            "waa maxay, maxay tahay, maxay ka dhigan tahay, maxay la macno tahay, waa maxay macnaha, "
            "macnaha, waa maxay ka dhigan, maxay yahay"
        ),
        question_words=_split("maxay, maxaa, macnaha, micnaha, tahay, yahay, waa, dhigan, maxuu, macne"),
        function_words=_split("ka, iyo, ah, ee"),
        hint_words=_split(
            "ilmahayga, ilmaha, wiilkayga, gabadhayda, dugsiga, iskuulka, mahadsanid, sidee, salaan"
        ),
    ),
    "ar": LanguageCues(
        phrases=_split(
            "ما هو, ما هي, ماذا يعني, ماذا تعني, ما معنى, ما المقصود ب, ما هو معنى, ما المقصود, يعني ايه, "
            "شو يعني, شو هو"
        ),
        question_words=_split("ماذا, يعني, تعني, معنى, المقصود, ما, هو, هي, ماهو, ماهي"),  # also typed as one word
        function_words=_split("في, عن, هل, على, من, ال, و"),
        hint_words=_split("طفلي, ابني, ابنتي, المدرسة, مرحبا, شكرا"),
    ),
    "fa": LanguageCues(
        phrases=_split("چیست, یعنی چه, چه معنی دارد, به چه معناست, یعنی چی, چی هست, چیه, منظور از, معنی"),
        question_words=_split("چیست, یعنی, چه, چی, چیه, است, هست"),
        function_words=_split("را, در, به, از, این, برای"),
        hint_words=_split("بچه, فرزندم, فرزند, مدرسه, سلام, ممنون, پسرم, دخترم"),
    ),
    "ru": LanguageCues(
        phrases=_split("что такое, что значит, что означает, что это, что это такое, как понять"),
        question_words=_split("что, такое, значит, означает, это, кто, зачем, почему"),
        function_words=_split("мой, моя, моего, в, на, и, с, у"),
        hint_words=_split("ребенок, ребёнка, сын, дочь, школа, школе, здравствуйте, привет, спасибо, как"),
        strong_letters="ыэё",
    ),
    "uk": LanguageCues(
        phrases=_split("що таке, що означає, що це, що значить, що це таке"),
        question_words=_split("що, таке, означає, це, хто, чому"),
        function_words=_split("мій, моя, у, в, на, і, з"),
        hint_words=_split("дитина, дитини, син, донька, школа, школі, привіт, дякую, як"),
        strong_letters="іїєґ",
    ),
    "bg": LanguageCues(
        phrases=_split("какво е, какво означава, какво значи, какво представлява, какво е това"),
        question_words=_split("какво, означава, значи, представлява, кой, защо, е"),
        function_words=_split("на, в, и, моето, мое, ли, това"),
        hint_words=_split("детето, дете, син, дъщеря, училище, училището, здравейте, благодаря, как"),
        weak_letters="ъ",
    ),
    "ti": LanguageCues(
        phrases=_split("እንታይ እዩ, እንታይ ማለት እዩ, እንታይ ማለት, ትርጉሙ እንታይ እዩ"),
        question_words=_split("እንታይ, እዩ, ማለት, ትርጉሙ, ትርጉም, ድዩ"),
        function_words=_split("ኣብ, እዚ"),
        hint_words=_split("ቆልዓይ, ቤት ትምህርቲ, ሰላም, የቐንየለይ"),
        weak_letters="ኣ",
    ),
}  # fmt: skip

#: Amharic question words: Ethiopic text built on these is Amharic, which we do not support.
_AMHARIC_WORDS = frozenset({"ምንድን", "ምንድነው", "ነው", "ምን", "ምንድ", "ምንድር", "ትርጉሙ ምንድን"})

#: Chinese question particles; Chinese has no spaces, so the search removes them as substrings.
HAN_STOP_PHRASES: tuple[str, ...] = (
    "是什么意思", "什么意思", "是什么", "什么是", "的意思", "啥意思", "是啥", "啥是", "甚么", "什么", "请问",
    "意思", "吗", "呢", "啊", "的",
)  # fmt: skip

_PERSIAN_LETTERS = frozenset("پچژگکی")
_URDU_LETTERS = frozenset("ٹڈڑںےۓھ")
_ARABIC_LETTERS = frozenset("ةىيك")  # ta marbuta, alef maksura, Arabic yeh and kaf
_OTHER_CYRILLIC_LETTERS = frozenset("ђјљњћџѓќѕўқғңөұүһә")

#: Latin-script languages whose cues are scored against each other.
_LATIN_LANGUAGES = ("nl", "en", "tr", "pl", "es", "pt", "fr", "ro", "de", "so")
_CYRILLIC_LANGUAGES = ("ru", "uk", "bg")


def _normalized_phrases(phrases: Iterable[str]) -> set[tuple[str, ...]]:
    """Each phrase as tokens, apostrophes both joined and split ("c'est" -> "cest" and "c est")."""
    result: set[tuple[str, ...]] = set()
    for phrase in phrases:
        for split in (False, True):
            tokens = tuple(normalize(phrase, split_apostrophes=split).split())
            if tokens:
                result.add(tokens)
    return result


def _normalized_words(words: Iterable[str]) -> set[str]:
    return {
        token for word in words for split in (False, True) for token in normalize(word, split_apostrophes=split).split()
    }


_PHRASES_BY_LANGUAGE = {lang: _normalized_phrases(cues.phrases) for lang, cues in CUES.items()}
#: Per language, first word -> its phrases, longest first (the longest phrase that fits wins).
_PHRASES_BY_FIRST_WORD: dict[str, dict[str, list[tuple[str, ...]]]] = {
    lang: {
        first: sorted((p for p in phrases if p[0] == first), key=lambda p: (-len(p), p))
        for first in {p[0] for p in phrases}
    }
    for lang, phrases in _PHRASES_BY_LANGUAGE.items()
}
_WORD_POINTS: dict[str, dict[str, int]] = {
    lang: {
        **{word: 1 for word in _normalized_words(cues.hint_words)},
        **{word: 1 for word in _normalized_words(cues.function_words)},
        **{word: 2 for word in _normalized_words(cues.question_words)},
    }
    for lang, cues in CUES.items()
}

#: Every question phrase of every language, as normalized tokens (the search strips these).
QUESTION_PHRASES: frozenset[tuple[str, ...]] = frozenset(
    phrase for phrases in _PHRASES_BY_LANGUAGE.values() for phrase in phrases
)
#: Question and function words of every language, normalized (the search strips these).
STOPWORDS: frozenset[str] = frozenset(
    word for cues in CUES.values() for word in _normalized_words(cues.question_words + cues.function_words)
) | frozenset(token for phrase in QUESTION_PHRASES if len(phrase) == 1 for token in phrase)
#: Every cue word, hints included: such a word is never typo-matched against the glossary.
CUE_WORDS: frozenset[str] = STOPWORDS | frozenset(word for points in _WORD_POINTS.values() for word in points)

#: Only the start of a long text is read: a question's language shows in its first words.
MAX_TEXT_CHARS = 300
#: A language must score this much, and lead the next by this much, to be "clear".
MIN_POINTS = 2
MIN_LEAD = 1

_APOSTROPHE_TO_SPACE = str.maketrans({char: " " for char in APOSTROPHES})
_LETTERS = re.compile(r"[^\W\d_]")


def detect_language(text: str, match: Match | None = None) -> str | None:
    """The language ``text`` is clearly written in (one of the 17), else None.

    ``match`` is the glossary search's best match for the same text; its form
    language is used only when the text itself shows nothing and the match
    covered the whole query.
    """
    light = unicodedata.normalize("NFKC", text[:MAX_TEXT_CHARS]).casefold()
    detected = _detect_from_text(light, match)
    if detected is None and match is not None and match.whole and match.language not in (None, "nl"):
        return match.language
    return detected


def _detect_from_text(light: str, match: Match | None) -> str | None:
    letters = _LETTERS.findall(light)
    if not letters:
        return None
    counts = {"arabic": 0, "cyrillic": 0, "ethiopic": 0, "han": 0, "kana": 0, "latin": 0, "other": 0}
    for char in letters:
        counts[_letter_script(char)] += 1
    non_latin = {script: n for script, n in counts.items() if script != "latin" and n}
    if not non_latin:
        return _latin(light)
    script = max(sorted(non_latin), key=lambda name: non_latin[name])
    if script == "arabic":
        return _arabic(light, match)
    if script == "cyrillic":
        return _cyrillic(light)
    if script == "ethiopic":
        return _ethiopic(light)
    if script == "han" and not counts["kana"]:
        return "zh"
    return None


def _letter_script(char: str) -> str:
    code = ord(char)
    if code < 0x0250:
        return "latin"
    if 0x0400 <= code <= 0x04FF:
        return "cyrillic"
    if 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0xFB50 <= code <= 0xFEFF:
        return "arabic"
    if 0x1200 <= code <= 0x139F or 0x2D80 <= code <= 0x2DDF:
        return "ethiopic"
    if 0x3040 <= code <= 0x30FF:
        return "kana"
    if is_han(char):
        return "han"
    if 0x1E00 <= code <= 0x1EFF:
        return "latin"
    return "other"


def _word_points(language: str, tokens: list[str]) -> int:
    """Points for ``language`` from its phrases (2 + words in the phrase) and its words.

    A longer phrase is better evidence: "o que significa" is Portuguese even
    though "que significa" is Spanish too. A phrase's words are not counted again.
    """
    by_first = _PHRASES_BY_FIRST_WORD[language]
    points = 0
    index = 0
    while index < len(tokens):
        for phrase in by_first.get(tokens[index], ()):
            if tuple(tokens[index : index + len(phrase)]) == phrase:
                points += 2 + len(phrase)
                index += len(phrase)
                break
        else:
            points += _WORD_POINTS[language].get(tokens[index], 0)
            index += 1
    return points


def _letter_points(cues: LanguageCues, present: set[str]) -> int:
    strong = len(present.intersection(cues.strong_letters))
    weak = len(present.intersection(cues.weak_letters))
    return 2 * min(strong, 2) + min(weak, 2)


def _clear_winner(scores: dict[str, int]) -> str | None:
    """The top language when it has MIN_POINTS and leads by MIN_LEAD; ties and thin evidence give None."""
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    if not ranked or ranked[0][1] < MIN_POINTS:
        return None
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < MIN_LEAD:
        return None
    return ranked[0][0]


def _latin(light: str) -> str | None:
    present = set(light)
    joined = normalize(light).split()
    split = normalize(light, split_apostrophes=True).split()
    scores = {
        lang: max(_word_points(lang, joined), _word_points(lang, split)) + _letter_points(CUES[lang], present)
        for lang in _LATIN_LANGUAGES
    }
    return _clear_winner(scores)


def _arabic(light: str, match: Match | None) -> str | None:
    """Persian by its letters and words, Arabic by its own; with no evidence at all, Arabic.

    Persian keyboards type ی and ک where Arabic ones type ي and ك, so those
    letters are evidence too. A text with none of them ("برنامه رشد") takes the
    language of a whole-query match when there is one, else Arabic (the larger
    group of parents).
    """
    present = set(light)
    if present & _URDU_LETTERS:
        return None
    tokens = normalize(light).split()
    persian = 2 * len(present & _PERSIAN_LETTERS) + _word_points("fa", tokens)
    arabic = len(present & _ARABIC_LETTERS) + _word_points("ar", tokens)
    if persian == arabic == 0 and match is not None and match.whole and match.language in ("ar", "fa"):
        return match.language
    return "fa" if persian > arabic else "ar"


def _cyrillic(light: str) -> str | None:
    present = set(light)
    if present & _OTHER_CYRILLIC_LETTERS:
        return None
    tokens = normalize(light).split()
    scores = {lang: _word_points(lang, tokens) + _letter_points(CUES[lang], present) for lang in _CYRILLIC_LANGUAGES}
    if light.count("ъ") >= 2:
        scores["bg"] += 1  # frequent in Bulgarian, rare in Russian
    return _clear_winner(scores)


def _ethiopic(light: str) -> str | None:
    tokens = light.split()
    amharic = sum(1 for token in tokens if token.strip("?፧።") in _AMHARIC_WORDS)
    tigrinya = _word_points("ti", normalize(light).split()) + _letter_points(CUES["ti"], set(light))
    if amharic > tigrinya:
        return None
    return "ti"
