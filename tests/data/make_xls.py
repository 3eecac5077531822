"""Writes small real .xls (BIFF8) files for the reader tests.

Neither xlwt nor LibreOffice is on the build machines, so this is a minimal BIFF8 writer: one
OLE2 compound document holding a Workbook stream with one sheet of LABEL (text), NUMBER and
date cells (NUMBER with a date format, as Excel stores dates). Run it to regenerate the
committed fixture:  .venv/bin/python tests/data/make_xls.py
"""
import datetime as dt
import struct
from pathlib import Path

_ENDOFCHAIN, _FATSECT, _FREESECT, _NOSTREAM = 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF, 0xFFFFFFFF
_SECTOR = 512
_XF_GENERAL, _XF_DATE = 0, 1


def _record(kind, data=b""):
    return struct.pack("<HH", kind, len(data)) + data


def _bof(substream):
    return _record(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 0x07CC, 0, 6))


def _unicode(text, lenlen):
    encoded = text.encode("utf-16-le")
    return struct.pack("<H" if lenlen == 2 else "<B", len(text)) + b"\x01" + encoded


def _xf(format_key):
    return _record(0x00E0, struct.pack("<HHHBBBBIiH", 0, format_key, 0, 0x20, 0, 0, 0, 0, 0, 0x20C0))


def _cell(row, col, value):
    if value is None:
        return b""
    if isinstance(value, (dt.date, dt.datetime)):
        serial = (dt.date(value.year, value.month, value.day) - dt.date(1899, 12, 30)).days
        return _record(0x0203, struct.pack("<HHHd", row, col, _XF_DATE, float(serial)))
    if isinstance(value, (int, float)):
        return _record(0x0203, struct.pack("<HHHd", row, col, _XF_GENERAL, float(value)))
    return _record(0x0204, struct.pack("<HHH", row, col, _XF_GENERAL) + _unicode(str(value), 2))


def workbook_stream(rows, sheet_name="Sheet1"):
    sheet = _bof(0x0010)
    width = max((len(r) for r in rows), default=0)
    sheet += _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            sheet += _cell(r, c, value)
    sheet += _record(0x000A)
    head = _bof(0x0005) + _record(0x0042, struct.pack("<H", 1200)) + _record(0x0022, struct.pack("<H", 0))
    head += _xf(0) + _xf(14)
    name = struct.pack("<B", len(sheet_name)) + b"\x01" + sheet_name.encode("utf-16-le")
    boundsheet_len = 4 + 6 + len(name)
    offset = len(head) + boundsheet_len + 4
    globals_ = head + _record(0x0085, struct.pack("<IBB", offset, 0, 0) + name) + _record(0x000A)
    stream = globals_ + sheet
    # Streams under 4096 bytes would live in the mini stream; padding keeps this writer simple.
    return stream + b"\0" * max(0, 4096 - len(stream))


def _dir_entry(name, kind, child, start, size):
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", _NOSTREAM, _NOSTREAM, child) + b"\0" * 16
            + struct.pack("<IQQIII", 0, 0, 0, start, size, 0))


def compound_document(stream: bytes) -> bytes:
    n = -(-len(stream) // _SECTOR)
    if n + 2 > _SECTOR // 4:
        raise ValueError("stream too large for this small writer")
    directory_sector = 1 + n
    fat = [_FATSECT] + [i + 2 for i in range(n - 1)] + [_ENDOFCHAIN, _ENDOFCHAIN]
    fat += [_FREESECT] * (_SECTOR // 4 - len(fat))
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, directory_sector, 0, 4096, _ENDOFCHAIN, 0, _ENDOFCHAIN, 0)
              + struct.pack("<I", 0) + struct.pack("<I", _FREESECT) * 108)
    directory = (_dir_entry("Root Entry", 5, 1, _ENDOFCHAIN, 0) + _dir_entry("Workbook", 2, _NOSTREAM, 1, len(stream))
                 + _dir_entry("", 0, _NOSTREAM, 0, 0) * 2)
    body = stream + b"\0" * (n * _SECTOR - len(stream))
    return header + struct.pack(f"<{len(fat)}I", *fat) + body + directory


def write_xls(path, rows, sheet_name="Sheet1"):
    Path(path).write_bytes(compound_document(workbook_stream(rows, sheet_name)))


PEOPLE_ROWS = [
    ["工号*", "姓名*", "性别", "出生日期", "单位编码*", "手机", "政治面貌", "所在党组织编码", "入党日期"],
    ["X1001", "赵一", "男", dt.date(1985, 3, 5), "CY1-A1", "13812345678", "中共党员", "P-CY1-B1", dt.date(2010, 7, 1)],
    ["X1002", "钱二", "女", 19900215, "CY1-A1-T1", 13912345678, "群众", None, None],
    [1003, "孙三", None, "1992年6月1日", "CY1", None, "共青团员", None, None],
]

if __name__ == "__main__":
    write_xls(Path(__file__).with_name("people_good.xls"), PEOPLE_ROWS, "人员")
