"""Public registration pages, the links mailed to caregivers, and Mijn gegevens."""

from django.urls import include, path

from . import views_public

register_wizard = views_public.RegistrationWizard.as_view(
    url_name="registrations:register_step", done_step_name="klaar")

urlpatterns = [
    path("aanmelden", views_public.start_registration, name="register"),
    path("aanmelden/verstuurd", views_public.registration_sent, name="register_sent"),
    path("aanmelden/<str:step>", register_wizard, name="register_step"),
    path("bevestigen/<str:token>", views_public.confirm_email, name="confirm_email"),
    path("toestemming/<str:token>", views_public.guardian_consent, name="guardian_consent"),
    path("mijn-gegevens/", include("registrations.urls_selfservice")),
]
