from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ronghe.core.modules import demo_loaders
from ronghe.org.demo.generator import DEMO_PASSWORD, SIZES
from ronghe.org.demo.loader import DemoLoadError, load_demo


class Command(BaseCommand):
    help = ("Load the reference oilfield's demo data (organisation, Party tree, people, this year's reform, "
            "demo accounts) and each module's demo (Five-Ones plans, …). Idempotent: does nothing when the demo is already loaded.")

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="Do nothing when any unit exists (used by `make run`).")
        parser.add_argument("--seed", type=int, default=2026, help="Random seed of the generated data.")
        parser.add_argument("--size", choices=sorted(SIZES), default="full",
                            help="full: the whole oilfield; small: a few plants, for tests and quick looks.")

    def handle(self, *args, if_empty, seed, size, **options):
        try:
            with transaction.atomic():
                report = load_demo(seed=seed, size=size, if_empty=if_empty)
                # Only with the organisation, so that a second run changes nothing; each
                # module's own command adds its part to a demo loaded before it.
                modules = [loader() for loader in demo_loaders()] if report.loaded else []
        except DemoLoadError as exc:
            for line in exc.lines:
                self.stderr.write(line)
            raise CommandError("the demo data could not be loaded; nothing was written") from exc
        self.stdout.write(report.message)
        if not report.loaded:
            return
        for line in report.lines:
            self.stdout.write(line)
        for name, count in report.counts.items():
            self.stdout.write(f"  {name}: {count}")
        for module in modules:
            self.stdout.write(module.message)
            for name, count in module.counts.items():
                self.stdout.write(f"  {name}: {count}")
        self.stdout.write(f"Demo password for admin, viewer, cy_admin, zb_secretary: {DEMO_PASSWORD}")
        self.stdout.write(f"Loaded in {report.seconds + sum(m.seconds for m in modules):.1f} s.")
