"""Public waardering pages (mounted at the site root): the request and its outcome, and the
caregiver's own requests in Mijn gegevens (no URL carries a caregiver id)."""

from django.urls import path

from . import views_public, views_selfservice
from .models import Route

app_name = "waardering"

self_wizard = views_public.AppreciationWizard.as_view(
    route=Route.SELF, url_name="waardering:self_step", done_step_name="klaar")
on_behalf_wizard = views_public.AppreciationWizard.as_view(
    route=Route.ON_BEHALF, url_name="waardering:on_behalf_step", done_step_name="klaar")

urlpatterns = [
    path("waardering", views_public.start, name="start"),
    path("waardering/verstuurd", views_public.sent, name="sent"),
    path("waardering/zelf", self_wizard, name="self"),
    path("waardering/zelf/<str:step>", self_wizard, name="self_step"),
    path("waardering/namens", on_behalf_wizard, name="on_behalf"),
    path("waardering/namens/<str:step>", on_behalf_wizard, name="on_behalf_step"),
    path("mijn-gegevens/waardering/", views_selfservice.my_requests, name="my_requests"),
    path("mijn-gegevens/waardering/<int:pk>/intrekken", views_selfservice.withdraw,
         name="withdraw"),
    path("mijn-gegevens/waardering/<int:pk>/antwoorden", views_selfservice.answer,
         name="answer"),
    path("mijn-gegevens/waardering/<int:pk>/bevestigen", views_selfservice.confirm,
         name="confirm"),
]
