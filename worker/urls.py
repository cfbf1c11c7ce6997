from django.urls import path

from . import views

app_name = "worker"
urlpatterns = [
    path("", views.system_status, name="system"),
    path("testtaak/", views.send_test_ping, name="send_test_ping"),
]
