"""What the teacher reads when the engine refuses an input: one sentence that says what to do."""

from __future__ import annotations

from bot.i18n import T_, TN_

_REASONS = {
    "empty": TN_("Je antwoord is leeg. Typ een paar woorden."),
    "too_long": TN_("Dat antwoord is te lang voor de kaart. Maak het wat korter."),
    "unknown_option": TN_("Die keuze ken ik niet. Kies een van de knoppen."),
    "nothing_selected": TN_("Kies minstens één mogelijkheid, en tik dan op Klaar."),
    "unparseable": TN_("Die datum begrijp ik niet. Bijvoorbeeld: morgen 15:00, di 14:30 of 12-3 9:00."),
    "no_such_date": TN_("Die datum bestaat niet. Kijk de dag en de maand nog eens na."),
    "no_such_time": TN_("Die tijd bestaat niet op die dag (de klok wordt dan verzet). Kies een andere tijd."),
    "time_required": TN_("Noem ook een tijd, bijvoorbeeld: di 14:30."),
    "in_past": TN_("Die datum is al voorbij. Kies een datum in de toekomst."),
    "too_far": TN_("Die datum ligt te ver weg. Kies een datum binnen een jaar."),
    "weekday_mismatch": TN_("De dag past niet bij de datum. Kijk het nog eens na."),
    "not_a_question": TN_("Tik op Verder om door te gaan."),
    "not_confirmable": TN_("Beantwoord eerst de vraag."),
    "not_optional": TN_("Deze vraag kun je niet overslaan."),
    "at_start": TN_("Je bent al bij de eerste stap."),
    "not_complete": TN_("Er staan nog vragen open."),
    "done": TN_("Deze kaart is klaar. Met ✏️ Aanpassen kun je nog iets veranderen."),
}


_FALLBACK = TN_("Dat ging niet. Hier ben je nu:")


def engine_error_text(reason: str) -> str:
    """The teacher-facing sentence for an engine reason code (translated)."""
    return T_(_REASONS.get(reason, _FALLBACK))
