"""The burden self-check in Mijn gegevens and its result page (mounted at /mijn-gegevens/)."""

from django.urls import path

from . import views_selfservice

urlpatterns = [
    path("zelftest", views_selfservice.self_check, name="self_check"),
    path("zelftest/uitslag", views_selfservice.result, name="self_check_result"),
]
