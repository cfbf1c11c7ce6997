from django.urls import path

from . import views

app_name = "worker"
urlpatterns = [
    path("systeem/", views.system_status, name="system"),
    path("systeem/testtaak/", views.send_test_ping, name="send_test_ping"),
    path("post/", views.print_batches, name="print_batches"),
    path("post/<int:pk>/pdf/", views.print_batch_pdf, name="print_batch_pdf"),
    path("post/<int:pk>/geprint/", views.print_batch_printed, name="print_batch_printed"),
]
urlpatterns.append(path("uitgaande-mail/", views.outbox, name="outbox"))
