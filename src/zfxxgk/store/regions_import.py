"""`zfxxgk regions import FILE.csv`: add or override regions and bodies, all or nothing.

Columns: code, name, parent_code, level, aliases (optional; several separated by |). A level of
province, city, county, township or village makes a region; `body` makes a body (an organisation)
in the region `parent_code`. Every parent must exist in the file or the store, and the file must not
make a cycle; otherwise nothing is written and the message names the line.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, select, update

from ..regions import LEVELS, Gazetteer, Region, normalise
from .core import Store, StoreError, _body_key
from .schema import bodies, regions

BODY = "body"
REQUIRED = ("code", "name", "parent_code", "level")


@dataclass(frozen=True, slots=True)
class RegionRow:
    line: int
    code: str
    name: str
    parent: str | None
    level: str
    aliases: tuple[str, ...]


def read_regions_csv(path: Path) -> list[RegionRow]:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise StoreError("csv_unreadable", path=path, reason=exc.strerror or exc) from None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise StoreError("csv_unreadable", path=path, reason="encoding")
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise StoreError("csv_columns", path=path, missing=", ".join(missing))
    rows: list[RegionRow] = []
    seen: set[str] = set()
    for number, raw in enumerate(reader, start=2):
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        code, name, level = row["code"], row["name"], row["level"].lower()
        if not code or not name:
            raise StoreError("csv_row", line=number, reason="code/name empty")
        if level not in (*LEVELS, BODY):
            raise StoreError("csv_level", line=number, level=row["level"], levels=", ".join((*LEVELS, BODY)))
        if code in seen:
            raise StoreError("csv_duplicate", line=number, code=code)
        seen.add(code)
        aliases = tuple(a.strip() for a in re.split(r"[|;；]", row.get("aliases", "")) if a.strip())
        rows.append(RegionRow(number, code, name, row["parent_code"] or None, level, aliases))
    return rows


def import_regions(store: Store, rows: list[RegionRow]) -> dict[str, int]:
    """Write every row in one transaction, after checking parents and cycles against the store."""
    counts = {"regions": 0, "bodies": 0, "added": 0, "replaced": 0}
    with store.writing() as conn:
        existing = {r.code: r.parent_code for r in conn.execute(select(regions.c.code, regions.c.parent_code))}
        parents = dict(existing)
        parents.update({r.code: r.parent for r in rows if r.level != BODY})
        for r in rows:
            if r.parent is not None and r.parent not in parents:
                raise StoreError("csv_parent", line=r.line, code=r.code, name=r.name, parent=r.parent)
        for r in rows:
            if r.level == BODY:
                continue
            chain, current = [r.code], r.parent
            while current is not None:
                if current in chain:
                    cycle = [*chain[chain.index(current):], current]
                    raise StoreError("csv_cycle", chain=" → ".join(cycle))
                chain.append(current)
                current = parents.get(current)
        for r in rows:
            if r.level == BODY:
                continue
            values = {"name": r.name, "parent_code": r.parent, "level": r.level, "aliases": list(r.aliases) or None,
                      "origin": "import"}
            if r.code in existing:
                conn.execute(update(regions).where(regions.c.code == r.code).values(**values))
                counts["replaced"] += 1
            else:
                conn.execute(regions.insert().values(code=r.code, kind=None, **values))
                counts["added"] += 1
            counts["regions"] += 1
        if any(r.level == BODY for r in rows):
            g = Gazetteer(Region(c.code, c.name, c.parent_code, c.level, c.kind, tuple(c.aliases or ()), c.origin)
                          for c in conn.execute(select(regions)))
            for r in rows:
                if r.level == BODY:
                    _import_body(conn, g, r, counts)
    store._gazetteer = None
    store._body_ids.clear()
    store._aliases = None
    return counts


def _import_body(conn: Connection, g: Gazetteer, r: RegionRow, counts: dict[str, int]) -> None:
    """A body under its region: keyed as a report naming it would be, so matched reports find it."""
    m = g.resolve(r.name)
    inside = m.status == "matched" and m.region is not None and r.parent is not None and \
        (m.region == r.parent or g.is_within(r.parent, m.region)) and m.township is None
    key = _body_key(m) if inside and m.region == r.parent else f"code|{r.code}"
    role = m.role if inside else r.name
    values = {"name": r.name, "region_code": r.parent, "role": role, "code": r.code,
              "aliases": [normalise(a) for a in r.aliases] or None, "origin": "import"}
    found = conn.execute(select(bodies.c.id).where((bodies.c.key == key) | (bodies.c.code == r.code))).scalar()
    if found is None:
        conn.execute(bodies.insert().values(key=key, **values))
        counts["added"] += 1
    else:
        conn.execute(update(bodies).where(bodies.c.id == found).values(**values))
        counts["replaced"] += 1
    counts["bodies"] += 1
