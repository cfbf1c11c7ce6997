"""The caregiver page asks a consulent's check only for whom a waardering request waits on it.

Someone who registered through a waardering request, still open, and not yet checked: the
page says why and offers "Gecontroleerd". Not for anyone else (appreciation/receivers.py).
"""

import pytest
from django.urls import reverse

from appreciation.models import RequestState
from tests.factories import AppreciationRequestFactory, CaregiverFactory

pytestmark = pytest.mark.django_db

REASON = ("Ingeschreven via een aanvraag voor de mantelzorgwaardering. Die wordt pas betaald "
          "als een consulent de inschrijving heeft gecontroleerd.")


def test_only_an_unchecked_newcomer_with_an_open_request_is_asked_for(waardering_year,
                                                                     as_consulent):
    def asked(name, **request):
        caregiver = CaregiverFactory(first_name=name)
        if request:
            AppreciationRequestFactory(year=waardering_year, caregiver=caregiver, **request)
        return caregiver

    people = [
        asked("Nieuw", caregiver_was_unknown=True),
        asked("Zonder"),  # no request of her own (Nieuw's is not hers)
        asked("Bekend", caregiver_was_unknown=False),  # was registered before she asked
        asked("Ingetrokken", caregiver_was_unknown=True, state=RequestState.INGETROKKEN),
    ]

    shown = {}
    for caregiver in people:
        page = as_consulent.get(
            reverse("registrations:caregiver_detail", args=[caregiver.pk])).content.decode()
        mark = reverse("registrations:caregiver_mark_checked", args=[caregiver.pk])
        shown[caregiver.first_name] = (REASON in page, f'action="{mark}"' in page)
    assert shown == {"Nieuw": (True, True), "Zonder": (False, False),
                     "Bekend": (False, False), "Ingetrokken": (False, False)}
