"""Upload jobs whose worker died mid-import: the heartbeat of a running job, and the expiry of
those whose heartbeat stopped — by the scheduled command and whenever the upload pages show
jobs."""
import datetime as dt
import io
import os
import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from ronghe.core.scheduler import all_jobs
from ronghe.production import jobs
from ronghe.production.models import ProductionImport

S = ProductionImport.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def job(actor, status, age_minutes, beat_minutes=None, language="en"):
    """A job started `age_minutes` ago whose stored file was last touched `beat_minutes` ago
    (no file when None)."""
    stored = f"{status}-{age_minutes}-{beat_minutes}.upload"
    made = ProductionImport.objects.create(actor=actor, file_name="d.csv", stored_as=stored, status=status,
                                           language=language)
    started = timezone.now() - dt.timedelta(minutes=age_minutes)
    ProductionImport.objects.filter(pk=made.pk).update(started_at=started)
    if beat_minutes is not None:
        path = jobs.upload_dir() / stored
        path.write_bytes(b"x")
        beat = time.time() - beat_minutes * 60
        os.utime(path, (beat, beat))
    return made


def status(made):
    made.refresh_from_db()
    return made.status


def test_only_unfinished_jobs_whose_heartbeat_stopped_are_failed_and_their_files_deleted(personas):
    user = personas.plant_admin
    dead = job(user, S.WRITING, age_minutes=30, beat_minutes=12)
    never_started = job(user, S.QUEUED, age_minutes=30, beat_minutes=30)
    lost_file = job(user, S.VALIDATING, age_minutes=30)
    alive = job(user, S.WRITING, age_minutes=30, beat_minutes=1)
    young = job(user, S.VALIDATING, age_minutes=1)
    done = job(user, S.DONE, age_minutes=30, beat_minutes=30)
    assert jobs.expire_stale() == 3
    assert [status(j) for j in (dead, never_started, lost_file)] == [S.FAILED] * 3
    assert [status(j) for j in (alive, young, done)] == [S.WRITING, S.VALIDATING, S.DONE]
    assert "upload the file again" in dead.message and dead.finished_at is not None
    assert sorted(p.name for p in jobs.upload_dir().iterdir()) == sorted([alive.stored_as, done.stored_as])
    assert jobs.expire_stale() == 0


def test_the_message_is_in_the_uploaders_language(personas):
    made = job(personas.plant_admin, S.WRITING, age_minutes=30, beat_minutes=30, language="zh-hans")
    with translation.override("en"):
        jobs.expire_stale()
    made.refresh_from_db()
    assert "重新上传" in made.message, made.message


def test_a_scheduled_command_expires_them(personas):
    assert "expire_production_imports" in [j.command for j in all_jobs()]
    made = job(personas.plant_admin, S.VALIDATING, age_minutes=30, beat_minutes=30)
    out = io.StringIO()
    call_command("expire_production_imports", stdout=out)
    assert status(made) == S.FAILED and out.getvalue().startswith("1 ")


def test_the_upload_pages_expire_the_viewers_own_stale_jobs(login, personas):
    mine = job(personas.plant_admin, S.WRITING, age_minutes=30, beat_minutes=30)
    theirs = job(personas.superuser, S.WRITING, age_minutes=30, beat_minutes=30)
    client = login(personas.plant_admin)
    progress = client.get(reverse("daily_import_progress", args=[mine.pk])).content.decode()
    assert 'data-status="failed"' in progress and "hx-trigger" not in progress
    assert "upload the file again" in progress
    assert status(theirs) == S.WRITING
    other = job(personas.plant_admin, S.QUEUED, age_minutes=30, beat_minutes=30)
    assert client.get(reverse("daily_upload")).status_code == 200
    assert status(other) == S.FAILED


def test_a_running_job_beats_until_it_ends(monkeypatch, tmp_path):
    monkeypatch.setattr(jobs, "HEARTBEAT_SECONDS", 0.02)
    path = tmp_path / "running.upload"
    path.write_bytes(b"x")
    os.utime(path, (0, 0))
    with jobs._Heartbeat(path) as heartbeat:
        deadline = time.time() + 5
        while path.stat().st_mtime == 0 and time.time() < deadline:
            time.sleep(0.01)
        assert path.stat().st_mtime > time.time() - 60
    assert not heartbeat.thread.is_alive()
    os.utime(path, (0, 0))
    time.sleep(0.1)
    assert path.stat().st_mtime == 0
