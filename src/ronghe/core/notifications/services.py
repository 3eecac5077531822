"""Sending notifications, and managing the webhook channels of units.

`notify` is the one entry point for every module (task reminders, coordination answers,
meeting notices, 三会一课 reminders). It writes inbox rows and Delivery rows in the caller's
transaction and sends email and webhook posts only after that transaction commits, so a
rolled-back business write never leaves a message behind. Each Delivery's key — rule, object,
recipient or channel, day — is unique in the database: a second call for the same key sends
nothing, even when two runs race. Sending failures are recorded on the Delivery and retried
by `retry_deliveries`; they never reach the caller."""
import datetime as dt
import logging
import urllib.parse
from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ronghe.core import audit
from ronghe.core.errors import OutOfScope
from ronghe.core.models import Delivery, Notification, WebhookChannel
from ronghe.core.notifications import webhooks
from ronghe.core.notifications.categories import CATEGORIES
from ronghe.core.scoping import CHANGE, allows
from ronghe.org.models import Person

log = logging.getLogger("ronghe.notifications")

MAX_ATTEMPTS = 5
# A delivery still pending or sending this long after its last try lost its sender (the process
# stopped between commit and send); the retry job picks it up.
STALE_AFTER = dt.timedelta(minutes=10)
RULE_MAX_LENGTH = 64
TITLE_MAX_LENGTH = 200


# --- what is sent ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Recipient:
    key: str  # "u<user id>" for a login, "p<person id>" for a person without one
    user: object | None
    person: Person | None
    name: str
    address: str
    language: str


@dataclass(frozen=True)
class Message:
    medium: str
    key: str
    title: str
    body: str
    link: str
    recipient: object | None = None
    person: Person | None = None
    address: str = ""
    channel: WebhookChannel | None = None


@dataclass
class NotifyResult:
    """What `notify` sent (or, with dry_run, would send), and what it skipped because it had
    already gone for the same key."""

    messages: list[Message] = field(default_factory=list)
    skipped: list[Message] = field(default_factory=list)
    dry_run: bool = False

    def _of(self, medium):
        return [m for m in self.messages if m.medium == medium]

    @property
    def inbox(self):
        return self._of(Delivery.Medium.INBOX)

    @property
    def emails(self):
        return self._of(Delivery.Medium.EMAIL)

    @property
    def webhooks(self):
        return self._of(Delivery.Medium.WEBHOOK)


def delivery_key(*, rule, object_type, object_id, target, day) -> str:
    return f"{rule}|{object_type}:{object_id}|{target}|{day.isoformat()}"


def absolute_url(link: str) -> str:
    """A link that works outside the browser session (mail, group chats): absolute, or empty
    when it cannot be made so because RONGHE_BASE_URL is not set."""
    if not link:
        return ""
    if urllib.parse.urlsplit(link).scheme in ("http", "https"):
        return link
    base = settings.RONGHE_BASE_URL
    return f"{base.rstrip('/')}/{link.lstrip('/')}" if base else ""


def _in_language(language, value) -> str:
    """Lazy text (gettext_lazy, format_lazy) read in the recipient's language; plain text as is."""
    with translation.override(language):
        return str(value)


def _recipients(recipients) -> list[Recipient]:
    """Users and people as the humans they stand for: a person's login, a login's person, each
    once, inactive ones left out. Two queries whatever the number."""
    User = get_user_model()
    users, people = [], []
    for r in recipients:
        if isinstance(r, User):
            users.append(r)
        elif isinstance(r, Person):
            people.append(r)
        else:
            raise TypeError(f"a recipient must be a user or a person, not {type(r).__name__}")
    logins = ({u.person_id: u for u in User.objects.filter(person__in=[p.pk for p in people], is_active=True)}
              if people else {})
    person_ids = {u.person_id for u in users if u.person_id}
    persons_of_users = Person.objects.in_bulk(person_ids) if person_ids else {}

    out, seen = [], set()

    def add(user, person):
        key = f"u{user.pk}" if user is not None else f"p{person.pk}"
        if key in seen:
            return
        seen.add(key)
        address = (user.email if user is not None else "") or (person.email if person is not None else "")
        out.append(Recipient(key=key, user=user, person=person, name=person.name if person else str(user),
                             address=address,
                             language=(user.language if user is not None else "") or settings.LANGUAGE_CODE))

    for user in users:
        if user.is_active:
            add(user, persons_of_users.get(user.person_id))
    for person in people:
        if person.is_active:
            add(logins.get(person.pk), person)
    return out


def _channels(units, category) -> list[WebhookChannel]:
    unit_ids = {getattr(u, "pk", u) for u in units}
    if not unit_ids:
        return []
    channels = WebhookChannel.objects.filter(unit_id__in=unit_ids, enabled=True).order_by("pk")
    return [c for c in channels if c.receives(category)]


def _plan(*, rule, object_type, object_id, day, people, title, body, link, category, units, email):
    def key(target):
        return delivery_key(rule=rule, object_type=object_type, object_id=object_id, target=target, day=day)

    planned = []
    for r in people:
        r_title = _in_language(r.language, title)[:TITLE_MAX_LENGTH]
        r_body = _in_language(r.language, body)
        if r.user is not None:
            planned.append(Message(Delivery.Medium.INBOX, key(f"inbox:u{r.user.pk}"), r_title, r_body, link,
                                   recipient=r.user, person=r.person))
        if email and r.address:
            planned.append(Message(Delivery.Medium.EMAIL, key(f"email:{r.key}"), r_title, r_body, link,
                                   recipient=r.user, person=r.person, address=r.address))
    channels = _channels(units, category)
    if channels:
        # A group reads the organisation's language, and sees whom the notice is for.
        with translation.override(settings.LANGUAGE_CODE):
            group_title = str(title)[:TITLE_MAX_LENGTH]
            group_body = str(body)
            if people:
                names = "、".join(r.name for r in people)
                group_body = "\n".join(x for x in (group_body, _("For: %(names)s") % {"names": names}) if x)
        for channel in channels:
            planned.append(Message(Delivery.Medium.WEBHOOK, key(f"webhook:c{channel.pk}"), group_title, group_body,
                                   link, channel=channel))
    return planned


def notify(*, rule, obj, day, recipients, title, body, link="", category, units_for_webhooks=(), email=True,
           dry_run=False) -> NotifyResult:
    """Send a message to `recipients` (users and people) through their inbox and email, and to
    the enabled webhook channels of `units_for_webhooks` that receive `category`.

    `rule` names what sends it ("tasks.overdue"), `obj` what it is about (a model instance or
    None), `day` the business day it is for: the same rule, object, recipient or channel and day
    is sent once. `title` and `body` may be lazy translations; each recipient reads them in
    their own language, groups in the organisation's. A person without a login gets email only.
    With `dry_run`, nothing is written or sent: the result lists what would go."""
    if not rule or len(rule) > RULE_MAX_LENGTH or "|" in rule:
        raise ValueError(f"a rule is a name of 1 to {RULE_MAX_LENGTH} characters without “|”: {rule!r}")
    if category not in CATEGORIES:
        raise ValueError(f"unknown notification category {category!r}")
    object_type, object_id = (obj._meta.label_lower, str(obj.pk)) if obj is not None else ("", "")
    people = _recipients(recipients)
    planned = _plan(rule=rule, object_type=object_type, object_id=object_id, day=day, people=people, title=title,
                    body=body, link=link, category=category, units=units_for_webhooks, email=email)
    done = set(Delivery.objects.filter(key__in=[m.key for m in planned]).values_list("key", flat=True))
    fresh = [m for m in planned if m.key not in done]
    result = NotifyResult(skipped=[m for m in planned if m.key in done], dry_run=dry_run)
    if dry_run:
        result.messages = fresh
        return result
    if not fresh:
        return result

    common = {"rule": rule, "object_type": object_type, "object_id": object_id, "day": day, "category": category}
    outbound = []
    with transaction.atomic():
        for message in fresh:
            delivery = _claim(message, common)
            if delivery is None:
                result.skipped.append(message)
                continue
            result.messages.append(message)
            if delivery.status == Delivery.Status.PENDING:
                outbound.append(delivery.pk)
        if outbound:
            transaction.on_commit(partial(send_deliveries, outbound), robust=True)
    return result


def _claim(message, common) -> Delivery | None:
    """Write the message's Delivery (and inbox row), or None when its key is already taken —
    by an earlier run or by one committing right now."""
    inbox = message.medium == Delivery.Medium.INBOX
    try:
        with transaction.atomic():
            notification = None
            if inbox:
                notification = Notification.objects.create(
                    recipient=message.recipient, category=common["category"], title=message.title,
                    body=message.body, link=message.link)
            return Delivery.objects.create(
                key=message.key, medium=message.medium, recipient=message.recipient, person=message.person,
                channel=message.channel, notification=notification, address=message.address,
                title="" if inbox else message.title, body="" if inbox else message.body,
                link="" if inbox else message.link,
                status=Delivery.Status.SENT if inbox else Delivery.Status.PENDING,
                sent_at=timezone.now() if inbox else None, **common)
    except IntegrityError:
        if not Delivery.objects.filter(key=message.key).exists():
            raise
        return None


# --- sending ---------------------------------------------------------------------------------------

def _send_email(delivery):
    body = delivery.body
    url = absolute_url(delivery.link)
    if url:
        body = f"{body}\n\n{url}" if body else url
    send_mail(subject=" ".join(delivery.title.split()), message=body, from_email=None,
              recipient_list=[delivery.address], fail_silently=False)


def _send_webhook(delivery):
    channel = delivery.channel
    with translation.override(settings.LANGUAGE_CODE):
        label = _("Open in Ronghe")
    webhooks.send(channel.kind, channel.url, channel.secret, delivery.title, delivery.body,
                  absolute_url(delivery.link), label)


def _attempt(delivery) -> bool | None:
    """One try at an email or webhook delivery: True sent, False failed (recorded), None when
    another sender holds it."""
    claimed = Delivery.objects.filter(pk=delivery.pk, status=delivery.status, attempts=delivery.attempts).update(
        status=Delivery.Status.SENDING, attempts=F("attempts") + 1, last_attempt_at=timezone.now())
    if not claimed:
        return None
    try:
        if delivery.medium == Delivery.Medium.EMAIL:
            _send_email(delivery)
        else:
            _send_webhook(delivery)
    except Exception as exc:  # a broken mail server or robot must never reach the business write: record it
        log.warning("delivery %s failed: %s", delivery.key, exc)
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.FAILED,
                                                       error=f"{type(exc).__name__}: {exc}"[:2000])
        return False
    Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SENT, sent_at=timezone.now(), error="")
    return True


@dataclass
class SendResult:
    sent: int = 0
    failed: int = 0
    busy: int = 0

    def add(self, outcome):
        if outcome is True:
            self.sent += 1
        elif outcome is False:
            self.failed += 1
        else:
            self.busy += 1


def send_deliveries(ids) -> SendResult:
    """Send the pending email and webhook deliveries `ids` (run after the commit that made them)."""
    result = SendResult()
    for delivery in Delivery.objects.filter(pk__in=ids).select_related("channel").order_by("pk"):
        result.add(_attempt(delivery))
    return result


def due_for_retry(now=None):
    """Deliveries to try again: failed ones with attempts left, and pending or sending ones
    whose sender went away; never those of a channel disabled since."""
    stale = (now or timezone.now()) - STALE_AFTER
    lost = Q(status__in=[Delivery.Status.PENDING, Delivery.Status.SENDING]) & (
        Q(last_attempt_at__lt=stale) | Q(last_attempt_at__isnull=True, created_at__lt=stale))
    return (Delivery.objects.exclude(medium=Delivery.Medium.INBOX)
            .filter(Q(status=Delivery.Status.FAILED) | lost, attempts__lt=MAX_ATTEMPTS)
            .exclude(channel__enabled=False)
            .select_related("channel").order_by("created_at", "pk"))


def retry_deliveries(*, now=None, limit=500) -> SendResult:
    result = SendResult()
    for delivery in due_for_retry(now)[:limit]:
        result.add(_attempt(delivery))
    return result


# --- the inbox -------------------------------------------------------------------------------------
# Reading one's inbox is personal bookkeeping, not a change of business data: it is not audited.

def notification_mark_read(*, actor, notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise OutOfScope()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, actor) -> int:
    return Notification.objects.restrict(actor).unread().update(read_at=timezone.now())


# --- webhook channels ------------------------------------------------------------------------------

CHANNEL_FIELDS = ["unit", "kind", "name", "enabled", "categories"]
CHANNEL_UPDATABLE = {"kind", "name", "url", "secret", "enabled", "categories"}


def masked_url(url: str) -> str:
    """The URL with the values of its query (a robot's access token) cut short, for lists and
    the audit trail."""
    parts = urllib.parse.urlsplit(url)
    query = "&".join(f"{k}={v[:4]}…" if v else k
                     for k, v in urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, query, ""))


def _channel_state(channel) -> dict:
    return {**audit.snapshot(channel, CHANNEL_FIELDS), "url": masked_url(channel.url), "secret": bool(channel.secret)}


def _require(actor, action, obj):
    if not allows(actor, action, obj):
        raise OutOfScope()


def _validate_channel(channel):
    channel.url = channel.url.strip()
    channel.secret = channel.secret.strip()
    channel.name = channel.name.strip()
    channel.categories = sorted(set(channel.categories or []))
    channel.full_clean()
    errors = {}
    if urllib.parse.urlsplit(channel.url).scheme not in ("http", "https"):
        errors["url"] = _("A webhook URL starts with http:// or https://.")
    if channel.secret and channel.kind != WebhookChannel.Kind.DINGTALK:
        errors["secret"] = _("Only DingTalk robots sign their messages; leave the secret empty.")
    unknown = [c for c in channel.categories if c not in CATEGORIES]
    if unknown:
        errors["categories"] = _("Unknown categories: %(codes)s") % {"codes": ", ".join(unknown)}
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def webhook_channel_create(*, actor, unit, kind, name, url, secret="", enabled=True, categories=()) -> WebhookChannel:
    if not allows(actor, CHANGE, unit):
        raise ValidationError({"unit": _("No such unit within your scope.")})
    if unit.abolished_on:
        raise ValidationError({"unit": _("“%(name)s” is abolished.") % {"name": unit.name}})
    channel = WebhookChannel(unit=unit, kind=kind, name=name, url=url, secret=secret, enabled=enabled,
                             categories=list(categories))
    _validate_channel(channel)
    channel.save()
    audit.record(actor=actor, action="webhook_channel.create", obj=channel, after=_channel_state(channel),
                 unit=unit)
    _require(actor, CHANGE, channel)
    return channel


@transaction.atomic
def webhook_channel_update(*, actor, channel, **changes) -> WebhookChannel:
    """Change a channel's kind, name, URL, signing secret, categories or whether it is enabled."""
    unknown = set(changes) - CHANNEL_UPDATABLE
    if unknown:
        raise TypeError(f"webhook_channel_update() cannot change {', '.join(sorted(unknown))}")
    _require(actor, CHANGE, channel)
    before, old_secret, old_url = _channel_state(channel), channel.secret, channel.url
    for name, value in changes.items():
        setattr(channel, name, list(value) if name == "categories" else value)
    _validate_channel(channel)
    channel.save(update_fields=list(changes))
    after = _channel_state(channel)
    notes = []
    if channel.url != old_url:
        notes.append(_("webhook URL changed"))
    if channel.secret != old_secret:
        notes.append(_("signing secret changed"))
    if before != after or notes:
        audit.record(actor=actor, action="webhook_channel.update", obj=channel, before=before, after=after,
                     message="; ".join(notes), unit=channel.unit)
    return channel


def webhook_channel_test(*, actor, channel) -> str:
    """Post a test message to the channel now; the robot's complaint, or "" when it took it."""
    _require(actor, CHANGE, channel)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Test message from Ronghe (融合)")
        body = _("The channel “%(name)s” of %(unit)s can receive notifications.") % {
            "name": channel.name, "unit": channel.unit.name}
        label = _("Open in Ronghe")
    try:
        webhooks.send(channel.kind, channel.url, channel.secret, title, body, absolute_url(reverse("inbox_list")), label)
        error = ""
    except webhooks.WebhookError as exc:
        error = str(exc)
    audit.record(actor=actor, action="webhook_channel.test", obj=channel, unit=channel.unit,
                 message=error or _("The test message was sent."))
    return error
