"""Per-request values that services read without threading them through every call."""
import contextvars

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
