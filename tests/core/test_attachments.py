"""The shared attachment helpers, on a module's concrete attachment (a production problem's)."""
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from ronghe.core import attachments
from ronghe.vanguard.models import ProblemAttachment
from tests import factories as f
from tests.vanguard import factories as vf


@pytest.fixture
def problem(org, settings, tmp_path):
    settings.RONGHE_TODAY = "2026-11-25"
    settings.MEDIA_ROOT = tmp_path
    return vf.problem(org.team, org.worker)


def test_an_upload_is_stored_with_its_name_size_and_hash(problem, tmp_path):
    row = ProblemAttachment(problem=problem, uploaded_by=f.system_user())
    facts = attachments.store(row, SimpleUploadedFile("dir/现场.txt", b"photo bytes"))
    assert facts == {"file": "现场.txt", "size": 11, "sha256": hashlib.sha256(b"photo bytes").hexdigest()}
    row.refresh_from_db()
    assert (row.name, row.size) == ("现场.txt", 11)
    assert (tmp_path / row.file.name).read_bytes() == b"photo bytes"
    named = ProblemAttachment(problem=problem)
    assert attachments.store(named, SimpleUploadedFile("x.bin", b"x"), "方案.pdf")["file"] == "方案.pdf"


def test_a_file_over_the_limit_is_refused_by_the_form_check_and_the_store(problem, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_BYTES", 2**20)
    big = SimpleUploadedFile("big.bin", b"x" * (2**20 + 1))
    with pytest.raises(ValidationError, match="1 MB"):
        attachments.check_upload(big)
    with pytest.raises(ValidationError) as caught:
        attachments.store(ProblemAttachment(problem=problem), big)
    assert list(caught.value.message_dict) == ["file"]
    assert not ProblemAttachment.objects.exists()
    attachments.check_upload(SimpleUploadedFile("fits.bin", b"x" * 2**20))


def test_the_file_goes_from_storage_only_when_the_deletion_commits(problem, tmp_path,
                                                                    django_capture_on_commit_callbacks):
    row = ProblemAttachment(problem=problem)
    attachments.store(row, SimpleUploadedFile("a.txt", b"abc"))
    path = tmp_path / row.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        attachments.delete_with_file(row)
    assert not ProblemAttachment.objects.exists() and path.exists()
    for callback in callbacks:
        callback()
    assert not path.exists()


def test_a_file_is_served_as_a_download_or_inline_and_a_lost_one_answers_404(problem, tmp_path):
    row = ProblemAttachment(problem=problem)
    attachments.store(row, SimpleUploadedFile("a.txt", b"abc"))
    download = attachments.serve(row.file, "说明.txt")
    assert download["Content-Disposition"].startswith("attachment;") and b"".join(download) == b"abc"
    assert attachments.serve(row.file)["Content-Disposition"].startswith("inline;")
    (tmp_path / row.file.name).unlink()
    with pytest.raises(Http404):
        attachments.serve(ProblemAttachment.objects.get(pk=row.pk).file, "说明.txt")
