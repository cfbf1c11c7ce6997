"""Back office: compose a newsletter, see who gets it, preview, send or schedule, and watch
it go out. Sending happens in workers; these views only queue."""

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.staff_access import staff_required

from . import newsletters
from .forms_newsletters import NewsletterForm, ScheduleForm
from .models import DeliveryStatus, Newsletter, NewsletterStatus


@staff_required
def newsletter_list(request):
    return render(request, "worker/backoffice/newsletters/list.html",
                  {"newsletters": Newsletter.objects.all()[:50]})


@staff_required
def newsletter_edit(request, pk=None):
    newsletter = get_object_or_404(Newsletter, pk=pk) if pk else Newsletter(
        created_by=request.user)
    if newsletter.status != NewsletterStatus.DRAFT:
        messages.error(request, _("Deze nieuwsbrief is al verstuurd of gepland."))
        return redirect("worker:newsletter_detail", pk=newsletter.pk)
    form = NewsletterForm(request.POST or None, request.FILES or None, instance=newsletter)
    if request.method == "POST" and form.is_valid():
        newsletter = form.save()
        return redirect("worker:newsletter_detail", pk=newsletter.pk)
    return render(request, "worker/backoffice/newsletters/edit.html", {"form": form,
                                                               "newsletter": newsletter})


@staff_required
def newsletter_detail(request, pk):
    return _render_detail(request, get_object_or_404(Newsletter, pk=pk), ScheduleForm())


def _render_detail(request, newsletter, schedule_form, status=200):
    return render(request, "worker/backoffice/newsletters/detail.html", {
        "newsletter": newsletter,
        "counts": newsletters.audience_counts(newsletter.audience),
        "body_html": newsletters.render_body(newsletter),
        "schedule_form": schedule_form,
        "progress": newsletters.progress(newsletter),
        "failures": newsletter.deliveries.filter(status=DeliveryStatus.FAILED)
        .select_related("caregiver")[:50],
    }, status=status)


@staff_required
@require_POST
def newsletter_send(request, pk):
    newsletter = get_object_or_404(Newsletter, pk=pk)
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return _render_detail(request, newsletter, form, status=400)
    if newsletters.schedule(newsletter, form.cleaned_data["send_at"]):
        messages.success(request, _("De nieuwsbrief gaat op weg."))
    else:
        messages.error(request, _("Deze nieuwsbrief is al verstuurd of gepland."))
    return redirect("worker:newsletter_detail", pk=pk)


@staff_required
@require_POST
def newsletter_preview_pdf(request, pk):
    """Ask a worker to render the postal version (PDFs are never rendered in a request)."""
    from .tasks import render_newsletter_preview

    newsletter = get_object_or_404(Newsletter, pk=pk)
    render_newsletter_preview.delay(newsletter.pk)
    messages.success(request, _("Het voorbeeld per post wordt gemaakt. Ververs de pagina "
                                "over een paar seconden."))
    return redirect("worker:newsletter_detail", pk=pk)


@staff_required
def newsletter_file(request, pk, which):
    from django.http import FileResponse, Http404

    newsletter = get_object_or_404(Newsletter, pk=pk)
    field = {"bijlage": newsletter.attachment, "voorbeeld": newsletter.preview_pdf}.get(which)
    if not field:
        raise Http404
    return FileResponse(field.open("rb"), content_type="application/pdf",
                        filename=f"nieuwsbrief-{newsletter.pk}-{which}.pdf")


@staff_required
def newsletter_progress(request, pk):
    newsletter = get_object_or_404(Newsletter, pk=pk)
    return JsonResponse({"status": newsletter.status, **newsletters.progress(newsletter)})
