"""Cleaning one line of an import file the way the registration forms clean what people type.

`clean_line` returns the cleaned values (JSON types, dates as ISO text) and, per problem, a
Dutch sentence naming the line and the column. A line with any problem is refused as a whole;
notes (a guessed value) do not refuse it.
"""

import datetime
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from core import clock
from core.fields import clean_email_address, refuse_control_characters
from core.names import split_surname
from core.phones import normalise_phone
from core.postcodes import clean_house_number, clean_postcode

from ..models import Channel, Relationship
from .fields import FIELDS

EXCEL_EPOCH = datetime.date(1899, 12, 30)  # Excel's day 0 (with its 1900 leap-year bug)
DATE_FORMATS = ["%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y", "%Y-%m-%d", "%d %m %Y", "%Y/%m/%d",
                "%d-%m-%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%d%m%Y"]
DATE_MESSAGE = "'{value}' is geen datum die wij kennen. Schrijf de datum zoals 15-03-1958."
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PLAIN_NUMBER_RE = re.compile(r"^[+-][0-9 ()./-]*$")  # "+31 (0)6 …", "-3": no formula
HOURS_RE = re.compile(r"^([0-9]{1,3})(?:[.,]([0-9]+))?\s*(?:uur|u)?$")
MAX_LENGTH = {"first_name": 100, "last_name": 150, "street": 150, "city": 100,
              "email": 254, "recipient_name": 150, "external_id": 64}
YES = {"ja", "j", "yes", "y", "1", "waar", "true", "x", "wel"}
NO = {"nee", "n", "no", "0", "onwaar", "false", "niet", "geen"}
RELATIONSHIPS = {
    Relationship.PARTNER: ("partner", "echtgenoot", "echtgenote", "man", "vrouw", "partner",
                           "levenspartner", "echtgenoot/echtgenote"),
    Relationship.PARENT: ("ouder", "moeder", "vader", "schoonmoeder", "schoonvader",
                          "stiefmoeder", "stiefvader"),
    Relationship.CHILD: ("kind", "zoon", "dochter", "pleegkind", "stiefkind", "schoonzoon",
                         "schoondochter"),
    Relationship.FAMILY: ("familie", "familielid", "broer", "zus", "zuster", "oma", "opa",
                          "grootouder", "kleinkind", "tante", "oom", "neef", "nicht",
                          "ander familielid"),
    Relationship.FRIEND: ("vriend", "vriendin", "buur", "buurman", "buurvrouw", "kennis",
                          "vriend, vriendin of buur"),
    Relationship.OTHER: ("anders", "overig", "iemand anders", "onbekend"),
}
RELATIONSHIP_BY_WORD = {word: value for value, words in RELATIONSHIPS.items() for word in words}
CHANNELS = {"email": Channel.EMAIL, "e-mail": Channel.EMAIL, "mail": Channel.EMAIL,
            "post": Channel.POST, "brief": Channel.POST, "geen": Channel.NONE,
            "liever geen post of e-mail": Channel.NONE, "per e-mail": Channel.EMAIL,
            "per post": Channel.POST}


@dataclass
class CleanLine:
    line: int
    data: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.data.get("first_name", ""),
                                          self.data.get("surname_prefix", ""),
                                          self.data.get("last_name", "")) if part)


class LineProblem(ValueError):
    pass


def is_formula(value) -> bool:
    """A cell a spreadsheet would run (OWASP CSV injection): refused, never stored."""
    text = str(value)
    return text.startswith(FORMULA_START) and not PLAIN_NUMBER_RE.match(text)


def parse_date(value) -> datetime.date:
    """A date as people type it (15-3-1958, 15/03/1958, 1958-03-15, 15.03.1958), an Excel
    date cell, or an Excel serial number (21259 is 15-03-1958)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(value)
    text = " ".join(str(value).split())
    if re.fullmatch(r"[0-9]{5}(\.0+)?", text):
        return _from_serial(float(text))
    for date_format in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, date_format).date()
        except ValueError:
            continue
    raise LineProblem(DATE_MESSAGE.format(value=text[:40]))


def _from_serial(number: float) -> datetime.date:
    if not 1 <= number < 2958466 or number != int(number):
        raise LineProblem(DATE_MESSAGE.format(value=number))
    return EXCEL_EPOCH + datetime.timedelta(days=int(number))


def _past_date(value) -> datetime.date:
    day = parse_date(value)
    if day > clock.today():
        raise LineProblem("deze datum ligt in de toekomst.")
    if day.year < 1900:
        raise LineProblem("controleer het jaar.")
    return day


def _text(key, value) -> str:
    text = refuse_control_characters(" ".join(str(value).split()))
    limit = MAX_LENGTH.get(key)
    if limit and len(text) > limit:
        raise LineProblem(f"hoogstens {limit} tekens.")
    return text


def _yes_no(value) -> bool:
    word = str(value).strip().casefold()
    if word in YES:
        return True
    if word in NO:
        return False
    raise LineProblem(f"'{str(value)[:20]}' is geen ja of nee.")


def _hours(value) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        hours = round(value)
    else:
        match = HOURS_RE.match(str(value).strip().casefold())
        if not match:
            raise LineProblem(f"'{str(value)[:20]}' is geen aantal uren. Vul een getal in, "
                              "bijvoorbeeld 10.")
        hours = round(float(f"{match.group(1)}.{match.group(2) or 0}"))
    if not 1 <= hours <= 168:
        raise LineProblem("vul een aantal uren van 1 tot en met 168 in.")
    return hours


def _relationship(value) -> str:
    word = " ".join(str(value).split()).casefold()
    if word not in RELATIONSHIP_BY_WORD:
        raise LineProblem(f"'{str(value)[:30]}' kennen wij niet als relatie. Gebruik partner, "
                          "ouder, kind, familie, vriend of anders.")
    return RELATIONSHIP_BY_WORD[word]


def _channel(value) -> str:
    word = " ".join(str(value).split()).casefold()
    if word not in CHANNELS:
        raise LineProblem(f"'{str(value)[:20]}' kennen wij niet. Gebruik e-mail, post of geen.")
    return CHANNELS[word]


def _number_text(value) -> str:
    """XLSX gives 12 or 12.0 for a house number typed as a number."""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return " ".join(str(value).split())


def _house_number(number, addition) -> str:
    number, addition = _number_text(number), _number_text(addition)
    if addition and not addition.startswith(("-", " ")):
        addition = addition if addition[0].isalpha() else "-" + addition
    return clean_house_number(number + addition)


def _iso(day: datetime.date) -> str:
    return day.isoformat()


CLEANERS = {
    "date_of_birth": lambda v: _iso(_past_date(v)),
    "registered_on": lambda v: _iso(_past_date(v)),
    "care_since": lambda v: _iso(_past_date(v)),
    "recipient_date_of_birth": lambda v: _iso(_past_date(v)),
    "postcode": lambda v: clean_postcode(str(v)),
    "email": lambda v: clean_email_address(str(v)),
    "phone": normalise_phone,
    "wants_newsletter": _yes_no,
    "recipient_lives_in_municipality": _yes_no,
    "recipient_living_together": _yes_no,
    "hours_per_week": _hours,
    "recipient_relationship": _relationship,
    "channel": _channel,
    "external_id": lambda v: _text("external_id", _number_text(v)),
    "house_number": _number_text,
    "house_number_addition": _number_text,
}


def _message(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(str(message) for message in error.messages)
    return str(error)


def clean_line(line: int, cells: list, headers: list[str], mapping: dict[str, str],
               rules) -> CleanLine:
    """Clean the mapped cells of one line; check what only the whole line can tell."""
    result = CleanLine(line=line)
    labels = {f.key: f.label for f in FIELDS}
    raw = {}
    for header, cell in zip(headers, cells, strict=False):
        key = mapping.get(header) or ""
        if not key:
            continue
        if is_formula(cell):
            result.errors.append(f"Regel {line}, kolom '{header}': dit is een formule. Zet er "
                                 "de waarde zelf in, zonder =, + of - ervoor.")
            continue
        raw[key] = cell
    field_cleaners = {f.key: f.clean for f in FIELDS if f.clean}
    for key, cell in raw.items():
        if str(cell).strip() == "":
            continue
        cleaner = field_cleaners.get(key) or CLEANERS.get(key) or (lambda v, k=key: _text(k, v))
        try:
            result.data[key] = cleaner(cell)
        except (LineProblem, ValidationError) as error:
            header = next(h for h in headers if mapping.get(h) == key)
            result.errors.append(f"Regel {line}, kolom '{header}' ({labels[key].lower()}): "
                                 f"{_message(error)}")
    if result.ok:
        _whole_line(result, labels, rules)
    return result


def _whole_line(result: CleanLine, labels: dict, rules) -> None:
    data, line = result.data, result.line
    for key in ("first_name", "last_name", "date_of_birth", "postcode", "house_number"):
        if not data.get(key):
            result.errors.append(f"Regel {line}: {labels[key].lower()} ontbreekt.")
    if not result.ok:
        return
    # Kept apart, so "de Vries" sorts under V (a prefix typed in the achternaam, too).
    data["surname_prefix"], data["last_name"] = split_surname(
        data["last_name"], data.pop("tussenvoegsel", ""))
    data["surname_prefix"] = data["surname_prefix"][:20]
    try:
        data["house_number"] = _house_number(data["house_number"],
                                             data.pop("house_number_addition", ""))
    except ValidationError as error:
        result.errors.append(f"Regel {line}: huisnummer: {_message(error)}")
        return
    age = clock.age_on(datetime.date.fromisoformat(data["date_of_birth"]), clock.today())
    if age < rules.guardian_consent_below_age or age < rules.minimum_age:
        result.errors.append(
            f"Regel {line}: jonger dan {max(rules.guardian_consent_below_age, rules.minimum_age)}"
            " jaar. Schrijf deze mantelzorger in met een intake: daar geeft een ouder of voogd "
            "toestemming.")
    elif age > 120:
        result.errors.append(f"Regel {line}: controleer het geboortejaar.")
    data.setdefault("channel", Channel.EMAIL if data.get("email") else Channel.POST)
    if data["channel"] == Channel.EMAIL and not data.get("email"):
        result.errors.append(f"Regel {line}: post per e-mail, maar er is geen e-mailadres.")
    _recipient(result)


def _recipient(result: CleanLine) -> None:
    data, line = result.data, result.line
    recipient_keys = [k for k in data if k.startswith("recipient_")] + [
        k for k in ("hours_per_week", "care_since") if k in data]
    if not data.get("recipient_name"):
        if recipient_keys:
            result.errors.append(f"Regel {line}: er staan gegevens van een naaste, maar geen "
                                 "naam van de naaste.")
        return
    if "recipient_relationship" not in data:
        data["recipient_relationship"] = Relationship.OTHER
        result.notes.append(f"Regel {line}: relatie met de naaste onbekend: 'iemand anders'.")
    if "hours_per_week" not in data:
        result.notes.append(f"Regel {line}: uren per week onbekend (0 uur opgeslagen).")
    if "care_since" not in data:
        result.notes.append(f"Regel {line}: 'zorgt sinds' onbekend: de inschrijfdatum geldt.")
