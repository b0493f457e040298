"""Cross-year test data: pairs of rendered reports (tests/synth.py) whose carry-over and stock are known.

`next_year(prev, version, rng)` draws a consistent report for the following year whose 上年结转 equals
`prev`'s 结转下年度 in every column and whose 现行有效 follows from `prev`'s (in force + issued −
repealed), so YOY-CARRY and YOY-STOCK have nothing to say about the pair.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from .synth import SECTION1, SECTION5, T3_APPLICANTS, Value, consistent_cells, render_report, t3_outcome_rows, with_totals

BODY = "淮安市洪泽区人民政府"

# Prose for a second year that shares no sentence with synth's (YOY-TEXT-REPEAT stays quiet).
OTHER_SECTION1 = (
    "今年以来，我区围绕中心工作深化政务公开，主动公开、依申请公开办理和政府信息管理进一步规范，"
    "政府网站和政务新媒体平台建设持续加强，监督保障机制不断健全，考核、社会评议和责任追究落到实处。"
)
OTHER_SECTION5 = (
    "对照上级要求，我区政务公开在解读回应的深度、基层公开标准化规范化等方面还有差距。"
    "明年将聚焦群众关切，丰富解读形式，加强对基层工作人员的指导和培训。"
)


def next_year(prev: Mapping[str, Value], version: str, rng: random.Random) -> dict[str, Value]:
    cells = dict(consistent_cells(version, rng))
    for col in T3_APPLICANTS:
        over = int(prev[f"t3.carried_forward.{col}"])
        handled = sum(int(cells[f"{r}.{col}"]) for r in t3_outcome_rows(version))
        forward = max(int(cells[f"t3.carried_forward.{col}"]), over - handled)
        cells[f"t3.carried_over.{col}"] = over
        cells[f"t3.carried_forward.{col}"] = forward
        cells[f"t3.new_received.{col}"] = handled + forward - over
    if version == "2021":
        for row in ("t2.regulations", "t2.normative_docs"):
            issued, repealed = int(cells[f"{row}.issued"]), int(cells[f"{row}.repealed"])
            last = int(prev[f"{row}.in_force"])
            repealed = min(repealed, last + issued)
            cells[f"{row}.repealed"] = repealed
            cells[f"{row}.in_force"] = last + issued - repealed
    else:
        for row in ("t2.licensing", "t2.other_services", "t2.punishment", "t2.coercion", "t2.fees"):
            items = int(prev[f"{row}.prev_items"]) + int(prev[f"{row}.change"])
            cells[f"{row}.prev_items"] = items
            cells[f"{row}.change"] = max(int(cells[f"{row}.change"]), -items)
    return with_totals(cells, version)


def report_text(cells: Mapping[str, Value], version: str, year: int, *, body: str = BODY, fresh_prose: bool = False) -> str:
    text = render_report(cells, version, body=body, year=year)
    if fresh_prose:
        text = text.replace(SECTION1, OTHER_SECTION1).replace(SECTION5, OTHER_SECTION5)
    return text


def pair(version: str = "2021", seed: int = 7) -> tuple[dict[str, Value], dict[str, Value]]:
    rng = random.Random(seed)
    first = with_totals(consistent_cells(version, rng), version)
    # At least one application carried forward, so a changed carry-over is visible.
    if not any(int(first[f"t3.carried_forward.{c}"]) for c in T3_APPLICANTS):
        first["t3.carried_forward.natural_person"] = 2
        first["t3.new_received.natural_person"] = int(first["t3.new_received.natural_person"]) + 2
        first = with_totals(first, version)
    return first, next_year(first, version, rng)
