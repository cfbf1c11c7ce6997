from django.apps import AppConfig


class WorkerConfig(AppConfig):
    """The mail engine and the Celery app's infrastructure: letters, print batches, e-mail,
    newsletters and deliveries. It knows no domain: the apps above register their letter
    types, audiences and the recipient directory (worker/registry.py)."""

    name = "worker"
    verbose_name = "Verzending en achtergrondtaken"

    def ready(self):
        from . import letters  # noqa: F401  (registers the newsletter's letter type)
