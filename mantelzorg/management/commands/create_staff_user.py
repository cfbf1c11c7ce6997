import getpass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from core import roles
from mantelzorg.services_staff import create_staff_user


class Command(BaseCommand):
    help = "Create (or reset) a staff account: consulent or coordinator."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", choices=[roles.CONSULENT, roles.COORDINATOR],
                            required=True)
        parser.add_argument("--first-name", default="")
        parser.add_argument("--last-name", default="")
        parser.add_argument("--email", default="")

    def handle(self, *args, **options):
        password = getpass.getpass("Wachtwoord: ")
        if password != getpass.getpass("Nog een keer: "):
            raise CommandError("De wachtwoorden zijn niet gelijk.")
        try:
            validate_password(password)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        user = create_staff_user(options["username"], password, options["role"],
                                 first_name=options["first_name"],
                                 last_name=options["last_name"], email=options["email"])
        self.stdout.write(f"Account {user.username} ({options['role']}) is klaar. Bij de "
                          "eerste keer inloggen koppelt de medewerker een authenticator-app.")
