from django.urls import path

from . import views_backoffice as views
from . import views_contact as contact_views
from . import views_newsletters as newsletter_views

urlpatterns = [
    path("systeem/", views.system_status, name="system"),
    path("systeem/testtaak/", views.send_test_ping, name="send_test_ping"),
    path("post/", views.print_batches, name="print_batches"),
    path("post/<int:pk>/pdf/", views.print_batch_pdf, name="print_batch_pdf"),
    path("post/<int:pk>/geprint/", views.print_batch_printed, name="print_batch_printed"),
]
urlpatterns.append(path("uitgaande-mail/", views.outbox, name="outbox"))
urlpatterns.append(path("contactgegevens/", contact_views.contact_settings,
                        name="contact_settings"))
urlpatterns += [
    path("nieuwsbrieven/", newsletter_views.newsletter_list, name="newsletters"),
    path("nieuwsbrieven/nieuw/", newsletter_views.newsletter_edit, name="newsletter_new"),
    path("nieuwsbrieven/<int:pk>/", newsletter_views.newsletter_detail,
         name="newsletter_detail"),
    path("nieuwsbrieven/<int:pk>/wijzigen/", newsletter_views.newsletter_edit,
         name="newsletter_edit"),
    path("nieuwsbrieven/<int:pk>/versturen/", newsletter_views.newsletter_send,
         name="newsletter_send"),
    path("nieuwsbrieven/<int:pk>/voortgang.json", newsletter_views.newsletter_progress,
         name="newsletter_progress"),
    path("nieuwsbrieven/<int:pk>/voorbeeld-post/", newsletter_views.newsletter_preview_pdf,
         name="newsletter_preview_pdf"),
    path("nieuwsbrieven/<int:pk>/<str:which>.pdf", newsletter_views.newsletter_file,
         name="newsletter_file"),
]
