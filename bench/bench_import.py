"""Benchmark: importing the organisation at reference scale — the units and Party organisations
a 20,000-person file needs, then the people file itself, each as an xlsx through the real
importer (reading, validation and bulk writes all counted)."""
import datetime as dt
import io
import time

import openpyxl

NAME = "import"
PLANTS, AREAS, TEAMS = 20, 10, 5


def unit_rows(plants=PLANTS):
    """The organisation at reference scale; `plants` fewer for tests that need its shape only."""
    yield ["HQ", "总部", "", "处级", "机关部门", 60, dt.date(1970, 1, 1), None, 0]
    for p in range(1, plants + 1):
        plant = f"CY{p:02d}"
        yield [plant, f"采油{p}厂", "HQ", "处级", "二级单位", 40, dt.date(1980, 1, 1), None, p]
        for a in range(1, AREAS + 1):
            area = f"{plant}-A{a:02d}"
            yield [area, f"采油{p}厂作业{a}区", plant, "科级", "基层单位", 8, dt.date(1990, 1, 1), None, a]
            for t in range(1, TEAMS + 1):
                yield [f"{area}-T{t}", f"采油{p}厂作业{a}区{t}班", area, "其他", "班组", None, dt.date(2000, 1, 1),
                       None, t]


def party_rows(plants=PLANTS):
    yield ["P-HQ", "油田党委", "党委", "", "HQ", dt.date(1970, 1, 1), dt.date(2023, 6, 30)]
    for p in range(1, plants + 1):
        plant = f"CY{p:02d}"
        yield [f"P-{plant}", f"采油{p}厂党委", "党委", "P-HQ", plant, dt.date(1980, 1, 1), None]
        for a in range(1, AREAS + 1):
            area = f"{plant}-A{a:02d}"
            yield [f"P-{area}", f"作业{a}区党支部", "党支部", f"P-{plant}", area, dt.date(1990, 1, 1), None]
            for t in range(1, TEAMS + 1):
                yield [f"P-{area}-G{t}", f"第{t}党小组", "党小组", f"P-{area}", f"{area}-T{t}", dt.date(2000, 1, 1),
                       None]


def people_rows(n=20_000, mobile_prefix="139", plants=PLANTS):
    teams = [(f"CY{p:02d}-A{a:02d}-T{t}", f"P-CY{p:02d}-A{a:02d}-G{t}")
             for p in range(1, plants + 1) for a in range(1, AREAS + 1) for t in range(1, TEAMS + 1)]
    statuses = ["中共党员", "中共党员", "中共预备党员", "共青团员", "群众"]
    for i in range(n):
        team, group = teams[i % len(teams)]
        status = statuses[i % len(statuses)]
        member = status in ("中共党员", "中共预备党员")
        yield [f"E{i:06d}", f"员工{i}", "男" if i % 2 else "女", dt.date(1970 + i % 30, 1 + i % 12, 1 + i % 28), team,
               "采油工", "", f"{mobile_prefix}{i:08d}", f"e{i}@example.com", status, group if member else "",
               dt.date(2000 + i % 20, 7, 1) if member else None, None, "书记" if i % 400 == 0 and member else ""]


def xlsx(header, rows) -> bytes:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Sheet1")
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def header(kind):
    from ronghe.core.tabular import importer_for

    return [column.template_header for column in importer_for(kind).columns]


def files(people=20_000):
    return [("units", xlsx(header("units"), unit_rows())), ("party_orgs", xlsx(header("party_orgs"), party_rows())),
            ("people", xlsx(header("people"), people_rows(people))),
            ("people", xlsx(header("people"), people_rows(people, mobile_prefix="137")))]


def run():
    """Import the files in order, one measurement each: units, Party organisations, people,
    then the people again with every mobile number changed (20,000 updates)."""
    from ronghe.core.tabular import importer_for

    results = []
    seen = set()
    for kind, content in files():
        started = time.perf_counter()
        result = importer_for(kind)(actor=None).run_file(content, f"{kind}.xlsx")
        seconds = time.perf_counter() - started
        if not result.ok:
            raise SystemExit("\n".join(result.as_text_lines()[:20]))
        results.append({"name": f"{'update' if kind in seen else 'import'} {kind}", "rows": result.counts["total"],
                        "seconds": seconds})
        seen.add(kind)
    return results
