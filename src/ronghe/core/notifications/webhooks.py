"""Group-robot webhooks of WeCom (企业微信) and DingTalk (钉钉): their markdown payloads,
DingTalk's signed URLs, and one POST with the standard library.

WeCom:    POST {"msgtype": "markdown", "markdown": {"content": ...}}, content at most 4096 bytes.
DingTalk: POST {"msgtype": "markdown", "markdown": {"title": ..., "text": ...}}; a robot secured
          by signing (加签) wants `timestamp` (ms) and `sign` in the URL, where sign is the
          URL-encoded base64 of HMAC-SHA256(secret, f"{timestamp}\\n{secret}"), and the timestamp
          within an hour of DingTalk's clock.
Both answer HTTP 200 with {"errcode": 0, "errmsg": "ok"}; any other errcode is a failure."""
import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

WECOM = "wecom"
DINGTALK = "dingtalk"
WECOM_MAX_BYTES = 4096
DINGTALK_MAX_BYTES = 20000
TIMEOUT_SECONDS = 5
ANSWER_MAX_BYTES = 64 * 1024


class WebhookError(Exception):
    """The robot did not take the message: unreachable, an HTTP error, or a non-zero errcode."""


def _clip(text: str, max_bytes: int) -> str:
    encoded = text.encode()
    if len(encoded) <= max_bytes:
        return text
    return encoded[: max_bytes - 3].decode(errors="ignore") + "…"


def markdown(title: str, body: str, link: str = "", link_label: str = "", *, paragraph: str = "\n") -> str:
    """The message as markdown. DingTalk only breaks lines at a blank line, hence `paragraph`."""
    parts = [f"### {title}"]
    parts += [line for line in body.splitlines() if line.strip()]
    if link:
        parts.append(f"[{link_label or link}]({link})")
    return paragraph.join(parts)


def payload(kind: str, title: str, body: str, link: str = "", link_label: str = "") -> dict:
    if kind == WECOM:
        content = markdown(title, body, link, link_label)
        return {"msgtype": "markdown", "markdown": {"content": _clip(content, WECOM_MAX_BYTES)}}
    if kind == DINGTALK:
        text = markdown(title, body, link, link_label, paragraph="\n\n")
        return {"msgtype": "markdown", "markdown": {"title": title, "text": _clip(text, DINGTALK_MAX_BYTES)}}
    raise ValueError(f"unknown webhook kind {kind!r}")


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    string_to_sign = f"{timestamp_ms}\n{secret}"
    digest = hmac.new(secret.encode(), string_to_sign.encode(), hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    timestamp_ms = int(time.time() * 1000) if timestamp_ms is None else timestamp_ms
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{separator}timestamp={timestamp_ms}&sign={dingtalk_sign(secret, timestamp_ms)}"


def post(url: str, body: dict, timeout: float = TIMEOUT_SECONDS) -> dict:
    """POST `body` as JSON; the robot's answer, or WebhookError."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise WebhookError("only http and https webhook URLs are allowed")
    request = urllib.request.Request(
        url, data=json.dumps(body, ensure_ascii=False).encode(), method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": "Ronghe"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read(ANSWER_MAX_BYTES)
    except urllib.error.HTTPError as exc:
        raise WebhookError(f"HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise WebhookError(str(exc.reason)) from exc
    except (TimeoutError, OSError) as exc:
        raise WebhookError(str(exc) or type(exc).__name__) from exc
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as exc:
        raise WebhookError(f"not a JSON answer: {raw[:200]!r}") from exc
    if not isinstance(answer, dict):
        raise WebhookError(f"unexpected answer: {raw[:200]!r}")
    if answer.get("errcode", 0) != 0:
        raise WebhookError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")
    return answer


def send(kind: str, url: str, secret: str, title: str, body: str, link: str = "", link_label: str = "") -> dict:
    if kind == DINGTALK and secret:
        url = signed_url(url, secret)
    return post(url, payload(kind, title, body, link, link_label))
