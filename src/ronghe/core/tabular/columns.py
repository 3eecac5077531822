"""Columns of a spreadsheet: how a header is recognised, how a raw cell becomes a value, and
how a value is written back so that an exported file re-imports unchanged."""
import datetime as dt
import decimal
import re
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

TEXT = "text"
INT = "int"
DECIMAL = "decimal"
BOOL = "bool"
DATE = "date"
CHOICE = "choice"
TYPES = (TEXT, INT, DECIMAL, BOOL, DATE, CHOICE)

TYPE_LABELS = {
    TEXT: gettext_lazy("text"),
    INT: gettext_lazy("whole number"),
    DECIMAL: gettext_lazy("number"),
    BOOL: gettext_lazy("是 / 否"),
    DATE: gettext_lazy("date, e.g. 2026-03-05"),
    CHOICE: gettext_lazy("one of the listed values"),
}

YES, NO = "是", "否"
_TRUE = {"是", "y", "yes", "true", "t", "1", "√", "✓"}
_FALSE = {"否", "n", "no", "false", "f", "0", "×", "✗"}

EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 1900-02-29
_MAX_SERIAL = 2958465  # 9999-12-31
_DATE_PATTERNS = [
    re.compile(r"^(\d{4})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
_HEADER_NOISE = re.compile(r"[\s*＊\u3000]+")


class CellError(ValueError):
    """A raw cell that cannot become a value of its column; the message is user-facing."""


class Masked(str):
    """A masked value (“138****1111”) read back from an export made for a user who may not see
    the real one. The importer keeps the stored value when the mask still matches it."""


def normalise_header(text) -> str:
    return _HEADER_NOISE.sub("", str(text or "")).casefold()


def is_blank(raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _number_text(raw) -> str:
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


def parse_text(raw) -> str:
    if isinstance(raw, bool):
        return YES if raw else NO
    if isinstance(raw, (int, float)):
        return _number_text(raw)
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat(sep=" ")
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return str(raw).strip()


def parse_int(raw) -> int:
    if isinstance(raw, bool):
        raise CellError(_("Not a whole number."))
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float):
        if raw.is_integer():
            return int(raw)
        raise CellError(_("Not a whole number."))
    text = str(raw).strip().replace(",", "").replace("，", "")
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = decimal.Decimal(text)
    except decimal.InvalidOperation:
        raise CellError(_("Not a whole number.")) from None
    if number.is_finite() and number == number.to_integral_value():
        return int(number)
    raise CellError(_("Not a whole number."))


def parse_decimal(raw) -> decimal.Decimal:
    if isinstance(raw, bool):
        raise CellError(_("Not a number."))
    if isinstance(raw, (int, float)):
        return decimal.Decimal(repr(raw)) if isinstance(raw, float) else decimal.Decimal(raw)
    try:
        number = decimal.Decimal(str(raw).strip().replace(",", "").replace("，", ""))
    except decimal.InvalidOperation:
        raise CellError(_("Not a number.")) from None
    if not number.is_finite():
        raise CellError(_("Not a number."))
    return number


def parse_bool(raw) -> bool:
    if isinstance(raw, bool):
        return raw
    text = _number_text(raw).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(_("Write 是 or 否 (yes or no)."))


def _date(year, month, day) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(_("Not a valid date.")) from None


def parse_date(raw) -> dt.date:
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        if float(raw).is_integer() and 19000101 <= raw <= 99991231:
            text = str(int(raw))
            return _date(text[:4], text[4:6], text[6:])
        if 1 <= raw <= _MAX_SERIAL:
            return EXCEL_EPOCH + dt.timedelta(days=int(raw))
        raise CellError(_("Not a date; write it as 2026-03-05."))
    text = str(raw).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            return _date(*match.groups())
    raise CellError(_("Not a date; write it as 2026-03-05."))


@dataclass(frozen=True, eq=False)
class Column:
    """One column of an importer.

    `header` is the Chinese header users see; `aliases` are other accepted headers (English).
    `choices` are (code, label, *other accepted spellings); the label is what templates and
    exports write. `mask` turns a stored value into its masked form (personal data), so that a
    masked export can be re-imported without erasing what it hid."""

    key: str
    header: str
    aliases: tuple = ()
    type: str = TEXT
    required: bool = False
    choices: tuple = ()
    help: Any = ""
    example: Any = None
    max_length: int | None = None
    min_value: int | None = None
    validators: tuple = ()
    mask: Any = None
    _choice_map: dict = field(default_factory=dict, init=False, repr=False)

    def __post_init__(self):
        if self.type not in TYPES:
            raise ValueError(f"unknown column type {self.type!r}")
        for code, *spellings in self.choices:
            for spelling in (code, *spellings):
                self._choice_map[normalise_header(spelling)] = code

    @property
    def template_header(self) -> str:
        return f"{self.header}*" if self.required else self.header

    def names(self):
        return {normalise_header(n) for n in (self.header, self.key, *self.aliases)}

    def choice_labels(self) -> list[str]:
        if self.type == BOOL:
            return [YES, NO]
        return [label for _code, label, *_rest in self.choices]

    def label_of(self, code) -> str:
        for choice_code, label, *_rest in self.choices:
            if choice_code == code:
                return label
        return code or ""

    def parse(self, raw):
        """The value of a raw cell; None (or "" for text) when blank. Raises CellError."""
        if is_blank(raw):
            if self.required:
                raise CellError(_("A value is required."))
            return "" if self.type in (TEXT, CHOICE) else None
        if self.mask is not None and isinstance(raw, str) and "*" in raw:
            return Masked(raw.strip())
        value = self._parse_typed(raw)
        if self.max_length is not None and isinstance(value, str) and len(value) > self.max_length:
            raise CellError(_("Too long: at most %(max)d characters.") % {"max": self.max_length})
        if self.min_value is not None and value < self.min_value:
            raise CellError(_("Must be at least %(min)s.") % {"min": self.min_value})
        for validator in self.validators:
            try:
                validator(value)
            except ValidationError as exc:
                raise CellError(" ".join(exc.messages)) from None
        return value

    def _parse_typed(self, raw):
        if self.type == TEXT:
            return parse_text(raw)
        if self.type == INT:
            return parse_int(raw)
        if self.type == DECIMAL:
            return parse_decimal(raw)
        if self.type == BOOL:
            return parse_bool(raw)
        if self.type == DATE:
            return parse_date(raw)
        code = self._choice_map.get(normalise_header(parse_text(raw)))
        if code is None:
            raise CellError(_("“%(value)s” is not one of: %(choices)s.") % {
                "value": parse_text(raw), "choices": "、".join(self.choice_labels())})
        return code

    def cell(self, value):
        """The value written to a spreadsheet cell for `value`."""
        if value is None:
            return None
        if self.type == CHOICE:
            return self.label_of(value) if value != "" else None
        if self.type == BOOL:
            return YES if value else NO
        if self.type == DECIMAL and isinstance(value, decimal.Decimal):
            return float(value)
        if value == "":
            return None
        return value
