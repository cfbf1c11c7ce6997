"""Payment batches for coordinators (mounted under /backoffice/betalingen/)."""

from django.urls import path  # noqa: F401

app_name = "betalingen"
urlpatterns = []
