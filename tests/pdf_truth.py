"""Every table cell of the two real PDF fixtures, read off the rendered pages by eye.

Shared by test_pdf.py (text layer) and test_ocr.py (scans made from the same pages).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

REAL = Path(__file__).resolve().parents[2] / "shared" / "fixtures" / "real"
HUAIAN = REAL / "huaian-city-2024.pdf"
HONGZE = REAL / "hongze-district-2023.pdf"

T3_COLUMNS = ("natural_person", "commercial", "research", "nonprofit", "legal_service", "other_org", "total")
T4_COLUMNS = ("upheld", "corrected", "other", "pending", "total")
_T3_2021_ROWS = (
    "new_received", "carried_over", "granted", "partially_granted",
    "withheld.state_secret", "withheld.law_prohibited", "withheld.security_stability", "withheld.third_party",
    "withheld.internal_affairs", "withheld.process_info", "withheld.enforcement_files", "withheld.query_matters",
    "unable.not_held", "unable.needs_creation", "unable.unclear",
    "rejected.complaint", "rejected.duplicate", "rejected.publication", "rejected.excessive",
    "rejected.confirmation", "other.no_correction", "other.fee_unpaid", "other.other", "total", "carried_forward",
)


def _t3(rows: tuple[str, ...], values: list[tuple[int, ...]]) -> dict[str, int]:
    assert len(rows) == len(values)
    return {f"t3.{r}.{c}": v for r, vs in zip(rows, values, strict=True) for c, v in zip(T3_COLUMNS, vs, strict=True)}


def _t4(values: tuple[int, ...]) -> dict[str, int]:
    blocks = ("review", "litigation_direct", "litigation_after_review")
    return {f"t4.{b}.{c}": values[5 * i + j] for i, b in enumerate(blocks) for j, c in enumerate(T4_COLUMNS)}


# 淮安市人民政府 2024 (pages 3-5); table 三 crosses from page 4 to page 5 inside （四）无法提供.
HUAIAN_CELLS: dict[str, int | Decimal] = {
    "t2.regulations.issued": 1, "t2.regulations.repealed": 0, "t2.regulations.in_force": 11,
    "t2.normative_docs.issued": 8, "t2.normative_docs.repealed": 26, "t2.normative_docs.in_force": 66,
    "t2.licensing.decisions": 447228, "t2.punishment.decisions": 3985758, "t2.coercion.decisions": 88283,
    "t2.fees.amount": Decimal("96171.6"),
    **_t3(_T3_2021_ROWS, [
        (3001, 53, 0, 0, 61, 4, 3119),
        (34, 0, 0, 0, 0, 0, 34),
        (1288, 21, 0, 0, 50, 3, 1362),
        (447, 7, 0, 0, 0, 0, 454),
        (2, 0, 0, 0, 0, 0, 2),
        (30, 1, 0, 0, 0, 0, 31),
        (5, 0, 0, 0, 0, 0, 5),
        (6, 0, 0, 0, 0, 0, 6),
        (7, 1, 0, 0, 0, 0, 8),
        (12, 0, 0, 0, 0, 0, 12),
        (9, 0, 0, 0, 0, 0, 9),
        (105, 0, 0, 0, 0, 0, 105),
        (746, 12, 0, 0, 10, 1, 769),
        (11, 0, 0, 0, 0, 0, 11),
        (1, 0, 0, 0, 0, 0, 1),
        (56, 6, 0, 0, 0, 0, 62),
        (25, 0, 0, 0, 0, 0, 25),
        (0, 0, 0, 0, 0, 0, 0),
        (0, 0, 0, 0, 0, 0, 0),
        (1, 0, 0, 0, 0, 0, 1),
        (67, 3, 0, 0, 1, 0, 71),
        (6, 0, 0, 0, 0, 0, 6),
        (108, 2, 0, 0, 0, 0, 110),
        (2932, 53, 0, 0, 61, 4, 3050),
        (103, 0, 0, 0, 0, 0, 103),
    ]),
    **_t4((72, 64, 178, 37, 351, 13, 4, 8, 1, 26, 12, 1, 1, 6, 20)),
}

# 淮安市洪泽区人民政府 2023 (pages 2-4): table 二 in the 2021 format, table 三 with the 2019 format's
# single （六）其他处理 row (cell ids t3.other.*), table 四 totals printed 0 although their parts are not.
HONGZE_T3_ROWS = (*_T3_2021_ROWS[:20], "other", "total", "carried_forward")
HONGZE_CELLS: dict[str, int | Decimal] = {
    "t2.regulations.issued": 0, "t2.regulations.repealed": 0, "t2.regulations.in_force": 0,
    "t2.normative_docs.issued": 0, "t2.normative_docs.repealed": 5, "t2.normative_docs.in_force": 5,
    "t2.licensing.decisions": 550, "t2.punishment.decisions": 4119, "t2.coercion.decisions": 195,
    "t2.fees.amount": Decimal("7730.28"),
    **_t3(HONGZE_T3_ROWS, [
        (21, 0, 0, 0, 0, 0, 21),
        (0, 0, 0, 0, 0, 0, 0),
        (0, 0, 0, 0, 0, 0, 0),
        (4, 0, 0, 0, 0, 0, 4),
        (1, 0, 0, 0, 0, 0, 1),
        (0, 0, 0, 0, 0, 0, 0),
        (0, 0, 0, 0, 0, 0, 0),
        (0, 0, 0, 0, 0, 0, 0),
        (0, 0, 0, 0, 0, 0, 0),
        (1, 0, 0, 0, 0, 0, 1),
        (1, 0, 0, 0, 0, 0, 1),
        (0, 0, 0, 0, 0, 0, 0),
        (10, 0, 0, 0, 0, 0, 10),
        (3, 0, 0, 0, 0, 0, 3),
        (0, 0, 0, 0, 0, 0, 0),
        (1, 0, 0, 0, 0, 0, 1),
        (0, 0, 0, 0, 0, 0, 0),
        (0, 0, 0, 0, 0, 0, 0),
        (0, 0, 0, 0, 0, 0, 0),
        (0, 0, 0, 0, 0, 0, 0),
        (0, 0, 0, 0, 0, 0, 0),
        (21, 0, 0, 0, 0, 0, 21),
        (0, 0, 0, 0, 0, 0, 0),
    ]),
    **_t4((10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0)),
}
