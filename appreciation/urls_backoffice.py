"""Back-office waardering pages (mounted under /backoffice/waardering/): queue and review."""

from django.urls import path

from . import views_backoffice as views

app_name = "waardering_bo"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("goedkeuren/", views.bulk_approve, name="bulk_approve"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/in-behandeling/", views.start_review, name="start_review"),
    path("<int:pk>/goedkeuren/", views.approve, name="approve"),
    path("<int:pk>/afwijzen/", views.reject, name="reject"),
    path("<int:pk>/vraag/", views.ask_information, name="ask_information"),
    path("<int:pk>/bevestigd/", views.confirm_by_phone, name="confirm_by_phone"),
    path("<int:pk>/intrekken/", views.withdraw, name="withdraw"),
    path("<int:pk>/opnieuw-controleren/", views.recheck, name="recheck"),
]
