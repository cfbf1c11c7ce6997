"""Made-up contact details of the Servicepunt for `make run` (worker/contact.py)."""

from .models import ServicepuntContact

DEMO_CONTACT = {
    "phone": "0341123456",
    "email": "mantelzorg@example.org",
    "postal_address": "Postbus 123",
    "postal_postcode_city": "3840 AC Harderwijk",
    "visiting_address": "De Aanleg, Stationsplein 5, 3844 KR Harderwijk",
    "opening_hours": "maandag tot en met vrijdag van 9.00 tot 17.00 uur",
    "walk_in": "dinsdag en donderdag van 10.00 tot 12.00 uur, zonder afspraak",
}


def load_contact_demo() -> bool:
    """Once: a coordinator's later change is kept when the demo data is loaded again."""
    _, created = ServicepuntContact.objects.get_or_create(pk=1, defaults=DEMO_CONTACT)
    return created
