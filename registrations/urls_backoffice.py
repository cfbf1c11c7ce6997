"""Back office pages about caregivers (mounted under /backoffice/mantelzorgers/)."""

from django.urls import path

from . import views_backoffice as views

app_name = "caregivers"
urlpatterns = [
    path("", views.caregiver_list, name="list"),
    path("nieuw/", views.intake, name="intake"),
    path("<int:pk>/", views.caregiver_detail, name="detail"),
    path("<int:pk>/gecontroleerd/", views.mark_checked, name="mark_checked"),
    path("<int:pk>/toestemming-ouder/", views.confirm_guardian, name="confirm_guardian"),
    path("<int:pk>/zorg-gestopt/", views.end_care, name="end_care"),
    path("<int:pk>/weer-actief/", views.resume_care, name="resume_care"),
    path("<int:pk>/beeindigen/", views.end_registration, name="end_registration"),
    path("<int:pk>/samenvoegen/<int:other_pk>/", views.merge, name="merge"),
    path("<int:pk>/geen-dubbele/<int:other_pk>/", views.not_duplicate, name="not_duplicate"),
]
