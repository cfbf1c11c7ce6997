"""Wijken and the postcode→wijk table, and the demo data built on them."""

import pytest
from django.core.management import call_command

from core.postcodes import normalise_postcode
from registrations.demo import WIJK_WEIGHTS, load_example_postcode_ranges
from registrations.models import Caregiver, District, PostcodeRange


@pytest.mark.django_db
def test_the_fifteen_cbs_wijken_are_there():
    assert District.objects.count() == 15
    assert District.objects.get(cbs_code="WK024301").name == "Binnenstad"
    assert District.objects.get(cbs_code="WK024315").name == "Hierden"


@pytest.mark.parametrize("raw, clean", [("3841 ab", "3841AB"), (" 3849\tzz ", "3849ZZ")])
def test_postcodes_are_normalised(raw, clean):
    assert normalise_postcode(raw) == clean


@pytest.mark.django_db
def test_postcode_lookup_finds_the_wijk_or_onbekend():
    load_example_postcode_ranges()
    assert PostcodeRange.objects.district_for("3849 AB").name == "Hierden"
    assert PostcodeRange.objects.district_for("3851AB") is None  # Ermelo
    assert PostcodeRange.objects.district_for("niet-een-postcode") is None


@pytest.mark.django_db
def test_narrowest_range_wins():
    hierden = District.objects.get(name="Hierden")
    binnenstad = District.objects.get(name="Binnenstad")
    PostcodeRange.objects.create(first="3849AA", last="3849ZZ", district=hierden)
    PostcodeRange.objects.create(first="3849KA", last="3849KZ", district=binnenstad)
    assert PostcodeRange.objects.district_for("3849KB") == binnenstad
    assert PostcodeRange.objects.district_for("3849LB") == hierden


@pytest.mark.django_db
def test_a_reversed_range_is_refused_by_the_database():
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        PostcodeRange.objects.create(first="3849ZZ", last="3849AA",
                                     district=District.objects.first())


@pytest.mark.django_db
def test_demo_data_loads_once_and_follows_the_annual_report(capsys):
    from appreciation.models import AppreciationRequest

    call_command("load_demo_data", caregivers=1000)
    call_command("load_demo_data", caregivers=1000)
    # The demo caregivers, and the unknown ones the waardering demo registered.
    through_waardering = AppreciationRequest.objects.filter(caregiver_was_unknown=True).count()
    assert through_waardering >= 1
    assert Caregiver.objects.count() == 1000 + through_waardering
    assert "already loaded" in capsys.readouterr().out
    # Every caregiver's wijk agrees with the postcode table.
    for caregiver in Caregiver.objects.select_related("district")[:200]:
        assert PostcodeRange.objects.district_for(caregiver.postcode) == caregiver.district
    # Proportions follow the report: Stadsweiden and Stadsdennen are the largest wijken.
    total = sum(WIJK_WEIGHTS.values())
    for name in ("Stadsweiden", "Stadsdennen", "Tweelingstad"):
        share = Caregiver.objects.filter(district__name=name).count() / 1000
        assert abs(share - WIJK_WEIGHTS[name] / total) < 0.05, name
    from django.contrib.auth.models import User

    assert User.objects.get(username="consulent").groups.filter(name="consulent").exists()
    assert User.objects.get(username="coordinator").is_staff


@pytest.mark.django_db
def test_demo_data_is_refused_in_production(settings):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        call_command("load_demo_data")
