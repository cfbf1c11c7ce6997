from django.apps import AppConfig


class AppreciationConfig(AppConfig):
    """The yearly mantelzorgwaardering and the summer zwemkaartjes (built in later issues)."""

    name = "appreciation"
    verbose_name = "Waardering en zwemkaartjes"
