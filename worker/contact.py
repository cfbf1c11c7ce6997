"""How people reach the Servicepunt: one reader for pages, letters and e-mails, and the one
write a coordinator makes.

Read at every use (one small query), never cached, so a change shows at once in every
process: the web pages, the worker's letters and e-mails. Until a coordinator saves the
contact details, the environment's LETTER_SENDER_* values apply.
"""

from dataclasses import dataclass

import phonenumbers
from django.conf import settings
from django.db import transaction

from core import clock

from .models import ServicepuntContact

ROW_ID = 1


class ContactChanged(Exception):
    """A colleague saved the contact details after this form was shown."""


@dataclass(frozen=True)
class Contact:
    name: str
    address: str  # postal address (the return address of letters)
    postcode_city: str
    phone: str  # as people read it: 0341 123 456
    email: str
    visiting_address: str = ""
    opening_hours: str = ""
    walk_in: str = ""
    phone_uri: str = ""  # tel:+31341123456, for a link on a phone

    @property
    def postal(self) -> str:
        return f"{self.address}, {self.postcode_city}"


def phone_for_reading(number: str) -> tuple[str, str]:
    """('0341 123 456', 'tel:+31341123456') for a stored number; as stored if it is no
    number the library knows (the environment's value is not checked)."""
    if not number:
        return "", ""
    try:
        parsed = phonenumbers.parse(number, "NL")
    except phonenumbers.NumberParseException:
        return number, ""
    style = (phonenumbers.PhoneNumberFormat.NATIONAL if parsed.country_code == 31
             else phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return (phonenumbers.format_number(parsed, style),
            phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.RFC3966))


def _from_row(row: ServicepuntContact) -> Contact:
    phone, uri = phone_for_reading(row.phone)
    return Contact(name=settings.LETTER_SENDER["name"], address=row.postal_address,
                   postcode_city=row.postal_postcode_city, phone=phone, phone_uri=uri,
                   email=row.email, visiting_address=row.visiting_address,
                   opening_hours=row.opening_hours, walk_in=row.walk_in)


def from_environment() -> Contact:
    sender = settings.LETTER_SENDER
    phone, uri = phone_for_reading(sender["phone"])
    return Contact(name=sender["name"], address=sender["address"],
                   postcode_city=sender["postcode_city"], phone=phone, phone_uri=uri,
                   email=sender["email"])


_last_read: list[Contact] = []


def current() -> Contact:
    """The contact details as they are now."""
    row = ServicepuntContact.objects.filter(pk=ROW_ID).first()
    found = _from_row(row) if row is not None else from_environment()
    _last_read[:] = [found]
    return found


def last_known() -> Contact:
    """Without asking the database, for the error pages shown when it may be what failed:
    what this process read last, else the environment's values."""
    return _last_read[0] if _last_read else from_environment()


def stored() -> ServicepuntContact:
    """The row the coordinator's form edits: the saved one, or a new one (version 0) filled
    with the environment's values."""
    row = ServicepuntContact.objects.filter(pk=ROW_ID).select_related("updated_by").first()
    if row is not None:
        return row
    sender = settings.LETTER_SENDER
    return ServicepuntContact(
        pk=ROW_ID, phone=sender["phone"], email=sender["email"],
        postal_address=sender["address"], postal_postcode_city=sender["postcode_city"],
        version=0)


FIELDS = ("phone", "email", "postal_address", "postal_postcode_city", "visiting_address",
          "opening_hours", "walk_in")


@transaction.atomic
def save_contact(*, version: int, user, **values) -> ServicepuntContact:
    """Store the contact details the coordinator saw as `version`.

    The row is locked while it is compared and written, so of two coordinators saving at
    once exactly one wins; the other gets ContactChanged and nothing of theirs is saved."""
    ServicepuntContact.objects.get_or_create(pk=ROW_ID, defaults={
        **{name: getattr(stored(), name) for name in FIELDS}, "version": 0})
    row = ServicepuntContact.objects.select_for_update().get(pk=ROW_ID)
    if row.version != version:
        raise ContactChanged
    for name in FIELDS:
        setattr(row, name, values[name])
    row.version += 1
    row.updated_at, row.updated_by = clock.now(), user
    row.full_clean()
    row.save()
    return row
