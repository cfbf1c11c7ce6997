"""The follow-up list and contact moments (mounted under /backoffice/opvolging/)."""

from django.urls import path

from . import views_backoffice as views

app_name = "opvolging"
urlpatterns = [
    path("", views.task_list, name="list"),
    path("mantelzorger/<int:caregiver_pk>/taak/<int:pk>/", views.answer_task, name="answer"),
    path("mantelzorger/<int:caregiver_pk>/taak/<int:pk>/annuleren/", views.cancel_task,
         name="cancel"),
    path("mantelzorger/<int:pk>/contact/", views.record_contact, name="contact"),
]
