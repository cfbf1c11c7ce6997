"""The coordinator's import pages (mounted under /backoffice/import/)."""

from django.urls import path

from . import views_backoffice as views

urlpatterns = [
    path("", views.import_list, name="import_list"),
    path("nieuw/", views.import_upload, name="import_upload"),
    path("<int:pk>/", views.import_detail, name="import_detail"),
    path("<int:pk>/kolommen/", views.import_mapping, name="import_mapping"),
    path("<int:pk>/voortgang.json", views.import_progress, name="import_progress"),
    path("<int:pk>/importeren/", views.import_confirm, name="import_confirm"),
]
