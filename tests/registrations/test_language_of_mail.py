"""Which language a caregiver's e-mails come in: the person changes it in Mijn gegevens, a
consulent on the edit page; a wrong or tampered choice is explained and changes nothing."""

import pytest
from django.urls import reverse

from registrations.models import Caregiver
from tests.factories import CaregiverFactory
from tests.registrations.test_registry_corrections import edit_data

CONTACT = "/mijn-gegevens/contact"


@pytest.fixture
def riet(db):
    return CaregiverFactory(complete=True)


def contact_data(**changes):
    return {"email": "riet@example.nl", "phone": "0612345678", "channel": "email",
            "wants_newsletter": "on", **changes}


def test_the_caregiver_chooses_the_language_of_her_e_mails(client, riet, sign_in):
    sign_in(client, riet)
    form = client.get(CONTACT).content.decode()
    assert 'value="nl"' in form and 'lang="tr"' in form  # each language named in itself
    client.post(CONTACT, contact_data(language="pl"))
    assert Caregiver.objects.get(pk=riet.pk).language == "pl"


@pytest.mark.parametrize("tampered", ["xx", "../nl", "<script>", "nl" * 100])
def test_a_tampered_language_is_explained_and_nothing_changes(client, riet, sign_in, tampered):
    sign_in(client, riet)
    before = Caregiver.objects.filter(pk=riet.pk).values().get()
    response = client.post(CONTACT, contact_data(language=tampered, phone="0699999999"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kies een taal uit de lijst." in page
    assert 'value="0699999999"' in page  # what was typed stays
    assert Caregiver.objects.filter(pk=riet.pk).values().get() == before


def test_a_form_without_the_language_keeps_the_stored_one(client, riet, sign_in):
    Caregiver.objects.filter(pk=riet.pk).update(language="ar")
    sign_in(client, riet)
    client.post(CONTACT, contact_data(phone="0611112222"))
    riet.refresh_from_db()
    assert riet.language == "ar" and riet.phone == "0611112222"


@pytest.mark.django_db
def test_a_consulent_sets_the_language_and_sees_it(client, login_fully):
    login_fully(client, "consulent")
    caregiver = CaregiverFactory(complete=True)
    url = reverse("registrations:caregiver_edit", args=[caregiver.pk])
    client.post(url, edit_data(caregiver, language="tr"))
    caregiver.refresh_from_db()
    assert caregiver.language == "tr"
    detail = client.get(reverse("registrations:caregiver_detail", args=[caregiver.pk]))
    assert '<dd lang="tr">Türkçe</dd>' in detail.content.decode()
    refused = client.post(url, edit_data(caregiver, language="klingon"))
    assert "Kies een taal uit de lijst." in refused.content.decode()
    caregiver.refresh_from_db()
    assert caregiver.language == "tr"
