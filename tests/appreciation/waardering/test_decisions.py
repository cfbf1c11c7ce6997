"""Decisions on the waardering are the municipality's: the letters say who decided and how
to object (the Awb), the reason is a sentence the person reads, "een andere reden" needs
its explanation, and an unanswered question ends in "buiten behandeling" set by a
consulent, never in a rejection by a job."""

import datetime

import pytest
from django.urls import reverse
from django_fsm import TransitionNotAllowed

from appreciation.models import (
    AppreciationLetter,
    AppreciationRequest,
    RejectionReason,
    RequestState,
)
from appreciation.tasks import expire_waardering_questions
from appreciation.waardering import selectors, services
from tests.support import caregiver_details, pdf_text, request_data, sign_in
from tests.support import submit as submit_one
from worker.letters import render_pdf
from worker.models import Letter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]

DUE = datetime.date(2026, 10, 13)  # 15 September + the default 4 weeks to answer


def the_letter(request, kind) -> Letter:
    return Letter.objects.get(appreciation_request=request, kind=kind)


def letter_text(request, kind, tmp_path) -> str:
    """The letter's PDF as the person would read it (pdftotext), on one line."""
    return " ".join(pdf_text(render_pdf([the_letter(request, kind)]), tmp_path).split())


def assert_is_a_decision_of_the_college(text: str, reference: str) -> None:
    assert ("Dit besluit nemen wij namens het college van burgemeester en wethouders van "
            "Harderwijk.") in text
    assert "binnen zes weken na de datum van deze brief" in text
    assert "Doe dat per brief, naar: Het college van burgemeester en wethouders van " \
        "Harderwijk Postbus 149 3840 AC Harderwijk" in text
    assert f"het kenmerk {reference}" in text and "waarom u het niet eens bent" in text
    assert "Let op: bellen is geen bezwaar." in text


# --- letters ----------------------------------------------------------------------------

def test_a_rejection_letter_is_the_colleges_decision_with_the_sentence_and_the_objection_route(
        waardering_year, consulent, tmp_path):
    request = services.reject(submit_one(), consulent, RejectionReason.RECIPIENT_ELSEWHERE)
    text = letter_text(request, AppreciationLetter.WAARDERING_REJECTED, tmp_path)
    assert "Waarom niet? Uw naaste woont niet in Harderwijk of Hierden." in text
    assert_is_a_decision_of_the_college(text, request.reference)
    assert "Stuur ons een brief of e-mail" not in text  # the old, wrong route


def test_an_approval_is_a_decision_too(waardering_year, consulent, tmp_path):
    request = services.approve(submit_one(), consulent)
    text = letter_text(request, AppreciationLetter.WAARDERING_APPROVED, tmp_path)
    assert "U krijgt € 75,00" in text
    assert_is_a_decision_of_the_college(text, request.reference)


def test_the_authority_and_the_address_are_the_years_settings(waardering_year, consulent,
                                                               tmp_path):
    waardering_year.decision_authority = "het college van burgemeester en wethouders van Ermelo"
    waardering_year.objection_address = "Postbus 500\n\n3850 AA  Ermelo\n"
    waardering_year.save()
    request = services.reject(submit_one(), consulent, RejectionReason.TOO_SHORT)
    text = letter_text(request, AppreciationLetter.WAARDERING_REJECTED, tmp_path)
    assert "namens het college van burgemeester en wethouders van Ermelo." in text
    assert "naar: Het college van burgemeester en wethouders van Ermelo Postbus 500 " \
        "3850 AA Ermelo" in text


def test_a_young_caregiver_reads_the_reason_and_the_route_with_je(waardering_year, consulent,
                                                                 tmp_path):
    details = caregiver_details(first_name="Sem", date_of_birth=datetime.date(2008, 5, 1),
                                email="sem@example.nl")
    request = services.reject(submit_one(request_data(caregiver=details)), consulent,
                              RejectionReason.TOO_SHORT)
    text = letter_text(request, AppreciationLetter.WAARDERING_REJECTED, tmp_path)
    assert "Je zorgt nog niet lang genoeg voor je naaste." in text
    assert "Ben je het niet eens met dit besluit?" in text
    assert "Stuur je bezwaar binnen zes weken" in text
    assert "Uw naaste" not in text and "Stuur uw bezwaar" not in text


def test_another_reason_shows_only_the_explanation(waardering_year, consulent, tmp_path):
    request = services.reject(submit_one(), consulent, RejectionReason.OTHER,
                              "  U bent in augustus verhuisd naar Zwolle.  ")
    text = letter_text(request, AppreciationLetter.WAARDERING_REJECTED, tmp_path)
    assert "Waarom niet? U bent in augustus verhuisd naar Zwolle." in text
    assert "andere reden" not in text.lower()  # a staff label never reaches the person
    assert request.rejection_text == "U bent in augustus verhuisd naar Zwolle."


def test_a_sentence_and_an_explanation_are_both_read(waardering_year, consulent):
    request = services.reject(submit_one(), consulent, RejectionReason.TOO_FEW_HOURS,
                              "U vertelde ons dat het 4 uur per week is.")
    assert request.rejection_reason_text() == (
        "U zorgt minder uren per week voor uw naaste dan nodig is. U vertelde ons dat het 4 "
        "uur per week is.")


# --- "een andere reden" needs its explanation --------------------------------------------

@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_another_reason_without_explanation_is_refused_and_nothing_changes(
        waardering_year, consulent, text):
    request = submit_one()
    with pytest.raises(services.ExplanationMissing):
        services.reject(request, consulent, RejectionReason.OTHER, text)
    assert AppreciationRequest.objects.get(pk=request.pk).state == RequestState.INGEDIEND
    assert not Letter.objects.filter(kind=AppreciationLetter.WAARDERING_REJECTED).exists()


def test_the_old_no_answer_reason_cannot_be_chosen_any_more(waardering_year, consulent):
    with pytest.raises(ValueError):
        services.reject(submit_one(), consulent, RejectionReason.NO_ANSWER)


# --- buiten behandeling --------------------------------------------------------------------

def asked(consulent) -> AppreciationRequest:
    return services.ask_information(submit_one(), consulent, "Sinds wanneer zorgt u?")


def test_a_request_is_not_set_aside_before_its_answer_date_has_passed(
        waardering_year, consulent, waardering_day):
    request = asked(consulent)
    assert request.info_due_on == DUE
    waardering_day.move_to(datetime.datetime(2026, 10, 13, 16, 0))  # the last day still counts
    with pytest.raises(TransitionNotAllowed):
        services.set_aside(request, consulent)
    assert AppreciationRequest.objects.get(pk=request.pk).state == RequestState.AANVULLING_NODIG
    assert not selectors.overdue_questions().exists()


def test_after_the_date_a_consulent_sets_it_aside_with_a_letter_that_is_a_decision(
        waardering_year, consulent, waardering_day, tmp_path):
    request = asked(consulent)
    waardering_day.move_to(datetime.datetime(2026, 10, 14, 9, 0))
    assert list(selectors.overdue_questions()) == [request]
    request = services.set_aside(request, consulent, expected_state="aanvulling_nodig")
    assert (request.state, request.decided_by, request.rejection_reason) == (
        RequestState.BUITEN_BEHANDELING, consulent, "")
    text = letter_text(request, AppreciationLetter.WAARDERING_SET_ASIDE, tmp_path)
    assert "wij behandelen uw aanvraag voor de mantelzorgwaardering 2026 niet verder" in text
    assert "U kon antwoorden tot en met 13-10-2026." in text
    assert "uw aanvraag is buiten behandeling gesteld (artikel 4:5 van de Algemene wet " \
        "bestuursrecht). Dit is geen afwijzing. U mag opnieuw een aanvraag doen" in text
    assert "Sinds wanneer zorgt u?" in text
    assert_is_a_decision_of_the_college(text, request.reference)
    assert not Letter.objects.filter(kind=AppreciationLetter.WAARDERING_REJECTED).exists()


def test_only_a_request_waiting_for_an_answer_is_set_aside(waardering_year, consulent,
                                                          waardering_day):
    answered = asked(consulent)
    services.answer_information(answered, answered.caregiver, "Sinds 2019.")
    waardering_day.move_to(datetime.datetime(2026, 11, 1, 9, 0))
    with pytest.raises(TransitionNotAllowed):
        services.set_aside(answered, consulent)
    assert AppreciationRequest.objects.get(pk=answered.pk).state == RequestState.IN_BEHANDELING


def test_the_daily_job_counts_overdue_questions_and_decides_nothing(
        waardering_year, consulent, waardering_day, media):
    late, in_time = asked(consulent), None
    waardering_day.move_to(datetime.datetime(2026, 10, 1, 9, 0))
    in_time = services.ask_information(submit_one(request_data(caregiver=caregiver_details(
        date_of_birth=datetime.date(1961, 2, 2), email="ander@example.nl"))), consulent,
        "Welk huisnummer?")
    waardering_day.move_to(datetime.datetime(2026, 10, 20, 3, 15))
    assert expire_waardering_questions() == {"overdue": 1, "orphan_payment_files": 0}
    states = dict(AppreciationRequest.objects.values_list("pk", "state"))
    assert states == {late.pk: RequestState.AANVULLING_NODIG,
                      in_time.pk: RequestState.AANVULLING_NODIG}


def test_after_being_set_aside_the_person_may_ask_again_that_year(
        waardering_year, consulent, waardering_day):
    first = asked(consulent)
    waardering_day.move_to(datetime.datetime(2026, 10, 14, 9, 0))
    services.set_aside(first, consulent)
    again = submit_one()
    assert again.pk != first.pk and again.caregiver_id == first.caregiver_id
    assert again.state == RequestState.INGEDIEND
    assert {check["code"]: check["ok"] for check in again.checks}["duplicate"] is True


# --- the back office ------------------------------------------------------------------------

@pytest.fixture
def signed_in(client, waardering_year, login_fully, settings):
    # These tests move the clock weeks on; a staff session lasts a working day.
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600
    return login_fully(client, "consulent")


def detail(request) -> str:
    return reverse("appreciation:review_detail", args=[request.pk])


def test_the_queue_flags_overdue_questions_and_filters_them(client, signed_in, waardering_day):
    late = asked(signed_in)
    other = submit_one(request_data(caregiver=caregiver_details(
        date_of_birth=datetime.date(1961, 2, 2), email="ander@example.nl")))
    waardering_day.move_to(datetime.datetime(2026, 10, 14, 9, 0))
    queue = reverse("appreciation:review_queue")
    html = client.get(queue).content.decode()
    assert html.count("Antwoord te laat</strong>") == 1
    html = client.get(queue, {"state": "antwoord_te_laat", "year": "2026"}).content.decode()
    assert detail(late) in html and detail(other) not in html


def test_the_detail_page_offers_buiten_behandeling_only_after_the_date(
        client, signed_in, waardering_day):
    request = asked(signed_in)
    html = client.get(detail(request)).content.decode()
    assert "De mantelzorger kan antwoorden tot en met 13-10-2026." in html
    assert reverse("appreciation:review_set_aside", args=[request.pk]) not in html
    waardering_day.move_to(datetime.datetime(2026, 10, 14, 9, 0))
    html = client.get(detail(request)).content.decode()
    assert reverse("appreciation:review_set_aside", args=[request.pk]) in html
    post = reverse("appreciation:review_set_aside", args=[request.pk])
    # Without the tick: a message next to the box, nothing changed.
    html = client.post(post, {"buiten-behandeling-expected_state": "aanvulling_nodig"}
                       ).content.decode()
    assert "Zet een vinkje als er echt geen antwoord is." in html
    assert AppreciationRequest.objects.get().state == RequestState.AANVULLING_NODIG
    response = client.post(post, {"buiten-behandeling-expected_state": "aanvulling_nodig",
                                  "buiten-behandeling-confirm": "on"}, follow=True)
    assert "Buiten behandeling gesteld. De mantelzorger krijgt een brief." in \
        response.content.decode()
    assert AppreciationRequest.objects.get().state == RequestState.BUITEN_BEHANDELING


def test_a_set_aside_too_early_by_a_tampered_form_is_refused(client, signed_in):
    request = asked(signed_in)
    response = client.post(
        reverse("appreciation:review_set_aside", args=[request.pk]),
        {"buiten-behandeling-expected_state": "aanvulling_nodig",
         "buiten-behandeling-confirm": "on"}, follow=True)
    assert response.status_code == 200
    assert AppreciationRequest.objects.get().state == RequestState.AANVULLING_NODIG


REJECT = {"afwijzen-expected_state": "ingediend", "afwijzen-reason": "anders"}


@pytest.mark.parametrize("typed", ["", "   ", "x" * 1001, "a\x00b"])
def test_another_reason_without_a_usable_explanation_keeps_what_was_chosen(
        client, signed_in, typed):
    request = submit_one()
    html = client.post(reverse("appreciation:review_reject", args=[request.pk]),
                       {**REJECT, "afwijzen-text": typed}).content.decode()
    assert 'aria-invalid="true"' in html
    assert '<option value="anders" selected>' in html
    if not typed.strip():
        assert "Schrijf de reden op. De mantelzorger leest deze uitleg in de brief." in html
    assert AppreciationRequest.objects.get().state == RequestState.INGEDIEND
    assert not Letter.objects.filter(kind=AppreciationLetter.WAARDERING_REJECTED).exists()


def test_the_form_offers_the_sentences_the_person_reads(client, signed_in):
    request = submit_one()
    html = client.get(detail(request)).content.decode()
    assert "Uw naaste woont niet in Harderwijk of Hierden." in html
    assert 'value="geen_antwoord"' not in html
    response = client.post(reverse("appreciation:review_reject", args=[request.pk]),
                           {**REJECT, "afwijzen-text": "U woont sinds juli in Zwolle."},
                           follow=True)
    assert "Afgewezen" in response.content.decode()
    assert "U woont sinds juli in Zwolle." in response.content.decode()
    assert AppreciationRequest.objects.get().rejection_text == "U woont sinds juli in Zwolle."


def test_mijn_gegevens_says_it_was_not_handled_and_offers_to_ask_again(
        client, waardering_year, consulent, waardering_day):
    request = asked(consulent)
    waardering_day.move_to(datetime.datetime(2026, 10, 14, 9, 0))
    services.set_aside(request, consulent)
    sign_in(client, request.caregiver)
    html = client.get(reverse("appreciation:waardering_my_requests")).content.decode()
    assert ("Wij kregen geen antwoord op onze vraag. Daarom behandelen wij deze aanvraag niet "
            "verder. U mag opnieuw aanvragen.") in html
    assert "Waardering 2026 aanvragen" in html  # the way to ask again
