"""Back-office waardering pages (mounted under /backoffice/waardering/): queue and review."""

from django.urls import path  # noqa: F401

app_name = "waardering_bo"
urlpatterns = []
