"""Split runs of digits into a row's cells, under the format's constraints (crawled text, issue 13).

A crawler that drops separators prints 表三's row as `21710000218`. Every way of cutting the run into
the row's columns (counts without leading zeros; money may have a decimal point) is a candidate;
the format then rules candidates out: a row's parts sum to its total column (表三 自然人 + … + 其他 =
总计, each 表四 block), the outcomes sum to （七）总计 column by column, and the 勾稽 balance (新收 +
结转 = 总计 + 结转下年度). A row is read only when one candidate is left; otherwise its cells are
unread and the candidates are kept for the finding. Nothing is guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from itertools import combinations, permutations, product
from typing import TYPE_CHECKING

from .templates import Column, ColumnKind, Row, RowRole, TableTemplate
from .values import Kind

if TYPE_CHECKING:
    from .report import Report

Reading = tuple[str, ...]

MAX_DIGITS = 9  # no count in a report has more digits; longer pieces are not readings
MAX_CANDIDATES = 500  # a row with more readings than this stays unread without listing them
_MAX_SUMS = 20000  # a balance with more combinations than this is not used to rule readings out


def row_readings(run: str, row: Row) -> list[Reading]:
    """Every reading of `run` as the row's cells that its own totals allow (at most MAX_CANDIDATES + 1).

    The row is cut into segments, each ending at a total column (表三: one; 表四: one per block) or
    at the row's end; a total is printed before its parts are cut, so the parts must add up to it.
    """
    columns = row.columns
    if len(run) > len(columns) * MAX_DIGITS:
        return []
    ends = [i for i, c in enumerate(columns) if c.total and i > 0]
    if not ends or ends[-1] != len(columns) - 1:
        ends.append(len(columns) - 1)
    memo: dict[tuple[int, int], list[Reading]] = {}

    def read(at: int, seg: int) -> list[Reading]:
        """The readings of run[at:] as the segments from `seg` on."""
        if seg == len(ends):
            return [()] if at == len(run) else []
        if (at, seg) in memo:
            return memo[(at, seg)]
        first = ends[seg - 1] + 1 if seg else 0
        last = ends[seg]
        after = len(columns) - last - 1  # the columns after this segment need a character each at least
        out: list[Reading] = []
        for stop in range(at + last - first + 1, min(len(run) - after, at + (last - first + 1) * MAX_DIGITS) + 1):
            rest = read(stop, seg + 1)
            if not rest:
                continue
            if not columns[last].total or last == first:  # no total: every cut of the segment's columns
                heads = _free(run[at:stop], columns[first: last + 1])
            else:
                parts = last - first
                heads = [(*head, run[start:stop]) for start in range(max(at + parts, stop - MAX_DIGITS), stop)
                         if (total := _count(run[start:stop])) is not None
                         for head in _summing(run[at:start], parts, total)]
            out.extend((*head, *tail) for head in heads for tail in rest)
            if len(out) > MAX_CANDIDATES:
                break
        memo[(at, seg)] = out
        return out

    return read(0, 0)[: MAX_CANDIDATES + 1]


@lru_cache(maxsize=8192)
def _summing(text: str, parts: int, total: int) -> tuple[Reading, ...]:
    """The cuts of `text` into `parts` counts that add up to `total`."""
    width = len(str(total))
    if parts == 1:
        return ((text,),) if _count(text) == total else ()
    if len(text) > parts * width or len(text) < parts:  # no part is wider than the total
        return ()
    out: list[Reading] = []
    for end in range(1, min(len(text) - parts + 1, width) + 1):
        value = _count(text[:end])
        if value is not None and value <= total:
            out.extend((text[:end], *rest) for rest in _summing(text[end:], parts - 1, total - value))
    return tuple(out)


def _count(piece: str) -> int | None:
    """A count as printed: digits, no leading zero."""
    return int(piece) if piece.isdigit() and (piece[0] != "0" or len(piece) == 1) and piece.isascii() else None


def _free(text: str, columns: tuple[Column, ...]) -> list[Reading]:
    """Every cut of `text` into the columns' values (no relation between them)."""
    if len(columns) == 1:
        return [(text,)] if len(text) <= MAX_DIGITS + 3 and _value(text, columns[0].kind) is not None else []
    out: list[Reading] = []
    for end in range(1, min(len(text) - len(columns) + 1, MAX_DIGITS) + 1):
        if _value(text[:end], columns[0].kind) is not None:
            out.extend((text[:end], *rest) for rest in _free(text[end:], columns[1:]))
    return out


def _value(piece: str, kind: ColumnKind) -> Decimal | None:
    """The piece as a printed number, or None when no report prints it so (leading zeros, a bare point)."""
    if piece.endswith(".") or piece.startswith(".") or (kind is not ColumnKind.AMOUNT and "." in piece):
        return None
    whole = piece.split(".")[0]
    if len(whole) > 1 and whole.startswith("0"):
        return None
    try:
        return Decimal(piece)
    except InvalidOperation:
        return None


def _balances(template: TableTemplate) -> list[dict[str, int]]:
    """The table's relations between rows as Σ coefficient · row = 0, column by column (表三 only)."""
    outcomes = template.rows_with(RowRole.OUTCOME)
    totals = template.rows_with(RowRole.TOTAL)
    received = template.rows_with(RowRole.RECEIVED)
    forward = template.rows_with(RowRole.FORWARD)
    out: list[dict[str, int]] = []
    if outcomes and totals:
        out.append({**{r.id: 1 for r in outcomes}, totals[0].id: -1})
        if received and forward:
            out.append({**{r.id: 1 for r in received}, totals[0].id: -1, forward[0].id: -1})
    return out


def solve(template: TableTemplate, runs: dict[str, str], prose: str = "", previous: Report | None = None
          ) -> dict[str, list[Reading]]:
    """The readings left for each row's run once the rows' and the table's relations are applied.

    Figures the prose states for the table (`行政复议351件，其中结果维持72件…`, `制发规章1件`) narrow
    a row's readings when some reading agrees with them; prose that agrees with none is not used. So do
    the body's report of the year before (`previous`, from the store): 上年结转 is last year's 结转下年度,
    and 现行有效件数 is last year's plus 本年制发 less 本年废止.
    """
    rows = {r.id: r for r in template.rows}
    readings = {rid: row_readings(run, rows[rid]) for rid, run in runs.items()}
    if prose:
        readings = {rid: stated(template, rid, r, prose) if len(r) <= MAX_CANDIDATES else r for rid, r in readings.items()}
    if previous is not None:
        facts = list(carried(template, previous))
        readings = {rid: _agreeing(r, [(c, v) for row_id, c, v in facts if row_id == rid]) if len(r) <= MAX_CANDIDATES
                    else r for rid, r in readings.items()}
    changed = True
    while changed:
        changed = False
        for balance in _balances(template):
            changed |= _prune(readings, balance)
    return readings


def stated(template: TableTemplate, rid: str, readings: list[Reading], prose: str) -> list[Reading]:
    """The readings of a row that agree with each figure the prose gives for it; a figure none agrees with is
    not used."""
    for row_id, columns, value in _stated(template, prose) if prose else ():
        if row_id == rid:
            kept = [r for r in readings if sum(Decimal(r[i]) for i in columns) == value]
            readings = kept or readings
    return readings


Fact = tuple[str, tuple[tuple[int, int], ...], Decimal]  # row id, (column, coefficient) terms, their sum


def carried(template: TableTemplate, previous: Report) -> Iterator[Fact]:
    """What last year's report says of this year's table: 上年结转 (each column) is last year's 结转下年度, and
    (2021 表二) 现行有效 − 本年制发 + 本年废止 is last year's 现行有效. Only cells last year read as numbers count."""
    def number(cid: str) -> Decimal | None:
        cell = previous.cells.get(cid)
        return Decimal(cell.value) if cell is not None and cell.kind == Kind.NUMBER and cell.value is not None else None

    for row in template.rows:
        ids = [c.id for c in row.columns]
        if row.role is RowRole.RECEIVED and row.id.endswith(".carried_over"):
            for i, column in enumerate(ids):
                if (value := number(f"{row.id.rsplit('.', 1)[0]}.carried_forward.{column}")) is not None:
                    yield row.id, ((i, 1),), value
        if {"issued", "repealed", "in_force"} <= set(ids) and (value := number(f"{row.id}.in_force")) is not None:
            yield row.id, ((ids.index("in_force"), 1), (ids.index("issued"), -1), (ids.index("repealed"), 1)), value


def _agreeing(readings: list[Reading], facts: list[tuple[tuple[tuple[int, int], ...], Decimal]]) -> list[Reading]:
    """The readings that agree with every fact; when none does (last year's figures do not fit this run), the
    facts are not used at all."""
    kept = [r for r in readings if all(sum(k * Decimal(r[i]) for i, k in terms) == value for terms, value in facts)]
    return kept or readings


# What the prose says of the tables: the verb before a 表二 document row names its column (2021 ids).
_DOC_VERBS = {"issued": "制发|制定|出台|印发|新增|新制定", "repealed": "废止", "in_force": "现行有效"}
_COUNT = r"\s*(\d+)\s*(?:件|部|个)"


def _stated(template: TableTemplate, prose: str) -> Iterator[tuple[str, tuple[int, ...], Decimal]]:
    """(row id, column positions, value): the prose says these cells of the row add up to the value."""
    if template.blocks:  # 表四: "行政诉讼46件，其中结果维持25件，…" sums the blocks under that header
        yield from _stated_blocks(template, prose)
        return
    for row in template.rows:
        ids = [c.id for c in row.columns]
        labels = "|".join(re.escape(x) for x in sorted((row.label, *row.variants), key=len, reverse=True))
        for column, verbs in _DOC_VERBS.items():
            if column not in ids or len(ids) == 1:
                continue
            for m in re.finditer(rf"(?:{verbs})[^。；，,\d]{{0,10}}?(?:{labels}){_COUNT}", prose):
                yield row.id, (ids.index(column),), Decimal(m.group(1))


def _stated_blocks(template: TableTemplate, prose: str) -> Iterator[tuple[str, tuple[int, ...], Decimal]]:
    row = template.rows[0]
    labels = [c.label.split("·") for c in row.columns]
    words = {parts[-1] for parts in labels}
    word = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    total = next(c.label.split("·")[-1] for c in row.columns if c.total)
    for head in dict.fromkeys(parts[0] for parts in labels):
        for m in re.finditer(rf"{re.escape(head)}{_COUNT}[，,]?其中(?P<rest>[^。；;]*)", prose):
            stated = {total: m.group(1), **{w: n for w, n in re.findall(rf"({word}){_COUNT}", m.group("rest"))}}
            for w, n in stated.items():
                columns = tuple(i for i, parts in enumerate(labels) if parts[0] == head and parts[-1] == w)
                yield row.id, columns, Decimal(n)


def _prune(readings: dict[str, list[Reading]], balance: dict[str, int]) -> bool:
    """Drop the readings of a row that no readings of the other rows in the balance can complete."""
    if any(len(readings.get(rid, ())) == 0 or len(readings[rid]) > MAX_CANDIDATES for rid in balance):
        return False  # a row not read (or not a run): the relation cannot judge the others
    changed = False
    for rid, coefficient in balance.items():
        if len(readings[rid]) == 1:
            continue
        sums = _sums({o: c for o, c in balance.items() if o != rid}, readings)
        if sums is None:
            continue
        keep = [r for r in readings[rid] if tuple(-coefficient * Decimal(x) for x in r) in sums]
        if len(keep) < len(readings[rid]):
            readings[rid] = keep
            changed = True
    return changed


def _sums(terms: dict[str, int], readings: dict[str, list[Reading]]) -> set[tuple[Decimal, ...]] | None:
    """Every column-wise Σ coefficient · reading the rows can make, or None when there are too many."""
    sums: set[tuple[Decimal, ...]] = {()}
    for rid, coefficient in terms.items():
        vectors = [tuple(coefficient * Decimal(x) for x in r) for r in readings[rid]]
        sums = {tuple(a + b for a, b in zip(s, v, strict=True)) if s else v for s, v in product(sums, vectors)}
        if len(sums) > _MAX_SUMS:
            return None
    return sums


_NOTE = "candidates: "  # how an unread run's readings are kept in its cells' note (the record is lossless)


def agreed(readings: list[Reading], width: int) -> list[str | None]:
    """Each column's value when every reading left gives it the same one; None where they differ, or where
    none is left or too many to list."""
    if not readings or len(readings) > MAX_CANDIDATES:
        return [None] * width
    return [col[0] if len(set(col)) == 1 else None for col in zip(*readings, strict=True)]


def choices(readings: list[Reading], width: int) -> list[tuple[str, ...]]:
    """Each column's distinct values over the readings, in the order they first appear (none when there are
    no readings or too many to list)."""
    if not readings or len(readings) > MAX_CANDIDATES:
        return [()] * width
    return [tuple(dict.fromkeys(col)) for col in zip(*readings, strict=True)]


# A cell of a table that a converter printed one value a line, unread because of the order the values were printed
# in: `…[0|1]` (the orders it may have printed them in give the cell different values: the finding lists them) or
# `…(10 1 0 …)` (no order puts the values, as printed, back so that the table meets the format's relations).
_ORDERS = re.compile(r"…\[(?P<values>[^\]]+)\]")
_UNPLACED = re.compile(r"…\((?P<values>[^)]+)\)")


def order_text(values: tuple[str, ...] | list[str]) -> str:
    """The text of a cell that the printing orders leave unsettled: its values (`…[0|1]`)."""
    return f"…[{'|'.join(values)}]"


def unplaced_text(printed: list[str]) -> str:
    """The text of a cell of a table whose values (as printed) go back in no order that meets the relations."""
    return f"…({' '.join(printed)})"


def order_candidates(raw: str | None) -> list[str] | None:
    """The values an unsettled cell's text lists (`…[0|1]` -> ['0', '1']), None for any other text."""
    m = _ORDERS.fullmatch(raw or "")
    return m.group("values").split("|") if m is not None else None


def unplaced_values(raw: str | None) -> str | None:
    """The table's values as printed (`…(10 1 0)` -> '10 1 0') for a cell that no order places, else None."""
    m = _UNPLACED.fullmatch(raw or "")
    return m.group("values") if m is not None else None


def candidates_note(readings: list[Reading]) -> str:
    shown = " | ".join("/".join(r) for r in readings[:12])
    return _NOTE + (shown + (" | …" if len(readings) > 12 else "") if readings else "-")


def note_candidates(note: str | None) -> list[str] | None:
    """The readings a cell's note lists (as printed, `1/0/11`), or None when the cell is not an unread run."""
    if not note or not note.startswith(_NOTE):
        return None
    body = note[len(_NOTE):]
    return [] if body == "-" else body.split(" | ")


# ------------------------------------------------------------------ a table's values in the order a converter printed them
Grid = tuple[Reading, ...]  # one reading per template row
MAX_GRIDS = 256  # more distinct readings of a table's value sequence than this: it is not read


@lru_cache(maxsize=64)
def _orders(rows: int, width: int) -> tuple[tuple[tuple[int, int], ...], ...]:
    """The orders in which a PDF converter prints a band of `rows` consecutive rows of a grid, as (row, column).

    One row: left to right. Several (poppler without -layout, one cell a line): column by column, or the band cut
    into a left and a right part, each printed row by row or column by column, the left part first.
    """
    if rows == 1:
        return (tuple((0, c) for c in range(width)),)

    def part(first: int, last: int, by_column: bool) -> list[tuple[int, int]]:
        if by_column:
            return [(r, c) for c in range(first, last) for r in range(rows)]
        return [(r, c) for r in range(rows) for c in range(first, last)]

    out = {tuple(part(0, width, True))}
    for cut in range(1, width):
        for left in (False, True):
            for right in (False, True):
                out.add(tuple(part(0, cut, left) + part(cut, width, right)))
    return tuple(sorted(out))


@lru_cache(maxsize=64)
def _places(rows: int, width: int) -> tuple[tuple[tuple[int, ...], ...], ...]:
    """For each of `_orders(rows, width)`: where (as a position in the order) each row's cells were printed."""
    out = []
    for order in _orders(rows, width):
        where = [[0] * width for _ in range(rows)]
        for k, (r, c) in enumerate(order):
            where[r][c] = k
        out.append(tuple(tuple(w) for w in where))
    return tuple(out)


def _adds_up(reading: Reading, row: Row) -> bool:
    """The row's parts add up to each of its total columns (表三: 自然人 + … + 其他 = 总计)."""
    start = 0
    for i, column in enumerate(row.columns):
        if column.total and i > start:
            if sum(int(x) for x in reading[start:i]) != int(reading[i]):
                return False
            start = i + 1
    return True


def grid_readings(values: list[str], template: TableTemplate, anchors: dict[int, int] | None = None) -> list[Grid] | None:
    """Every reading of a table's values, printed one a line in a converter's order, as the template's rows.

    The values are the table's cells and nothing else (as many as it has cells). They are cut into bands of
    consecutive rows, top to bottom, each band printed in one of `_orders`; a reading is kept when every row
    adds up to its total and the table's balances hold (outcomes = （七）总计; 新收 + 结转 = 总计 + 结转下年度;
    balances that no reading meets are not used). `anchors` (value index -> column) are where the layout puts a
    value: a column's header printed between values, right before its column's values (`其他 2 0 2 总计 2 0 2`);
    readings that put an anchored value in another column are dropped, unless that drops them all. Returns the
    distinct readings left, or None when there are too many to list (then nothing is read).
    """
    placed = _grid_readings(values, template, anchors) if anchors else []
    return placed if placed or placed is None else _grid_readings(values, template, {})  # None: too many either way


def _grid_readings(values: list[str], template: TableTemplate, anchors: dict[int, int]) -> list[Grid] | None:
    """grid_readings with every anchored value in its column (no reading when none fits)."""
    rows = template.rows
    width = len(rows[0].columns)
    if any(len(r.columns) != width for r in rows) or len(values) != len(rows) * width:
        return None
    if any(_count(v) is None for v in values):
        return None
    memo: dict[int, list[Grid] | None] = {len(rows): [()]}
    checked: dict[tuple[int, Reading], bool] = {}  # whether a row adds up, read so (many orders give alike)

    def read(at: int) -> list[Grid] | None:
        """The readings of rows[at:] from the values left (they start at at * width)."""
        if at in memo:
            return memo[at]
        out: set[Grid] = set()
        for size in range(1, len(rows) - at + 1):
            rest = read(at + size)
            if rest is None:
                memo[at] = None
                return None
            if not rest:
                continue
            base = at * width
            pinned = [(k - base, c) for k, c in anchors.items() if base <= k < base + size * width]
            bands: set[Grid] = set()  # distinct readings of the band (orders often agree: rows of zeros)
            for order, places in zip(_orders(size, width), _places(size, width), strict=True):
                if pinned and any(order[k][1] != c for k, c in pinned):
                    continue
                band: list[Reading] = []
                for r, where in enumerate(places):  # row by row, so that most orders fail at their first row
                    reading = tuple(values[base + k] for k in where)
                    if (ok := checked.get((at + r, reading))) is None:
                        ok = checked[(at + r, reading)] = _adds_up(reading, rows[at + r])
                    if not ok:
                        break
                    band.append(reading)
                else:
                    bands.add(tuple(band))
            for readings in bands:
                out.update(readings + tail for tail in rest)
                if len(out) > MAX_GRIDS:
                    memo[at] = None
                    return None
        memo[at] = sorted(out)
        return memo[at]

    grids = read(0)
    if grids is None:
        return None
    index = {r.id: i for i, r in enumerate(rows)}
    balances = _balances(template)
    kept = [g for g in grids
            if all(sum(k * int(g[index[rid]][c]) for rid, k in b.items()) == 0 for b in balances for c in range(width))]
    return kept or grids  # balances no reading meets (the report's own table does not add up) settle nothing


def block_readings(values: list[str], row: Row) -> list[Reading]:
    """Every reading of 表四's values, printed one a line in a converter's order, as the row's cells.

    poppler without -layout prints each block's parts (维持, 纠正, 其他, 尚未审结) together and in order, and each
    block's 总计, printed in a column of its own, somewhere after its parts; the blocks themselves come in no
    fixed order (淮安 2024: 复议后起诉's parts before 未经复议直接起诉's). A reading is kept when every block's parts
    add up to its total. The values are the row's cells and nothing else.
    """
    columns = row.columns
    if len(values) != len(columns) or any(_count(v) is None for v in values):
        return []
    totals = [i for i, c in enumerate(columns) if c.total]
    if not totals or totals[-1] != len(columns) - 1:
        return []
    segments = [(totals[k - 1] + 1 if k else 0, end) for k, end in enumerate(totals)]  # parts [first, end), total end
    span = segments[0][1] - segments[0][0]
    if any(end - first != span for first, end in segments):
        return []
    out: set[Reading] = set()
    for at in combinations(range(len(values)), len(totals)):
        where = [i for i in range(len(values)) if i not in at]  # where each part was printed
        groups = [where[k * span:(k + 1) * span] for k in range(len(segments))]
        for order in permutations(range(len(segments))):  # order[g]: the block of the g-th group of parts
            for owner in permutations(range(len(segments))):  # owner[j]: the block of the j-th total
                reading = [""] * len(columns)
                for g, block in enumerate(order):
                    first, end = segments[block]
                    total_at = at[owner.index(block)]
                    if total_at < groups[g][-1]:
                        break  # a total printed before its block's parts
                    reading[first:end] = [values[i] for i in groups[g]]
                    reading[end] = values[total_at]
                    if sum(int(x) for x in reading[first:end]) != int(reading[end]):
                        break
                else:
                    out.add(tuple(reading))
    return sorted(out)
