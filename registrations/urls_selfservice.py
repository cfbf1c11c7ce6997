"""Mijn gegevens: self-service for caregivers through a single-use link or DigiD.

No URL here carries a caregiver id: who is signed in comes from the session only.
"""

from django.urls import path

from . import views_digid, views_selfservice

urlpatterns = [
    path("", views_selfservice.my_data, name="my_data"),
    path("inloggen", views_selfservice.request_link, name="request_link"),
    path("link/<str:token>", views_selfservice.magic_link, name="magic_link"),
    path("uitloggen", views_selfservice.logout, name="selfservice_logout"),
    path("digid/", views_digid.digid_start, name="digid_start"),
    path("digid/terug", views_digid.digid_callback, name="digid_callback"),
    path("digid/onbekend", views_digid.digid_unknown, name="digid_unknown"),
    path("digid/koppelen", views_digid.digid_link, name="digid_link"),
    path("contact", views_selfservice.edit_contact, name="edit_contact"),
    path("nieuwsbrief-stoppen", views_selfservice.newsletter_stop, name="newsletter_stop"),
    path("zorg-gestopt", views_selfservice.care_ended, name="care_ended"),
    path("download.json", views_selfservice.download_json, name="download_json"),
    path("overzicht", views_selfservice.download_page, name="download_page"),
    path("uitschrijven", views_selfservice.remove, name="remove"),
    path("uitgeschreven", views_selfservice.removed, name="removed"),
]
