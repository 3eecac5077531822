"""The Simplified Chinese catalog: complete, faithful to its placeholders, compiled, and in step
with the sources — so a string added without a translation fails here, by name."""
import ast
import gettext
import re
import shutil
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

import ronghe
from ronghe.accounts.models import Role
from ronghe.core.tabular.importer import RowError
from ronghe.org import services
from ronghe.org.models import PartyOrg, Person, Unit

PACKAGE = Path(ronghe.__file__).resolve().parent
MESSAGES = PACKAGE / "locale" / "zh_Hans" / "LC_MESSAGES"
PO = MESSAGES / "django.po"
MO = MESSAGES / "django.mo"

KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(".*")$')
# %(name)s, %s / %d, {name} — what Python fills in at run time — and a literal %%.
PLACEHOLDER = re.compile(r"%%|%\(\w+\)[-#0+]*\d*(?:\.\d+)?[a-zA-Z]|%[-#0+]*\d*(?:\.\d+)?[sdif]|\{\w*\}")
# "Division level (处级)": an English label carrying its Chinese name, which the Chinese UI shows alone.
ENGLISH_WITH_CHINESE = re.compile(r"^[A-Za-z][A-Za-z '-]*\([\u4e00-\u9fff /]+\)$")


def parse_po(text: str) -> list[dict]:
    """Entries of a .po file as dicts: msgctxt/msgid/msgid_plural/msgstr/msgstr[n] and `flags`."""
    entries = []
    for block in re.split(r"\n[ \t]*\n", text.strip()):
        entry, key = {"flags": set(), "obsolete": False}, None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry["obsolete"] = True
            elif line.startswith("#,"):
                entry["flags"].update(flag.strip() for flag in line[2:].split(","))
            elif line.startswith("#"):
                continue
            elif match := KEYWORD.match(line):
                key = match[1]
                entry[key] = ast.literal_eval(match[2])
            elif line.startswith('"') and key:
                entry[key] += ast.literal_eval(line)
        if "msgid" in entry and not entry["obsolete"]:
            entries.append(entry)
    return entries


def messages(entries):
    """Every entry but the header."""
    return [e for e in entries if e["msgid"]]


def key(entry):
    return entry.get("msgctxt"), entry["msgid"]


def translations(entry) -> list[str]:
    if "msgid_plural" in entry:
        return [v for k, v in entry.items() if k.startswith("msgstr[")]
    return [entry.get("msgstr", "")]


@pytest.fixture(scope="module")
def catalog():
    return parse_po(PO.read_text(encoding="utf-8"))


def test_the_header_declares_simplified_chinese_with_one_plural_form(catalog):
    header = catalog[0]
    assert header["msgid"] == "" and "fuzzy" not in header["flags"]
    assert "Language: zh_Hans\n" in header["msgstr"]
    assert "Plural-Forms: nplurals=1; plural=0;\n" in header["msgstr"]


def test_every_message_is_translated_and_none_is_fuzzy(catalog):
    untranslated = [e["msgid"] for e in messages(catalog) if not all(translations(e))]
    fuzzy = [e["msgid"] for e in messages(catalog) if "fuzzy" in e["flags"]]
    assert not untranslated, f"untranslated: {untranslated}"
    assert not fuzzy, f"fuzzy: {fuzzy}"


def test_plural_messages_have_exactly_one_chinese_form(catalog):
    wrong = [e["msgid"] for e in messages(catalog) if "msgid_plural" in e
             and sorted(k for k in e if k.startswith("msgstr")) != ["msgstr[0]"]]
    assert not wrong, f"plural entries need exactly msgstr[0]: {wrong}"


def test_every_placeholder_of_a_message_is_kept_and_none_is_added(catalog):
    wrong = []
    for entry in messages(catalog):
        expected = sorted(set(PLACEHOLDER.findall(entry["msgid"] + " " + entry.get("msgid_plural", ""))))
        for msgstr in translations(entry):
            if sorted(set(PLACEHOLDER.findall(msgstr))) != expected:
                wrong.append((entry["msgid"], msgstr))
    assert not wrong, "placeholders differ: " + "; ".join(f"{m!r} → {s!r}" for m, s in wrong)


def test_labels_carrying_their_chinese_name_show_only_the_chinese(catalog):
    wrong = [(e["msgid"], e["msgstr"]) for e in messages(catalog)
             if ENGLISH_WITH_CHINESE.match(e["msgid"]) and re.search(r"[A-Za-z]", e.get("msgstr", ""))]
    assert not wrong, f"English left in: {wrong}"


def test_the_compiled_catalog_matches_the_po_file(catalog):
    with MO.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)
    stale = []
    for entry in messages(catalog):
        msgid = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if "msgid_plural" in entry:
            got = compiled.ngettext(msgid, entry["msgid_plural"], 1)
        else:
            got = compiled.gettext(msgid)
        if got != translations(entry)[0]:
            stale.append(entry["msgid"])
    assert not stale, f"django.mo is older than django.po (run `make messages`): {stale}"


def test_the_catalog_holds_every_string_of_the_sources(catalog, tmp_path, monkeypatch):
    # makemessages over a copy of the package's translatable files, into a scratch locale
    # directory, so that neither the committed catalog nor the source tree is touched.
    def untranslatable(directory, names):
        return [n for n in names if n in ("locale", "__pycache__", "node_modules")
                or (Path(directory, n).is_file() and Path(n).suffix not in (".py", ".html", ".txt"))]

    source = tmp_path / "ronghe"
    shutil.copytree(PACKAGE, source, ignore=untranslatable)
    scratch = tmp_path / "locale"
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[str(scratch)]):
        call_command("makemessages", locale=["zh_Hans"], no_location=True, no_obsolete=True, verbosity=0)
    extracted = parse_po((scratch / "zh_Hans" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8"))

    committed = {key(e) for e in messages(catalog)}
    missing = [msgid if ctx is None else f"{ctx}|{msgid}" for ctx, msgid in map(key, messages(extracted))
               if (ctx, msgid) not in committed]
    assert extracted and not missing, (
        "strings in the sources but not in src/ronghe/locale/zh_Hans/LC_MESSAGES/django.po "
        "(run `make messages` and translate them): " + "; ".join(repr(m) for m in missing))


def test_choice_labels_come_out_in_chinese():
    with translation.override("zh-hans"):
        assert str(Unit.Level.DIVISION.label) == "处级"
        assert str(PartyOrg.Kind.COMMITTEE.label) == "党委"
        assert str(Person.PoliticalStatus.PROBATIONARY.label) == "中共预备党员"
        assert str(Role.VIEWER.label) == "查看人员"
    with translation.override("en"):
        assert str(Unit.Level.DIVISION.label) == "Division level (处级)"


def test_an_import_row_error_reads_in_chinese():
    error = RowError(row=7, column="单位编码", message="x")
    with translation.override("zh-hans"):
        assert str(error) == "第7行 [单位编码] x"
    with translation.override("en"):
        assert str(error) == "Row 7 [单位编码]: x"


def test_a_service_refusal_reads_in_chinese(personas, org):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as refused:
        services.node_abolish(actor=personas.superuser, node=org.plant)
    assert refused.value.messages == ["“采油一厂”仍有未撤销的下级组织，请先划转或撤销。"]
