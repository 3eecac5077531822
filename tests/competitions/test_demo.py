"""The labour-competition demo: this year's competition among the plants and one among a plant's
teams, scored month by month, every month over published with its 流动红旗 and one published
again after a correction."""
import datetime as dt

from django.apps import apps
from django.core.management import call_command

from ronghe.competitions import selectors
from ronghe.competitions.demo.loader import load_competitions_demo
from ronghe.competitions.models import AwardGrant, Competition, Publication
from ronghe.core.models import AuditEntry
from ronghe.core.modules import load
from ronghe.org.demo.loader import load_demo
from tests.once import DemoLoadedOnce

TODAY = dt.date(2026, 11, 25)


def _sources_demos():
    """The demos of the modules the live indicators read, in INSTALLED_APPS order."""
    for label in ("vanguard", "orglife", "production"):
        config = apps.get_app_config(label)
        if getattr(config, "demo", None):
            load(config.demo)()


def _load():
    assert load_demo(size="small").loaded
    _sources_demos()
    return load_competitions_demo()


def test_load_demo_loads_the_competitions_with_the_other_modules(db, settings, capsys):
    settings.RONGHE_TODAY = TODAY.isoformat()
    call_command("load_demo", "--size", "small")
    assert "competitions: 2" in capsys.readouterr().out
    assert Competition.objects.filter(name="2026年原油上产劳动竞赛").exists()


class TestTheLoadedDemo(DemoLoadedOnce):
    """What the demo holds once loaded; it is loaded once for these tests (tests.once)."""

    load, today = _load, TODAY

    def test_the_two_competitions_have_this_years_months_published(self, demo):
        assert demo.loaded and demo.counts["competitions"] == 2
        plants = Competition.objects.get(name="2026年原油上产劳动竞赛")
        teams = Competition.objects.exclude(pk=plants.pk).get()
        assert plants.organiser.code == "LH" and plants.participants.count() >= 2
        assert teams.organiser.kind == "secondary" and teams.participants.count() >= 2
        assert all(p.unit.path.startswith(teams.organiser.path) for p in teams.participants.select_related("unit"))
        for competition in (plants, teams):
            published = Publication.objects.filter(competition=competition, is_current=True)
            assert sorted(p.period_start.month for p in published) == list(range(1, 11))
            assert AwardGrant.objects.filter(publication__in=published, award="流动红旗").count() >= 10

    def test_a_month_of_the_plants_competition_was_published_again_with_its_reason(self, demo):
        plants = Competition.objects.get(name="2026年原油上产劳动竞赛")
        again = Publication.objects.get(competition=plants, version=2)
        assert again.period_start == dt.date(2026, 10, 1) and "重新通报" in again.reason
        assert AuditEntry.objects.filter(action="competition.republish", object_id=str(again.pk)).exists()

    def test_the_demo_rankings_carry_rank_changes_and_the_running_month_is_live(self, demo):
        plants = Competition.objects.get(name="2026年原油上产劳动竞赛")
        rankings = selectors.rankings(plants, TODAY)
        assert len(rankings) == 11 and not rankings[-1].published and rankings[-2].published
        assert any(row.change for ranking in rankings[1:] for row in ranking.rows)
        assert all(row.lines[-1]["value"] is not None for row in rankings[0].rows)  # safety entered by hand


def test_loading_again_changes_nothing_and_it_needs_the_oilfield(db, settings):
    settings.RONGHE_TODAY = TODAY.isoformat()
    assert not load_competitions_demo().loaded
    assert load_demo(size="small").loaded
    assert load_competitions_demo().loaded
    count = Publication.objects.count()
    assert not load_competitions_demo().loaded and Publication.objects.count() == count
