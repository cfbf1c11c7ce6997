"""The back office's system page: health of database, broker, worker and scheduler."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from mantelzorg.staff_access import coordinator_required

from .models import SchedulerBeat, WorkerPing
from .services import queue_test_ping


@coordinator_required
def system_status(request):
    return render(request, "backoffice/system.html", {
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
