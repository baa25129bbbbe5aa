"""Delete every account made by load_demo, so production can start."""

from django.core.management.base import BaseCommand

from portal.accounts.models import User


class Command(BaseCommand):
    help = "Delete the demo accounts created by load_demo."

    def handle(self, *args, **options):
        count, _ = User.objects.filter(is_demo=True).delete()
        self.stdout.write(self.style.SUCCESS(f"Removed {count} demo account record(s)."))
