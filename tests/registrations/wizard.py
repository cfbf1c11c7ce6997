"""The registration wizard at /aanmelden as a browser fills it: each step's valid answers,
and posting, filling and sending steps with the test client. Used by the registration,
burden-check and unavailable tests (a plain module, not a test module)."""

ABOUT = {
    "over-mij-first_name": "Riet", "over-mij-last_name": "Bakker",
    "over-mij-date_of_birth": "02-01-1950", "over-mij-postcode": "3845 ab",
    "over-mij-house_number": "12a", "over-mij-street": "Lindenlaan",
    "over-mij-city": "Harderwijk", "over-mij-email": "Riet.Bakker@Example.nl",
    "over-mij-phone": "06-1234 5678",
}
RECIPIENT = {
    "naaste-name": "Henk Bakker", "naaste-date_of_birth": "", "naaste-relationship": "partner",
    "naaste-lives_in_municipality": "ja", "naaste-living_together": "ja",
    "naaste-care_kinds": ["huishouden", "verzorging"], "naaste-hours_per_week": "20",
    "naaste-care_since": "01-03-2019", "naaste-care_need": "",
}
CONTACT = {"contact-channel": "email", "contact-wants_newsletter": "on"}
CHECK = {"controleren-consent": "on"}
SKIP_BURDEN = {"belasting-skip": "1"}  # the optional self-check's "Overslaan" button


def post_step(client, step, data):
    return client.post(f"/aanmelden/{step}", {"registration_wizard-current_step": step,
                                              **data})


def submit(client, data=CHECK):
    """Send the last step; the wizard stores the registration on the 'klaar' redirect."""
    response = post_step(client, "controleren", data)
    while response.status_code == 302 and "verstuurd" not in response["Location"]:
        response = client.get(response["Location"])
    return response


def fill(client, about=None, recipient=None, contact=None, guardian=None):
    client.get("/aanmelden/over-mij")
    steps = [("over-mij", {**ABOUT, **(about or {})}),
             ("naaste", {**RECIPIENT, **(recipient or {})}),
             ("contact", {**CONTACT, **(contact or {})})]
    if guardian is not None:
        steps.append(("ouder", guardian))
    steps.append(("belasting", SKIP_BURDEN))
    for step, data in steps:
        response = post_step(client, step, data)
        assert response.status_code == 302, response.content.decode()[:3000]
    return client
