"""Writes about users: login throttling, API tokens, role assignments."""
import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ronghe.accounts.models import ApiToken, LoginFailure
from ronghe.core import audit


def login_is_locked(*, username: str, address: str) -> bool:
    since = timezone.now() - dt.timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    failures = LoginFailure.objects.filter(username=username.lower(), address=address, at__gte=since).count()
    return failures >= settings.LOGIN_MAX_FAILURES


def login_failed(*, username: str, address: str) -> None:
    LoginFailure.objects.create(username=username.lower(), address=address)


def login_succeeded(*, username: str, address: str) -> None:
    LoginFailure.objects.filter(username=username.lower(), address=address).delete()


@transaction.atomic
def api_token_create(*, actor, user, name="", expires_at=None) -> tuple[ApiToken, str]:
    """Create a token for `user`; returns the row and the only copy of the plain key."""
    key = ApiToken.new_key()
    token = ApiToken.objects.create(user=user, name=name, key_hash=ApiToken.hash(key), hint=key[:8],
                                    expires_at=expires_at)
    audit.record(actor=actor, action="api_token.create", obj=token, after={"user": user.username, "name": name})
    return token, key


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="api_token.revoke", obj=token)


def api_token_authenticate(key: str):
    """The active user owning `key`, or None."""
    if not key or not key.startswith(ApiToken.PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(key), revoked_at=None).first()
    if token is None or not token.user.is_active:
        return None
    now = timezone.now()
    if token.expires_at and token.expires_at <= now:
        return None
    if not token.last_used_at or now - token.last_used_at > dt.timedelta(minutes=5):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
