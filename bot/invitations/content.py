"""What an invitation tells a parent: the meeting's purpose and who attends, in plain words.

Purposes are written per conversation type, for the parent -- never the
teacher's own notes or answers. Roles link to the glossary where it has the
term, so the parent gets the same explanation as when they ask for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.i18n import N_


@dataclass(frozen=True)
class Role:
    label: str  # Dutch msgid
    term: str | None = None  # glossary key, when the glossary explains this role
    about: str | None = None  # Dutch msgid, when it does not


ROLES: dict[str, Role] = {
    "leerkracht": Role(N_("de leerkracht of mentor"), term="leerkracht"),
    "ib": Role(N_("de intern begeleider (ib'er)"), term="ib"),
    "zorgcoordinator": Role(N_("de zorgcoördinator"), term="zorgcoordinator"),
    "directeur": Role(N_("de directeur"), about=N_("De directeur leidt de school.")),
    "leerling": Role(N_("uw kind"), about=N_("Uw kind is bij het gesprek, of bij een deel ervan.")),
    "tolk": Role(N_("een tolk"), term="tolk"),
    "collega": Role(N_("een collega van de leerkracht"), about=N_("Een andere leraar van de school.")),
    "swv": Role(N_("iemand van het samenwerkingsverband"), term="samenwerkingsverband"),
    "extern": Role(
        N_("iemand van buiten de school"),
        about=N_("Bijvoorbeeld iemand van de jeugdhulp. U mag vragen wie het is en waarom die persoon komt."),
    ),
}

PURPOSES: dict[str, str] = {
    "zorgen_delen": N_(
        "Een gesprek over hoe het met uw kind gaat op school, en wat uw kind misschien extra nodig heeft."
    ),
    "opp_bespreken": N_(
        "Een gesprek over het ontwikkelingsperspectiefplan (opp) van uw kind: de doelen en de hulp op school."
    ),
    "verwijzing_tlv": N_(
        "Een gesprek over welke school en welke hulp het beste passen bij uw kind. "
        "Het kan gaan over een toelaatbaarheidsverklaring (tlv)."
    ),
    "kritische_ouder": N_("Een gesprek over uw vragen of zorgen, zodat we samen verder kunnen."),
    "startgesprek": N_("Een kennismakingsgesprek: wij leren u en uw kind kennen, en u vertelt wat u belangrijk vindt."),
    "driehoeksgesprek": N_("Een gesprek met u, uw kind en de leerkracht. Uw kind vertelt zelf hoe het gaat."),
    "weinig_nederlands": N_("Een gesprek over hoe het met uw kind gaat op school."),
}
DEFAULT_PURPOSE = N_("Een gesprek over uw kind op school.")

PLACES: dict[str, str] = {
    "school": N_("Op school"),
    "telefoon": N_("Telefonisch: de school belt u"),
    "video": N_("Videogesprek: u krijgt een link van de school"),
}

#: What a parent reads when an invitation link does not work (in their language, and Dutch).
INVITATION_EXPIRED = N_(
    "Deze uitnodiging is verlopen. Het gesprek is al geweest. Heeft u vragen? Neem contact op met de school."
)
INVITATION_REVOKED = N_(
    "Deze uitnodiging is ingetrokken door de school. Misschien heeft u een nieuwe gekregen. "
    "Vraag het anders aan de school."
)
INVITATION_UNKNOWN = N_(
    "Deze link werkt niet. Misschien is hij niet helemaal goed overgenomen. "
    "Vraag de school om de link nog eens te sturen."
)
