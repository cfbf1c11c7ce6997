"""Composing and sending a newsletter in the back office."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from core import clock
from worker.models import Newsletter, NewsletterStatus

VALID = {"subject": "Nieuws in december", "body": "Beste mantelzorger,\n\n- inloop\n- yoga"}


@pytest.fixture
def consulent(client, db, login_fully):
    return login_fully(client, "consulent")


@pytest.mark.django_db
def test_newsletter_pages_need_staff(client):
    for url in (reverse("worker:newsletters"), reverse("worker:newsletter_new")):
        assert client.get(url)["Location"].startswith("/backoffice/inloggen/")


def test_compose_see_the_count_and_send_now(client, consulent, inline_tasks,
                                            django_capture_on_commit_callbacks, caregivers):
    caregivers(3)
    caregivers(2, channel="post")
    response = client.post(reverse("worker:newsletter_new"), VALID)
    newsletter = Newsletter.objects.get()
    assert response["Location"] == reverse("worker:newsletter_detail", args=[newsletter.pk])
    page = client.get(response["Location"]).content.decode()
    assert "3 per e-mail (bevestigd adres) en 2 per post." in page
    assert "<li>yoga</li>" in page  # the preview
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("worker:newsletter_send", args=[newsletter.pk]), {"send_at": ""})
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.SENT
    assert len(mail.outbox) == 3
    progress = client.get(reverse("worker:newsletter_progress", args=[newsletter.pk])).json()
    assert (progress["percent"], progress["sent"], progress["status"]) == (100, 3, "verstuurd")
    again = client.post(reverse("worker:newsletter_send", args=[newsletter.pk]), {"send_at": ""},
                        follow=True)
    assert "al verstuurd of gepland" in again.content.decode()
    assert len(mail.outbox) == 3


def test_audience_filters_narrow_the_count(client, consulent, caregivers):
    caregivers(2)
    caregivers(1, state="voormalig", care_ended_on=clock.today())
    client.post(reverse("worker:newsletter_new"), {**VALID, "states": ["voormalig"]})
    newsletter = Newsletter.objects.get()
    assert newsletter.audience == {"states": ["voormalig"]}
    page = client.get(reverse("worker:newsletter_detail", args=[newsletter.pk])).content.decode()
    assert "1 per e-mail" in page


def test_schedule_for_later(client, consulent):
    client.post(reverse("worker:newsletter_new"), VALID)
    newsletter = Newsletter.objects.get()
    later = (clock.now() + datetime.timedelta(days=2)).strftime("%d-%m-%Y %H:%M")
    client.post(reverse("worker:newsletter_send", args=[newsletter.pk]), {"send_at": later})
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.SCHEDULED and newsletter.send_at > clock.now()


@pytest.mark.parametrize("data, message", [
    ({"subject": "", "body": "x"}, "Vul een onderwerp in."),
    ({"subject": "x" * 500, "body": "x"}, "Zorg dat deze waarde"),
    ({"subject": "a\x00b", "body": "x"}, "Gebruik alleen gewone letters"),
    ({"subject": "x", "body": ""}, "Vul de tekst in."),
    ({"subject": "x", "body": "y" * 20001}, "Zorg dat deze waarde"),
    ({"subject": "x", "body": "y", "states": ["beeindigd"]}, "Selecteer een geldige keuze"),
])
def test_wrong_input_when_composing(client, consulent, data, message):
    response = client.post(reverse("worker:newsletter_new"), data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not Newsletter.objects.exists()


@pytest.mark.parametrize("send_at, message", [
    ("gisteren", "Vul datum en tijd in zoals"),
    ("01-01-2020 09:00", "Dit moment is al voorbij."),
])
def test_wrong_send_moments_are_refused(client, consulent, send_at, message):
    client.post(reverse("worker:newsletter_new"), VALID)
    newsletter = Newsletter.objects.get()
    response = client.post(reverse("worker:newsletter_send", args=[newsletter.pk]),
                           {"send_at": send_at})
    assert response.status_code == 400 and message in response.content.decode()
    newsletter.refresh_from_db()
    assert newsletter.status == NewsletterStatus.DRAFT


def test_script_in_the_subject_is_escaped(client, consulent):
    client.post(reverse("worker:newsletter_new"), {**VALID, "subject": "<script>alert(1)</script>"})
    newsletter = Newsletter.objects.get()
    page = client.get(reverse("worker:newsletter_detail", args=[newsletter.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page


def pdf_upload(name="folder.pdf", content=b"%PDF-1.4\n% test\n"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="application/pdf")


def test_a_pdf_attachment_goes_with_every_e_mail(client, consulent, media, inline_tasks,
                                                  django_capture_on_commit_callbacks, caregivers):
    caregivers(2)
    client.post(reverse("worker:newsletter_new"), {**VALID, "attachment": pdf_upload()})
    newsletter = Newsletter.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("worker:newsletter_send", args=[newsletter.pk]), {"send_at": ""})
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        [(name, content, kind)] = message.attachments
        assert kind == "application/pdf" and content.startswith(b"%PDF-")


@pytest.mark.parametrize("upload, message", [
    (lambda: pdf_upload("folder.exe", b"MZ\x90\x00"), "moet een PDF-bestand zijn"),
    (lambda: pdf_upload("nep.pdf", b"<html>"), "moet een PDF-bestand zijn"),
    (lambda: pdf_upload("groot.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024)), "te groot"),
])
def test_wrong_attachments_are_refused(client, consulent, media, upload, message):
    response = client.post(reverse("worker:newsletter_new"), {**VALID, "attachment": upload()})
    assert response.status_code == 200 and message in response.content.decode()
    assert not Newsletter.objects.exists()


def test_postal_preview_is_rendered_by_a_task(client, consulent, media, inline_tasks):
    import subprocess

    client.post(reverse("worker:newsletter_new"), VALID)
    newsletter = Newsletter.objects.get()
    client.post(reverse("worker:newsletter_preview_pdf", args=[newsletter.pk]))
    newsletter.refresh_from_db()
    assert newsletter.preview_pdf
    pdf = client.get(reverse("worker:newsletter_file", args=[newsletter.pk, "voorbeeld"]))
    assert pdf["Content-Type"] == "application/pdf"
    text = subprocess.run(["pdftotext", newsletter.preview_pdf.path, "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "Nieuws in december" in text and "Voorbeeld Mantelzorger" in text
    assert client.get(reverse("worker:newsletter_file",
                              args=[newsletter.pk, "iets"])).status_code == 404
