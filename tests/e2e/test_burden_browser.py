"""The burden self-check in Mijn gegevens as a caregiver would do it: offered on the
overview, answered with the keyboard by the visible statements, a message when one is
missing, the result with the call-back promise, and axe-core on the step and the result."""

import datetime

from core import clock
from insight.models import BurdenCheck, FollowUpTask, TaskKind
from registrations.burden import CheckContext
from tests.e2e.browser import assert_no_axe_violations, sign_in
from tests.factories import CaregiverFactory

STATEMENTS = [
    "De zorg kost mij meer tijd en energie dan ik heb.",
    "Ik slaap slecht of ben vaak moe door de zorg.",
    "Ik heb te weinig tijd voor mijzelf, mijn werk, school of vrienden.",
    "Ik maak me veel zorgen over mijn naaste of over hoe het verder moet.",
    "Ik sta er alleen voor: niemand neemt de zorg eens van mij over.",
]
ANSWERS = ["Nooit", "Soms", "Vaak", "Bijna altijd"]


def answer_with_the_keyboard(page, statement, answer):
    """Focus the statement's first answer, choose it with Space, then arrow to `answer`."""
    group = page.get_by_role("group", name=statement)
    group.get_by_label("Nooit", exact=True).focus()
    page.keyboard.press("Space")
    for _step in range(ANSWERS.index(answer)):
        page.keyboard.press("ArrowRight")
    assert group.get_by_label(answer, exact=True).is_checked()


def test_caregiver_fills_the_self_check_with_the_keyboard(page, axe, inline_tasks):
    caregiver = CaregiverFactory(recipient=True,
                                 registered_on=clock.today() - datetime.timedelta(days=30))
    sign_in(page, axe)
    assert_no_axe_violations(axe, page)
    page.get_by_role("link", name="Vragen over de zorg invullen").click()
    page.wait_for_url("**/mijn-gegevens/zelftest")
    assert "Hoe zwaar is de zorg voor u? Dit is niet verplicht." in page.content()
    assert_no_axe_violations(axe, page)

    chosen = ["Bijna altijd", "Bijna altijd", "Vaak", "Vaak", "Soms"]
    for statement, answer in list(zip(STATEMENTS, chosen, strict=True))[:4]:
        answer_with_the_keyboard(page, statement, answer)
    page.get_by_role("button", name="Versturen").focus()
    page.keyboard.press("Enter")
    # One statement left open: the message sits next to it, the other answers stay.
    missing = page.locator(".field-error")
    assert "Kies een antwoord bij deze uitspraak." in missing.inner_text()
    assert STATEMENTS[4] in missing.inner_text()
    assert page.get_by_role("group", name=STATEMENTS[0]).get_by_label("Bijna altijd") \
        .is_checked()
    assert_no_axe_violations(axe, page)
    assert not BurdenCheck.objects.exists()

    answer_with_the_keyboard(page, STATEMENTS[4], chosen[4])
    page.keyboard.press("Tab")  # from the last statement to the send button
    page.keyboard.press("Enter")
    page.wait_for_url("**/mijn-gegevens/zelftest/uitslag")
    status = page.get_by_role("status").last.inner_text()
    assert "Het lijkt erop dat de zorg zwaar voor u is." in status
    assert "Een consulent belt u binnen 5 dagen." in status
    assert "Respijtzorg" in page.content() and "Mantelzorglijn" in page.content()
    assert_no_axe_violations(axe, page)

    check = BurdenCheck.objects.get()
    assert (check.caregiver_id, check.context, check.answers, check.heavy) == (
        caregiver.pk, CheckContext.SELF_SERVICE, [3, 3, 2, 2, 1], True)
    assert FollowUpTask.objects.filter(caregiver=caregiver, kind=TaskKind.BURDEN).count() == 1

    page.get_by_role("link", name="Terug naar Mijn gegevens").first.click()
    page.wait_for_url("**/mijn-gegevens/")
    assert page.get_by_role("link", name="Vragen over de zorg invullen").count() == 0
