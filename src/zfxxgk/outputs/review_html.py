"""The batch review page: one self-contained HTML file (inline CSS, JS and SVG; nothing fetched).

A summary (reports, errors and warnings per unit, a bar chart of the most frequent rules), then per
report its tables in the official layout with the cells of each finding highlighted, and the
findings beside them with their source location. Clicking a finding marks its cells.
"""

from __future__ import annotations

from collections import Counter
from html import escape

from ..i18n import t
from ..report import Report
from ..templates import table_name, version_for_year
from .layout import TABLE_KEYS, grid, table_version
from .render_html import table_html

_SEVERITY_RANK = {"error": 0, "warning": 1, "info": 2}

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",sans-serif;margin:0;color:#1a1a1a;background:#f6f7f9}
header.top{background:#8b1a1a;color:#fff;padding:14px 24px}header.top h1{margin:0;font-size:20px}
main{padding:16px 24px}
section.card{background:#fff;border:1px solid #ddd;border-radius:6px;padding:12px 16px;margin:0 0 16px}
table.summary{border-collapse:collapse;font-size:13px}
table.summary th,table.summary td{border:1px solid #ccc;padding:3px 8px}
table.summary td.n{text-align:right}td.err{color:#b00020;font-weight:bold}td.warn{color:#8a6d00}
.report-body{display:flex;gap:16px;align-items:flex-start}.tables{flex:1 1 auto;min-width:0;overflow-x:auto}
.findings{flex:0 0 340px;position:sticky;top:8px;max-height:95vh;overflow-y:auto}
.finding{border-left:4px solid #999;padding:4px 8px;margin:0 0 8px;background:#fafafa;cursor:pointer;font-size:13px}
.finding.error{border-color:#d32f2f}.finding.warning{border-color:#f9a825}.finding.info{border-color:#1e88e5}
.finding.active{outline:2px solid #333}.finding .code{font-weight:bold}.finding .where{color:#666;font-size:12px}
table.official{border-collapse:collapse;font-size:12px;margin:4px 0 14px;background:#fff}
table.official td{border:1px solid #555;padding:2px 4px;text-align:center}table.official td.label{text-align:left}
td.value.hl-info{background:#dbeafe}td.value.hl-warning{background:#fff3bf}td.value.hl-error{background:#ffc9c9;font-weight:bold}
td.value.blank{color:#999}td.value.flash{outline:3px solid #000}
h2{font-size:17px;margin:0 0 6px}h3{font-size:14px;margin:8px 0 4px}.meta{color:#555;font-size:13px;margin:0 0 8px}
.sev{display:inline-block;padding:0 6px;border-radius:3px;color:#fff;font-size:12px}
.sev.error{background:#d32f2f}.sev.warning{background:#c28f00}.sev.info{background:#1e88e5}
"""

JS = """
(function(){
  function clear(){document.querySelectorAll('.flash').forEach(function(e){e.classList.remove('flash');});
    document.querySelectorAll('.finding.active').forEach(function(e){e.classList.remove('active');});}
  document.querySelectorAll('.finding').forEach(function(f){
    f.addEventListener('click',function(){
      clear(); f.classList.add('active');
      var box=document.getElementById(f.getAttribute('data-report'));
      (f.getAttribute('data-cells')||'').split(' ').forEach(function(id){
        if(!id){return;}
        box.querySelectorAll('td[data-cell="'+id+'"]').forEach(function(td){td.classList.add('flash');});
      });
    });
  });
  var only=document.getElementById('only-problems');
  if(only){only.addEventListener('change',function(){
    document.querySelectorAll('section.report').forEach(function(s){
      s.style.display=(only.checked && s.getAttribute('data-findings')==='0')?'none':'';
    });
  });}
})();
"""


def review_html(reports: list[Report], lang: str = "zh") -> str:
    parts = [_summary(reports, lang)]
    for i, r in enumerate(reports):
        parts.append(_report(r, f"r{i}", lang))
    title = t("review.title", lang)
    return (
        f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n<meta charset="utf-8">\n'
        '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'; '
        'script-src \'unsafe-inline\'; img-src data:">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f'<header class="top"><h1>{escape(title)}</h1></header>\n<main>\n' + "\n".join(parts)
        + f"\n</main>\n<script>{JS}</script>\n</body>\n</html>\n"
    )


def _summary(reports: list[Report], lang: str) -> str:
    rows = []
    for i, r in enumerate(reports):
        c = Counter(f.severity for f in r.findings)
        unit = escape(r.body or "—")
        errors = c["error"] + (1 if r.error else 0)
        rows.append(
            f'<tr><td><a href="#r{i}">{unit}</a></td><td>{escape(r.source)}</td><td class="n">{r.year or "—"}</td>'
            f'<td class="n">{r.version or "—"}</td><td class="n{" err" if errors else ""}">{errors}</td>'
            f'<td class="n{" warn" if c["warning"] else ""}">{c["warning"]}</td><td class="n">{c["info"]}</td></tr>')
    head = "".join(f"<th>{escape(t(k, lang))}</th>" for k in (
        "review.unit", "review.file", "review.year", "review.version", "review.errors", "review.warnings",
        "review.infos"))
    total = Counter(f.severity for r in reports for f in r.findings)
    colon, comma = ("：", "，") if lang == "zh" else (": ", ", ")
    line = (f'{escape(t("review.generated", lang, reports=len(reports)))}{colon}'
            f'{t("review.errors", lang)} {total["error"]}{comma}{t("review.warnings", lang)} {total["warning"]}{comma}'
            f'{t("review.infos", lang)} {total["info"]}')
    return (f'<section class="card summary-card"><h2>{escape(t("review.summary", lang))}</h2><p class="meta">{line}</p>'
            f'<table class="summary"><tr>{head}</tr>{"".join(rows)}</table>'
            f'<h3>{escape(t("review.top_rules", lang))}</h3>{chart(reports)}'
            f'<p class="meta"><label><input type="checkbox" id="only-problems"> '
            f'{escape(t("review.show_only_problems", lang))}</label></p></section>')


def chart(reports: list[Report], top: int = 10) -> str:
    """A horizontal bar chart of the most frequent rule codes, as inline SVG."""
    counts = Counter(f.code for r in reports for f in r.findings)
    severity = {f.code: f.severity for r in reports for f in r.findings}
    items = counts.most_common(top)
    if not items:
        return "<p>—</p>"
    bar_h, gap, label_w, bar_w = 18, 6, 190, 360
    height = len(items) * (bar_h + gap) + gap
    most = items[0][1]
    colour = {"error": "#d32f2f", "warning": "#f9a825", "info": "#1e88e5"}
    out = [f'<svg class="chart" width="{label_w + bar_w + 50}" height="{height}" '
           f'role="img" aria-label="rules">']
    for i, (code, n) in enumerate(items):
        y = gap + i * (bar_h + gap)
        w = max(2, round(bar_w * n / most))
        out.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end" font-size="12">{escape(code)}</text>'
                   f'<rect x="{label_w}" y="{y}" width="{w}" height="{bar_h}" fill="{colour[severity[code]]}">'
                   f"<title>{escape(code)}: {n}</title></rect>"
                   f'<text x="{label_w + w + 4}" y="{y + 13}" font-size="12">{n}</text>')
    out.append("</svg>")
    return "".join(out)


def _report(r: Report, anchor: str, lang: str) -> str:
    head = f'<h2>{escape(r.title or r.body or r.source)}</h2><p class="meta">{escape(r.source)}'
    if r.error:
        return (f'<section class="card report" id="{anchor}" data-findings="1">{head}</p>'
                f'<p><span class="sev error">{escape(t("review.unreadable", lang))}</span> '
                f'{escape(r.error.message(lang))}</p></section>')
    head += f" · {t('review.year', lang)} {r.year or '—'} · {t('review.version', lang)} {r.version or '—'}</p>"
    by_cell: dict[str, list[int]] = {}
    for i, f in enumerate(r.findings):
        for cid in f.cells:
            by_cell.setdefault(cid, []).append(i)

    def attrs(cid: str) -> dict[str, str]:
        cell = r.cells.get(cid)
        out: dict[str, str] = {}
        classes = []
        if cell is None or cell.raw is None or cell.raw == "":
            classes.append("blank")
        hits = by_cell.get(cid)
        if hits:
            worst = min((r.findings[i].severity for i in hits), key=_SEVERITY_RANK.__getitem__)
            classes.append(f"hl-{worst}")
            out["title"] = "\n".join(f"{r.findings[i].code}: {r.findings[i].message(lang, r.version)}" for i in hits)
            out["data-findings"] = " ".join(f"{anchor}-f{i}" for i in hits)
        if cell is not None and cell.source is not None:
            where = cell.source.describe(lang)
            out["title"] = f"{out['title']}\n({where})" if "title" in out else where
        out["class"] = " ".join(classes)
        return out

    values = {cid: (c.raw if c.raw is not None else "") for cid, c in r.cells.items()}
    tables = []
    if r.version:
        preferred = version_for_year(r.year) or r.version
        for key in TABLE_KEYS:
            g = grid(key, table_version(r, key, preferred))
            tables.append(f"<h3>{escape(table_name(key)[lang])}</h3>{table_html(g, values, attrs)}")
    findings = []
    for i, f in enumerate(r.findings):
        where = escape(f.source.describe(lang)) if f.source else ""
        findings.append(
            f'<div class="finding {f.severity}" id="{anchor}-f{i}" data-report="{anchor}" '
            f'data-cells="{escape(" ".join(f.cells))}"><span class="sev {f.severity}">'
            f'{escape(t("severity." + f.severity, lang))}</span> <span class="code">{escape(f.code)}</span>'
            f'<div>{escape(f.message(lang, r.version))}</div>'
            + (f'<div class="where">{escape(t("review.where", lang))}：{where}</div>' if where else "") + "</div>")
    if not findings:
        findings.append(f'<p>{escape(t("review.no_findings", lang))}</p>')
    return (f'<section class="card report" id="{anchor}" data-findings="{len(r.findings)}">{head}'
            f'<p class="meta">{escape(t("review.legend", lang))}</p><div class="report-body">'
            f'<div class="tables">{"".join(tables)}</div>'
            f'<aside class="findings"><h3>{escape(t("review.findings", lang))}</h3>{"".join(findings)}</aside>'
            f"</div></section>")
