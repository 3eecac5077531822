"""What every app's API router shares: the error shape, pagination, date parameters, look-ups
that answer 404 outside the caller's scope, and the translation of service errors to JSON."""
import datetime as dt

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.errors import HttpError
from pydantic import create_model

from ronghe.core import clock
from ronghe.core.scoping import scope_for

MAX_PAGE_SIZE = 500


class ApiError(HttpError):
    """An error answered as `{"code", "message", "details"?}` with the given HTTP status."""

    def __init__(self, status: int, code: str, message: str, details=None):
        super().__init__(status, message)
        self.code = code
        self.details = details


class ErrorOut(Schema):
    code: str = Field(..., description="Machine-readable error code: unauthorized, forbidden, not_found, invalid …")
    message: str = Field(..., description="Human-readable message in the user's language (错误说明).")
    details: dict[str, list[str]] | None = Field(
        None, description="Messages per field; `__all__` holds those about the request as a whole (字段错误).")


ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


def responses(ok: dict) -> dict:
    """An operation's documented responses: its own plus the common errors."""
    return {**ERRORS, **ok}


def named(operation_id: str) -> dict:
    """An operation's id in the OpenAPI schema, also its URL name (Ninja would otherwise name
    URLs after the view functions, which the two trees share)."""
    return {"operation_id": operation_id, "url_name": operation_id}


def invalid(field: str, message: str) -> ApiError:
    return ApiError(422, "invalid", message, {field: [message]})


def service_error_details(exc: DjangoValidationError) -> dict[str, list[str]]:
    """{field: [messages]} of a Django ValidationError, whatever shape it was raised in."""
    if hasattr(exc, "error_dict"):
        return {field: [str(m) for m in DjangoValidationError(errors).messages]
                for field, errors in exc.error_dict.items()}
    return {NON_FIELD_ERRORS: [str(m) for m in exc.messages]}


def request_error_details(errors: list[dict]) -> dict[str, list[str]]:
    """{field: [messages]} of Ninja's request validation errors. The location's first element
    says where the value came from (query, path, body); for a body it is followed by the name
    of the payload parameter, which means nothing to a client."""
    out: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        if loc and loc[0] == "body":
            loc = loc[2:] if len(loc) > 2 else loc[1:]
        elif loc:
            loc = loc[1:]
        out.setdefault(".".join(loc) or NON_FIELD_ERRORS, []).append(str(error.get("msg", "")))
    return out


def get_or_404(queryset: QuerySet, **lookup):
    """The one object matching `lookup` in an already scoped queryset; 404 when it is absent or
    out of scope, which answers alike so that nobody learns what lies outside their scope."""
    obj = queryset.filter(**lookup).first()
    if obj is None:
        raise Http404
    return obj


def person_in(queryset: QuerySet, employee_no: str | None, field: str):
    """The person of an already scoped queryset with this employee number (工号); a 422 naming
    `field` when there is none, which answers alike for absent and out of scope."""
    person = queryset.filter(employee_no=employee_no).first() if employee_no else None
    if person is None:
        raise invalid(field, _("No person with employee number “%(no)s” within your scope.") % {"no": employee_no or ""})
    return person


def people_in(queryset: QuerySet, numbers, field: str) -> list:
    """The people of an already scoped queryset with these employee numbers, each once, in the
    order given; a 422 naming `field` and the first number not found."""
    numbers = list(dict.fromkeys(numbers))
    found = {p.employee_no: p for p in queryset.filter(employee_no__in=numbers)}
    missing = [n for n in numbers if n not in found]
    if missing:
        raise invalid(field, _("No person with employee number “%(no)s” within your scope.") % {"no": missing[0]})
    return [found[n] for n in numbers]


def unit_in(queryset: QuerySet, code: str | None, field: str):
    """The unit of an already scoped queryset with this code; a 422 naming `field` otherwise."""
    unit = queryset.filter(code=code).first() if code else None
    if unit is None:
        raise invalid(field, _("No unit with code “%(code)s” within your scope.") % {"code": code or ""})
    return unit


def party_org_in(queryset: QuerySet, code: str | None, field: str):
    """The Party organisation of an already scoped queryset with this code; a 422 naming `field`
    otherwise."""
    org = queryset.filter(code=code).first() if code else None
    if org is None:
        raise invalid(field, _("No Party organisation with code “%(code)s” within your scope.") % {"code": code or ""})
    return org


def require_any(user, action: str) -> None:
    """Refuse with 403 a user who may not perform `action` anywhere: a company-wide viewer, say,
    learns nothing about an object by being told they may not change things at all."""
    if scope_for(user, action).empty:
        raise ApiError(403, "forbidden", _("You do not have permission to do this."))


def parse_date(value: str | None, field: str) -> dt.date | None:
    """A YYYY-MM-DD query parameter; a malformed one is a 422 naming the parameter."""
    try:
        return clock.parse_as_of(value)
    except clock.BadDate as exc:
        raise invalid(field, str(exc)) from exc


AS_OF_DESCRIPTION = ("Show the state on this date (YYYY-MM-DD): names and parents as they were then; "
                     "nodes established later are absent. 历史时点。")


class PageQuery(Schema):
    page: int = Field(1, ge=1, description="Page number, from 1 (页码).")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description=f"Rows per page, at most {MAX_PAGE_SIZE} (每页条数).")


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """The envelope of one page of `item` rows."""
    return create_model(
        name,
        __base__=Schema,
        __doc__=f"One page of {item.__name__} rows.",
        count=(int, Field(..., description="Rows matching the filters, on all pages (总数).")),
        page=(int, Field(..., description="This page's number.")),
        page_size=(int, Field(..., description="Rows per page.")),
        items=(list[item], Field(..., description="The rows of this page.")),
    )


def paginate(rows, page: PageQuery, build=None) -> dict:
    """One page of a queryset or list; `build` turns the page's rows (a list) into output rows,
    so that whatever it fetches for them costs the same whatever the total."""
    start = (page.page - 1) * page.page_size
    if isinstance(rows, QuerySet):
        count = rows.count()
        chunk = list(rows[start:start + page.page_size]) if start < count else []
    else:
        count = len(rows)
        chunk = list(rows[start:start + page.page_size])
    return {"count": count, "page": page.page, "page_size": page.page_size,
            "items": build(chunk) if build else chunk}
