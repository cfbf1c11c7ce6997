"""Back-office campaign pages (mounted under /backoffice/campagnes/)."""

from django.urls import path

from . import views_backoffice as views

urlpatterns = [
    path("", views.overview, name="campaign_overview"),
    path("<int:pk>/", views.detail, name="campaign_detail"),
    path("<int:pk>/balie/", views.desk, name="campaign_desk"),
    path("<int:pk>/balie/aanvragen/", views.desk_ask, name="campaign_desk_ask"),
    path("<int:pk>/aanvraag/<int:request_pk>/annuleren/", views.cancel_request,
         name="campaign_cancel"),
    path("<int:pk>/aanvraag/<int:request_pk>/verstuurd/", views.mark_posted,
         name="campaign_posted"),
    path("<int:pk>/aanvraag/<int:request_pk>/opgehaald/", views.mark_picked_up,
         name="campaign_picked_up"),
    path("<int:pk>/verstuurd/", views.mark_all_posted, name="campaign_posted_all"),
    path("<int:pk>/codes/laden/", views.upload_codes, name="campaign_upload_codes"),
    path("<int:pk>/codes/maken/", views.generate_codes, name="campaign_generate_codes"),
    path("<int:pk>/iedereen/", views.send_to_everyone, name="campaign_everyone"),
    path("<int:pk>/codes.csv", views.export_codes, name="campaign_export"),
]
