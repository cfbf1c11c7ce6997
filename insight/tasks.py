"""Celery tasks of the insight app."""

from celery import shared_task
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string

from core import clock
from worker.letters import font_config
from worker.static_fetcher import static_files_fetcher

from .charts import report_context, report_path


@shared_task(name="insight.render_annual_report")
def render_annual_report(year: int) -> str:
    """Render the one-page annual report PDF of `year` into the default storage.

    Idempotent: it always writes the figures as they are now to the same name
    (`reports/jaarverslag-<year>.pdf`), replacing an older file; running it twice leaves
    one file. WeasyPrint runs here, in a worker, never in a web request.
    """
    from weasyprint import HTML  # only workers render PDFs; web processes never load it

    context = {**report_context(year), "made_on": clock.today()}
    html = render_to_string("insight/reports/annual_report.html", context)
    # Only our own static files: the report must not read other files or URLs.
    pdf = HTML(string=html, base_url=str(settings.BASE_DIR),
               url_fetcher=static_files_fetcher()).write_pdf(
        font_config=font_config(), pdf_variant="pdf/ua-1")
    path = report_path(year)
    if default_storage.exists(path):
        default_storage.delete(path)
    return default_storage.save(path, ContentFile(pdf))
