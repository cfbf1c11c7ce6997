"""Back office pages about caregivers (mounted under /backoffice/mantelzorgers/)."""

from django.urls import path

from . import views_backoffice as views
from . import views_records as records

urlpatterns = [
    path("", views.caregiver_list, name="caregiver_list"),
    path("nieuw/", views.intake, name="caregiver_intake"),
    path("<int:pk>/", views.caregiver_detail, name="caregiver_detail"),
    path("<int:pk>/gecontroleerd/", views.mark_checked, name="caregiver_mark_checked"),
    path("<int:pk>/toestemming-ouder/", views.confirm_guardian, name="caregiver_confirm_guardian"),
    path("<int:pk>/zorg-gestopt/", views.end_care, name="caregiver_end_care"),
    path("<int:pk>/weer-actief/", views.resume_care, name="caregiver_resume_care"),
    path("<int:pk>/beeindigen/", views.end_registration, name="caregiver_end_registration"),
    path("<int:pk>/samenvoegen/<int:other_pk>/", views.merge, name="caregiver_merge"),
    path("<int:pk>/geen-dubbele/<int:other_pk>/", views.not_duplicate,
         name="caregiver_not_duplicate"),
    path("<int:pk>/andere-persoon/", records.resolve_duplicate,
         name="caregiver_resolve_duplicate"),
    path("<int:pk>/aanpassen/", records.edit_caregiver, name="caregiver_edit"),
    path("<int:pk>/naasten/nieuw/", records.add_recipient, name="caregiver_add_recipient"),
    path("<int:pk>/naasten/<int:recipient_pk>/aanpassen/", records.edit_recipient,
         name="caregiver_edit_recipient"),
    path("<int:pk>/naasten/<int:recipient_pk>/zorg-gestopt/", records.end_recipient,
         name="caregiver_end_recipient"),
]
