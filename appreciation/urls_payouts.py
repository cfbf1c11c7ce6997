"""Payment batches for coordinators (mounted under /backoffice/betalingen/)."""

from django.urls import path

from . import views_payouts as views

app_name = "betalingen"
urlpatterns = [
    path("", views.batch_list, name="list"),
    path("<int:year>/", views.batch_list, name="year"),
    path("<int:year>/nieuwe-batch/", views.batch_create, name="create"),
    path("batch/<int:pk>/bestand/", views.batch_export, name="export"),
    path("batch/<int:pk>/lijst.csv", views.batch_csv, name="csv"),
    path("batch/<int:pk>/betaald/", views.batch_mark_paid, name="mark_paid"),
]
