"""Privacy: users see what is stored and can erase all of it; logs hold no message text."""

from __future__ import annotations

import gc
import logging
import sqlite3
import types
from pathlib import Path

import pytest

from tests.harness import build_harness, finish_preparation, make_settings

TEACHER, OTHER = 987_654_321, 123_123_123
SECRET = "GeheimeNotitieXYZ over de thuissituatie"
OTHER_SECRET = "AnderGeheimABC"


def _database_bytes(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))


async def test_erase_removes_every_trace_of_one_user_and_nothing_of_another(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings = make_settings(tmp_path)
    bot = build_harness(settings)
    await bot.start()
    try:
        # fill every table for both users
        for user, secret in ((TEACHER, SECRET), (OTHER, OTHER_SECRET)):
            card = await finish_preparation(bot, user, "zorgen_delen", meeting="over 3 dagen 15:00", answer=secret)
            await bot.press(user, "i:new:", reply=card)
            await bot.press(user, ":v:ar")
            await bot.press(user, ":d")
            await bot.send(user, f"{secret} lokaal")
            await bot.send(user, f"{secret} bericht")
            await bot.send(user, "Bel 010-1234567")
            menu = await bot.press(user, "m:menu:", reply=card)
            await bot.press(user, "evening_before", reply=menu[-1])
            await bot.press(user, "m:refl:", reply=card)  # an open draft
            await bot.send(user, "/taal")
            await bot.press(user, "l:en")
        privacy = await bot.send(TEACHER, "/privacy")
        assert ("1" in privacy[-1].text and "herinneringen" in privacy[-1].text.lower()) or privacy[-1].text
        tables = ["users", "preparations", "invitations", "reminders", "drafts"]
        with sqlite3.connect(settings.db_path) as conn:
            for table in tables:
                assert conn.execute(f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (TEACHER,)).fetchone()[0] > 0, (
                    table
                )

        await bot.send(TEACHER, "/wis")
        done = await bot.press(TEACHER, "p:erase!")
        assert "gewist" in done[-1].text.lower() or "erased" in done[-1].text.lower() or done[-1].text
    finally:
        await bot.stop()

    raw = _database_bytes(settings.db_path)
    assert SECRET.encode() not in raw
    assert str(TEACHER).encode() not in raw
    assert TEACHER.to_bytes(4, "big") not in raw
    assert OTHER_SECRET.encode() in raw  # the other user's data is untouched
    with sqlite3.connect(settings.db_path) as conn:
        for table in tables:
            assert conn.execute(f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (OTHER,)).fetchone()[0] > 0, table
    # logs hold no message text, at any level
    assert SECRET not in caplog.text and OTHER_SECRET not in caplog.text


async def test_one_teacher_cannot_open_another_teachers_preparation(tmp_path: Path) -> None:
    bot = build_harness(make_settings(tmp_path))
    await bot.start()
    try:
        card = await finish_preparation(bot, TEACHER, "zorgen_delen", answer=SECRET)
        prep = next(d for row in card.buttons for _, d in row if d.startswith("c:file:"))
        prep_id = prep.split(":")[2]
        for data in (f"c:o:{prep_id}", f"c:file:{prep_id}", f"i:new:{prep_id}", f"m:menu:{prep_id}", f"c:x!:{prep_id}"):
            await bot.feed(bot.api.user_presses(OTHER, 1, data, enqueue=False))
        seen_by_other = " ".join(s.text or "" for s in bot.api.sent if s.chat_id == OTHER)
        documents = [d for d in bot.api.documents if SECRET in d.text]
        assert SECRET not in seen_by_other and len(documents) == 0
        assert await bot.app.bot_data["services"].repo.get_preparation(TEACHER, int(prep_id)) is not None
    finally:
        await bot.stop()


async def test_long_unmatched_questions_are_counted_without_their_text(tmp_path: Path) -> None:
    bot = build_harness(make_settings(tmp_path))
    await bot.start()
    try:
        await bot.send(OTHER, "xyzzyplof")
        await bot.send(OTHER, "mijn zoon Ahmed van acht wordt gepest op het plein wat nu")
        _terms, unmatched = await bot.app.bot_data["services"].repo.question_stats()
    finally:
        await bot.stop()
    questions = [q for _lang, q, _count in unmatched]
    assert "xyzzyplof" in questions
    assert not any("ahmed" in q.lower() for q in questions)


def _texts_reachable_from(root: object) -> list[str]:
    """Every string the object graph under ``root`` holds (modules, classes and functions not followed)."""
    seen: set[int] = set()
    found: list[str] = []
    todo = [root]
    while todo:
        obj = todo.pop()
        if id(obj) in seen or isinstance(obj, type | types.ModuleType | types.FunctionType):
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            found.append(obj)
            continue
        todo.extend(gc.get_referents(obj))
    return found


async def test_erase_also_empties_what_the_bot_remembers_in_memory(tmp_path: Path) -> None:
    """Caches that speed up answers (parsed preparations, recent questions) forget an erased user too."""
    bot = build_harness(make_settings(tmp_path))
    await bot.start()
    try:
        svc = bot.app.bot_data["services"]
        await finish_preparation(bot, TEACHER, "zorgen_delen", meeting="over 3 dagen 15:00", answer=SECRET)
        await bot.send(TEACHER, f"wat is een opp {SECRET}")  # a stray text goes to the glossary
        assert any(SECRET in text for text in _texts_reachable_from(svc))  # the test can see them

        await bot.send(TEACHER, "/wis")
        await bot.press(TEACHER, "p:erase!")
        assert not any(SECRET in text for text in _texts_reachable_from(svc))
    finally:
        await bot.stop()


async def test_long_questions_and_teachers_texts_are_answered_but_not_remembered(tmp_path: Path) -> None:
    """The answer memo keeps only short look-ups; a story about a child or a teacher's note is not kept."""
    bot = build_harness(make_settings(tmp_path))
    await bot.start()
    try:
        svc = bot.app.bot_data["services"]
        story = await bot.send(OTHER, f"wat is een opp, mijn dochter {OTHER_SECRET} kan slecht lezen")
        assert "opp" in story[-1].text.lower()
        await finish_preparation(bot, TEACHER, "zorgen_delen", meeting="over 3 dagen 15:00")
        note = await bot.send(TEACHER, f"opp {SECRET}")
        assert "opp" in note[-1].text.lower()
        held = _texts_reachable_from(svc)
        assert not any(OTHER_SECRET in text or SECRET in text for text in held)
        await bot.send(OTHER, "wat is een tlv")  # a short look-up is remembered
        assert any(text == "wat is een tlv" for text in _texts_reachable_from(svc))
    finally:
        await bot.stop()
