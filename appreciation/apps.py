from django.apps import AppConfig


class AppreciationConfig(AppConfig):
    """The yearly mantelzorgwaardering and the campaigns (zwemkaartjes, attentie)."""

    name = "appreciation"
    verbose_name = "Waardering en zwemkaartjes"

    def ready(self):
        from . import exports, letters, receivers
        from .waardering import history_import

        exports.register()
        history_import.register()
        letters.register()
        receivers.connect()
