from django.apps import AppConfig


class InsightConfig(AppConfig):
    """Annual figures and charts, the burden signal, contact moments and follow-up."""

    name = "insight"
    verbose_name = "Inzicht en nazorg"

    def ready(self):
        from . import exports, receivers

        exports.register()
        receivers.connect()
