"""Mijn gegevens: self-service for caregivers through a single-use link (no passwords)."""

from django.urls import path

from . import views_selfservice

urlpatterns = [
    path("inloggen", views_selfservice.request_link, name="request_link"),
    path("link/<str:token>", views_selfservice.magic_link, name="magic_link"),
]
