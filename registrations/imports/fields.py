"""The fields a column of an import file can fill, and the Dutch column names we recognise.

Apps above registrations add their own fields (appreciation: the waardering history) with
`registrations.extensions.add_import_fields` in their `ready()`; they land in `FIELDS` too.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ImportField:
    """One thing a column can hold. `clean(raw) -> value` (JSON types) raises
    ValidationError with a Dutch message; None means the engine's own cleaning."""

    key: str
    label: str
    required: bool = False
    help: str = ""
    names: tuple[str, ...] = ()  # column names we recognise (compared without case/accents)
    clean: Callable | None = None


FIELDS: list[ImportField] = [
    ImportField("external_id", "Nummer in het vorige systeem",
                help="Gebruikt om iemand bij een volgende import terug te vinden.",
                names=("id", "nummer", "klantnummer", "relatienummer", "registratienummer",
                       "dossiernummer", "mantelzorgernummer", "extern id")),
    ImportField("first_name", "Voornaam", required=True,
                names=("voornaam", "roepnaam", "voornamen")),
    ImportField("tussenvoegsel", "Tussenvoegsel",
                help="Komt voor de achternaam te staan, bijvoorbeeld 'de Vries'.",
                names=("tussenvoegsel", "tussenvoegsels", "voorvoegsel", "tv")),
    ImportField("last_name", "Achternaam", required=True,
                names=("achternaam", "naam", "familienaam", "geslachtsnaam")),
    ImportField("date_of_birth", "Geboortedatum", required=True,
                names=("geboortedatum", "geb datum", "geboren", "geboren op", "gebdatum")),
    ImportField("postcode", "Postcode", required=True, names=("postcode", "pc")),
    ImportField("house_number", "Huisnummer", required=True,
                names=("huisnummer", "huisnr", "nr", "nummer huis")),
    ImportField("house_number_addition", "Toevoeging huisnummer",
                names=("toevoeging", "huisnummertoevoeging", "huisnummer toevoeging",
                       "toev")),
    ImportField("street", "Straat", names=("straat", "straatnaam", "adres")),
    ImportField("city", "Woonplaats", names=("woonplaats", "plaats", "stad")),
    ImportField("email", "E-mailadres",
                names=("e-mail", "email", "e-mailadres", "emailadres", "mail", "mailadres")),
    ImportField("phone", "Telefoonnummer",
                names=("telefoon", "telefoonnummer", "tel", "mobiel", "telefoonnr",
                       "mobiel nummer", "gsm")),
    ImportField("channel", "Post ontvangen (e-mail, post of geen)",
                names=("kanaal", "post", "voorkeur post", "contactvoorkeur")),
    ImportField("wants_newsletter", "Wil de nieuwsbrief (ja of nee)",
                names=("nieuwsbrief", "wil nieuwsbrief", "nieuwsbrief ontvangen")),
    ImportField("registered_on", "Ingeschreven op",
                names=("ingeschreven op", "inschrijfdatum", "ingeschreven", "datum inschrijving",
                       "aangemeld op")),
    ImportField("recipient_name", "Naam van de naaste",
                names=("naaste", "naam naaste", "zorgvrager", "naam zorgvrager",
                       "verzorgde")),
    ImportField("recipient_relationship", "Relatie met de naaste",
                names=("relatie", "relatie naaste", "relatie tot naaste", "relatie met naaste")),
    ImportField("recipient_date_of_birth", "Geboortedatum van de naaste",
                names=("geboortedatum naaste", "geboortedatum zorgvrager")),
    ImportField("recipient_lives_in_municipality", "Naaste woont in Harderwijk of Hierden",
                names=("naaste woont in gemeente", "woont in gemeente")),
    ImportField("recipient_living_together", "Woont samen met de naaste",
                names=("woont samen", "samenwonend", "inwonend")),
    ImportField("hours_per_week", "Uren zorg per week",
                names=("uren per week", "uren", "uur per week", "aantal uren",
                       "uren zorg per week")),
    ImportField("care_since", "Zorgt sinds",
                names=("sinds", "zorgt sinds", "mantelzorger sinds", "zorg sinds",
                       "startdatum zorg")),
]


def field_by_key() -> dict[str, ImportField]:
    return {field.key: field for field in FIELDS}


def add_fields(fields: list[ImportField]) -> None:
    """Used by `registrations.extensions.add_import_fields`; a key is added once."""
    known = {field.key for field in FIELDS}
    FIELDS.extend(field for field in fields if field.key not in known)
