"""A consulent enters a paper request form (mounted under /backoffice/waardering-invoer/)."""

from django.urls import path  # noqa: F401

app_name = "waardering_invoer"
urlpatterns = []
