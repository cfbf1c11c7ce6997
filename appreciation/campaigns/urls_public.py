"""Campaign pages for caregivers (mounted at the site root): the short public form and
Mijn gegevens › Zwemkaartjes. No URL carries a caregiver id."""

from django.urls import path

from . import views_public as views

urlpatterns = [
    path("zwemkaartjes", views.swim_tickets, name="swim_tickets"),
    path("campagne/<int:pk>", views.campaign_form, name="campaign_public"),
    path("campagne/<int:pk>/aangevraagd", views.asked, name="campaign_asked"),
    path("mijn-gegevens/campagnes/", views.my_campaigns, name="my_campaigns"),
    path("mijn-gegevens/campagnes/<int:pk>/aanvragen", views.ask, name="my_campaign_ask"),
    path("mijn-gegevens/campagnes/aanvraag/<int:pk>/annuleren", views.cancel,
         name="my_campaign_cancel"),
]
