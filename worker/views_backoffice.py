"""Back-office pages of the worker app: system health, and print batches of postal letters."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.staff_access import coordinator_required, staff_required

from .models import Letter, LetterStatus, PrintBatch, SchedulerBeat, WorkerPing
from .services import mark_batch_printed, queue_test_ping


@coordinator_required
def system_status(request):
    return render(request, "worker/backoffice/system.html", {
        "pings": WorkerPing.objects.all()[:10],
        "beats": SchedulerBeat.objects.all(),
    })


@coordinator_required
@require_POST
def send_test_ping(request):
    queue_test_ping(request.user)
    messages.success(request, "De testtaak staat klaar voor de worker. Ververs de pagina "
                              "over een paar seconden.")
    return redirect("worker:system")


@staff_required
def print_batches(request):
    return render(request, "worker/backoffice/print_batches.html", {
        "batches": PrintBatch.objects.select_related("printed_by")[:50],
        "waiting": Letter.objects.filter(status=LetterStatus.TO_PRINT,
                                         print_batch__isnull=True).count(),
    })


@staff_required
def print_batch_pdf(request, pk):
    batch = get_object_or_404(PrintBatch, pk=pk)
    if not batch.pdf:
        raise Http404
    return FileResponse(batch.pdf.open("rb"), content_type="application/pdf",
                        filename=f"drukwerk-{batch.pk}.pdf")


@staff_required
@require_POST
def print_batch_printed(request, pk):
    batch = mark_batch_printed(get_object_or_404(PrintBatch, pk=pk), request.user)
    messages.success(request, _("Drukwerk %(id)s staat op geprint en verstuurd.")
                     % {"id": batch.pk})
    return redirect("worker:print_batches")


@coordinator_required
def outbox(request):
    """E-mail written to the local outbox (make run's default): what the system sends."""
    from .outbox import read_outbox

    if settings.EMAIL_BACKEND != "django.core.mail.backends.filebased.EmailBackend":
        return render(request, "worker/backoffice/outbox.html", {"smtp": True})
    messages_ = read_outbox(Path(settings.EMAIL_FILE_PATH))
    selected = request.GET.get("bericht")
    current = next((m for m in messages_ if m.name == selected), None)
    return render(request, "worker/backoffice/outbox.html", {"outbox": messages_[:100],
                                                      "current": current})
