"""Back office pages about caregivers (mounted under /backoffice/mantelzorgers/)."""

from django.urls import path

from . import views_backoffice as views

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
]
