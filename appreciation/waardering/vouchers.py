"""Vouchers for a year that chooses them (a setting per age group; money is the default).

A voucher must reach the person. Its code comes from the supplier: a coordinator uploads
the list (`add_codes`), the product never makes one up. Approving a voucher request takes
one free code and sends the letter "waardering_bon" with it (e-mail or post), and Mijn
gegevens shows it. Approved while no code was free: the request gets a code, and its letter,
as soon as the next list is uploaded, oldest decision first. A payment batch of vouchers
lists only requests that have their code.

Free codes are taken with SKIP LOCKED under the request's lock, so two approvals at once
never take the same code; the code is unique in the table and on the requests.
"""

from django.db import transaction

from core import clock
from core.code_lists import CodesRefused, parse_code_list  # noqa: F401 (CodesRefused: re-exported)
from worker.services import queue_letter as queue

from ..models import (
    MAX_VOUCHER_CODE_LENGTH,
    AppreciationLetter,
    AppreciationRequest,
    AppreciationYear,
    PayoutForm,
    RequestState,
    WaarderingVoucherCode,
)

# Approved, in a batch or paid: the waardering is granted, so the voucher is owed.
GRANTED = [RequestState.GOEDGEKEURD, RequestState.IN_BETAALBATCH, RequestState.UITBETAALD]


def parse_codes(text: str) -> list[str]:
    """Codes from the supplier's CSV (core/code_lists.py); a header 'boncode' is skipped too."""
    return parse_code_list(text, max_length=MAX_VOUCHER_CODE_LENGTH,
                           headers=("code", "codes", "boncode", "boncodes"))


def _waiting_for_code(year: AppreciationYear):
    """Granted voucher requests of the year that have no code yet, oldest decision first."""
    return (AppreciationRequest.objects
            .filter(year=year, payout_form=PayoutForm.VOUCHER, state__in=GRANTED,
                    voucher_code="")
            .order_by("decided_at", "pk"))


def waiting_count(year: AppreciationYear) -> int:
    return _waiting_for_code(year).count()


def free_count(year: AppreciationYear) -> int:
    return WaarderingVoucherCode.objects.filter(year=year, request__isnull=True).count()


def assign_code(request: AppreciationRequest) -> str:
    """Give a granted voucher request a free code of its year and queue its letter, inside
    the caller's transaction (the request row is locked by the caller). Returns the code, or
    "" when no code is free (the request waits for the next list) or none is needed."""
    if (request.payout_form != PayoutForm.VOUCHER or request.voucher_code
            or request.state not in GRANTED):
        return ""
    code = (WaarderingVoucherCode.objects.select_for_update(skip_locked=True)
            .filter(year_id=request.year_id, request__isnull=True).order_by("pk").first())
    if code is None:
        return ""
    code.request, code.assigned_at = request, clock.now()
    code.save(update_fields=["request", "assigned_at"])
    request.voucher_code = code.code
    AppreciationRequest.objects.filter(pk=request.pk).update(voucher_code=code.code)
    kind = AppreciationLetter.WAARDERING_VOUCHER
    queue(kind, request.caregiver_id, f"{kind}:{request.pk}", about=request)
    return code.code


@transaction.atomic
def add_codes(year: AppreciationYear, codes: list[str], by=None) -> tuple[int, int]:
    """Add the supplier's codes to the year (codes already known anywhere are left out),
    then give them to granted requests still waiting for one. Returns (new, given)."""
    AppreciationYear.objects.select_for_update().get(pk=year.pk)  # one upload at a time
    known = set(WaarderingVoucherCode.objects.filter(code__in=codes)
                .values_list("code", flat=True))
    known |= set(AppreciationRequest.objects.filter(voucher_code__in=codes)
                 .values_list("voucher_code", flat=True))
    now = clock.now()
    new = [WaarderingVoucherCode(year=year, code=code, added_at=now, added_by=by)
           for code in dict.fromkeys(codes) if code not in known]
    WaarderingVoucherCode.objects.bulk_create(new)
    given = 0
    waiting = _waiting_for_code(year).select_for_update(skip_locked=True, of=("self",))
    for request in waiting.select_related("year")[:free_count(year)]:
        if not assign_code(request):
            break  # no free code left
        given += 1
    return len(new), given


def owed(request: AppreciationRequest) -> bool:
    """A granted waardering paid as a voucher: its code is (or will be) the person's."""
    return request.payout_form == PayoutForm.VOUCHER and request.state in GRANTED


def shown_code(request: AppreciationRequest) -> str:
    """The code Mijn gegevens shows: only once the waardering is granted."""
    return request.voucher_code if owed(request) else ""

