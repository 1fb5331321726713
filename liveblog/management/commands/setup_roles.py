"""Create the Editors, Results desk and Results supervisors groups with their permissions
(idempotent)."""

from django.core.management.base import BaseCommand

from liveblog.roles import ROLES, roles_setup


class Command(BaseCommand):
    help = "Create or repair the newsroom's groups: " + ", ".join(ROLES) + "."

    def handle(self, *args, **options):
        roles_setup()
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Groups ready: {', '.join(ROLES)}"))
