"""Back-office campaign pages (mounted under /backoffice/campagnes/)."""

from django.urls import path

from . import views_campaigns_backoffice as views

app_name = "campagnes"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/balie/", views.desk, name="desk"),
    path("<int:pk>/balie/aanvragen/", views.desk_ask, name="desk_ask"),
    path("<int:pk>/aanvraag/<int:request_pk>/annuleren/", views.cancel_request,
         name="cancel"),
    path("<int:pk>/aanvraag/<int:request_pk>/opgehaald/", views.mark_picked_up,
         name="picked_up"),
    path("<int:pk>/codes/laden/", views.upload_codes, name="upload_codes"),
    path("<int:pk>/codes/maken/", views.generate_codes, name="generate_codes"),
    path("<int:pk>/iedereen/", views.send_to_everyone, name="everyone"),
    path("<int:pk>/codes.csv", views.export_codes, name="export"),
]
