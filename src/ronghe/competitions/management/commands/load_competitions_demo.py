from django.core.management.base import BaseCommand

from ronghe.competitions.demo.loader import load_competitions_demo


class Command(BaseCommand):
    help = ("Load the labour-competition demo (this year's oil-output competition among the plants and one among "
            "a plant's teams, published month by month) into the demo oilfield. `load_demo` does this on a fresh "
            "database; this command adds it to one whose demo was loaded before. Idempotent.")

    def handle(self, *args, **options):
        report = load_competitions_demo()
        self.stdout.write(report.message)
        if report.loaded:
            for name, count in report.counts.items():
                self.stdout.write(f"  {name}: {count}")
            self.stdout.write(f"Loaded in {report.seconds:.1f} s.")
