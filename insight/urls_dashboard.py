"""The annual dashboard (mounted under /backoffice/inzicht/)."""

from django.urls import path

from . import views_dashboard

urlpatterns = [
    path("", views_dashboard.dashboard, name="dashboard"),
    path("<int:year>.csv", views_dashboard.export_csv, name="csv"),
    path("<int:year>/pdf-maken/", views_dashboard.make_pdf, name="make_pdf"),
    path("<int:year>.pdf", views_dashboard.download_pdf, name="pdf"),
]
