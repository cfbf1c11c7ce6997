"""Every form with a phone number stores "+31 (0)6 12345678" as 0612345678 (issue 18)."""

import pytest

from appreciation.waardering.forms_public import RequesterForm
from registrations.forms_public import AboutMeForm, GuardianForm
from registrations.forms_selfservice import ContactDetailsForm

TYPED = "+31 (0)6 12345678"


@pytest.mark.django_db
def test_the_registration_form_stores_the_national_number():
    form = AboutMeForm({"first_name": "Riet", "last_name": "Bakker",
                        "date_of_birth": "15-03-1958", "street": "Lindenlaan",
                        "house_number": "12", "postcode": "3845 AB", "city": "Harderwijk",
                        "email": "", "phone": TYPED})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["phone"] == "0612345678"


@pytest.mark.django_db
def test_the_guardian_and_contact_forms_store_the_national_number():
    guardian = GuardianForm({"name": "Anja", "email": "", "phone": TYPED})
    contact = ContactDetailsForm({"email": "", "phone": TYPED, "channel": "post"})
    assert guardian.is_valid(), guardian.errors
    assert contact.is_valid(), contact.errors
    assert guardian.cleaned_data["phone"] == contact.cleaned_data["phone"] == "0612345678"


@pytest.mark.django_db
def test_a_wrong_number_keeps_its_message_next_to_the_field():
    form = ContactDetailsForm({"email": "", "phone": "06 1234", "channel": "post"})
    assert not form.is_valid()
    assert form.errors["phone"] == [
        "Vul een telefoonnummer in van 10 cijfers, zoals 0612345678."]
    assert form["phone"].value() == "06 1234"  # what was typed stays


@pytest.mark.django_db
def test_the_waardering_requester_form_stores_the_national_number():
    relation = RequesterForm.base_fields["relation"].choices[0][0]
    form = RequesterForm({"name": "Piet", "relation": relation, "phone": TYPED, "email": ""})
    assert form.is_valid(), form.errors
    assert form.requester()["contact"] == "0612345678"
