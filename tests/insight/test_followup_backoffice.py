"""Back office follow-up: the task list, answering and cancelling tasks, contact moments,
after-care after a death, the settings in Beheer, and bad or hostile input everywhere."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core import clock
from insight import services
from insight.models import ContactKind, ContactMoment, FollowUpTask, InsightRules, TaskKind
from registrations.burden import CheckContext
from registrations.models import StaffAccess, State
from tests.factories import DeskCaregiverFactory

LIST = reverse("insight:followup_list")
HEAVY = [3, 3, 3, 3, 3]

pytestmark = pytest.mark.django_db


@pytest.fixture
def consulent(client, login_fully):
    return login_fully(client, "consulent")


def today_text(days=0) -> str:
    return (clock.today() + datetime.timedelta(days=days)).strftime("%d-%m-%Y")


def heavy_task(caregiver) -> FollowUpTask:
    services.record_burden_check(caregiver, HEAVY, CheckContext.SELF_SERVICE)
    return FollowUpTask.objects.get(caregiver=caregiver, kind=TaskKind.BURDEN)


def open_tasks(caregiver):
    return FollowUpTask.objects.filter(caregiver=caregiver, done_at__isnull=True,
                                       cancelled_at__isnull=True)


def answer_url(task):
    return reverse("insight:followup_answer", args=[task.caregiver_id, task.pk])


def cancel_url(task):
    return reverse("insight:followup_cancel", args=[task.caregiver_id, task.pk])


def contact(**overrides):
    return {"on": today_text(), "kind": ContactKind.PHONE, "outcome": "Teruggebeld.",
            **overrides}


def text(response) -> str:
    return response.content.decode()


def test_anonymous_to_login_and_roleless_refused(client, django_user_model):
    riet = DeskCaregiverFactory()
    task = heavy_task(riet)
    urls = [LIST, answer_url(task), cancel_url(task),
            reverse("insight:followup_contact", args=[riet.pk])]
    for url in urls:
        assert client.get(url)["Location"].startswith("/backoffice/inloggen/")
        assert client.post(url, contact())["Location"].startswith("/backoffice/inloggen/")
    client.force_login(django_user_model.objects.create_user("zomaar"))
    for url in urls:
        assert client.get(url).status_code == 403
    assert not ContactMoment.objects.exists() and task in open_tasks(riet)


def test_a_high_score_shows_on_the_list_and_answering_takes_it_off(client, consulent):
    riet = DeskCaregiverFactory()
    task = heavy_task(riet)
    html = text(client.get(LIST))
    assert "Bakker, Riet" in html and "score 15 (zwaar belast)" in html
    assert task.due_on.strftime("%d-%m-%Y") in html
    assert "Geen taken te laat." in html
    assert "De zorg kost mij" not in html and "[3, 3, 3, 3, 3]" not in html  # never the answers

    assert "Teruggebeld" not in text(client.get(answer_url(task)))
    assert StaffAccess.objects.filter(caregiver=riet, action="opvolging").exists()
    response = client.post(answer_url(task), contact(outcome="Teruggebeld, respijtzorg "
                                                             "besproken."), follow=True)
    assert "De taak is afgehandeld" in text(response)
    [moment] = ContactMoment.objects.filter(caregiver=riet)
    task.refresh_from_db()
    assert task.contact_moment == moment and task.done_by == consulent
    assert (moment.on, moment.kind, moment.preventive) == (clock.today(), "telefoon", False)
    assert "Bakker, Riet" not in text(client.get(LIST))

    detail = text(client.get(reverse("registrations:caregiver_detail", args=[riet.pk])))
    assert "Teruggebeld, respijtzorg besproken." in detail
    assert "zelftest: score 15 (zwaar)" in detail and "Geen open taken." in detail


def test_overdue_first_highlighted_counted_and_in_the_menu(client, consulent):
    riet, sem = DeskCaregiverFactory(), DeskCaregiverFactory(first_name="Sem", last_name="Jansen",
                                     postcode="3849KL")
    later = heavy_task(riet)
    late = heavy_task(sem)
    FollowUpTask.objects.filter(pk=late.pk).update(due_on=clock.today()
                                                   - datetime.timedelta(days=2))
    html = text(client.get(LIST))
    assert html.index("Jansen, Sem") < html.index("Bakker, Riet")
    assert "1 taak is te laat." in html and "(te laat)" in html
    assert "Opvolging (1 te laat)" in html
    assert "Opvolging (1 te laat)" in text(client.get(reverse("registrations:caregiver_list")))
    assert later.due_on.strftime("%d-%m-%Y") in html


def test_filter_by_kind_and_hostile_filters(client, consulent):
    riet, sem = DeskCaregiverFactory(), DeskCaregiverFactory(first_name="Sem", last_name="Jansen",
                                     postcode="3849KL")
    heavy_task(riet)
    services.schedule_aftercare(sem, clock.today(), "overlijden")
    html = text(client.get(LIST, {"soort": "nazorg"}))
    assert "Jansen, Sem" in html and "Bakker, Riet" not in html
    html = text(client.get(LIST, {"soort": "overbelasting"}))
    assert "Bakker, Riet" in html and "Jansen, Sem" not in html
    for hostile in ("<script>alert(1)</script>", "x" * 500, "\x00"):
        response = client.get(LIST, {"soort": hostile, "pagina": hostile})
        assert response.status_code == 200
        assert "<script>alert(1)</script>" not in text(response)


def test_a_death_puts_three_aftercare_tasks_on_the_list_and_resuming_removes_them(
        client, consulent):
    riet = DeskCaregiverFactory()
    ended = clock.today() - datetime.timedelta(days=1)
    response = client.post(reverse("registrations:caregiver_end_care", args=[riet.pk]),
                           {"ended_on": ended.strftime("%d-%m-%Y"), "reason": "overlijden"})
    assert response.status_code == 302
    assert open_tasks(riet).filter(kind=TaskKind.AFTERCARE).count() == 3
    html = text(client.get(LIST))
    for term in ("6 weken", "6 maanden", "18 maanden"):
        assert f"Nazorg na overlijden: {term}" in html
    assert html.count("Bakker, Riet") == 3
    assert "Nazorg na overlijden: 6 weken" in text(
        client.get(reverse("registrations:caregiver_detail", args=[riet.pk])))

    client.post(reverse("registrations:caregiver_resume_care", args=[riet.pk]))
    assert not open_tasks(riet).exists()
    assert "Bakker, Riet" not in text(client.get(LIST))


@pytest.mark.parametrize(("field", "value", "message"), [
    ("on", "dd-mm-jjjj", "Vul de datum in zoals"),
    ("on", "", "Vul een datum in."),
    ("on", "31-02-2025", "Vul de datum in zoals"),
    ("kind", "", "Kies de soort contact."),
    ("kind", "bellen", "Kies de soort contact."),
    ("outcome", "x" * 301, "maximaal 300 tekens"),
    ("outcome", "Gebeld\x00", "Gebruik alleen gewone letters"),
    ("outcome", "Gebeld\x1b[31m", "Gebruik alleen gewone letters"),
    ("outcome", "Gebeld\u202e", "Gebruik alleen gewone letters"),
])
def test_wrong_contact_input_is_refused_next_to_the_field(client, consulent, field, value,
                                                         message):
    riet = DeskCaregiverFactory()
    task = heavy_task(riet)
    for url in (answer_url(task), reverse("insight:followup_contact", args=[riet.pk])):
        response = client.post(url, contact(**{field: value}))
        assert response.status_code == 200
        assert message in text(response)
        assert f'id="id_{field}_error"' in text(response)
    assert not ContactMoment.objects.exists() and task in open_tasks(riet)


def test_future_dates_and_preventive_without_home_visit_are_refused(client, consulent):
    riet = DeskCaregiverFactory()
    url = reverse("insight:followup_contact", args=[riet.pk])
    response = client.post(url, contact(on=today_text(1)))
    assert "Deze datum ligt in de toekomst." in text(response)
    response = client.post(url, contact(preventive="on"))
    assert "alleen bij de soort" in text(response) and 'id="id_preventive_error"' in \
        text(response)
    assert not ContactMoment.objects.exists()

    response = client.post(url, contact(kind="huisbezoek", preventive="on",
                                        outcome="Regel 1\r\nRegel 2"))
    assert response["Location"] == reverse("registrations:caregiver_detail", args=[riet.pk])
    moment = ContactMoment.objects.get()
    assert (moment.preventive, moment.outcome, moment.by) == (True, "Regel 1 Regel 2",
                                                              consulent)
    assert "Huisbezoek (preventief)" in text(
        client.get(reverse("registrations:caregiver_detail", args=[riet.pk])))


def test_exactly_300_characters_is_fine_and_html_is_escaped(client, consulent):
    riet = DeskCaregiverFactory()
    client.post(reverse("insight:followup_contact", args=[riet.pk]), contact(outcome="a" * 300))
    hostile = '<script>alert(1)</script> & "x"'
    client.post(reverse("insight:followup_contact", args=[riet.pk]), contact(outcome=hostile))
    assert ContactMoment.objects.count() == 2
    detail = text(client.get(reverse("registrations:caregiver_detail", args=[riet.pk])))
    assert "<script>alert(1)</script>" not in detail
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;x&quot;" in detail


def test_a_task_closed_by_a_colleague_gives_a_message_not_an_error(client, consulent,
                                                                   monkeypatch, make_staff):
    riet = DeskCaregiverFactory()
    task = heavy_task(riet)
    colleague = make_staff("consulent", username="collega")[0]
    stale = FollowUpTask.objects.select_related("caregiver", "burden_check").get(pk=task.pk)
    services.record_contact(riet, colleague, on=clock.today(), kind="telefoon", task=task)

    response = client.get(answer_url(task), follow=True)
    assert "al afgehandeld door collega" in text(response)
    # The colleague saves a moment after this page was opened: the open form is refused.
    from insight import views_backoffice
    monkeypatch.setattr(views_backoffice, "_task", lambda caregiver_pk, pk: stale)
    response = client.post(answer_url(task), contact(), follow=True)
    assert response.status_code == 200 and "al afgehandeld door collega" in text(response)
    assert ContactMoment.objects.count() == 1  # our contact was rolled back with the refusal
    response = client.post(cancel_url(task), {"reason": "niet meer nodig"}, follow=True)
    assert "al afgehandeld" in text(response)
    task.refresh_from_db()
    assert task.cancelled_at is None


def test_cancelling_a_task_with_a_reason(client, consulent):
    riet = DeskCaregiverFactory()
    task = heavy_task(riet)
    for bad, message in (("", "Schrijf kort waarom."), ("nee\x07", "gewone letters"),
                         ("x" * 201, "maximaal 200 tekens")):
        response = client.post(cancel_url(task), {"reason": bad})
        assert response.status_code == 200 and message in text(response)
    assert task in open_tasks(riet)
    response = client.post(cancel_url(task), {"reason": "niet meer nodig"}, follow=True)
    assert "De taak is geannuleerd." in text(response)
    task.refresh_from_db()
    assert task.cancelled_at and task.cancel_reason == "niet meer nodig"
    assert not ContactMoment.objects.exists()
    response = client.get(answer_url(task), follow=True)
    assert "al geannuleerd: niet meer nodig" in text(response)


def test_another_caregivers_id_in_the_url_is_a_404(client, consulent):
    riet, sem = DeskCaregiverFactory(), DeskCaregiverFactory(first_name="Sem", last_name="Jansen",
                                     postcode="3849KL")
    task = heavy_task(riet)
    for name in ("insight:followup_answer", "insight:followup_cancel"):
        url = reverse(name, args=[sem.pk, task.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, {**contact(), "reason": "weg"}).status_code == 404
        assert client.get(reverse(name, args=[riet.pk, task.pk + 1000])).status_code == 404
    assert client.get(reverse("insight:followup_contact", args=[sem.pk + 1000])).status_code == 404
    assert task in open_tasks(riet) and not ContactMoment.objects.exists()


def test_no_contact_for_an_erased_registration(client, consulent):
    gone = DeskCaregiverFactory(first_name="Anon", last_name="Iem", state=State.GEWIST,
                                ended_on=clock.today())
    response = client.post(reverse("insight:followup_contact", args=[gone.pk]), contact(),
                           follow=True)
    assert "U kunt geen contact meer vastleggen" in text(response)
    assert not ContactMoment.objects.exists()


def test_the_list_costs_the_same_queries_with_2_or_20_tasks(client, consulent):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    def add(n):
        caregiver = DeskCaregiverFactory(first_name=f"Naam{n}", last_name=f"Achternaam{n}",
                                         postcode=f"38{40 + n % 9}AB", house_number=str(n + 1))
        if n % 2:
            heavy_task(caregiver)
        else:
            caregiver.care_ended_on = clock.today() - datetime.timedelta(days=100)
            caregiver.save(update_fields=["care_ended_on"])
            services.schedule_aftercare(caregiver, caregiver.care_ended_on, "overlijden")

    add(0)  # three after-care tasks, one of them overdue
    with_few = queries()
    for n in range(1, 18):
        add(n)
    assert FollowUpTask.objects.count() > 20
    assert queries() == with_few


def test_roles_and_the_settings_in_beheer(client, consulent, login_fully):
    consulent_group = Group.objects.get(name="consulent")
    names = set(consulent_group.permissions.values_list("codename", flat=True))
    assert {"view_followuptask", "change_followuptask", "add_contactmoment",
            "view_contactmoment"} <= names and "change_insightrules" not in names
    change = reverse("admin:insight_insightrules_change", args=[InsightRules.current().pk])
    assert client.get(change, follow=True).status_code == 403

    boss = Client()
    login_fully(boss, "coordinator")
    assert boss.get(reverse("admin:insight_insightrules_changelist"))["Location"] == change
    assert "42, 182, 548" in text(boss.get(change))
    assert boss.get(reverse("admin:insight_insightrules_add")).status_code == 403
    delete = reverse("admin:insight_insightrules_delete", args=[InsightRules.current().pk])
    assert boss.post(delete, {"post": "yes"}).status_code == 403
    response = boss.post(change, {"heavy_from_score": 8, "call_back_within_days": 3,
                                  "offer_check_every_months": 12, "aftercare_days": "42, x"})
    assert response.status_code == 200 and "Schrijf aantallen dagen" in text(response)
    boss.post(change, {"heavy_from_score": 8, "call_back_within_days": 3,
                       "offer_check_every_months": 12, "aftercare_days": "30, 365"})
    assert InsightRules.current().heavy_from_score == 8
    assert InsightRules.objects.count() == 1
