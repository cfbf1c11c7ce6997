"""Public waardering pages (mounted at the site root): the request and its outcome, and the
caregiver's own requests in Mijn gegevens (no URL carries a caregiver id)."""

from django.urls import path

from ..models import Route
from . import views_confirm, views_public, views_renewal, views_selfservice

self_wizard = views_public.AppreciationWizard.as_view(
    route=Route.SELF, url_name="appreciation:waardering_self_step", done_step_name="klaar")
on_behalf_wizard = views_public.AppreciationWizard.as_view(
    route=Route.ON_BEHALF, url_name="appreciation:waardering_on_behalf_step",
    done_step_name="klaar")

urlpatterns = [
    path("waardering", views_public.start, name="waardering_start"),
    path("waardering/verstuurd", views_public.sent, name="waardering_sent"),
    path("waardering/bevestigen", views_confirm.confirm_code, name="waardering_confirm_code"),
    path("waardering/opnieuw", views_renewal.renewal_page, name="waardering_renewal"),
    path("waardering/zelf", self_wizard, name="waardering_self"),
    path("waardering/zelf/<str:step>", self_wizard, name="waardering_self_step"),
    path("waardering/namens", on_behalf_wizard, name="waardering_on_behalf"),
    path("waardering/namens/<str:step>", on_behalf_wizard, name="waardering_on_behalf_step"),
    path("mijn-gegevens/waardering/", views_selfservice.my_requests, name="waardering_my_requests"),
    path("mijn-gegevens/waardering/<int:pk>/intrekken", views_selfservice.withdraw,
         name="waardering_withdraw"),
    path("mijn-gegevens/waardering/<int:pk>/antwoorden", views_selfservice.answer,
         name="waardering_answer"),
    path("mijn-gegevens/waardering/<int:pk>/bevestigen", views_selfservice.confirm,
         name="waardering_confirm"),
]
