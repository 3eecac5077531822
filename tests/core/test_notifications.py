"""notify(): inbox and email to people, once per rule, object, recipient and day; nothing sent
for a write that rolls back; lazy text in each reader's language; dry runs write nothing."""
import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils.translation import gettext_lazy

from ronghe.core.models import Delivery, Notification
from ronghe.core.notifications import services
from ronghe.core.notifications.categories import TASKS
from tests import factories as f

D = dt.date(2026, 3, 2)


@pytest.fixture(autouse=True)
def _mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.RONGHE_BASE_URL = "https://ronghe.example.cn"


@pytest.fixture
def people(org):
    leader = f.person(org.plant, name="赵厂长", email="zhao@example.cn")
    user = f.user("zhao", person_=leader)
    owner = f.person(org.area, name="钱责任人", email="qian@example.cn")  # no login
    plain = f.user("sun", email="sun@example.cn")  # a login without a person
    return leader, user, owner, plain


def send(recipients, *, day=D, obj=None, rule="tasks.overdue", **kwargs):
    values = {"title": "任务已超期", "body": "请尽快办理。", "link": "/tasks/7/", "category": TASKS}
    return services.notify(rule=rule, obj=obj, day=day, recipients=recipients, **{**values, **kwargs})


def test_it_puts_a_message_in_the_inbox_and_mails_it(people, org, django_capture_on_commit_callbacks):
    leader, user, _owner, _plain = people
    with django_capture_on_commit_callbacks(execute=True):
        result = send([user], obj=org.plant)
    note = Notification.objects.get()
    assert (note.recipient, note.title, note.body, note.link, note.category, note.read_at) == (
        user, "任务已超期", "请尽快办理。", "/tasks/7/", TASKS, None)
    assert [m.medium for m in result.messages] == ["inbox", "email"]
    [message] = mail.outbox
    assert message.to == ["zhao@example.cn"]  # the login has no address: the person's is used
    assert message.subject == "任务已超期"
    assert message.body == "请尽快办理。\n\nhttps://ronghe.example.cn/tasks/7/"
    email = Delivery.objects.get(medium="email")
    assert (email.status, email.attempts, email.address) == ("sent", 1, "zhao@example.cn")
    assert email.key == f"tasks.overdue|org.unit:{org.plant.pk}|email:u{user.pk}|2026-03-02"


def test_the_same_reminder_never_goes_twice_on_the_same_day(people, org, django_capture_on_commit_callbacks):
    _leader, user, owner, _plain = people
    with django_capture_on_commit_callbacks(execute=True):
        first = send([user, owner], obj=org.plant)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = send([user, owner], obj=org.plant)
    assert len(first.messages) == 3 and again.messages == [] and len(again.skipped) == 3
    assert callbacks == []
    assert Notification.objects.count() == 1 and len(mail.outbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        next_day = send([user, owner], obj=org.plant, day=D + dt.timedelta(days=1))
    assert len(next_day.messages) == 3
    assert Notification.objects.count() == 2 and len(mail.outbox) == 4


def test_another_rule_or_object_is_another_reminder(people, org, django_capture_on_commit_callbacks):
    _leader, user, _owner, _plain = people
    with django_capture_on_commit_callbacks(execute=True):
        send([user], obj=org.plant, email=False)
        send([user], obj=org.area, email=False)
        send([user], obj=org.plant, rule="tasks.due_soon", email=False)
        send([user], obj=None, rule="tasks.digest", email=False)
        send([user], obj=None, rule="tasks.digest", email=False)
    assert Notification.objects.count() == 4
    assert mail.outbox == []


def test_a_write_that_rolls_back_sends_nothing(people, django_capture_on_commit_callbacks):
    _leader, user, _owner, _plain = people
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        with transaction.atomic():
            send([user])
            raise RuntimeError("the business write failed")
    assert Notification.objects.count() == 0 and Delivery.objects.count() == 0 and mail.outbox == []


def test_email_waits_for_the_callers_commit(people, django_capture_on_commit_callbacks):
    _leader, user, _owner, _plain = people
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():
            send([user])
            assert mail.outbox == [] and Delivery.objects.get(medium="email").status == "pending"
    assert len(callbacks) == 1 and mail.outbox == []
    callbacks[0]()
    assert len(mail.outbox) == 1 and Delivery.objects.get(medium="email").status == "sent"


def test_a_person_and_their_login_are_one_recipient(people, django_capture_on_commit_callbacks):
    leader, user, _owner, _plain = people
    with django_capture_on_commit_callbacks(execute=True):
        result = send([leader, user])
    assert Notification.objects.filter(recipient=user).count() == 1 and len(mail.outbox) == 1
    assert len(result.inbox) == 1 and len(result.emails) == 1


def test_a_person_without_a_login_gets_email_only(people, django_capture_on_commit_callbacks):
    _leader, _user, owner, _plain = people
    with django_capture_on_commit_callbacks(execute=True):
        result = send([owner])
    assert result.inbox == [] and Notification.objects.count() == 0
    assert [m.to for m in mail.outbox] == [["qian@example.cn"]]
    assert Delivery.objects.get().key.endswith(f"|email:p{owner.pk}|2026-03-02")


def test_a_login_without_a_person_uses_its_own_address(people, django_capture_on_commit_callbacks):
    _leader, _user, _owner, plain = people
    with django_capture_on_commit_callbacks(execute=True):
        send([plain])
    assert [m.to for m in mail.outbox] == [["sun@example.cn"]]


def test_inactive_people_and_logins_are_left_out(people, org, django_capture_on_commit_callbacks):
    leader, user, owner, plain = people
    plain.is_active = False
    plain.save(update_fields=["is_active"])
    owner.is_active = False
    owner.save(update_fields=["is_active"])
    with django_capture_on_commit_callbacks(execute=True):
        result = send([plain, owner])
    assert result.messages == [] and mail.outbox == []


def test_email_can_be_left_out(people, django_capture_on_commit_callbacks):
    _leader, user, owner, _plain = people
    with django_capture_on_commit_callbacks(execute=True):
        result = send([user, owner], email=False)
    assert len(result.inbox) == 1 and result.emails == [] and mail.outbox == []


def test_a_relative_link_is_left_out_of_mail_when_the_site_address_is_unknown(people, settings,
                                                                               django_capture_on_commit_callbacks):
    settings.RONGHE_BASE_URL = ""
    _leader, user, _owner, _plain = people
    with django_capture_on_commit_callbacks(execute=True):
        send([user])
    assert mail.outbox[0].body == "请尽快办理。"


def test_each_recipient_reads_lazy_text_in_their_own_language(people, org, django_capture_on_commit_callbacks):
    _leader, user, _owner, plain = people
    plain.language = "en"
    plain.save(update_fields=["language"])
    with django_capture_on_commit_callbacks(execute=True):
        send([user, plain], title=gettext_lazy("Units"), body=gettext_lazy("Home"), email=False)
    titles = dict(Notification.objects.values_list("recipient__username", "title"))
    assert titles == {"zhao": "单位", "sun": "Units"}
    assert Notification.objects.get(recipient=plain).body == "Home"


def test_a_dry_run_writes_and_sends_nothing_but_says_what_would_go(people, org, django_capture_on_commit_callbacks):
    _leader, user, owner, _plain = people
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = send([user, owner], obj=org.plant, dry_run=True)
    assert result.dry_run and callbacks == []
    assert sorted(m.medium for m in result.messages) == ["email", "email", "inbox"]
    assert {m.address for m in result.emails} == {"zhao@example.cn", "qian@example.cn"}
    assert Notification.objects.count() == 0 and Delivery.objects.count() == 0 and mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        send([user], obj=org.plant)
    later = send([user, owner], obj=org.plant, dry_run=True)
    assert [m.address for m in later.messages] == ["qian@example.cn"] and len(later.skipped) == 2


def test_a_run_that_loses_the_race_for_a_key_sends_nothing(people, org, monkeypatch,
                                                          django_capture_on_commit_callbacks):
    """Another run takes the key between this run's look-up and its insert: the unique key,
    not the look-up, stops the second message."""
    _leader, user, _owner, _plain = people
    claim = services._claim

    def other_run_first(message, common):
        Delivery.objects.create(key=message.key, medium=message.medium, status="sent", **common)
        return claim(message, common)

    monkeypatch.setattr(services, "_claim", other_run_first)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = send([user], obj=org.plant)
    assert result.messages == [] and len(result.skipped) == 2
    assert Notification.objects.count() == 0 and mail.outbox == [] and callbacks == []


# The test run's in-memory SQLite fails a second writer at once ("table is locked") instead of
# making it wait as the file database does, so only PostgreSQL shows the real race; on SQLite
# the sequential race above covers the same key.
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_the_same_time_send_once(people, org):
    """Two scheduler processes remind the same people at the same moment."""
    _leader, user, owner, _plain = people
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            with transaction.atomic():
                results.append(send([user, owner], obj=org.plant))
        except Exception as exc:  # reported below, with the thread's own traceback lost otherwise
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert errors == []
    assert sorted(len(r.messages) for r in results) == [0, 3]
    assert Notification.objects.count() == 1 and Delivery.objects.count() == 3
    assert len(mail.outbox) == 2


def test_it_refuses_unknown_categories_and_bad_rules(people):
    _leader, user, _owner, _plain = people
    with pytest.raises(ValueError):
        send([user], category="gossip")
    with pytest.raises(ValueError):
        send([user], rule="a|b")
    with pytest.raises(ValueError):
        send([user], rule="x" * 65)
    with pytest.raises(TypeError):
        send(["someone"])
