"""Made-up caregivers for `make run`, spread over the wijken like the 2023 annual report.

The proportions are the report's new individual cases per wijk (DOMAIN.md); about one in ten
caregivers is young (128 of 1,300 in 2023). Postcode ranges here are an example division,
not the real map: coordinators enter the real ranges in Beheer.
"""

import datetime
import random
import unicodedata

from core import clock
from core.names import full_name, split_surname

from .models import (
    CareEndReason,
    Caregiver,
    CareKind,
    CareRecipient,
    Channel,
    District,
    PostcodeRange,
    Relationship,
    State,
)

# Annual report 2023, new individual cases per wijk; None = onbekend.
WIJK_WEIGHTS = {
    "Stadsdennen": 252, "Stadsweiden": 264, "Tweelingstad": 232, "Drielanden": 151,
    "Zeebuurt": 127, "Frankrijk": 84, "Stationsomgeving": 60, "Binnenstad": 52, "Hierden": 43,
    "Buitengebied": 35, "Slingerbos": 14, "Waterfront": 11, "De Sypel": 5, None: 279,
}

# Example division of Harderwijk's postcodes (3841–3849) over the wijken.
EXAMPLE_RANGES = [
    ("3841AA", "3841ZZ", "Binnenstad"), ("3842AA", "3842LZ", "Stadsdennen"),
    ("3842MA", "3842ZZ", "Waterfront"), ("3843AA", "3843ZZ", "Stadsweiden"),
    ("3844AA", "3844MZ", "Zeebuurt"), ("3844NA", "3844ZZ", "Friesegracht"),
    ("3845AA", "3845ZZ", "Tweelingstad"), ("3846AA", "3846KZ", "Drielanden"),
    ("3846LA", "3846ZZ", "Industrieterrein Lorentz"), ("3847AA", "3847MZ", "Frankrijk"),
    ("3847NA", "3847ZZ", "Slingerbos"), ("3848AA", "3848GZ", "Stationsomgeving"),
    ("3848HA", "3848PZ", "De Sypel"), ("3848RA", "3848ZZ", "Buitengebied"),
    ("3849AA", "3849ZZ", "Hierden"),
]

FIRST_NAMES = [
    "Anja", "Bert", "Carla", "Dirk", "Els", "Fatima", "Gerrit", "Hanneke", "Ingrid", "Jan",
    "Karin", "Luuk", "Marieke", "Noah", "Olga", "Pieter", "Riet", "Sander", "Truus", "Youssef",
    "Willemijn", "Aaltje", "Hendrik", "Mehmet", "Sanne", "Bram", "Ayla", "Evert", "Gerda", "Lisa",
]
YOUNG_FIRST_NAMES = [
    "Sem", "Lotte", "Daan", "Julia", "Milan", "Zoë", "Amira", "Finn", "Noor", "Luca",
]
LAST_NAMES = [
    "de Vries", "van den Berg", "Bakker", "Visser", "Jansen", "Mulder", "de Boer", "Smit",
    "van Dijk", "Meijer", "Bos", "Vos", "Hendriks", "van Beek", "Kok", "Brouwer", "Postma",
    "Kaya", "El Amrani", "van 't Hul", "Schouten", "Hoekstra", "Dekker", "van Essen",
]


def ascii_letters(text: str) -> str:
    """'zoë' → 'zoe': the part of an e-mail address before the @ is plain ASCII
    (core.fields.clean_email_address refuses other letters there)."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


STREETS = [
    "Stationslaan", "Vijhestraat", "Bruggestraat", "Hortuslaan", "Lorentzstraat", "Parkweg",
    "Deventerweg", "Zuiderzeepad", "Kerkstraat", "Burgemeester de Meesterstraat", "Lindenlaan",
    "Veluwemeerweg", "Stadsdennenweg", "Hierderweg", "Drielandendreef",
]


def _postcode_in(rng: random.Random, first: str, last: str) -> str:
    letters = [chr(c) for c in range(ord("A"), ord("Z") + 1)]
    candidates = [first[:4] + a + b for a in letters for b in letters
                  if first <= first[:4] + a + b <= last]
    return rng.choice(candidates)


def load_example_postcode_ranges() -> int:
    """Add the example ranges where none exist yet; returns how many were added."""
    if PostcodeRange.objects.exists():
        return 0
    districts = {d.name: d for d in District.objects.all()}
    PostcodeRange.objects.bulk_create(
        PostcodeRange(first=first, last=last, district=districts[name])
        for first, last, name in EXAMPLE_RANGES
    )
    return len(EXAMPLE_RANGES)


def make_caregivers(count: int, seed: int = 2023) -> list[Caregiver]:
    """`count` unsaved caregivers; the same seed gives the same people."""
    rng = random.Random(seed)
    today = clock.today()
    ranges_by_wijk: dict[str | None, list[tuple[str, str]]] = {}
    for first, last, name in EXAMPLE_RANGES:
        ranges_by_wijk.setdefault(name, []).append((first, last))
    districts = {d.name: d for d in District.objects.all()}
    wijken, weights = zip(*WIJK_WEIGHTS.items(), strict=True)
    people = []
    for _ in range(count):
        wijk = rng.choices(wijken, weights)[0]
        if wijk is None:  # lives outside Harderwijk (allowed) or postcode not in the table
            prefix, city = rng.choice([("3851", "Ermelo"), ("3896", "Zeewolde"),
                                       ("3881", "Putten")])
            postcode = prefix + rng.choice(["AB", "CD", "KL", "TX"])
        else:
            postcode = _postcode_in(rng, *rng.choice(ranges_by_wijk[wijk]))
            city = "Hierden" if wijk == "Hierden" else "Harderwijk"
        young = rng.random() < 0.1
        age = rng.randint(12, 24) if young else int(min(95, max(25, rng.gauss(62, 13))))
        born = today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))
        first_name = rng.choice(YOUNG_FIRST_NAMES if young else FIRST_NAMES)
        surname = rng.choice(LAST_NAMES)
        surname_prefix, last_name = split_surname(surname)
        channel = rng.choices([Channel.EMAIL, Channel.POST, Channel.NONE], [70, 25, 5])[0]
        email = ""
        if channel == Channel.EMAIL:
            local = ascii_letters(f"{first_name}.{surname}".lower().replace(" ", "")
                                  .replace("'", ""))
            email = f"{local}{rng.randint(1, 99)}@example.nl"
        registered_on = today - datetime.timedelta(days=rng.randint(0, 8 * 365))
        state = rng.choices([State.ACTIEF, State.VOORMALIG, State.AANGEMELD], [85, 11, 4])[0]
        ended = state == State.VOORMALIG
        people.append(Caregiver(
            first_name=first_name, surname_prefix=surname_prefix, last_name=last_name,
            date_of_birth=born,
            street=rng.choice(STREETS), house_number=str(rng.randint(1, 180)),
            postcode=postcode, city=city, district=districts.get(wijk),
            email=email, phone=f"06{rng.randint(10000000, 99999999)}", channel=channel,
            wants_newsletter=channel != Channel.NONE, state=state,
            registered_on=registered_on,
            email_confirmed_at=clock.now() if email and state != State.AANGEMELD else None,
            activated_on=registered_on if state != State.AANGEMELD else None,
            care_ended_on=today - datetime.timedelta(days=rng.randint(10, 700)) if ended else None,
            care_end_reason=rng.choice(list(CareEndReason)) if ended else "",
        ))
    return people


def make_care_recipients(caregivers, seed: int = 2023) -> list[CareRecipient]:
    """One person cared for per caregiver, with a plausible care situation."""
    rng = random.Random(seed)
    today = clock.today()
    recipients = []
    for caregiver in caregivers:
        young = caregiver.age() <= 24
        relationship = rng.choice([Relationship.PARENT, Relationship.FAMILY] if young else
                                  list(Relationship))
        recipients.append(CareRecipient(
            caregiver=caregiver,
            name=full_name(rng.choice(FIRST_NAMES), caregiver.surname_prefix, caregiver.last_name),
            lives_in_municipality=rng.random() < 0.93, relationship=relationship,
            care_kinds=rng.sample([k.value for k in CareKind], rng.randint(1, 3)),
            hours_per_week=rng.choice([4, 6, 8, 10, 12, 16, 20, 30, 40]),
            care_since=today - datetime.timedelta(days=rng.randint(120, 10 * 365)),
            living_together=relationship == Relationship.PARTNER or rng.random() < 0.2,
            # A former caregiver's care ended for this naaste (care ends per naaste).
            care_ended_on=caregiver.care_ended_on, care_end_reason=caregiver.care_end_reason,
        ))
    return recipients
