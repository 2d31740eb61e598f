"""The few screen texts only the web pages have (domain ``samenspraak``); the rest reuse the bot's msgids."""

from __future__ import annotations

from bot.i18n import N_

SEARCH = N_("Zoeken")
LETTER_BOX = N_("Plak hier een brief van school. Ik zoek de schoolwoorden erin.")
ADD_TO_CALENDAR = N_("📅 In mijn agenda zetten")
OPEN_IN_TELEGRAM = N_("Openen in Telegram")
SEE_ALSO = N_("Zie ook")
TOO_MANY = N_("Te veel pogingen. Wacht een minuut en probeer het dan opnieuw.")

#: Groups on the glossary's index page: one per glossary file (``Term.theme``).
THEMES: dict[str, str] = {
    "ouders_en_school": N_("Ouders en school"),
    "passend_onderwijs": N_("Passend onderwijs"),
    "school_en_niveaus": N_("School en niveaus"),
    "hulp_en_rechten": N_("Hulp en rechten"),
}
