from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    name = "registrations"
    verbose_name = "Inschrijvingen"

    def ready(self):
        from . import mail

        mail.register()
