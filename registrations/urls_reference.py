"""Back-office page for the postcode→wijk table (mounted under /backoffice/postcodes/)."""

from django.urls import path

from . import views_reference as views

urlpatterns = [
    path("", views.overview, name="postcodes"),
    path("laden/", views.upload, name="postcodes_upload"),
    path("postcodegebieden.csv", views.export, name="postcodes_export"),
]
