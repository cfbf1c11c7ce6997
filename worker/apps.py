from django.apps import AppConfig


class WorkerConfig(AppConfig):
    """Everything sent: letters, e-mail, newsletters, Celery tasks and the beat schedule."""

    name = "worker"
    verbose_name = "Verzending en achtergrondtaken"
