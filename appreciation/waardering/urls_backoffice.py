"""Back-office waardering pages (mounted under /backoffice/waardering/): queue and review."""

from django.urls import path

from . import views_backoffice as views

urlpatterns = [
    path("", views.queue, name="review_queue"),
    path("goedkeuren/", views.bulk_approve, name="review_bulk_approve"),
    path("<int:pk>/", views.detail, name="review_detail"),
    path("<int:pk>/in-behandeling/", views.start_review, name="review_start"),
    path("<int:pk>/goedkeuren/", views.approve, name="review_approve"),
    path("<int:pk>/afwijzen/", views.reject, name="review_reject"),
    path("<int:pk>/buiten-behandeling/", views.set_aside, name="review_set_aside"),
    path("<int:pk>/vraag/", views.ask_information, name="review_ask_information"),
    path("<int:pk>/bevestigd/", views.confirm_by_phone, name="review_confirm_by_phone"),
    path("<int:pk>/nieuwe-code/", views.ask_confirmation_again, name="review_ask_confirmation"),
    path("<int:pk>/intrekken/", views.withdraw, name="review_withdraw"),
    path("<int:pk>/opnieuw-controleren/", views.recheck, name="review_recheck"),
]
