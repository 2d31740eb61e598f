"""Translation has no hidden global: the catalogs are activated per update (or per block), never assumed."""

from __future__ import annotations

import asyncio
import contextvars

import pytest

from bot.i18n import T_, NoCatalogsActive, _, current_language, ngettext, translating, using_language
from bot.i18n.catalogs import Catalogs
from tests.harness import REPO_ROOT, BotHarness


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    loaded = Catalogs(REPO_ROOT / "locales")
    loaded.load()
    return loaded


@pytest.mark.parametrize(
    "call",
    [
        lambda: _("Er is niets gewist."),
        lambda: T_("Verwijderd."),
        lambda: ngettext("{count} voorbereiding", "{count} voorbereidingen", 2),
        current_language,
        lambda: using_language("ar").__enter__(),
    ],
)
def test_translating_with_nothing_activated_fails_loudly_instead_of_answering_in_dutch(call: object) -> None:
    with pytest.raises(NoCatalogsActive, match="translating"):
        contextvars.Context().run(call)  # type: ignore[arg-type]


def test_a_block_translates_and_gives_the_language_back_afterwards(catalogs: Catalogs) -> None:
    def run() -> tuple[str, str, str]:
        with translating(catalogs, "en"):
            english = _("Er is niets gewist.")
            with using_language("uk"):
                ukrainian = _("Er is niets gewist.")
            return english, ukrainian, current_language()

    english, ukrainian, after = contextvars.Context().run(run)
    assert english != "Er is niets gewist." and english.isascii()
    assert any("\u0400" <= ch <= "\u04ff" for ch in ukrainian)
    assert after == "en"


async def test_two_users_at_once_each_hear_their_own_language(bot: BotHarness) -> None:
    """Each update runs in its own context: a language set for one user never leaks to another."""
    await asyncio.gather(*(bot.send(user, "/help", lang=lang) for user, lang in ((31, "ar"), (32, "pl"), (33, "nl"))))
    arabic, polish, dutch = (bot.replies(user)[-1].text for user in (31, 32, 33))
    assert any("\u0600" <= ch <= "\u06ff" for ch in arabic)
    assert "Typ een woord" not in polish and any(ch in "ąęłńóśźż" for ch in polish.lower())
    assert "Typ een woord" in dutch


async def test_an_error_before_the_language_is_known_is_still_explained_to_the_user(bot: BotHarness) -> None:
    """The guard that activates the catalogs fails itself: the error handler must not fail on ``_()``."""
    repo = bot.app.bot_data["services"].repo
    original = repo.get_user

    async def broken(user_id: int) -> object:
        raise OSError("disk gone")

    repo.get_user = broken
    try:
        replies = await bot.send(34, "opp")
    finally:
        repo.get_user = original
    assert len(replies) == 1 and "ging iets mis" in replies[0].text
