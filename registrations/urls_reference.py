"""Back-office page for the postcode→wijk table (mounted under /backoffice/postcodes/)."""

from django.urls import path

from . import views_reference as views

app_name = "postcodes"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("laden/", views.upload, name="upload"),
    path("postcodegebieden.csv", views.export, name="export"),
]
