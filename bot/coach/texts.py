"""What the teacher reads when the coach refuses an input: one sentence per reason, saying what to do.

Every ``Refusal`` has its own sentence here (a test checks the mapping is complete and that no two
reasons share a text), so no refusal reaches a teacher as a vague "that did not work".
"""

from __future__ import annotations

from types import MappingProxyType

from bot.coach.refusals import Refusal
from bot.i18n import T_, TN_

__all__ = ["REFUSAL_TEXTS", "engine_error_text"]

REFUSAL_TEXTS = MappingProxyType(
    {
        Refusal.EMPTY: TN_("Je antwoord is leeg. Typ een paar woorden."),
        Refusal.TOO_LONG: TN_("Dat antwoord is te lang voor de kaart. Maak het wat korter."),
        Refusal.UNKNOWN_OPTION: TN_("Die keuze ken ik niet. Kies een van de knoppen."),
        Refusal.NOTHING_SELECTED: TN_("Kies minstens één mogelijkheid, en tik dan op Klaar."),
        Refusal.UNPARSEABLE: TN_("Die datum begrijp ik niet. Bijvoorbeeld: morgen 15:00, di 14:30 of 12-3 9:00."),
        Refusal.NO_SUCH_DATE: TN_("Die datum bestaat niet. Kijk de dag en de maand nog eens na."),
        Refusal.NO_SUCH_TIME: TN_("Die tijd bestaat niet op die dag (de klok wordt dan verzet). Kies een andere tijd."),
        Refusal.TIME_REQUIRED: TN_("Noem ook een tijd, bijvoorbeeld: di 14:30."),
        Refusal.IN_PAST: TN_("Die datum is al voorbij. Kies een datum in de toekomst."),
        Refusal.TOO_FAR: TN_("Die datum ligt te ver weg. Kies een datum binnen een jaar."),
        Refusal.WEEKDAY_MISMATCH: TN_("De dag past niet bij de datum. Kijk het nog eens na."),
        Refusal.NOT_A_QUESTION: TN_("Tik op Verder om door te gaan."),
        Refusal.NOT_MULTI: TN_("Bij deze vraag kies je één knop; aan- en uitzetten kan hier niet."),
        Refusal.NOT_OPTIONAL: TN_("Deze vraag kun je niet overslaan."),
        Refusal.NOT_CONFIRMABLE: TN_("Beantwoord eerst de vraag."),
        Refusal.AT_START: TN_("Je bent al bij de eerste stap."),
        Refusal.NOT_AT_REVIEW: TN_("Een antwoord veranderen kan vanuit het overzicht. Maak eerst de vragen af."),
        Refusal.NOT_EDITABLE: TN_("Die vraag hoort niet bij deze voorbereiding. Kies een vraag uit het overzicht."),
        Refusal.NOT_COMPLETE: TN_("Er staan nog vragen open."),
        Refusal.DONE: TN_("Deze kaart is klaar. Met ✏️ Aanpassen kun je nog iets veranderen."),
        Refusal.NOT_DONE: TN_("Deze voorbereiding is nog niet af, dus er valt nog niets te heropenen."),
        Refusal.STALE: TN_("Die knop hoorde bij een eerdere stap. Hier ben je nu:"),
        Refusal.NOT_CHOOSING: TN_("Lees eerst de reactie op je keuze, en tik dan op Verder."),
        Refusal.NOT_AT_FEEDBACK: TN_("Kies eerst een antwoord op wat de ouder zegt."),
        Refusal.NOTHING_TO_RETRY: TN_("Dat was een goede keuze; opnieuw proberen hoeft niet. Tik op Verder."),
        Refusal.SCENE_OVER: TN_("Deze oefening is klaar. Begin opnieuw als je nog eens wilt oefenen."),
    }
)


def engine_error_text(reason: Refusal | str) -> str:
    """The teacher-facing sentence for a refusal (translated).

    A reason is always a ``Refusal``; a plain string that is none (stored data from an old
    version, a bug) still gets a sentence that says what to do rather than an exception.
    """
    try:
        key = Refusal(reason)
    except ValueError:
        return T_("Dat ging niet. Hier ben je nu:")
    return T_(REFUSAL_TEXTS[key])
