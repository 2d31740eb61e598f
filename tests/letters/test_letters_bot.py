"""Letters through the real Application and the fake Bot API, as an Arabic-speaking parent sends them.

Also the language rule: a Dutch question from a parent whose language is not Dutch is answered in the
parent's language, a question typed in another supported language in that language.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from babel.dates import format_date

from bot.i18n.bidi import FSI, PDI
from bot.letters.facts import find_facts
from bot.letters.screens import MAX_BUTTONS
from bot.services import Services
from tests.harness import REPO_ROOT, BotHarness, Reply
from tests.letters.letters_data import load_letters

LETTERS = load_letters()
ARABIC = re.compile("[\u0600-\u06ff]")


def _svc(bot: BotHarness) -> Services:
    services: Services = bot.app.bot_data["services"]
    return services


async def _forward(bot: BotHarness, user: int, text: str, lang: str) -> list[Reply]:
    raw = bot.api.user_sends_text(user, text, language_code=lang, enqueue=False)
    raw["message"]["forward_origin"] = {
        "type": "hidden_user",
        "date": raw["message"]["date"],
        "sender_user_name": "School",
    }
    await bot.feed(raw)
    return bot.new_replies(user)


def _term_buttons(replies: list[Reply]) -> list[str]:
    return [
        data for reply in replies for _, data in (b for row in reply.buttons for b in row) if data.startswith("g:t:")
    ]


# ------------------------------------------------------------------------------------------- the language rule


async def test_a_dutch_question_from_an_arabic_parent_is_answered_in_arabic_and_so_is_every_next_screen(
    bot: BotHarness,
) -> None:
    (answer,) = await bot.send(11, "wat is een opp", lang="ar")
    assert ARABIC.search(answer.text) and f"{FSI}ontwikkelingsperspectiefplan (opp){PDI}" in answer.text
    assert all(data.endswith(":ar") for data in _term_buttons([answer]) + [d for _, d in answer.buttons[0]])
    (more,) = await bot.press(11, "g:d:opp:ar")
    assert ARABIC.search(more.text) and "opp" in more.text
    related = [data for _, data in more.buttons[-1]]
    (other,) = await bot.press(11, related[0], reply=more)
    assert ARABIC.search(other.text)


async def test_a_question_in_another_language_gets_that_language_and_dutch_stays_dutch(bot: BotHarness) -> None:
    (english,) = await bot.send(12, "what is a tlv", lang="ar")
    assert not ARABIC.search(english.text) and "decision" in english.text
    (dutch,) = await bot.send(13, "wat is een tlv", lang="nl")
    assert "Een tlv is" in dutch.text


async def test_the_stored_language_choice_beats_telegrams_language(bot: BotHarness) -> None:
    await bot.send(14, "/taal", lang="ar")
    await bot.press(14, "l:tr", lang="ar")
    (answer,) = await bot.send(14, "wat is een opp", lang="ar")
    assert not ARABIC.search(answer.text) and "g:d:opp:tr" in [d for row in answer.buttons for _, d in row]


async def test_the_issues_repro_an_arabic_parent_pastes_a_four_sentence_letter(bot: BotHarness) -> None:
    letter = (
        "Beste ouders, volgende week spreken wij met u over het ontwikkelingsperspectiefplan van uw kind. "
        "De intern begeleider is daar ook bij. Misschien vragen wij daarna bij het samenwerkingsverband een tlv aan. "
        "Wij horen graag of u kunt komen."
    )
    replies = await bot.send(15, letter, lang="ar")
    text = "\n".join(reply.text for reply in replies)
    assert "ken ik (nog) niet" not in text and ARABIC.search(text)
    assert sorted(data.split(":")[2] for data in _term_buttons(replies)) == ["ib", "opp", "samenwerkingsverband", "tlv"]


# ------------------------------------------------------------------------------------------- every test letter


async def test_every_letter_is_answered_in_arabic_with_its_terms_dates_and_contacts_and_nothing_false(
    bot: BotHarness,
) -> None:
    svc = _svc(bot)
    expected_total = found_total = false_total = 0
    for number, letter in enumerate(LETTERS):
        user = 100 + number
        if letter.expected["source"] == "forward":
            replies = await _forward(bot, user, letter.text, "ar")
        else:
            replies = await bot.send(user, letter.text, lang="ar")
        text = "\n".join(reply.text for reply in replies)
        keys = [data.split(":")[2] for data in _term_buttons(replies)]
        assert all(data.endswith(":ar") for data in _term_buttons(replies)), letter.name
        expected_total += len(letter.terms)
        found_total += sum(1 for key in letter.terms if key in keys)
        false_total += sum(1 for key in keys if key not in letter.terms)
        for key in keys:  # each Dutch term stands beside its Arabic name, isolated, in the line
            assert f"{FSI}{svc.glossary.text(key, 'ar').dutch}{PDI}" in text, (letter.name, key)
        assert ARABIC.search(text) and "ken ik (nog) niet" not in text, letter.name
        now = dt.datetime.now(dt.UTC)  # the bot reads dates against today; so does this check
        for fact in find_facts(letter.text, now).dates:
            assert format_date(fact.day, format="full", locale="ar") in text, (letter.name, fact.written)
        for contact in [*letter.expected["phones"], *letter.expected["emails"]]:
            assert f"{FSI}{contact}{PDI}" in text, (letter.name, contact)
        assert all(len(reply.text) <= 4096 for reply in replies)
    recall = found_total / expected_total
    print(f"through the Application, in Arabic: recall={recall:.3f} false terms={false_total}")
    assert recall >= 0.95 and false_total == 0
    assert not bot.rejected()


async def test_a_letter_without_school_words_gets_a_kind_answer_and_its_text_is_not_kept(bot: BotHarness) -> None:
    sportdag = next(letter for letter in LETTERS if not letter.terms)
    (answer,) = await bot.send(20, sportdag.text, lang="ar")
    # no term buttons; only "🔊 Listen" (the dates can be heard) where espeak-ng is installed
    assert ARABIC.search(answer.text) and all(d.startswith("v:") for row in answer.buttons for _, d in row)
    assert "ken ik (nog) niet" not in answer.text
    await _svc(bot).repo.flush_counts()
    _asked, unmatched = await _svc(bot).repo.question_stats()
    assert all("sport" not in str(row).lower() for row in unmatched)  # counted, without its text
    database = _svc(bot).settings.db_path
    for path in database.parent.glob(database.name + "*"):
        assert b"sportpark" not in path.read_bytes()


async def test_a_term_button_opens_the_glossarys_screen_in_the_parents_language(bot: BotHarness) -> None:
    replies = await bot.send(21, LETTERS[0].text, lang="ar")
    data = _term_buttons(replies)[0]
    (screen,) = await bot.press(21, data, reply=replies[0])
    assert ARABIC.search(screen.text)
    assert {d.split(":")[1] for row in screen.buttons[:1] for _, d in row} == {"d", "a"}


async def test_a_very_long_letter_is_answered_in_several_messages_within_telegrams_limits(bot: BotHarness) -> None:
    text = "\n\n".join(letter.text for letter in LETTERS)
    text = (text * (20_000 // len(text) + 1))[:20_000]
    replies = await bot.send(22, text, lang="fa")
    assert len(replies) >= 2
    for reply in replies:
        assert len(reply.text.encode("utf-16-le")) // 2 <= 4096
        assert len([b for row in reply.buttons for b in row]) <= MAX_BUTTONS
    assert len(set(_term_buttons(replies))) == len({key for letter in LETTERS for key in letter.terms})
    assert not bot.rejected()


async def test_a_short_question_stays_a_glossary_question(bot: BotHarness) -> None:
    (answer,) = await bot.send(23, "Mijn zoon heeft een opp. Wat betekent dat?", lang="en")
    assert answer.text.startswith("📖") and "development perspective plan" in answer.text


async def test_a_forwarded_message_and_a_caption_are_read_as_letters(bot: BotHarness) -> None:
    (forwarded,) = await _forward(bot, 24, "Morgen gesprek met de IB'er.", "uk")
    assert _term_buttons([forwarded]) == ["g:t:ib:uk"]
    raw: dict[str, Any] = copy.deepcopy(bot.api.user_sends_text(25, "x", language_code="pl", enqueue=False))
    message = raw["message"]
    del message["text"]
    message["video"] = {"file_id": "v1", "file_unique_id": "u1", "width": 10, "height": 10, "duration": 1}
    message["caption"] = "Het OPP-gesprek is op woensdag 3 februari om 13.30 uur."
    await bot.feed(raw)
    (captioned,) = bot.new_replies(25)
    assert _term_buttons([captioned]) == ["g:t:opp:pl"] and "13:30" in captioned.text


async def test_a_teacher_pasting_a_draft_gets_the_words_a_parent_may_not_know_with_their_links(
    bot: BotHarness,
) -> None:
    await bot.send(30, "/start leraar")
    replies = await bot.send(30, LETTERS[1].text)
    text = "\n".join(reply.text for reply in replies)
    for key in LETTERS[1].terms:
        assert f"https://t.me/samenspraak_test_bot?start=term_{key}" in text
    (link,) = await bot.send(31, "/start term_tlv", lang="ar")
    assert ARABIC.search(link.text) and f"{FSI}toelaatbaarheidsverklaring (tlv){PDI}" in link.text


# ------------------------------------------------------------------------------------------- samenspraak ask


def test_ask_json_gives_a_letters_terms_with_their_positions() -> None:
    letter = LETTERS[0]
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "ask", "--json", "--lang", "ar", letter.text],
        capture_output=True, text=True, cwd=REPO_ROOT, check=True, timeout=120,
    )  # fmt: skip
    record = json.loads(result.stdout)
    assert record["kind"] == "letter" and record["lang"] == "ar"
    assert [term["key"] for term in record["terms"]] == letter.terms
    for term in record["terms"]:
        assert set(term) >= {"key", "dutch", "short", "position"} and ARABIC.search(term["short"])
        assert letter.text[term["position"] :].startswith(term["written"].split()[0])
    assert {"query", "lang", "key", "dutch", "text", "detail", "actions"} <= set(record)


async def test_a_longer_question_in_the_parents_own_language_stays_a_glossary_question(bot: BotHarness) -> None:
    question = (
        "Hello, the school of my son sent me a letter. They want to talk about his development perspective plan. "
        "What does that mean for us?"
    )
    (answer,) = await bot.send(26, question, lang="en")
    assert answer.text.startswith("📖") and "ontwikkelingsperspectiefplan (opp)" in answer.text


def test_samenspraak_chat_takes_a_pasted_letter_between_triple_quotes(tmp_path: Path) -> None:
    letter = next(letter for letter in LETTERS if letter.name.startswith("12_"))
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--lang", "ar", "--json", "--db", str(tmp_path / "chat.db")],
        input=f'"""\n{letter.text}"""\nwat is een opp\n', capture_output=True, text=True, cwd=REPO_ROOT,
        check=True, timeout=120,
    )  # fmt: skip
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    keys = [label for row in first["buttons"] for label in row if not label.startswith("🔊")]  # not "Listen"
    assert len(keys) == len(letter.terms) and ARABIC.search(first["text"])
    assert f"{FSI}ontwikkelingsperspectiefplan (opp){PDI}" in second["text"] and ARABIC.search(second["text"])
