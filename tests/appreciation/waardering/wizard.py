"""The public waardering wizard (/waardering/zelf, /waardering/namens) as a browser fills
it: each step's valid answers, and posting and filling steps with the test client. Used by
the waardering, burden-check and race tests (a plain module, not a test module)."""

import re

from appreciation.models import AppreciationRequest
from registrations.models import Caregiver

SELF, ON_BEHALF = "/waardering/zelf", "/waardering/namens"
PREFIX = {SELF: "waardering_zelf", ON_BEHALF: "waardering_namens"}
REQUESTER = {"aanvrager-name": "Anja de Vries", "aanvrager-relation": "Familie",
             "aanvrager-phone": "06 1234 5678", "aanvrager-email": ""}
CAREGIVER = {"mantelzorger-first_name": "Riet", "mantelzorger-last_name": "Bakker",
             "mantelzorger-date_of_birth": "03-04-1955", "mantelzorger-postcode": "3845 ab",
             "mantelzorger-house_number": "12", "mantelzorger-street": "Lindenlaan",
             "mantelzorger-city": "Harderwijk", "mantelzorger-email": "riet@example.nl",
             "mantelzorger-phone": ""}
CARE = {"zorg-recipient_name": "Henk Bakker", "zorg-recipient_postcode": "3845 ab",
        "zorg-recipient_house_number": "12", "zorg-relationship": "partner",
        "zorg-living_together": "ja", "zorg-hours_per_week": "20",
        "zorg-care_since": "01-03-2019"}
PAYMENT = {"betaling-iban": "nl91 abna 0417 1643 00", "betaling-account_holder": "R. Bakker"}
NEWSLETTER = {"nieuwsbrief-wants_newsletter": "on"}
CHECK = {"controleren-consent": "on"}
SKIP_BURDEN = {"belasting-skip": "1"}  # the optional self-check's "Overslaan" button
SELF_STEPS = [("mantelzorger", CAREGIVER), ("zorg", CARE), ("betaling", PAYMENT),
              ("nieuwsbrief", NEWSLETTER), ("belasting", SKIP_BURDEN)]
ON_BEHALF_STEPS = [("aanvrager", REQUESTER), ("mantelzorger", CAREGIVER), ("zorg", CARE),
                   ("betaling", PAYMENT)]


def post_step(client, base, step, data):
    return client.post(f"{base}/{step}", {f"{PREFIX[base]}-current_step": step, **data})


def fill(client, base=SELF, steps=None, **changes):
    """Start fresh and fill the steps; `changes` overrides single fields."""
    assert client.get(base).status_code == 302
    for step, data in steps or (SELF_STEPS if base == SELF else ON_BEHALF_STEPS):
        data = {**data, **{k: v for k, v in changes.items() if k.startswith(step + "-")}}
        response = post_step(client, base, step, data)
        assert response.status_code == 302, response.content.decode()[:3000]
    return client


def send(client, base=SELF):
    """Send the last step and follow the wizard to wherever it ends."""
    response = post_step(client, base, "controleren", CHECK)
    while response.status_code == 302 and "verstuurd" not in response["Location"]:
        response = client.get(response["Location"])
    return response


def field_error(html, step, name) -> str:
    match = re.search(rf'id="id_{step}-{name}_error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def nothing_stored():
    return AppreciationRequest.objects.count() == 0 and Caregiver.objects.count() == 0
