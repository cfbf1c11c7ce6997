"""The Django project: settings, urls, the Celery app and the shared base (layout, staff)."""

from .celery import app as celery_app

__all__ = ("celery_app",)
