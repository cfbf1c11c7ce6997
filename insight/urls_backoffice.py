"""The follow-up list and contact moments (mounted under /backoffice/opvolging/)."""

from django.urls import path

from . import views_backoffice as views

urlpatterns = [
    path("", views.task_list, name="followup_list"),
    path("mantelzorger/<int:caregiver_pk>/taak/<int:pk>/", views.answer_task,
         name="followup_answer"),
    path("mantelzorger/<int:caregiver_pk>/taak/<int:pk>/annuleren/", views.cancel_task,
         name="followup_cancel"),
    path("mantelzorger/<int:pk>/contact/", views.record_contact, name="followup_contact"),
]
