from django.core.management.base import BaseCommand

from ronghe.coordination.demo.loader import load_coordination_demo


class Command(BaseCommand):
    help = ("Load the coordination demo (requests of the loss-making units to the headquarters departments, "
            "twelve answered, some open, one escalated) into the demo oilfield. `load_demo` does this on a fresh "
            "database; this command adds them to one whose demo oilfield was loaded before. Idempotent.")

    def handle(self, *args, **options):
        report = load_coordination_demo()
        self.stdout.write(report.message)
        if report.loaded:
            for name, count in report.counts.items():
                self.stdout.write(f"  {name}: {count}")
            self.stdout.write(f"Loaded in {report.seconds:.1f} s.")
