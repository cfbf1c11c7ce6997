"""The annual dashboard: a synthetic 2023 with known counts (some people erased by the
retention job), shown exactly on the page, in the CSV and in a one-page PDF."""

import csv
import datetime
import io
import subprocess

import factory
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from appreciation.models import AppreciationRequest, PaymentBatch
from appreciation.models.campaigns import CampaignRequest
from core import clock
from core.formats import dutch_number, euros
from insight import reports
from insight.models import BurdenCheck, ContactMoment
from registrations import retention
from registrations.models import Caregiver, District, State
from tests.factories import (
    AppreciationYearFactory,
    CampaignFactory,
    CaregiverFactory,
    NewsletterFactory,
)
from worker.models import Delivery, Letter

YEAR = 2023
D = datetime.date
ADULT_BORN = D(1960, 5, 5)


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 12, tzinfo=clock.AMSTERDAM)


def caregivers(n, *, registered_on, activated=True, district=None, born=ADULT_BORN,
               **fields) -> list[Caregiver]:
    """`n` caregivers Riet Bakker0… registered (and activated) on that day, made in one
    insert. Only what the figures read: no address, no e-mail."""
    district = District.objects.get(name=district) if district else None
    return Caregiver.objects.bulk_create(CaregiverFactory.build_batch(
        n, last_name=factory.Sequence(lambda i: f"Bakker{i}"), date_of_birth=born,
        street="", house_number="1", city="", email="", email_confirmed_at=None,
        registered_on=registered_on, activated_on=registered_on if activated else None,
        district=district, **fields))


def requests(people, year, state, *, young=False, unknown=False, batch=None):
    AppreciationRequest.objects.bulk_create(
        AppreciationRequest(year=year, caregiver=person, route="zelf", recipient_name="Henk",
                            recipient_postcode="3845AB", recipient_house_number="1",
                            hours_per_week=10, care_since=D(2020, 1, 1),
                            age_group="jong" if young else "volwassen",
                            payout_form="bon" if young else "bank", amount_cents=7500,
                            state=state, caregiver_was_unknown=unknown,
                            rejection_reason="te_kort" if state == "afgewezen" else "",
                            payment_batch=batch if state == "uitbetaald" else None,
                            submitted_at=at(D(year.year, 9, 10)))
        for person in people)


@pytest.fixture
def year_2023(db):
    """2023 and a bit of 2022; the expected figures are in the test below."""
    stadsdennen = caregivers(10, registered_on=D(2023, 3, 10), district="Stadsdennen")
    young = caregivers(3, registered_on=D(2023, 5, 2), district="Hierden", born=D(2000, 6, 1))
    caregivers(1, registered_on=D(2022, 7, 1), born=D(1999, 1, 1))  # 24 on 31-12: young
    caregivers(1, registered_on=D(2022, 7, 1), born=D(1998, 12, 31))  # 25 on 31-12
    caregivers(4, registered_on=D(2022, 2, 1), district="Stadsdennen", state=State.VOORMALIG,
               care_ended_on=D(2023, 6, 1), care_end_reason="overlijden")
    # Registered in 2023, ended in 2024: erased by the job below, still counted for 2023.
    erased = caregivers(1, registered_on=D(2023, 1, 15), district="Zeebuurt",
                        state=State.BEEINDIGD, ended_on=D(2024, 3, 1), end_reason="eigen_verzoek")
    erased += caregivers(1, registered_on=D(2023, 1, 15), district="Zeebuurt",
                         born=D(2000, 8, 1), state=State.BEEINDIGD, ended_on=D(2024, 3, 1),
                         end_reason="eigen_verzoek")
    # Ended in November 2023: registered at the end of 2022, not of 2023.
    caregivers(1, registered_on=D(2021, 5, 1), state=State.BEEINDIGD, ended_on=D(2023, 11, 1),
               end_reason="eigen_verzoek")
    pending = caregivers(5, registered_on=D(2023, 12, 1), activated=False,
                         state=State.AANGEMELD)
    late = caregivers(1, registered_on=D(2023, 12, 30), district="Hierden", activated=False)
    Caregiver.objects.filter(pk=late[0].pk).update(activated_on=D(2024, 1, 5))
    caregivers(1, registered_on=D(2024, 1, 10), district="Hierden")

    rules = AppreciationYearFactory(year=YEAR)
    batch = PaymentBatch.objects.create(year=rules, payout_form="bank",
                                        created_at=at(D(2023, 12, 1)))
    requests(stadsdennen[2:6], rules, "uitbetaald", batch=batch)
    requests(stadsdennen[:2], rules, "uitbetaald", unknown=True, batch=batch)
    requests(stadsdennen[6:7], rules, "afgewezen")
    requests([young[0], erased[1]], rules, "uitbetaald", young=True, batch=batch)
    requests(pending[:1], rules, "ingediend", unknown=True)

    swim = CampaignFactory(name="Zwemmen 2023", starts_on=D(2023, 6, 1), ends_on=D(2023, 8, 31))
    attentie = CampaignFactory(kind="attentie", name="Attentie 2023", starts_on=D(2023, 12, 1),
                               ends_on=D(2023, 12, 31))
    for person, state, campaign in [(stadsdennen[0], "toegekend", swim),
                                    (stadsdennen[1], "verstuurd", swim),
                                    (erased[0], "opgehaald", swim),
                                    (stadsdennen[3], "wachtlijst", swim),
                                    (stadsdennen[4], "verstuurd", attentie)]:
        CampaignRequest.objects.bulk_create([CampaignRequest(
            campaign=campaign, caregiver=person, route="mijn_gegevens", state=state,
            requested_at=at(D(2023, 6, 5)),
            granted_at=None if state == "wachtlijst" else at(D(2023, 6, 6)))])

    news = NewsletterFactory(subject="Nieuws", body="x", status="verstuurd")
    invitation = NewsletterFactory(subject="Zwemmen", body="x", status="verstuurd",
                                   audience={"campaign": swim.pk})
    Delivery.objects.bulk_create(
        [Delivery(newsletter=news, caregiver=p, channel="email", status="verstuurd",
                  sent_at=at(D(2023, 4, 1))) for p in stadsdennen[:5]]
        + [Delivery(newsletter=news, caregiver=stadsdennen[5], channel="email",
                    status="mislukt"),
           Delivery(newsletter=news, caregiver=stadsdennen[6], channel="email",
                    status="verstuurd", sent_at=at(D(2024, 1, 2))),
           Delivery(newsletter=invitation, caregiver=stadsdennen[7], channel="email",
                    status="verstuurd", sent_at=at(D(2023, 6, 1)))])
    Letter.objects.bulk_create(
        Letter(kind="nieuwsbrief", caregiver=p, newsletter=news, status="verstuurd",
               dedupe_key=f"nieuwsbrief:{news.pk}:{p.pk}", created_at=at(D(2023, 4, 1)),
               sent_at=at(D(2023, 4, 3))) for p in (erased[0], young[1]))

    def check(person, day, heavy):
        return BurdenCheck(caregiver=person, answered_at=at(day), context="mijn_gegevens",
                           statements_version="1", answers=[3] * 5 if heavy else [0] * 5,
                           score=15 if heavy else 0, heavy=heavy)
    BurdenCheck.objects.bulk_create([
        check(stadsdennen[0], D(2023, 3, 1), True), check(stadsdennen[0], D(2023, 10, 1), False),
        check(stadsdennen[1], D(2023, 11, 1), True), check(erased[0], D(2023, 2, 1), False),
        check(stadsdennen[3], D(2022, 5, 1), True)])
    ContactMoment.objects.bulk_create(
        [ContactMoment(caregiver=erased[1], on=D(2023, 4, 1), kind="huisbezoek",
                       preventive=True, outcome="Afspraak gemaakt"),
         ContactMoment(caregiver=stadsdennen[0], on=D(2023, 5, 1), kind="huisbezoek",
                       preventive=True),
         ContactMoment(caregiver=stadsdennen[1], on=D(2023, 5, 2), kind="huisbezoek")]
        + [ContactMoment(caregiver=stadsdennen[2], on=D(2023, 7, i), kind="telefoon")
           for i in (1, 2, 3)]
        + [ContactMoment(caregiver=stadsdennen[2], on=D(2022, 7, 1), kind="gesprek")])
    return erased


EXPECTED = {
    "registered": 21, "registered_young": 5, "new_registrations": 21, "former": 4,
    "paid_adult": 6, "paid_young": 2, "paid_amount_cents": 60000,
    "waardering_unknown": 3, "waardering_registered": 2, "swim_tickets": 3,
    "newsletters_sent": 7, "burden_answered": 3, "burden_heavy": 1, "contacts_total": 6,
    "preventive_home_visits": 2,
}
EXPECTED_2022 = {"registered": 7, "registered_young": 2, "new_registrations": 6, "former": 0,
                 "burden_answered": 1, "burden_heavy": 1, "contacts_total": 1}


def test_figures_count_exactly_and_survive_erasure(year_2023):
    before = reports.annual_figures(YEAR)
    result = retention.run_daily(D(2024, 4, 15))
    assert result.erased == 3
    assert Caregiver.objects.filter(state=State.GEWIST).count() == 3
    assert Caregiver.objects.get(pk=year_2023[1].pk).date_of_birth == D(2000, 1, 1)

    figures = reports.annual_figures(YEAR)
    assert figures == before
    assert {key: figures[key] for key in EXPECTED} == EXPECTED
    assert {key: figures["previous"][key] for key in EXPECTED_2022} == EXPECTED_2022
    assert figures["burden_share"] == 33.3 and figures["previous"]["burden_share"] == 100.0
    per_district = dict(figures["per_district"])
    assert (per_district["Stadsdennen"], per_district["Hierden"], per_district["Zeebuurt"],
            per_district[None], per_district["Binnenstad"]) == (10, 4, 2, 5, 0)
    assert sum(per_district.values()) == EXPECTED["new_registrations"]
    assert figures["per_month"] == [2, 0, 10, 0, 3, 0, 0, 0, 0, 0, 0, 6]
    assert figures["per_month_previous"] == [0, 4, 0, 0, 0, 0, 1 + 1, 0, 0, 0, 0, 0]
    contacts = {kind: n for kind, _label, n in figures["contacts"]}
    assert contacts == {"telefoon": 3, "huisbezoek": 3, "gesprek": 0, "anders": 0}


@pytest.fixture
def staff_client(client, make_staff, settings):
    settings.STAFF_2FA_REQUIRED = False
    client.force_login(make_staff("consulent")[0])
    return client


def test_page_shows_the_figures_in_dutch(year_2023, staff_client):
    retention.run_daily(D(2024, 4, 15))
    html = staff_client.get(reverse("insight:dashboard"), {"jaar": YEAR}).content.decode()
    assert '<tr id="cijfer-registered"><th scope="row">Ingeschreven mantelzorgers op 31 ' \
           'december</th><td class="num">21</td><td class="num">7</td></tr>' in html
    assert '<td class="num">€ 600,00</td>' in html
    assert '<tr id="cijfer-burden_share"><th scope="row">Aandeel zwaar belast (van wie de ' \
           'zelftest invulde)</th><td class="num">33,3%</td><td class="num">100,0%</td>' in html
    assert html.count('role="img"') == 2 and html.count("<svg") == 2
    assert "<title id=\"wijk-titel\">Nieuwe inschrijvingen per wijk in 2023</title>" in html
    assert '<th scope="row">onbekend</th><td class="num">5</td>' in html
    assert 'href="/backoffice/inzicht/2023.csv"' in html
    assert "Er is nog geen PDF van dit jaar." in html


def test_large_numbers_are_formatted_dutch():
    assert dutch_number(1300) == "1.300"
    assert euros(5797500) == "€ 57.975,00"
    assert reports.nl_percent(12.3) == "12,3%"


def test_csv_has_one_row_per_figure(year_2023, staff_client):
    retention.run_daily(D(2024, 4, 15))
    response = staff_client.get(reverse("insight:csv", args=[YEAR]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["sleutel", "omschrijving", "waarde"]
    values = {key: value for key, _label, value in rows[1:]}
    for key, value in EXPECTED.items():
        if key != "paid_amount_cents":
            assert values[key] == str(value), key
    assert values["paid_amount_euro"] == "600,00"
    assert values["burden_share"] == "33,3"
    assert values["wijk:Stadsdennen"] == "10" and values["wijk:onbekend"] == "5"
    assert values["maand:2023-03"] == "10" and values["maand:2022-02"] == "4"
    assert values["contact:huisbezoek"] == "3"
    assert len([key for key in values if key.startswith("maand:")]) == 24


def test_pdf_task_renders_one_page(year_2023, settings, tmp_path, staff_client):
    from django.core.files.storage import default_storage

    from insight.tasks import render_annual_report

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "media")}}}
    assert render_annual_report(YEAR) == "reports/jaarverslag-2023.pdf"
    assert render_annual_report(YEAR) == "reports/jaarverslag-2023.pdf"  # overwritten
    path = tmp_path / "media" / "reports" / "jaarverslag-2023.pdf"
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    assert "Pages:           1" in info.stdout
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "€ 600,00" in text and "Stadsdennen" in text
    assert len(list((tmp_path / "media" / "reports").iterdir())) == 1
    assert default_storage.exists("reports/jaarverslag-2023.pdf")

    html = staff_client.get(reverse("insight:dashboard"), {"jaar": YEAR}).content.decode()
    assert 'href="/backoffice/inzicht/2023.pdf"' in html
    response = staff_client.get(reverse("insight:pdf", args=[YEAR]))
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_make_pdf_queues_the_task_and_renders_nothing_itself(year_2023, staff_client,
                                                             monkeypatch):
    from insight import tasks

    queued = []
    monkeypatch.setattr(tasks.render_annual_report, "delay", queued.append)
    assert staff_client.get(reverse("insight:make_pdf", args=[YEAR])).status_code == 405
    response = staff_client.post(reverse("insight:make_pdf", args=[YEAR]))
    assert response.status_code == 302 and queued == [YEAR]


def test_query_count_does_not_grow_with_the_data(db, staff_client):
    url = reverse("insight:dashboard")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert staff_client.get(url).status_code == 200
        return len(captured)

    today = clock.today()
    caregivers(10, registered_on=today, district="Hierden")
    queries()  # the first visit creates the rules rows (get_or_create)
    few = queries()
    caregivers(90, registered_on=today.replace(day=1), district="Zeebuurt")
    caregivers(5, registered_on=today, state=State.AANGEMELD, activated=False)
    assert queries() == few
    assert few <= 20


def test_only_staff_see_it(db, client, year_2023, django_user_model):
    url = reverse("insight:dashboard")
    for target in (url, reverse("insight:csv", args=[YEAR])):
        response = client.get(target)
        assert response.status_code == 302 and "/backoffice/inloggen/" in response["Location"]
    client.force_login(django_user_model.objects.create_user("zomaar"))
    assert client.get(url).status_code == 403


def test_unknown_year_falls_back_and_bad_exports_404(db, staff_client):
    this_year = timezone.localdate().year
    html = staff_client.get(reverse("insight:dashboard"), {"jaar": "1900"}).content.decode()
    assert f"Inzicht {this_year}" in html
    assert staff_client.get(reverse("insight:csv", args=[1900])).status_code == 404
    assert staff_client.get(reverse("insight:pdf", args=[1900])).status_code == 404
