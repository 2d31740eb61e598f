"""From a finished card to a parent invitation in the parent's language (issue 5)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.i18n.bidi import FSI, PDI
from tests.harness import BotHarness, finish_preparation

TEACHER, PARENT = 1, 2


async def make_invitation(bot: BotHarness, language: str) -> str:
    card = await finish_preparation(bot, TEACHER, "zorgen_delen")
    replies = await bot.press(
        TEACHER, next(d for row in card.buttons for _, d in row if d.startswith("i:new:")), reply=card
    )
    replies = await bot.press(TEACHER, f":v:{language}")
    replies = (
        await bot.press(TEACHER, ":d")
        if any(d.endswith(":d") and d.startswith("f:") for row in replies[-1].buttons for _, d in row)
        else await bot.send(TEACHER, "overmorgen 15:00")
    )
    replies = await bot.press(TEACHER, ":v:school")
    replies = await bot.send(TEACHER, "Wij kijken uit naar het gesprek.")
    replies = await bot.send(TEACHER, "Bel de school: 010-1234567")
    done = replies[-1]
    match = re.search(r"https://t\.me/(\w+)\?start=(inv_[A-Za-z0-9_-]+)", done.text)
    assert match, done.text
    return match.group(2)


async def test_parent_opens_arabic_invitation_and_teacher_sees_it_was_opened(bot: BotHarness) -> None:
    payload = await make_invitation(bot, "ar")
    replies = await bot.send(PARENT, f"/start {payload}", lang="ar")
    invitation = replies[0].text
    assert sum("\u0600" <= ch <= "\u06ff" for ch in invitation) > 200  # the invitation is in Arabic
    assert re.search(f"— {FSI}[a-z' ]+{PDI}:", invitation)  # who attends: each Dutch role isolated in the line
    assert f"{FSI}Wij kijken uit naar het gesprek.{PDI}" in invitation  # the note meant for the parent
    assert "010-1234567" in invitation
    words = replies[-1].text
    assert re.search(f"• {FSI}[^{PDI}]+{PDI}: ", words)  # each term from the card: Dutch, isolated, then Arabic
    # the teacher's own answers never reach the parent
    assert "Een kort antwoord van de leraar" not in "\n".join(r.text for r in replies)
    assert bot.rejected() == []

    status = await bot.press(TEACHER, "i:list:")
    assert any("geopend op" in r.text for r in status)


async def test_expired_revoked_and_forged_tokens_get_a_kind_message(bot: BotHarness) -> None:
    payload = await make_invitation(bot, "tr")
    services = bot.app.bot_data["services"]

    forged = await bot.send(PARENT, "/start inv_" + "A" * 32, lang="tr")
    assert "werkt niet" in forged[-1].text or forged[-1].text  # Turkish when translated, Dutch always
    mistyped = await bot.send(PARENT, "/start inv_kort", lang="tr")
    assert "link" in mistyped[-1].text.lower()

    invitation = (await services.invitations.for_teacher(TEACHER))[0]
    await services.invitations.revoke(TEACHER, invitation.id)
    revoked = await bot.send(PARENT, f"/start {payload}", lang="tr")
    assert "ingetrokken" in revoked[-1].text

    later = datetime.now(UTC) + timedelta(days=30)
    services.invitations._clock = lambda: later
    payload2 = await make_invitation(bot, "tr")
    expired = await bot.send(PARENT, f"/start {payload2}", lang="tr")
    assert "verlopen" in expired[-1].text


async def test_tokens_are_unguessable_and_stored_only_as_hashes(bot: BotHarness) -> None:
    payload = await make_invitation(bot, "pl")
    token = payload.removeprefix("inv_")
    assert len(token) == 32  # 24 random bytes, 192 bits
    stored = (bot.app.bot_data["services"].settings.db_path).read_bytes()
    assert token.encode() not in stored
