"""Payment batches for coordinators (mounted under /backoffice/betalingen/)."""

from django.urls import path

from . import views_payouts as views

urlpatterns = [
    path("", views.batch_list, name="payout_list"),
    path("<int:year>/", views.batch_list, name="payout_year"),
    path("<int:year>/nieuwe-batch/", views.batch_create, name="payout_create"),
    path("<int:year>/boncodes/", views.voucher_upload, name="payout_voucher_upload"),
    path("batch/<int:pk>/bestand/", views.batch_export, name="payout_export"),
    path("batch/<int:pk>/lijst.csv", views.batch_csv, name="payout_csv"),
    path("batch/<int:pk>/betaald/", views.batch_mark_paid, name="payout_mark_paid"),
]
