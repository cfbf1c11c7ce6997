"""A consulent opens Inzicht: the charts are there, with their data tables, and axe-core
finds nothing to fix."""

import datetime

from core import clock
from registrations.models import Caregiver, District, State
from tests.e2e.browser import assert_no_axe_violations, staff_login

# A tenth of the 2023 annual report's new cases per wijk (None: "onbekend").
DEMO_WIJKEN = {"Stadsdennen": 25, "Stadsweiden": 26, "Tweelingstad": 23, "Drielanden": 15,
               "Zeebuurt": 13, "Hierden": 4, "De Sypel": 1, None: 28}


def demo_year(year: int) -> None:
    # get_or_create: transactional tests before this one may have flushed the wijken.
    districts = {name: District.objects.get_or_create(
        name=name, defaults={"cbs_code": f"WKT{n:05d}"})[0]
        for n, name in enumerate(n for n in DEMO_WIJKEN if n)}
    rows = []
    for offset in (0, 1):
        for name, n in DEMO_WIJKEN.items():
            for i in range(n - offset * 3 if n > 3 else n):
                day = datetime.date(year - offset, 1 + (i * 5) % 11, 1 + i % 27)
                rows.append(Caregiver(
                    first_name="Riet", last_name=f"Bakker{i}",
                    date_of_birth=datetime.date(1990 if i % 9 else 2003, 4, 1),
                    house_number="1", postcode="3845AB", state=State.ACTIEF,
                    registered_on=day, activated_on=day,
                    district=districts[name] if name else None))
    Caregiver.objects.bulk_create(rows)


def test_consulent_sees_the_charts_and_tables(page, axe):
    year = clock.today().year - 1
    demo_year(year)
    staff_login(page)
    page.get_by_role("link", name="Inzicht").click()
    page.get_by_label("Jaar", exact=True).select_option(str(year))
    page.get_by_role("button", name="Tonen").click()
    page.wait_for_url(f"**/backoffice/inzicht/?jaar={year}")

    assert page.get_by_role("heading", level=1).inner_text() == f"Inzicht {year}"
    assert page.get_by_role("img", name=f"Nieuwe inschrijvingen per wijk in {year}").is_visible()
    assert page.get_by_role(
        "img", name=f"Nieuwe inschrijvingen per maand, {year} tegen {year - 1}").is_visible()
    assert page.locator("svg rect").count() >= len(DEMO_WIJKEN)
    wijk_table = page.get_by_role("table", name=f"Nieuwe inschrijvingen per wijk in {year}")
    assert wijk_table.get_by_role("row", name="Stadsdennen 25").is_visible()
    assert wijk_table.get_by_role("row", name="onbekend 28").is_visible()
    assert page.get_by_role(
        "table", name=f"Nieuwe inschrijvingen per maand, {year} en {year - 1}").is_visible()
    assert page.get_by_role("link", name=f"Alle cijfers van {year} als CSV (voor Excel)") \
        .is_visible()
    assert_no_axe_violations(axe, page)
