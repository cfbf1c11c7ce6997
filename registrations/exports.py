"""Everything stored about one caregiver, for their own download (AVG art. 15 and 20).

`export_caregiver` gathers it as plain JSON types (dates as ISO 8601 text), so the same
data feeds the JSON file and the printable page. Only the caregiver's own rows are read:
every query filters on this caregiver. Staff are not named in the history, only marked.
"""

import datetime
import re

from django_fsm_log.models import StateLog

from core import clock
from core.formats import export_choice, export_value
from worker.models import EMAIL, POST, Delivery, Letter

from .extensions import data_export_parts
from .models import Caregiver, CareKind, RecordChange, StaffAccess, State

FORMAT_VERSION = 2  # 2: everything the apps above hold, too (issue 14, item 10)


def _caregiver(c: Caregiver) -> dict:
    return {
        "inschrijvingsnummer": c.pk,
        "voornaam": c.first_name,
        "tussenvoegsel": c.surname_prefix,
        "achternaam": c.last_name,
        "geboortedatum": export_value(c.date_of_birth),
        "straat": c.street,
        "huisnummer": c.house_number,
        "postcode": c.postcode_display,
        "woonplaats": c.city,
        "wijk": c.district.name if c.district else "",
        "e_mailadres": c.email,
        "e_mailadres_bevestigd_op": export_value(c.email_confirmed_at),
        "telefoonnummer": c.phone,
        "post_ontvangen": export_choice(c, "channel"),
        "wil_nieuwsbrief": c.wants_newsletter,
        "ouder_van_kind_met_ernstige_meervoudige_beperking": c.parent_of_disabled_child,
        "migratieachtergrond": c.migration_background,
        "toestemming_doelgroep_op": export_value(c.target_group_consent_at),
        "status": export_choice(c, "state"),
        "aangemeld_via": export_choice(c, "source"),
        # Where the data came from and on what basis (AVG art. 14 and 15), for an import.
        "nummer_in_vorig_systeem": c.external_id,
        "grondslag": c.legal_basis,
        "ingeschreven_op": export_value(c.registered_on),
        "actief_sinds": export_value(c.activated_on),
        "gecontroleerd_door_consulent_op": export_value(c.checked_by_consulent_at),
        "zorg_gestopt_op": export_value(c.care_ended_on),
        "reden_zorg_gestopt": export_choice(c, "care_end_reason"),
        "inschrijving_stopt_op": export_value(c.retention_end() if c.state == State.VOORMALIG
                                      else None),
        "inschrijving_beeindigd_op": export_value(c.ended_on),
        "reden_einde_inschrijving": export_choice(c, "end_reason"),
        "aangemaakt_op": export_value(c.created_at),
    }


def _care_recipients(c: Caregiver) -> list[dict]:
    kinds = dict(CareKind.choices)
    return [{
        "naam": r.name,
        "geboortedatum": export_value(r.date_of_birth),
        "relatie": export_choice(r, "relationship"),
        "woont_in_harderwijk_of_hierden": r.lives_in_municipality,
        "woont_samen_met_mantelzorger": r.living_together,
        "soort_zorg": [{"code": k, "tekst": str(kinds.get(k, k))} for k in r.care_kinds],
        "uren_per_week": r.hours_per_week,
        "zorgt_sinds": export_value(r.care_since),
        "waarom_zorg_nodig_is": export_choice(r, "care_need"),
        "woont_in_een_zorginstelling_sinds": export_value(r.admitted_on),
        "zorg_gestopt_op": export_value(r.care_ended_on),
        "reden_zorg_gestopt": export_choice(r, "care_end_reason"),
    } for r in c.care_recipients.order_by("pk")]


def _guardian(c: Caregiver) -> dict | None:
    guardian = getattr(c, "guardian", None)
    if guardian is None:
        return None
    return {
        "naam": guardian.name,
        "e_mailadres": guardian.email,
        "telefoonnummer": guardian.phone,
        "toestemming_gegeven_op": export_value(guardian.confirmed_at),
        "toestemming_gegeven_door": guardian.consent_name,
        "relatie_tot_het_kind": guardian.get_consent_relation_display(),
        "toestemming_genoteerd_door_medewerker": guardian.confirmed_by_staff_id is not None,
    }


def _consents(c: Caregiver) -> list[dict]:
    return [{
        "soort": export_choice(r, "kind"),
        "gegeven": r.given,
        "tekst": r.text,
        "tekstversie": r.text_version,
        "gegeven_door": r.given_by,
        "op": export_value(r.at),
    } for r in c.consents.order_by("at", "pk")]


def _history(c: Caregiver) -> list[dict]:
    states = dict(State.choices)
    return [{
        "op": export_value(log.timestamp),
        "van": {"code": log.source_state or "",
                "tekst": str(states.get(log.source_state, "")) if log.source_state else ""},
        "naar": {"code": log.state, "tekst": str(states.get(log.state, log.state))},
        "omschrijving": log.description or "",
        "door_medewerker": log.by_id is not None,
    } for log in StateLog.objects.for_(c).order_by("timestamp", "pk")]


CHANNELS = {EMAIL: "per e-mail", POST: "per post"}


def _letters(c: Caregiver) -> list[dict]:
    letters = Letter.objects.filter(caregiver=c).prefetch_related("about").order_by(
        "created_at", "pk")
    return [{
        "soort": export_choice(letter, "kind"),
        "over": str(letter.about) if letter.about_id and letter.about else "",
        "status": export_choice(letter, "status"),
        "verstuurd": CHANNELS.get(letter.channel, ""),
        "aangemaakt_op": export_value(letter.created_at),
        "verstuurd_op": export_value(letter.sent_at),
        "reden_niet_verstuurd": letter.error,
    } for letter in letters]


def _newsletters(c: Caregiver) -> list[dict]:
    deliveries = Delivery.objects.filter(caregiver=c).select_related("newsletter").order_by(
        "newsletter__created_at", "pk")
    return [{
        "onderwerp": delivery.newsletter.subject,
        "verstuurd": CHANNELS.get(delivery.channel, delivery.channel),
        "status": export_choice(delivery, "status"),
        "verstuurd_op": export_value(delivery.sent_at),
        "reden_niet_verstuurd": delivery.error,
    } for delivery in deliveries]


def _links(c: Caregiver) -> list[dict]:
    """Links we mailed (the link itself is not stored, only a fingerprint of it)."""
    return [{
        "waarvoor": export_choice(token, "purpose"),
        "gemaakt_op": export_value(token.created_at),
        "gemaild_op": export_value(token.mailed_at),
        "gebruikt_op": export_value(token.used_at),
        "geldig_tot": export_value(token.expires_at),
    } for token in c.tokens.order_by("created_at", "pk")]


def _corrections(c: Caregiver) -> list[dict]:
    """What staff corrected, before and after (who is not named, as in the history)."""
    return [{
        "op": export_value(change.at),
        "wat": export_choice(change, "kind"),
        "veranderingen": [{"gegeven": label, "was": before, "wordt": after}
                          for label, before, after in change.changes],
        "door_medewerker": change.by_id is not None,
    } for change in RecordChange.objects.filter(caregiver=c).order_by("at", "pk")]


def _staff_access(c: Caregiver) -> list[dict]:
    """When staff opened the record (who is not named, as in the history)."""
    return [{"op": export_value(access.at), "wat": access.action}
            for access in StaffAccess.objects.filter(caregiver=c).order_by("at", "pk")]


# The download's own parts after the caregiver's details, with their headings; the apps
# above add theirs (registrations/extensions.py).
OWN_PARTS = [
    ("naasten", "Naasten: voor wie de zorg is"),
    ("ouder_of_voogd", "Ouder of voogd"),
    ("toestemmingen", "Toestemmingen"),
    ("geschiedenis", "Wat er met de inschrijving gebeurde"),
    ("wijzigingen", "Wat medewerkers in de gegevens aanpasten"),
    ("brieven", "Brieven"),
    ("nieuwsbrieven", "Nieuwsbrieven"),
    ("links", "Links die wij mailden"),
    ("ingezien_door_medewerkers", "Wanneer medewerkers de gegevens bekeken"),
]


def export_caregiver(caregiver: Caregiver) -> dict:
    """All data about `caregiver`, JSON-serialisable, in Dutch (the reader is the caregiver)."""
    caregiver = Caregiver.objects.select_related("district").get(pk=caregiver.pk)
    data = {
        "over_dit_bestand": {
            "organisatie": "Servicepunt Mantelzorg Harderwijk & Hierden",
            "gemaakt_op": export_value(clock.now()),
            "formaatversie": FORMAT_VERSION,
            "onderdelen": [{"sleutel": key, "titel": title} for key, title in OWN_PARTS],
        },
        "mantelzorger": _caregiver(caregiver),
        "naasten": _care_recipients(caregiver),
        "ouder_of_voogd": _guardian(caregiver),
        "toestemmingen": _consents(caregiver),
        "geschiedenis": _history(caregiver),
        "wijzigingen": _corrections(caregiver),
        "brieven": _letters(caregiver),
        "nieuwsbrieven": _newsletters(caregiver),
        "links": _links(caregiver),
        "ingezien_door_medewerkers": _staff_access(caregiver),
    }
    for key, title, records in data_export_parts(caregiver):
        data[key] = records
        data["over_dit_bestand"]["onderdelen"].append({"sleutel": key, "titel": title})
    return data


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$")
# Fields holding what someone typed: never turned into dates, even if they look like one.
_TYPED = {"voornaam", "tussenvoegsel", "achternaam", "straat", "huisnummer", "woonplaats",
          "naam", "tekst", "omschrijving", "e_mailadres", "telefoonnummer", "gegeven", "was",
          "wordt"}


def for_display(data):
    """The export with ISO dates turned back into dates, for the `date` template filter."""
    if isinstance(data, dict):
        return {key: value if key in _TYPED else for_display(value)
                for key, value in data.items()}
    if isinstance(data, list):
        return [for_display(item) for item in data]
    if isinstance(data, str):
        if _ISO_DATE.match(data):
            return datetime.date.fromisoformat(data)
        if _ISO_DATETIME.match(data):
            return datetime.datetime.fromisoformat(data)
    return data


def _readable(value) -> str:
    """One value of an export record as words: a choice by its text, a date as 19-07-2026."""
    if isinstance(value, dict):
        return (value["tekst"] or "–") if "tekst" in value else "; ".join(
            f"{key.replace('_', ' ')}: {_readable(item)}" for key, item in value.items())
    if isinstance(value, list):
        return " | ".join(_readable(item) for item in value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if value is None or value == "":
        return "–"
    if isinstance(value, str) and _ISO_DATE.match(value):
        return datetime.date.fromisoformat(value).strftime("%d-%m-%Y")
    if isinstance(value, str) and _ISO_DATETIME.match(value):
        return datetime.datetime.fromisoformat(value).strftime("%d-%m-%Y %H:%M")
    return str(value)


def parts_for_display(data: dict, skip=("naasten", "ouder_of_voogd", "toestemmingen",
                                        "geschiedenis", "brieven")) -> list[dict]:
    """The parts the page has no table of its own for, as headings with rows of
    (label, words): the part of the apps above and the registrations' newer parts."""
    parts = []
    for part in data["over_dit_bestand"]["onderdelen"]:
        if part["sleutel"] in skip:
            continue
        records = data.get(part["sleutel"]) or []
        parts.append({"key": part["sleutel"], "title": part["titel"], "records": [
            [(key.replace("_", " ").capitalize(), _readable(value))
             for key, value in record.items()] for record in records]})
    return parts
