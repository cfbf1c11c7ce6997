from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from appreciation.campaigns.demo import load_campaign_demo
from appreciation.waardering.demo import load_appreciation_demo
from core import roles
from insight.demo import load_insight_demo
from mantelzorg.services_staff import create_staff_user
from registrations.demo import (
    load_example_postcode_ranges,
    make_care_recipients,
    make_caregivers,
)
from registrations.digid import pseudonym_of
from registrations.models import Caregiver, CareRecipient, State
from registrations.services_digid import link_digid
from worker.demo import load_contact_demo

DEMO_PASSWORD = "mantelzorg-demo"
DEMO_ACCOUNTS = [
    ("consulent", roles.CONSULENT, "Inge", "Consulent"),
    ("coordinator", roles.COORDINATOR, "Kees", "Coördinator"),
]


# The demo provider's residents (tools/oidc-provider/identities.js) who are registered: the
# caregiver who signs in with DigiD, and the one a representative acts for (Machtigen).
DEMO_DIGID = {"Mantelzorger met DigiD": "999990019", "Gemachtigde, namens": "999990056"}


def link_demo_digid() -> list[tuple[str, str]]:
    """Give two active demo caregivers without a waardering request the demo BSNs'
    pseudonyms (once), so DigiD (demo) signs them in; (identity, name) of each linked."""
    linked = []
    for identity, bsn in DEMO_DIGID.items():
        pseudonym = pseudonym_of(bsn)
        if Caregiver.objects.filter(bsn_pseudonym=pseudonym).exists():
            continue
        caregiver = (Caregiver.objects.filter(state=State.ACTIEF, bsn_pseudonym="",
                                              appreciation_requests__isnull=True)
                     .exclude(email="").order_by("pk").first())
        if caregiver and link_digid(caregiver, pseudonym):
            linked.append((identity, caregiver.full_name))
    return linked


class Command(BaseCommand):
    help = ("Load made-up caregivers, waardering requests, campaigns and the demo staff "
            "accounts (once; safe to run again).")

    def add_arguments(self, parser):
        parser.add_argument("--caregivers", type=int, default=400)

    @transaction.atomic
    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is never loaded in production.")
        added_ranges = load_example_postcode_ranges()
        if load_contact_demo():
            self.stdout.write("Loaded the Servicepunt's made-up contact details.")
        if Caregiver.objects.exists():
            self.stdout.write("Demo data was already loaded.")
        else:
            caregivers = Caregiver.objects.bulk_create(make_caregivers(options["caregivers"]))
            CareRecipient.objects.bulk_create(make_care_recipients(caregivers))
            self.stdout.write(f"Loaded {options['caregivers']} made-up caregivers and "
                              f"{added_ranges} example postcode ranges.")
        users = {username: create_staff_user(username, DEMO_PASSWORD, role, first_name=first,
                                             last_name=last)
                 for username, role, first, last in DEMO_ACCOUNTS}
        requests = load_appreciation_demo(users["consulent"], users["coordinator"])
        if requests:
            self.stdout.write(f"Loaded {requests} made-up waardering requests.")
        if load_insight_demo(users["consulent"]):
            self.stdout.write("Loaded made-up self-checks and contact moments.")
        for identity, name in link_demo_digid():
            self.stdout.write(f"DigiD (demo): '{identity}' logt in als {name}.")
        campaign_requests = load_campaign_demo(users["consulent"], users["coordinator"])
        if campaign_requests:
            self.stdout.write(f"Loaded {campaign_requests} made-up campaign requests "
                              "(zwemkaartjes).")
