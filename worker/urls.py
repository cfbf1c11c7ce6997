"""Every URL of the mail engine, under the `worker` namespace."""

from django.urls import include, path

app_name = "worker"
urlpatterns = [
    path("backoffice/", include("worker.urls_backoffice")),
    path("", include("worker.urls_public")),
]
