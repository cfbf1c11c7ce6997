"""Back office pages about caregivers (mounted under /backoffice/mantelzorgers/)."""

from django.urls import path

from . import views_backoffice

app_name = "caregivers"
urlpatterns = [
    path("", views_backoffice.caregiver_list, name="list"),
]
