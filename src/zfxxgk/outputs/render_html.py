"""A generated report as one self-contained HTML page; the table markup is shared with the review page.

Tables carry the official merges as rowspan/colspan (format.md §3); value cells carry their cell id
in `data-cell`, so a page can point at them.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from .compose import Composed
from .layout import Grid, Role

# Fonts only by name: nothing is downloaded; the reader's system supplies them.
DOCUMENT_CSS = """
body{font-family:"FangSong_GB2312","仿宋_GB2312","FangSong","仿宋","Noto Serif CJK SC","Noto Sans CJK SC",serif;
 font-size:16pt;line-height:1.8;max-width:21cm;margin:2.54cm auto;padding:0 1cm;color:#000}
h1{font-family:"SimHei","黑体","Noto Sans CJK SC",sans-serif;font-size:22pt;text-align:center;font-weight:normal}
h2{font-family:"SimHei","黑体","Noto Sans CJK SC",sans-serif;font-size:16pt;font-weight:normal;margin:1em 0 .3em}
p{text-indent:2em;margin:0}
""" + """
table.official{border-collapse:collapse;margin:.5em auto 1em;font-size:10pt;line-height:1.4;width:100%}
table.official td{border:1px solid #000;padding:2px 4px;text-align:center;vertical-align:middle}
table.official td.label{text-align:left}
table.official td.value{font-variant-numeric:tabular-nums;min-width:2.5em}
"""

CellAttrs = Callable[[str], dict[str, str]]


def table_html(g: Grid, values: dict[str, str], attrs: CellAttrs | None = None) -> str:
    out = [f'<table class="official" data-table="{g.key}" data-version="{g.version}">']
    for row in g.rows:
        out.append("<tr>")
        for s in row:
            extra: dict[str, str] = {}
            span = (f' rowspan="{s.rowspan}"' if s.rowspan > 1 else "") + (
                f' colspan="{s.colspan}"' if s.colspan > 1 else "")
            if s.role is Role.VALUE:
                cid = s.cell_id or ""
                extra = attrs(cid) if attrs else {}
                cls = " ".join(["value", extra.pop("class", "")]).strip()
                rest = "".join(f' {k}="{escape(v)}"' for k, v in extra.items())
                out.append(f'<td class="{cls}" data-cell="{escape(cid)}"{span}{rest}>'
                           f"{escape(values.get(cid, ''))}</td>")
            else:
                cls = "label" if s.role is Role.LABEL and s.col < 3 else s.role.value
                out.append(f'<td class="{cls}"{span}>{escape(s.text)}</td>')
        out.append("</tr>")
    out.append("</table>")
    return "\n".join(out)


def render_html(doc: Composed) -> str:
    body = [f"<h1>{escape(doc.title)}</h1>"]
    body += [f"<p>{escape(p)}</p>" for p in doc.preamble]
    for section in doc.sections:
        body.append(f"<h2>{escape(section.title)}</h2>")
        body += [f"<p>{escape(p)}</p>" for p in section.paragraphs]
        if section.grid is not None:
            body.append(table_html(section.grid, doc.values))
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{escape(doc.title)}</title>\n<style>{DOCUMENT_CSS}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
