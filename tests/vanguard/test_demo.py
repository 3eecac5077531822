"""The vanguard demo in the (small) demo oilfield: carriers across the plants, mostly tied to
production, with members and leads; a ledger with the reported half-year's solved problems and
their benefit. Deterministic and loaded once."""
import datetime as dt

from django.core.management import call_command

from ronghe.accounts.models import User
from ronghe.core.models import AuditEntry
from ronghe.org.demo import oilfield as of
from ronghe.org.demo.loader import load_demo
from ronghe.org.models import Unit
from ronghe.vanguard import rules, selectors, stats
from ronghe.vanguard.demo.loader import load_vanguard_demo, reported_half
from ronghe.vanguard.models import Carrier, CarrierMember, Problem
from tests.once import DemoLoadedOnce

TODAY = dt.date(2026, 11, 25)
PLANTS = tuple(s.code for s in of.SECONDARY_UNITS if s.family == "plant")


def _load():
    assert load_demo(size="small").loaded and load_vanguard_demo().loaded
    return User.objects.get(username="admin")


def test_the_reported_half_is_the_last_one_that_has_ended():
    assert reported_half(dt.date(2026, 11, 25)) == rules.half(2026, 1)
    assert reported_half(dt.date(2026, 7, 1)) == rules.half(2026, 1)
    assert reported_half(dt.date(2026, 3, 1)) == rules.half(2025, 2)


class TestTheLoadedDemo(DemoLoadedOnce):
    """What the demo holds once loaded; it is loaded once for these tests (tests.once)."""

    load, today = _load, TODAY

    def test_carriers_stand_across_the_plants_mostly_tied_to_production(self, demo):
        carriers = Carrier.objects.select_related("unit", "party_org__unit")
        assert carriers.count() > 200
        assert {c.unit.code.split("-")[0] for c in carriers} <= set(PLANTS)
        assert set(carriers.values_list("kind", flat=True)) == set(Carrier.Kind.values)
        for carrier in carriers:
            carrier.full_clean()  # the party org is attached to the unit or above it, names unique
        summary = stats.compute(demo, rules.half(2026, 1)).carriers
        assert summary.production_share > 0.8
        assert 0 < len(summary.without_members) + len(summary.without_lead) < summary.total * 0.05
        plant = Carrier.objects.order_by("id").first().unit.path.split("/")[1]
        in_plant = stats.compute(demo, rules.half(2026, 1), unit=Unit.objects.get(pk=int(plant))).carriers
        assert in_plant.coverage > 0.5, in_plant  # most of a plant's members are on a carrier
        members = CarrierMember.objects.select_related("person")
        assert all(m.person.is_party_member for m in members)

    def test_the_ledger_holds_the_half_years_solved_problems_and_their_benefit(self, demo):
        half = rules.half(2026, 1)
        summary = stats.compute(demo, half).problems
        carriers = Carrier.objects.count()
        assert summary.total.solved >= carriers * 0.45
        assert 0.6 * summary.total.solved < summary.total.verified
        assert summary.total.oil_t > 0 and summary.total.cost_saved > 0
        assert set(Problem.objects.values_list("status", flat=True)) == set(Problem.Status.values)
        for problem in Problem.objects.select_related("unit", "carrier__unit")[:300]:
            problem.full_clean()  # dates in the order of the status flow, solutions, reasons
        assert not Problem.objects.filter(raised_on__gt=TODAY).exists()
        solved_h1 = selectors.filter_problems(selectors.problems(demo), solved_from=half.start, solved_to=half.end)
        assert solved_h1.count() == summary.total.solved

    def test_loading_again_changes_nothing_and_the_batch_is_audited(self, demo):
        before = (Carrier.objects.count(), Problem.objects.count(), AuditEntry.objects.count())
        assert not load_vanguard_demo().loaded
        call_command("load_vanguard_demo", stdout=open("/dev/null", "w"))
        assert (Carrier.objects.count(), Problem.objects.count(), AuditEntry.objects.count()) == before
        assert AuditEntry.objects.filter(action="import.vanguard_demo").count() == 1


def test_the_demo_is_the_same_every_time(db, settings):
    settings.RONGHE_TODAY = TODAY.isoformat()
    assert load_demo(size="small").loaded and load_vanguard_demo().loaded
    first = list(Carrier.objects.order_by("unit__code", "name").values_list("unit__code", "name", "kind",
                                                                            "established_on"))[:50]
    problems = list(Problem.objects.order_by("id").values_list("title", "status", "solved_on", "oil_t"))[:50]
    Problem.workers.through.objects.all().delete()
    Problem.objects.all().delete()
    CarrierMember.objects.all().delete()
    for model in (Carrier.reviews.rel.related_model, Carrier.recognitions.rel.related_model):
        model.objects.all().delete()
    Carrier.objects.all().delete()
    assert load_vanguard_demo().loaded
    assert first and first == list(Carrier.objects.order_by("unit__code", "name").values_list(
        "unit__code", "name", "kind", "established_on"))[:50]
    assert problems == list(Problem.objects.order_by("id").values_list("title", "status", "solved_on", "oil_t"))[:50]
