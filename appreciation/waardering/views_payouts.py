"""Back-office pages for payouts (coordinators only): batches per year, create, download,
mark paid. Thin: every write is a function in `payouts.py`."""

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from core.staff_access import coordinator_required

from ..models import AppreciationYear, PaymentBatch, PayoutForm
from . import payouts, vouchers
from .forms_backoffice import UploadVoucherCodesForm


@coordinator_required
def batch_list(request, year=None, upload_form=None):
    years = list(AppreciationYear.objects.order_by("-year"))
    if year is None:
        current = years[0] if years else None
    else:
        current = next((y for y in years if y.year == year), None)
        if current is None:
            raise Http404
    context = {"years": years, "current": current}
    if current is not None:
        context.update(waiting=payouts.waiting_summary(current),
                       batches=payouts.batches_of(current),
                       vouchers_free=vouchers.free_count(current),
                       vouchers_waiting=vouchers.waiting_count(current),
                       uses_vouchers=PayoutForm.VOUCHER in (current.payout_adult,
                                                            current.payout_young),
                       upload_form=upload_form or UploadVoucherCodesForm())
    status = 400 if upload_form is not None else 200
    return render(request, "appreciation/waardering/payouts/list.html", context, status=status)


@coordinator_required
@require_POST
def voucher_upload(request, year):
    """The supplier's list of voucher codes: codes go at once to approved requests that
    wait for one (each with its letter), the rest wait for the next approvals."""
    rules = get_object_or_404(AppreciationYear, year=year)
    form = UploadVoucherCodesForm(request.POST, request.FILES,
                                  prefix=UploadVoucherCodesForm.prefix)
    if not form.is_valid():
        return batch_list(request, year=year, upload_form=form)
    codes = form.cleaned_data["codes"]
    added, given = vouchers.add_codes(rules, codes, request.user)
    messages.success(request, _(
        "%(added)s nieuwe boncodes toegevoegd (%(known)s stonden er al in). %(given)s "
        "mantelzorgers kregen meteen hun bon.") % {
        "added": added, "known": len(codes) - added, "given": given})
    return redirect("appreciation:payout_year", year=year)


@coordinator_required
@require_POST
def batch_create(request, year):
    rules = get_object_or_404(AppreciationYear, year=year)
    payout_form = request.POST.get("payout_form", "")
    if payout_form not in PayoutForm.values:
        messages.error(request, _("Kies bank of cadeaubon."))
        return redirect("appreciation:payout_year", year=year)
    try:
        batch = payouts.create_payment_batch(rules, payout_form, request.user)
    except payouts.PaymentFileCharacters as refused:
        messages.error(request, _("%(reason)s Er is niets gemaakt. Meld dit aan de beheerder "
                                  "van de website.") % {"reason": refused})
        return redirect("appreciation:payout_year", year=year)
    except payouts.PaymentFileInvalid:
        messages.error(request, _("Het betaalbestand klopt niet met de SEPA-regels. Er is "
                                  "niets gemaakt. Controleer het rekeningnummer van het "
                                  "Servicepunt en de rekeningnummers van de aanvragen."))
        return redirect("appreciation:payout_year", year=year)
    if batch is None:
        messages.info(request, _("Er wachten geen goedgekeurde aanvragen voor deze "
                                 "uitbetaling."))
    else:
        messages.success(request, ngettext(
            "Betaalronde %(id)s is gemaakt met %(n)s aanvraag.",
            "Betaalronde %(id)s is gemaakt met %(n)s aanvragen.", batch.request_count)
            % {"id": batch.message_id, "n": batch.request_count})
    return redirect("appreciation:payout_year", year=year)


@coordinator_required
def batch_export(request, pk):
    """The stored file, exactly as it was made: the SEPA XML or the voucher list."""
    batch = get_object_or_404(PaymentBatch.objects.select_related("year"), pk=pk)
    if not batch.export:
        raise Http404
    if batch.payout_form == PayoutForm.BANK:
        content_type, filename = "application/xml", f"{batch.message_id}.xml"
    else:
        content_type, filename = "text/csv; charset=utf-8", f"{batch.message_id}-bonnen.csv"
    return FileResponse(batch.export.open("rb"), as_attachment=True, filename=filename,
                        content_type=content_type)


@coordinator_required
def batch_csv(request, pk):
    batch = get_object_or_404(PaymentBatch.objects.select_related("year"), pk=pk)
    response = HttpResponse(payouts.batch_csv(batch), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{batch.message_id}.csv"'
    return response


@coordinator_required
def batch_mark_paid(request, pk):
    """GET asks for confirmation; POST marks the batch paid."""
    batch = get_object_or_404(PaymentBatch.objects.select_related("year"), pk=pk)
    if request.method == "POST":
        payouts.mark_batch_paid(batch, request.user)
        messages.success(request, _("Betaalronde %(id)s staat op uitbetaald.")
                         % {"id": batch.message_id})
        return redirect("appreciation:payout_year", year=batch.year.year)
    batch.total_display = payouts.euro(batch.total_cents)
    return render(request, "appreciation/waardering/payouts/confirm_paid.html", {"batch": batch})
