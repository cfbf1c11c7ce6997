"""The newsletter's unsubscribe link (mounted at the site's root)."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("afmelden/<str:token>", views_public.unsubscribe, name="unsubscribe"),
]
