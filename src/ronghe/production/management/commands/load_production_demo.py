from django.core.management.base import BaseCommand

from ronghe.production.demo.loader import load_production_demo


class Command(BaseCommand):
    help = ("Load the production demo (wells of the demo plants, daily production since 2025-01-01 climbing ten "
            "hundred-ton steps, plans) into the demo oilfield. `load_demo` does this on a fresh database; this "
            "command adds it to one whose demo oilfield was loaded before. Idempotent.")

    def handle(self, *args, **options):
        report = load_production_demo()
        self.stdout.write(report.message)
        if report.loaded:
            for name, count in report.counts.items():
                self.stdout.write(f"  {name}: {count}")
            self.stdout.write(f"Loaded in {report.seconds:.1f} s.")
