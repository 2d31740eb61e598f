"""A word with two meanings at school, through the real bot: "which one do you mean?", never a guess.

Runs on the real glossary with the "SO" stand-in (``glossary_data.py``) until the real
schriftelijke_overhoring is merged, then on the real term.
"""

from __future__ import annotations

from pathlib import Path

from tests.glossary.glossary_data import content_root
from tests.harness import BotHarness, build_harness, make_settings

DUTCH_QUESTION = "Dit woord kan op school verschillende dingen betekenen. Welke bedoelt u?"


async def _bot(tmp_path: Path) -> BotHarness:
    root, _added = content_root(tmp_path)
    bot = build_harness(make_settings(tmp_path, content_root=root))
    await bot.start()
    return bot


async def test_so_offers_both_meanings_in_the_parents_language_and_is_not_an_unknown_word(tmp_path: Path) -> None:
    bot = await _bot(tmp_path)
    try:
        (reply,) = await bot.send(41, "wat is SO", lang="ar")
        keys = [data.split(":")[2] for data in (d for row in reply.buttons for _, d in row) if data.startswith("g:t:")]
        assert set(keys) == {"so", "schriftelijke_overhoring"}
        assert all(d.endswith(":ar") for row in reply.buttons for _, d in row if d.startswith("g:t:"))
        assert DUTCH_QUESTION not in reply.text and "؟" in reply.text  # asked in Arabic, not answered
        assert "ken ik (nog) niet" not in reply.text

        (chosen,) = await bot.press(41, "g:t:schriftelijke_overhoring:ar", lang="ar")
        assert chosen.text.startswith("📖") and "schriftelijke overhoring" in chosen.text

        (dutch,) = await bot.send(42, "so?", lang="nl")
        assert DUTCH_QUESTION in dutch.text and len(dutch.buttons) == 2

        await bot.send(43, "xyzzyplof", lang="nl")
        await bot.app.bot_data["services"].repo.flush_counts()
        _terms, unmatched = await bot.app.bot_data["services"].repo.question_stats()
    finally:
        await bot.stop()
    questions = [question for _language, question, _count in unmatched]
    assert "xyzzyplof" in questions  # an unknown word is counted for the editors
    assert not any(question in ("wat is so", "so") for question in questions)  # a known word with two meanings is not


async def test_a_title_and_a_lower_case_short_word_in_a_sentence_are_not_answered(tmp_path: Path) -> None:
    bot = await _bot(tmp_path)
    try:
        (title,) = await bot.send(44, "mr. De Vries belde vanmorgen", lang="nl")
        (weak,) = await bot.send(45, "hij gaat misschien naar het so", lang="nl")
        (council,) = await bot.send(46, "wat doet de MR", lang="nl")
    finally:
        await bot.stop()
    assert not title.text.startswith("📖")  # the title is not the medezeggenschapsraad
    assert DUTCH_QUESTION in weak.text and "g:t:so:nl" in {d for row in weak.buttons for _, d in row}
    assert council.text.startswith("📖") and "medezeggenschapsraad" in council.text
