"""A consulent enters a paper request form (mounted under /backoffice/waardering-invoer/)."""

from django.urls import path

from . import views_intake

urlpatterns = [
    path("", views_intake.paper_entry, name="paper_entry"),
]
