"""Issue 14, item 3, in the waardering: someone unknown under 16 asks, and is registered
through the request. The guardian's address may not be the child's own there either."""

import datetime

import pytest

from tests.appreciation.waardering.wizard import (
    CAREGIVER,
    SELF,
    field_error,
    fill,
    nothing_stored,
    post_step,
)

TODAY = datetime.date(2026, 9, 15)
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_year")]


@pytest.mark.parametrize("typed", ["riet@example.nl", " Riet@Example.NL "])
def test_the_childs_own_address_is_refused_for_the_guardian(client, typed):
    born = (TODAY.replace(year=TODAY.year - 15) - datetime.timedelta(days=2)).strftime("%d-%m-%Y")
    fill(client, steps=[("mantelzorger", {**CAREGIVER, "mantelzorger-date_of_birth": born})])
    response = post_step(client, SELF, "ouder", {"ouder-name": "Anja de Vries",
                                                 "ouder-email": typed, "ouder-phone": ""})
    html = response.content.decode()
    assert "Dit is je eigen e-mailadres." in field_error(html, "ouder", "email")
    assert 'value="Anja de Vries"' in html and nothing_stored()
