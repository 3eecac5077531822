"""The import pages, driven through the web client with real files."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ronghe.org.models import Unit
from tests.data import files
from tests.data.import_support import UNIT_HEADER, import_env, nothing_written  # noqa: F401


@pytest.fixture(autouse=True)
def media_and_english(settings, tmp_path, client):
    settings.MEDIA_ROOT = tmp_path / "media"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def upload(client, kind, path, **extra):
    with open(path, "rb") as fh:
        content = fh.read()
    return client.post(reverse("import_upload", args=[kind]),
                       {"file": SimpleUploadedFile(path.name, content), **extra})


def test_the_upload_page_shows_the_form_and_the_template_link(client, personas):
    client.force_login(personas.plant_admin)
    page = client.get(reverse("import_upload", args=["units"]))
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("import_template", args=["units"]) in html and "单位编码" in html and 'type="file"' in html
    template = client.get(reverse("import_template", args=["units"]))
    assert template.status_code == 200 and template["Content-Type"].startswith("application/vnd.openxmlformats")
    rows, workbook = files.read_xlsx(template.content)
    assert rows[0][0] == "单位编码*" and workbook["单位"].data_validations.dataValidation


def test_a_good_file_is_imported_and_the_counts_shown(client, personas, tmp_path):
    client.force_login(personas.plant_admin)
    path = files.xlsx(tmp_path / "u.xlsx", [UNIT_HEADER, ["CY1-A2", "作业二区", "CY1", "科级"]])
    page = upload(client, "units", path)
    assert page.status_code == 200
    assert "1 row: 1 created, 0 updated, 0 unchanged." in page.content.decode()
    assert Unit.objects.filter(code="CY1-A2", parent__code="CY1").exists()


def test_validate_only_writes_nothing(client, personas, tmp_path):
    client.force_login(personas.plant_admin)
    path = files.xlsx(tmp_path / "u.xlsx", [UNIT_HEADER, ["CY1-A2", "作业二区", "CY1", "科级"]])
    with nothing_written():
        page = upload(client, "units", path, dry_run="on")
    assert "nothing was written" in page.content.decode()


def test_errors_are_listed_and_the_users_file_comes_back_with_an_error_column(client, personas, tmp_path):
    client.force_login(personas.plant_admin)
    path = files.csv_file(tmp_path / "u.csv", [UNIT_HEADER, ["CY1-A2", "作业二区", "CY2", "科级"],
                                               ["CY1-A3", "作业三区", "CY1", "厅级"]], "gbk")
    with nothing_written():
        page = upload(client, "units", path)
    html = page.content.decode()
    assert "2 errors: nothing was written." in html
    assert "Unknown unit code “CY2”." in html and "“厅级” is not one of" in html
    token = page.context["error_token"]
    download = client.get(reverse("import_error_file", args=[token]))
    assert download.status_code == 200
    rows, _ = files.read_xlsx(b"".join(download.streaming_content))
    assert rows[0][-1] == "错误/Errors" and rows[1][-1] == "[上级单位编码] Unknown unit code “CY2”."
    client.force_login(personas.superuser)
    assert client.get(reverse("import_error_file", args=[token])).status_code == 404


def test_users_without_import_anywhere_get_404(client, personas):
    for user in (personas.viewer, personas.secretary, personas.outsider):
        client.force_login(user)
        for url in (reverse("import_index"), reverse("import_upload", args=["units"]),
                    reverse("import_template", args=["people"])):
            assert client.get(url).status_code == 404, (user, url)


def test_an_unknown_kind_is_404(client, personas):
    client.force_login(personas.superuser)
    assert client.get(reverse("import_upload", args=["nothing"])).status_code == 404
    assert client.get(reverse("import_index")).status_code == 200


def test_anonymous_users_are_sent_to_log_in(client):
    response = client.get(reverse("import_upload", args=["units"]))
    assert response.status_code == 302 and "login" in response["Location"]
