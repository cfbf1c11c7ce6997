"""Back office for the waardering: the queue with its filters and budget, the request page
with every decision, races between colleagues, bulk approval by a coordinator."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appreciation.models import (
    AgeGroup,
    AppreciationLetter,
    AppreciationRequest,
    RequestState,
    Route,
)
from appreciation.waardering import services
from registrations.models import Caregiver, District, StaffAccess, State
from tests.support import VALID_IBAN, caregiver_details, password_step, request_data, totp_now
from tests.support import submit as submit_one
from worker.models import Letter

TODAY = datetime.date(2026, 9, 15)
QUEUE = reverse("appreciation:review_queue")
BULK = reverse("appreciation:review_bulk_approve")

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("waardering_day")]




@pytest.fixture
def consulent(client, waardering_year, login_fully):
    return login_fully(client, "consulent")


@pytest.fixture
def coordinator(client, waardering_year, login_fully):
    return login_fully(client, "coordinator")


def staff_client(make_staff, role, username) -> tuple[Client, object]:
    """A second browser, logged in with password and second factor."""
    user, password, device = make_staff(role, username=username, with_device=True)
    other = Client()
    password_step(other, user, password)
    other.post(reverse("mantelzorg:staff_verify"), {"token": totp_now(device)})
    return other, user


def new_request(n=0, ready=True, **extra) -> AppreciationRequest:
    """A request of a different caregiver for every `n`; `ready` passes every check."""
    details = caregiver_details(first_name=f"Riet{n}", date_of_birth=datetime.date(1950, 1, 1)
                                + datetime.timedelta(days=n), email=f"riet{n}@example.nl")
    request = submit_one(request_data(caregiver=details), **extra)
    if ready:  # registered through the request: active, and checked by a consulent
        Caregiver.objects.filter(pk=request.caregiver_id).update(
            state=State.ACTIEF, checked_by_consulent_at=timezone.now())
        request = services.recheck(request)
    return request


def url(name, request):
    return reverse("appreciation:" + ("review_start" if name == "start_review"
                                       else f"review_{name}"), args=[request.pk])


def page(client, target, **params) -> str:
    response = client.get(target, params)
    assert response.status_code == 200
    return response.content.decode()


def refreshed(request) -> AppreciationRequest:
    return AppreciationRequest.objects.get(pk=request.pk)


# --- access -----------------------------------------------------------------------------

def test_anonymous_go_to_login_and_roleless_users_are_refused(client, waardering_year,
                                                              django_user_model):
    request = new_request()
    for target in (QUEUE, url("detail", request)):
        assert client.get(target)["Location"].startswith("/backoffice/inloggen/")
    for target in (url("approve", request), url("reject", request), BULK):
        assert client.post(target, {"expected_state": "ingediend"})["Location"].startswith(
            "/backoffice/inloggen/")
    client.force_login(django_user_model.objects.create_user("zomaar"))
    assert client.get(QUEUE).status_code == 403
    assert client.post(url("approve", request), {"expected_state": "ingediend"}
                       ).status_code == 403
    assert refreshed(request).state == RequestState.INGEDIEND


# --- the queue --------------------------------------------------------------------------

def test_queue_lists_oldest_first_with_the_columns_and_no_health_data(client, consulent):
    first = new_request(1)
    with time_machine.travel(datetime.datetime(2026, 9, 16, 9, 0), tick=False):
        second = new_request(2, ready=False)
    stad = District.objects.get(name="Stadsdennen")
    Caregiver.objects.filter(pk=first.caregiver_id).update(district=stad)
    Caregiver.objects.filter(pk=second.caregiver_id).update(district=None)
    html = page(client, QUEUE)
    assert html.index(first.reference) < html.index(second.reference)
    assert "Bakker, Riet1" in html and url("detail", first) in html
    assert "15-09-2026" in html and "16-09-2026" in html
    assert "Stadsdennen" in html and "Onbekend" in html
    assert "€ 75,00" in html and "Volwassene" in html and "Ingediend" in html
    assert "2 aanvragen gevonden" in html
    # The unregistered newcomer fails two checks: not active yet, not checked by a consulent.
    assert html.count("<td><strong>2</strong></td>") == 1
    assert "ementie" not in html and "Henk Bakker" not in html and VALID_IBAN not in html


def test_queue_filters_include_and_exclude(client, consulent, waardering_year):
    good = new_request(1)
    failing = new_request(2, ready=False)
    decided = new_request(3)
    services.reject(decided, consulent, "te_kort")
    stad = District.objects.get(name="Stadsdennen")
    Caregiver.objects.filter(pk=good.caregiver_id).update(district=stad)
    AppreciationRequest.objects.filter(pk=failing.pk).update(age_group=AgeGroup.YOUNG)

    html = page(client, QUEUE)  # default: this year's open requests
    assert good.reference in html and failing.reference in html
    assert decided.reference not in html
    html = page(client, QUEUE, state="afgewezen", year=waardering_year.year)
    assert decided.reference in html and good.reference not in html
    html = page(client, QUEUE, state="", year="")
    assert all(r.reference in html for r in (good, failing, decided))
    html = page(client, QUEUE, state="open", failed_checks="on")
    assert failing.reference in html and good.reference not in html
    html = page(client, QUEUE, state="open", district=stad.pk)
    assert good.reference in html and failing.reference not in html
    html = page(client, QUEUE, state="open", district="onbekend")
    assert failing.reference in html and good.reference not in html
    html = page(client, QUEUE, state="open", age_group="jong")
    assert failing.reference in html and good.reference not in html
    html = page(client, QUEUE, state="open", year="2025")  # no such year: default list
    assert "Een filter klopte niet" in html and good.reference in html


@pytest.mark.parametrize("params", [
    {"state": "bestaat-niet"}, {"district": "999999"}, {"year": "abc"}, {"pagina": "-1"},
    {"pagina": "abc"}, {"age_group": "<script>alert(1)</script>"}, {"district": "a\x00b"},
    {"failed_checks": "x" * 5000},
])
def test_hostile_queue_parameters_never_error(client, consulent, params):
    new_request()
    response = client.get(QUEUE, params)
    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.content.decode()


def test_the_first_page_costs_the_same_queries_with_3_or_30_requests(client, coordinator):
    def queries_for_first_page():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(QUEUE).status_code == 200
        return len(queries)

    for n in range(3):
        new_request(n)
    with_three = queries_for_first_page()
    for n in range(3, 30):
        new_request(n, ready=n % 2 == 0)
    assert queries_for_first_page() == with_three


def test_pages_of_50_keep_the_filters(client, consulent):
    for n in range(51):
        new_request(n, ready=False)
    html = page(client, QUEUE)
    assert "51 aanvragen gevonden" in html and "Pagina 1 van 2" in html
    assert "year=2026&amp;state=open" in html and "pagina=2" in html
    assert "Pagina 2 van 2" in page(client, QUEUE, state="open", year="2026", pagina="2")


# --- budget -----------------------------------------------------------------------------

def test_budget_panel_shows_the_year_and_warns_when_low_or_overspent(
        client, consulent, waardering_year):
    services.approve(new_request(1), consulent)
    html = page(client, QUEUE)
    assert "Budget 2026" in html and "€ 100.000,00" in html
    assert "€ 99.925,00" in html and "Let op" not in html
    waardering_year.budget_cents = 10000
    waardering_year.save()
    html = page(client, QUEUE)
    assert "€ 25,00" in html and "bijna geen budget meer" in html
    waardering_year.budget_cents = 5000
    waardering_year.save()
    assert "het budget is overschreden met € 25,00" in page(client, QUEUE)


def test_budget_panel_counts_the_unknown_caregivers_the_waardering_registered(
        client, consulent, waardering_year):
    first, _second = (submit_one(request_data(caregiver=caregiver_details(
        date_of_birth=datetime.date(1950 + n, 1, 1)))) for n in range(2))
    assert "0 van 2 nog onbekende aanvragers zijn nu ingeschreven" in page(client, QUEUE)
    services.approve(first, consulent)  # the consulent's approval activates the registration
    assert "1 van 2 nog onbekende aanvragers zijn nu ingeschreven" in page(client, QUEUE)


# --- the request page -------------------------------------------------------------------

def test_detail_shows_the_request_masks_the_iban_and_logs_the_view(client, consulent):
    request = new_request(1)
    html = page(client, url("detail", request))
    assert request.reference in html and "Riet1 Bakker" in html
    assert reverse("registrations:caregiver_detail", args=[request.caregiver_id]) in html
    assert "02-01-1950" in html and "Lindenlaan 12" in html and "Actief" in html
    assert "Door de mantelzorger zelf" in html and "Henk Bakker" in html
    assert "20" in html and "01-03-2019" in html and "€ 75,00" in html
    assert VALID_IBAN not in html and "••••••••••••••4300" in html
    assert "Minstens 8 uur zorg per week" in html and "Opgegeven: 20 uur" in html
    assert "Waardering: aanvraag ontvangen" in html and "Klaar om te versturen" in html
    page(client, url("detail", request))
    assert StaffAccess.objects.filter(caregiver=request.caregiver, user=consulent,
                                      action="waardering bekeken").count() == 2


def test_unknown_request_is_404(client, consulent):
    assert client.get(reverse("appreciation:review_detail", args=[999999])).status_code == 404
    assert client.post(reverse("appreciation:review_approve", args=[999999]),
                       {"expected_state": "ingediend"}).status_code == 404


def test_start_review_and_approve_with_history_and_letter(client, consulent):
    request = new_request(1)
    response = client.post(url("start_review", request), {"expected_state": "ingediend"},
                           follow=True)
    assert "U behandelt deze aanvraag nu" in response.content.decode()
    response = client.post(url("approve", request), {"expected_state": "in_behandeling"},
                           follow=True)
    html = response.content.decode()
    assert "Goedgekeurd. De mantelzorger krijgt een brief." in html
    assert refreshed(request).state == RequestState.GOEDGEKEURD
    assert "In behandeling genomen" in html and consulent.username in html
    assert html.count('class="transition"') == 2
    assert "Waardering: goedgekeurd" in html


def test_reject_needs_a_reason_and_keeps_typed_text_on_errors(client, consulent):
    request = new_request(1)
    data = {"afwijzen-expected_state": "ingediend", "afwijzen-reason": "",
            "afwijzen-text": "Zorgt pas twee weken."}
    html = client.post(url("reject", request), data).content.decode()
    assert "Kies een reden voor de afwijzing." in html and "Zorgt pas twee weken." in html
    for hostile, message in (("x" * 1001, "Gebruik hoogstens 1000 tekens"),
                             ("a\x00b", "")):
        response = client.post(url("reject", request), {**data, "afwijzen-reason": "te_kort",
                                                         "afwijzen-text": hostile})
        assert response.status_code == 200 and message in response.content.decode()
        assert 'aria-invalid="true"' in response.content.decode()
    response = client.post(url("reject", request), {**data, "afwijzen-reason": "verzonnen"})
    assert "Kies een reden uit de lijst." in response.content.decode()
    assert refreshed(request).state == RequestState.INGEDIEND
    response = client.post(url("reject", request), {**data, "afwijzen-reason": "te_kort"},
                           follow=True)
    assert "Afgewezen" in response.content.decode()
    request = refreshed(request)
    assert (request.state, request.rejection_reason, request.rejection_text) == (
        RequestState.AFGEWEZEN, "te_kort", "Zorgt pas twee weken.")


def test_ask_information_needs_a_question(client, consulent):
    request = new_request(1)
    html = client.post(url("ask_information", request),
                       {"vraag-expected_state": "ingediend", "vraag-question": ""}
                       ).content.decode()
    assert "Schrijf de vraag op." in html
    client.post(url("ask_information", request), {
        "vraag-expected_state": "ingediend", "vraag-question": "Sinds wanneer zorgt u?"})
    request = refreshed(request)
    assert request.state == RequestState.AANVULLING_NODIG
    assert request.info_question == "Sinds wanneer zorgt u?"
    assert Letter.objects.filter(appreciation_request=request,
                                 kind=AppreciationLetter.WAARDERING_INFO).exists()


def test_on_behalf_request_is_approved_after_the_phone_confirmation(client, consulent):
    request = new_request(1, route=Route.ON_BEHALF)
    html = page(client, url("detail", request))
    assert "Goedkeuren kan pas als de mantelzorger akkoord is" in html
    response = client.post(url("approve", request), {"expected_state": "ingediend"},
                           follow=True)
    assert "Een collega heeft deze aanvraag intussen behandeld" in response.content.decode()
    html = client.post(url("confirm_by_phone", request),
                       {"bevestigen-expected_state": "ingediend"}).content.decode()
    assert "Zet een vinkje als de mantelzorger akkoord is." in html
    client.post(url("confirm_by_phone", request),
                {"bevestigen-expected_state": "ingediend", "bevestigen-confirm": "on"})
    assert refreshed(request).checks_passed
    client.post(url("approve", request), {"expected_state": "ingediend"})
    assert refreshed(request).state == RequestState.GOEDGEKEURD


def test_withdraw_on_the_caregivers_request_and_check_again(client, consulent):
    request = new_request(1, ready=False)
    Caregiver.objects.filter(pk=request.caregiver_id).update(
        state=State.ACTIEF, checked_by_consulent_at=timezone.now())
    response = client.post(url("recheck", request), {"expected_state": "ingediend"},
                           follow=True)
    assert "De controles zijn opnieuw gedaan." in response.content.decode()
    assert refreshed(request).checks_passed
    html = client.post(url("withdraw", request),
                       {"intrekken-expected_state": "ingediend"}).content.decode()
    assert "Zet een vinkje om de aanvraag in te trekken." in html
    client.post(url("withdraw", request),
                {"intrekken-expected_state": "ingediend", "intrekken-confirm": "on"})
    assert refreshed(request).state == RequestState.INGETROKKEN


@pytest.mark.parametrize("data", [{}, {"expected_state": "bestaat-niet"},
                                  {"expected_state": "<b>"}])
def test_tampered_action_forms_give_a_message(client, consulent, data):
    request = new_request(1)
    for name in ("start_review", "approve", "recheck"):
        response = client.post(url(name, request), data, follow=True)
        assert "Het formulier was niet compleet" in response.content.decode()
    assert refreshed(request).state == RequestState.INGEDIEND


# --- two consulenten at once ------------------------------------------------------------

def test_the_second_consulent_gets_a_message_and_changes_nothing(client, consulent,
                                                                 make_staff):
    request = new_request(1)
    other, _ = staff_client(make_staff, "consulent", "consulent-twee")
    for browser in (client, other):  # both have the page open, showing "ingediend"
        assert 'name="expected_state" value="ingediend"' in page(browser, url("detail",
                                                                               request))
    client.post(url("approve", request), {"expected_state": "ingediend"})
    response = other.post(url("reject", request), {
        "afwijzen-expected_state": "ingediend", "afwijzen-reason": "te_kort"}, follow=True)
    assert response.status_code == 200
    assert "Een collega heeft deze aanvraag intussen behandeld" in response.content.decode()
    request = refreshed(request)
    assert (request.state, request.rejection_reason) == (RequestState.GOEDGEKEURD, "")
    for name in ("withdraw", "confirm_by_phone"):
        prefix = {"withdraw": "intrekken", "confirm_by_phone": "bevestigen"}[name]
        response = other.post(url(name, request), {f"{prefix}-expected_state": "ingediend",
                                                   f"{prefix}-confirm": "on"}, follow=True)
        assert "Een collega heeft" in response.content.decode()
    assert refreshed(request).state == RequestState.GOEDGEKEURD


# --- budget warning on a single approval ------------------------------------------------

def test_approval_over_budget_asks_for_confirmation(client, consulent, waardering_year):
    waardering_year.budget_cents = 10000
    waardering_year.save()
    services.approve(new_request(1), consulent)
    request = new_request(2)
    response = client.post(url("approve", request), {"expected_state": "ingediend"})
    html = response.content.decode()
    assert response.status_code == 200 and "Het budget is niet genoeg" in html
    assert "€ 75,00" in html and "€ 25,00" in html and "Toch goedkeuren" in html
    assert refreshed(request).state == RequestState.INGEDIEND
    client.post(url("approve", request), {"expected_state": "ingediend",
                                          "over_budget_ok": "on"})
    assert refreshed(request).state == RequestState.GOEDGEKEURD


# --- bulk approval ----------------------------------------------------------------------

def test_consulenten_do_not_see_or_use_bulk_approval(client, consulent):
    request = new_request(1)
    html = page(client, QUEUE)
    assert "Goedkeuren (alle controles goed)" not in html and 'name="ids"' not in html
    assert client.post(BULK, {"ids": [request.pk]}).status_code == 403
    assert refreshed(request).state == RequestState.INGEDIEND


def test_coordinator_approves_in_bulk_and_sees_what_was_skipped(client, coordinator):
    good, also_good = new_request(1), new_request(2)
    failing = new_request(3, ready=False)
    html = page(client, QUEUE)
    assert "Goedkeuren (alle controles goed)" in html
    assert f'value="{good.pk}" form="bulk-approve"' in html
    assert f'value="{failing.pk}" form="bulk-approve"' not in html
    services.start_review(also_good, coordinator)
    response = client.post(BULK, {"ids": [good.pk, also_good.pk, failing.pk],
                                  "query": "state=open&year=2026"}, follow=True)
    assert "2 goedgekeurd, 1 overgeslagen." in response.content.decode()
    assert response.redirect_chain[-1][0] == QUEUE + "?state=open&year=2026"
    states = dict(AppreciationRequest.objects.values_list("pk", "state"))
    assert states == {good.pk: "goedgekeurd", also_good.pk: "goedgekeurd",
                      failing.pk: "ingediend"}


def test_bulk_over_budget_needs_a_second_click(client, coordinator, waardering_year):
    waardering_year.budget_cents = 10000
    waardering_year.save()
    first, second = new_request(1), new_request(2)
    response = client.post(BULK, {"ids": [first.pk, second.pk]})
    html = response.content.decode()
    assert "Het budget is niet genoeg" in html and "€ 150,00" in html and "€ 100,00" in html
    assert "Toch goedkeuren" in html
    assert AppreciationRequest.objects.filter(state="goedgekeurd").count() == 0
    response = client.post(BULK, {"ids": [first.pk, second.pk], "over_budget_ok": "on"},
                           follow=True)
    assert "2 goedgekeurd, 0 overgeslagen." in response.content.decode()


@pytest.mark.parametrize("ids", [[], ["abc"], ["-1"], ["1" * 40], [str(n) for n in range(501)]])
def test_hostile_bulk_input_gives_a_message(client, coordinator, ids):
    request = new_request(1)
    response = client.post(BULK, {"ids": ids, "query": "javascript:alert(1)"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith(QUEUE)
    assert "Kies" in response.content.decode()
    assert refreshed(request).state == RequestState.INGEDIEND
