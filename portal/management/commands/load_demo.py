"""Load demo content and one account per role (idempotent), and print how to sign in."""

from django.core.management.base import BaseCommand

from portal.demo import DEMO_PASSWORD, load_demo
from portal.roles import STAFF_ROLES


class Command(BaseCommand):
    help = "Load demo content and one demo account per role. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Host of the NHS.UK-themed demo site.")
        parser.add_argument("--council-host", default="localhost", help="Host of the council-themed demo site.")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, host, council_host, port, **options):
        accounts = load_demo(host=host, council_host=council_host, port=port)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"\n  NHS.UK theme:  http://{host}:{port}/\n  Council theme: http://{council_host}:{port}/\n")
        self.stdout.write(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
        for account in accounts:
            mfa = "  (sets up two-factor authentication at first staff sign-in)" if account.role in STAFF_ROLES else ""
            self.stdout.write(f"  {account.role.label:<25} {account.email}{mfa}")
