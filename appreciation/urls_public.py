"""Public waardering pages (mounted at the site root): the request and its outcome."""

from django.urls import path  # noqa: F401

app_name = "waardering"
urlpatterns = []
