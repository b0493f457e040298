"""User-facing strings in Chinese (default) and English.

Rule texts and finding messages live in the rule catalogue; this holds everything else a user reads.
"""

from __future__ import annotations

from typing import Any

LANGS = ("zh", "en")

MESSAGES: dict[str, dict[str, str]] = {
    # ---- Report store (store/, cli/store.py): ingest, history, show, bodies, regions, stats
    "store.bad_url": {
        "zh": "数据库地址无效：{url}（{reason}）。SQLite 请给文件路径，PostgreSQL 请用 postgresql+psycopg://用户@主机/库名",
        "en": "invalid database URL: {url} ({reason}). Give a file path "
              "for SQLite, or postgresql+psycopg://user@host/dbname",
    },
    "store.needs_driver": {
        "zh": "缺少数据库驱动 {module}（{url}）：请安装 pip install 'zfxxgk[postgres]'",
        "en": "the database driver {module} is missing ({url}): pip install 'zfxxgk[postgres]'",
    },
    "store.unreachable": {
        "zh": "无法连接数据库 {url}：{reason}",
        "en": "cannot connect to the database {url}: {reason}",
    },
    "store.locked": {
        "zh": "数据库 {url} 被另一个程序锁定，等待超时；请稍后再试，或关闭正在写入它的程序",
        "en": "the database {url} is locked by another program and the wait timed "
              "out; try again later or close the program writing to it",
    },
    "store.corrupt": {
        "zh": "{url} 不是可用的 SQLite 数据库（文件损坏或不是数据库）：{reason}",
        "en": "{url} is not a usable SQLite database (damaged, or not a database): {reason}",
    },
    "store.no_folder": {
        "zh": "数据库文件所在的文件夹不存在：{folder}（{url}）",
        "en": "the database file's folder does not exist: {folder} ({url})",
    },
    "store.csv_unreadable": {
        "zh": "无法读取区划文件 {path}：{reason}",
        "en": "cannot read the regions file {path}: {reason}",
    },
    "store.csv_columns": {
        "zh": "区划文件 {path} 缺少列：{missing}（需要 code, name, parent_code, level，可选 aliases）",
        "en": "the regions file {path} lacks columns: {missing} (needs code, name, parent_code, level; aliases optional)",
    },
    "store.csv_row": {"zh": "区划文件第 {line} 行：{reason}", "en": "regions file line {line}: {reason}"},
    "store.csv_level": {
        "zh": "区划文件第 {line} 行：层级“{level}”无效，应为 {levels}",
        "en": "regions file line {line}: level '{level}' is invalid; use one of {levels}",
    },
    "store.csv_duplicate": {
        "zh": "区划文件第 {line} 行：代码 {code} 重复",
        "en": "regions file line {line}: code {code} appears twice",
    },
    "store.csv_parent": {
        "zh": "区划文件第 {line} 行：{code}（{name}）的上级代码 {parent} 不存在（文件和已有区划中都没有）；未导入任何一行",
        "en": "regions file line {line}: the parent code {parent} of {code} ({name}) is "
              "unknown (neither in the file nor in the store); nothing was imported",
    },
    "store.csv_cycle": {
        "zh": "区划文件形成循环：{chain}；未导入任何一行",
        "en": "the regions file makes a cycle: {chain}; nothing was imported",
    },
    "store.imported": {
        "zh": "已导入 {regions} 个区划、{bodies} 个机关（新增 {added}，覆盖 {replaced}）",
        "en": "imported {regions} regions and {bodies} bodies ({added} new, {replaced} replaced)",
    },
    "store.ingest.progress": {"zh": "入库", "en": "ingesting"},
    "store.ingest.line": {
        "zh": "{status}  {source}  →  {body}  {year}{revision}",
        "en": "{status}  {source}  →  {body}  {year}{revision}",
    },
    "store.ingest.revision": {"zh": "（第 {n} 版）", "en": " (version {n})"},
    "store.ingest.summary": {
        "zh": "共 {files} 个文件：新增 {new}，新版本 {revision}，重复 {duplicate}，"
              "无法读取 {unreadable}，改派 {reassigned}；"
              "未匹配机关或年度 {unmatched}（zfxxgk bodies --unmatched 查看）；有错误的报告 {errors}",
        "en": "{files} files: {new} new, {revision} new versions, {duplicate} duplicates, {unreadable} unreadable, "
              "{reassigned} reassigned; {unmatched} without a body or year (see zfxxgk bodies --unmatched); "
              "{errors} reports with errors",
    },
    "store.status.new": {"zh": "新增", "en": "new"},
    "store.status.revision": {"zh": "新版本", "en": "new version"},
    "store.status.duplicate": {"zh": "重复", "en": "duplicate"},
    "store.status.unreadable": {"zh": "无法读取", "en": "unreadable"},
    "store.status.reassigned": {"zh": "改派", "en": "reassigned"},
    "store.match.matched": {"zh": "已匹配", "en": "matched"},
    "store.match.assigned": {"zh": "指定", "en": "assigned"},
    "store.match.unresolved": {"zh": "无法确定", "en": "unresolved"},
    "store.match.ambiguous": {"zh": "有歧义", "en": "ambiguous"},
    "store.match.no_year": {"zh": "缺少年度", "en": "no year"},
    "store.no_body": {
        "zh": "库中没有这个机关：{body}（zfxxgk bodies 列出全部机关）",
        "en": "no such body in the store: {body} (zfxxgk bodies lists them)",
    },
    "store.no_report": {"zh": "{body} 没有 {year} 年度的报告", "en": "{body} has no report for {year}"},
    "store.no_revision": {"zh": "{body} {year} 年度没有第 {n} 版", "en": "{body} has no version {n} for {year}"},
    "store.col.revision": {"zh": "版本", "en": "version"},
    "store.col.current": {"zh": "当前", "en": "current"},
    "store.col.file": {"zh": "文件", "en": "file"},
    "store.col.sha": {"zh": "sha256", "en": "sha256"},
    "store.col.ingested": {"zh": "入库时间", "en": "ingested"},
    "store.col.findings": {"zh": "错误/警告/提示", "en": "errors/warnings/notes"},
    "store.col.body": {"zh": "机关", "en": "body"},
    "store.col.region": {"zh": "区划", "en": "region"},
    "store.col.reports": {"zh": "报告数", "en": "reports"},
    "store.col.years": {"zh": "年度", "en": "years"},
    "store.col.printed": {"zh": "报告上的名称", "en": "printed name"},
    "store.col.reason": {"zh": "原因", "en": "reason"},
    "store.col.candidates": {"zh": "候选或建议", "en": "candidates or suggestions"},
    "store.col.measure": {"zh": "指标", "en": "measure"},
    "store.col.value": {"zh": "数值", "en": "value"},
    "store.history.title": {"zh": "{body} {year} 年度报告的版本", "en": "Versions of {body}'s report for {year}"},
    "store.bodies.none_unmatched": {"zh": "所有报告都已匹配机关和年度", "en": "every report has a body and a year"},
    "store.bodies.assign_hint": {
        "zh": "用 zfxxgk ingest 文件 --body 机关名称 [--year 年度] 指定",
        "en": "assign with zfxxgk ingest FILE --body NAME [--year YEAR]",
    },
    "store.stats.no_region": {"zh": "没有这个区划代码：{code}", "en": "no such region code: {code}"},
    "store.stats.title": {
        "zh": "{name}（{code}）{year} 年度汇总：{reports} 份报告",
        "en": "{name} ({code}), {year}: {reports} reports",
    },
    "store.stats.children": {"zh": "下级区划", "en": "child regions"},
    "store.stats.missing": {
        "zh": "上年有报告、本年没有报告的机关（{n}）：{names}",
        "en": "bodies with a report last year but none this year ({n}): {names}",
    },
    "store.stats.summary_check": {
        "zh": "提示 {body} 的报告自称汇总全区域：“{cell}” 报告为 {reported}，下级报告合计 {summed}",
        "en": "note: {body}'s report declares it summarises the region: '{cell}' "
              "reports {reported}, the child reports sum to {summed}",
    },
    "store.stats.written": {"zh": "已写出 {path}", "en": "written: {path}"},
    "store.check.no_reports": {"zh": "库中没有当前报告：{url}", "en": "no current reports in the store: {url}"},
    "store.previous.unreadable": {
        "zh": "无法读取上年报告 {path}：{reason}",
        "en": "cannot read last year's report {path}: {reason}",
    },
    "store.rate.received": {"zh": "申请总数（新收 + 上年结转）", "en": "applications (new + carried over)"},
    "store.rate.handled": {"zh": "办结总数（（七）总计）", "en": "handled ((七) total)"},
    "store.rate.granted": {"zh": "予以公开率", "en": "share granted"},
    "store.rate.granted_or_partial": {"zh": "予以公开和部分公开率", "en": "share granted in full or in part"},
    "store.rate.withheld": {"zh": "不予公开率", "en": "share withheld"},
    "store.rate.unable": {"zh": "无法提供率", "en": "share unable to provide"},
    "store.rate.rejected": {"zh": "不予处理率", "en": "share not processed"},
    "store.rate.review_corrected": {"zh": "行政复议纠错率", "en": "corrected on administrative review"},
    "store.rate.litigation_corrected": {"zh": "行政诉讼纠错率", "en": "corrected in court"},
    # Reading
    "read.empty": {"zh": "文件为空", "en": "the file is empty"},
    "read.binary": {
        "zh": "不是文本文件（含有二进制内容），也不是可识别的报告格式",
        "en": "not a text file (binary content) and not a recognised report format",
    },
    "read.encoding": {
        "zh": "无法确定文本编码（既不是 UTF-8/UTF-16，也不是 GB18030/GBK）",
        "en": "cannot determine the text encoding (not UTF-8/UTF-16, not GB18030/GBK)",
    },
    "read.too_large": {
        "zh": "文件过大（{size}，上限 {limit}）：年度报告不会这么大，请检查文件或调高 --max-size",
        "en": "file too large ({size}, limit {limit}): an annual report is never this big; "
        "check the file or raise --max-size",
    },
    "read.unsupported": {
        "zh": "暂不支持的文件类型：{kind}",
        "en": "unsupported file type: {kind}",
    },
    "read.os": {"zh": "无法读取文件：{reason}", "en": "cannot read the file: {reason}"},
    "read.not_regular": {
        "zh": "不是普通文件（设备、管道或套接字），已跳过",
        "en": "not a regular file (device, pipe or socket); skipped",
    },
    # Reading Word, HTML, Excel (readers/docx.py, html.py, xlsx.py, libreoffice.py)
    "read.corrupt": {
        "zh": "文件已损坏或不完整，无法作为 {kind} 打开",
        "en": "the file is damaged or incomplete and cannot be opened as {kind}",
    },
    "read.zip_bomb": {
        "zh": "{kind} 文件解压后异常巨大（{reason}），疑似压缩炸弹，已拒绝",
        "en": "{kind} file would expand to an abnormal size ({reason}); refused as a likely zip bomb",
    },
    "read.xml_dtd": {
        "zh": "{kind} 文件的 XML 部件 {part} 含有 DTD/实体声明（正常文档没有），为防外部实体攻击已拒绝",
        "en": "{kind} file has a DTD/entity declaration in XML part {part} (normal documents have none); "
        "refused to prevent entity attacks",
    },
    "read.encrypted": {
        "zh": "文件有密码保护（已加密），请先解除密码后再检查",
        "en": "the file is password-protected (encrypted); remove the password first",
    },
    "read.missing_extra": {
        "zh": "读取 {kind} 需要 Python 包 {package}，请安装：pip install 'zfxxgk[{extra}]'",
        "en": "reading {kind} needs the Python package {package}: pip install 'zfxxgk[{extra}]'",
    },
    "read.no_libreoffice": {
        "zh": "读取 {kind} 需要 LibreOffice（未找到 soffice）。请安装（Debian/Ubuntu：apt-get install -y "
        "libreoffice-writer-nogui），或将文件另存为 .docx",
        "en": "reading {kind} needs LibreOffice (soffice not found). Install it (Debian/Ubuntu: apt-get install -y "
        "libreoffice-writer-nogui) or save the file as .docx",
    },
    "read.convert_timeout": {
        "zh": "LibreOffice 转换 {kind} 文件超时（{seconds} 秒），已终止转换",
        "en": "LibreOffice did not convert the {kind} file within {seconds} s; conversion stopped",
    },
    "read.convert_failed": {
        "zh": "LibreOffice 无法转换该 {kind} 文件：{reason}",
        "en": "LibreOffice could not convert the {kind} file: {reason}",
    },
    "read.html_too_complex": {
        "zh": "网页过大或过于复杂（超过 {limit} 个元素），已拒绝；年度报告网页不会这么复杂",
        "en": "web page too large or complex (over {limit} elements); refused: a report page is never this complex",
    },
    "read.image_only": {
        "zh": "是图片文件（{kind}），不是文字版报告：扫描件需先进行文字识别（OCR）",
        "en": "an image file ({kind}), not a text report: scans need OCR first",
    },
    "read.unsupported_legacy": {
        "zh": "暂不支持的文件类型：{kind}（请另存为 .xlsx 或 .docx 后再检查）",
        "en": "unsupported file type: {kind} (save it as .xlsx or .docx and check again)",
    },
    # Reading PDF and images (readers/pdf.py, ocr.py, image.py)
    "read.pdf_truncated": {
        "zh": "PDF 文件不完整（文件末尾缺少 %%EOF 结束标记），可能下载中断，请重新获取完整文件",
        "en": "the PDF is incomplete (no %%EOF marker at its end), perhaps a broken download; get the whole file again",
    },
    "read.pdf_no_pages": {"zh": "PDF 文件没有任何页面", "en": "the PDF has no pages"},
    "read.pdf_too_many_pages": {
        "zh": "PDF 共 {pages} 页，超过上限 {limit} 页：年度报告不会这么长，已拒绝（可拆分后再检查）",
        "en": "the PDF has {pages} pages, over the limit of {limit}: an annual report is never this long; "
        "refused (split it and check the parts)",
    },
    "read.image_too_large": {
        "zh": "图片过大（{pixels} 像素，上限 {limit}），已拒绝",
        "en": "image too large ({pixels} pixels, limit {limit}); refused",
    },
    "read.image_corrupt": {
        "zh": "图片文件已损坏或无法解码（{kind}）",
        "en": "the image ({kind}) is damaged or cannot be decoded",
    },
    "read.no_ocr": {
        "zh": "{kind}没有文字层，需要文字识别（OCR）：请安装 pip install 'zfxxgk[ocr]'（rapidocr、onnxruntime）",
        "en": "{kind} has no text layer and needs OCR: pip install 'zfxxgk[ocr]' (rapidocr, onnxruntime)",
    },
    "read.internal": {
        "zh": "读取时发生内部错误（{kind}）：{reason}。请将文件发给维护者",
        "en": "internal error while reading ({kind}): {reason}. Please send the file to the maintainers",
    },
    "read.message": {"zh": "{message}", "en": "{message}"},
    # Report data given as JSON (render, export, --prefill)
    "data.not_object": {
        "zh": "不是报告数据：JSON 顶层应为对象（{{…}}），实际是 {kind}",
        "en": "not report data: the JSON must be an object ({{…}}), not {kind}",
    },
    "data.missing": {
        "zh": "不是报告数据：缺少 {fields}（报告数据至少要有 cells，以及 version 或 year）",
        "en": "not report data: {fields} missing (report data needs cells and a version or year)",
    },
    "data.bad_field": {"zh": "报告数据的 {field} 无效：{reason}", "en": "report data: invalid {field}: {reason}"},
    "data.unknown_cells": {
        "zh": "报告数据有 {n} 个未知的单元格编号：{cells}（编号见 spec/cells.md）",
        "en": "report data has {n} unknown cell ids: {cells} (see spec/cells.md)",
    },
    "data.bad_json": {"zh": "JSON 无法解析（第 {line} 行）：{reason}", "en": "invalid JSON (line {line}): {reason}"},
    "data.empty": {"zh": "没有报告数据", "en": "no report data"},
    "data.unreadable": {"zh": "{problem}", "en": "{problem}"},
    "data.several": {
        "zh": "文件中有 {n} 份报告，这里只能用一份（可先用 export 或拆分文件）",
        "en": "the file holds {n} reports; this takes one (split the file first)",
    },
    "data.no_tables": {
        "zh": "没有找到报告表格的数据（表二、表三、表四都未识别），不能据此生成报告",
        "en": "no report table data found (none of tables 2–4 recognised); cannot write a report from it",
    },
    # CLI
    "cli.no_such_path": {"zh": "路径不存在：{path}", "en": "no such path: {path}"},
    "cli.no_files": {"zh": "没有找到可检查的文件：{path}", "en": "no files to check under: {path}"},
    "cli.unknown_rule": {"zh": "没有这条规则：{code}", "en": "no such rule: {code}"},
    "cli.bad_lang": {"zh": "不支持的语言：{lang}（可用 zh、en）", "en": "unsupported language: {lang} (zh, en)"},
    "cli.summary": {
        "zh": "共 {reports} 份报告：{errors} 个错误，{warnings} 个警告，{infos} 条提示，{failed} 份无法读取",
        "en": "{reports} reports: {errors} errors, {warnings} warnings, {infos} notes, {failed} unreadable",
    },
    "cli.version": {"zh": "格式版本", "en": "format version"},
    "cli.version_none": {"zh": "未识别", "en": "not recognised"},
    "cli.body": {"zh": "机关", "en": "body"},
    "cli.year": {"zh": "年度", "en": "year"},
    "cli.title": {"zh": "标题", "en": "title"},
    "cli.published": {"zh": "发布日期", "en": "published"},
    "cli.signed": {"zh": "落款日期", "en": "signed"},
    "cli.encoding": {"zh": "编码", "en": "encoding"},
    "cli.cells": {"zh": "单元格", "en": "cells"},
    "cli.cells_stat": {
        "zh": "{total} 个：{numbers} 个有数值，{blank} 个空白或“/”，{unread} 个无法识别，{missing} 个未找到",
        "en": "{total}: {numbers} with a number, {blank} blank or N/A, {unread} unreadable, {missing} not found",
    },
    "cli.sections": {"zh": "章节", "en": "sections"},
    "cli.pages": {"zh": "页面", "en": "pages"},
    "cli.pages.text": {"zh": "文字层", "en": "text layer"},
    "cli.pages.ocr": {"zh": "OCR 识别", "en": "OCR"},
    "cli.pages.unread": {"zh": "未能读取", "en": "unread"},
    "cli.pages.empty": {"zh": "空白页", "en": "empty"},
    "cli.pages.garbled": {"zh": "文字层乱码（已 OCR）", "en": "garbled text layer (OCR)"},
    # OCR of scans (readers/ocr.py): pages whose full-width prose lines were not recognised
    "cli.pages.prose_unread": {"zh": "OCR 未识别正文段落（仅表格、标题）", "en": "OCR: prose not read (tables, titles)"},
    "cli.no_findings": {"zh": "未发现问题", "en": "no findings"},
    "cli.col.severity": {"zh": "级别", "en": "severity"},
    "cli.col.code": {"zh": "规则", "en": "rule"},
    "cli.col.message": {"zh": "说明", "en": "message"},
    "cli.col.where": {"zh": "位置", "en": "where"},
    "cli.col.cells": {"zh": "单元格", "en": "cells"},
    "cli.col.value": {"zh": "值", "en": "value"},
    "cli.col.raw": {"zh": "原文", "en": "raw"},
    "cli.not_found": {"zh": "（未找到）", "en": "(not found)"},
    "cli.bad_deadline": {
        "zh": "--deadline 应为 月-日（如 01-31）：{value}",
        "en": "--deadline must be MM-DD (e.g. 01-31): {value}",
    },
    "cli.col.severity_rule": {"zh": "级别", "en": "severity"},
    "cli.col.versions": {"zh": "适用格式", "en": "formats"},
    "cli.col.title": {"zh": "名称", "en": "title"},
    "cli.unreadable": {"zh": "无法读取", "en": "unreadable"},
    "cli.explanation": {"zh": "说明", "en": "explanation"},
    "cli.example": {"zh": "示例", "en": "example"},
    "severity.error": {"zh": "错误", "en": "error"},
    "severity.warning": {"zh": "警告", "en": "warning"},
    "severity.info": {"zh": "提示", "en": "info"},
    # Outputs: forms, generated reports, exports, review pages (outputs/)
    "form.bad_year": {"zh": "年度无效：{year}（须为 2019 年及以后）", "en": "invalid year: {year} (2019 or later)"},
    "form.missing_sheet": {"zh": "填报表缺少工作表“{sheet}”", "en": "the form has no sheet “{sheet}”"},
    "form.bad_cell": {"zh": "{where}：{reason}（填的是“{value}”）", "en": "{where}: {reason} (found “{value}”)"},
    "form.not_number": {"zh": "不是数字", "en": "not a number"},
    "form.not_whole": {"zh": "件数必须是整数", "en": "counts must be whole numbers"},
    "form.negative": {"zh": "不能为负数", "en": "must not be negative"},
    "form.instructions": {
        "zh": "在表二、表三、表四的淡黄色单元格中填写数字（件数填整数，金额单位为万元），没有的填 0；"
        "填好后运行：zfxxgk render 本文件 --to docx -o 报告.docx",
        "en": "Fill the pale yellow cells of 表二/表三/表四 with numbers (counts whole, amounts in 万元), 0 where none; "
        "then run: zfxxgk render THIS_FILE --to docx -o report.docx",
    },
    "render.stopped": {
        "zh": "数据有 {n} 个错误，未生成报告（确认无误可加 --force 强制生成）：",
        "en": "the data has {n} errors; no report written (add --force to write it anyway):",
    },
    "render.filled": {
        "zh": "{n} 个空白或“/”单元格按 0 填写：{cells}",
        "en": "{n} blank or N/A cells written as 0: {cells}",
    },
    "render.unreadable": {
        "zh": "{n} 个单元格没有数字（无法识别或缺失），按 0 填写：{cells}",
        "en": "{n} cells have no number (unreadable or missing), written as 0: {cells}",
    },
    "render.mixed": {
        "zh": "{table} 的数据按 {version} 年版格式的单元格填报，按该格式生成",
        "en": "{table} holds cells of the {version} format and is written in that layout",
    },
    "render.prefilled": {
        "zh": "“上年结转”按上年报告“结转下年度继续办理”填写：{cells}",
        "en": "carried_over filled from last year's carried_forward: {cells}",
    },
    "render.prefill_differs": {
        "zh": "{cell}：本年填 {value}，上年报告结转 {last}",
        "en": "{cell}: {value} this year, last year's report carried forward {last}",
    },
    "render.in_force": {
        "zh": "{cell}：上年 {last}，本年 {value}",
        "en": "{cell}: last year {last}, this year {value}",
    },
    "render.written": {"zh": "已生成：{path}", "en": "written: {path}"},
    "render.no_report": {"zh": "没有可生成的报告数据：{path}", "en": "no report data in: {path}"},
    "render.bad_input": {"zh": "无法读取报告数据 {path}：{reason}", "en": "cannot read report data {path}: {reason}"},
    "render.failed": {"zh": "生成失败：{reason}", "en": "generation failed: {reason}"},
    "render.needs_out": {"zh": "生成 {to} 需要用 -o 指定输出文件", "en": "--to {to} needs an output file (-o)"},
    "export.written": {
        "zh": "已导出 {reports} 份报告（{shape}）到 {path}",
        "en": "exported {reports} reports ({shape}) to {path}",
    },
    "export.no_output": {
        "zh": "请至少指定一个输出：--csv、--xlsx、--parquet 或 --jsonl",
        "en": "give at least one output: --csv, --xlsx, --parquet or --jsonl",
    },
    "export.needs_pyarrow": {
        "zh": "导出 Parquet 需要 pyarrow：pip install 'zfxxgk[parquet]'",
        "en": "Parquet export needs pyarrow: pip install 'zfxxgk[parquet]'",
    },
    "review.written": {"zh": "已写出核查报告：{path}", "en": "review written: {path}"},
    "review.title": {"zh": "政府信息公开工作年度报告核查结果", "en": "Annual disclosure reports: review"},
    "review.generated": {"zh": "共 {reports} 份报告", "en": "{reports} reports"},
    "review.summary": {"zh": "汇总", "en": "Summary"},
    "review.unit": {"zh": "单位", "en": "body"},
    "review.file": {"zh": "文件", "en": "file"},
    "review.year": {"zh": "年度", "en": "year"},
    "review.version": {"zh": "格式", "en": "format"},
    "review.errors": {"zh": "错误", "en": "errors"},
    "review.warnings": {"zh": "警告", "en": "warnings"},
    "review.infos": {"zh": "提示", "en": "notes"},
    "review.top_rules": {"zh": "最常见的问题（按规则）", "en": "Most frequent findings (by rule)"},
    "review.no_findings": {"zh": "未发现问题", "en": "no findings"},
    "review.findings": {"zh": "发现的问题", "en": "Findings"},
    "review.where": {"zh": "原文位置", "en": "source location"},
    "review.cells": {"zh": "涉及单元格", "en": "cells"},
    "review.unreadable": {"zh": "无法读取", "en": "unreadable"},
    "review.show_only_problems": {"zh": "只看有问题的报告", "en": "only reports with findings"},
    "review.legend": {
        "zh": "表中标色的单元格是问题涉及的单元格；鼠标移到单元格上可看到问题说明。",
        "en": "Coloured cells are the cells a finding names; hover a cell to see the finding.",
    },
    "review.sheet_findings": {"zh": "问题", "en": "findings"},
    "review.sheet_cells": {"zh": "单元格数值", "en": "cell values"},
    "review.col.rule": {"zh": "规则", "en": "rule"},
    "review.col.severity": {"zh": "级别", "en": "severity"},
    "review.col.message": {"zh": "说明", "en": "message"},
    "review.col.source": {"zh": "文件", "en": "file"},
    # Hostile and broken files (issue 14, docs/security.md)
    "read.link_outside": {
        "zh": "符号链接指向所检查文件夹之外（{target}），未读取",
        "en": "a symbolic link leading outside the folder being read ({target}); not read",
    },
    "read.report_data": {"zh": "报告数据无效：{reason}", "en": "invalid report data: {reason}"},
    "read.too_deep": {
        "zh": "文件嵌套层数过多（超过 {limit} 层），无法作为报告读取",
        "en": "the file is nested too deeply (over {limit} levels) to be read as a report",
    },
    "read.out_of_memory": {
        "zh": "读取此文件需要的内存过多，已放弃",
        "en": "reading this file needs too much memory; given up",
    },
    "read.table_too_large": {
        "zh": "表格的合并单元格范围过大（{cells} 个单元格位置，上限 {limit}），不是年度报告的表格",
        "en": "the table's merged cells cover too much ({cells} grid positions, limit {limit}); not a report table",
    },
    "read.too_many_cells": {
        "zh": "工作表单元格过多（{cells} 个，上限 {limit}），不是年度报告",
        "en": "too many worksheet cells ({cells}, limit {limit}); not an annual report",
    },
    "read.image_shape": {
        "zh": "图片尺寸异常（{width}×{height} 像素），不是报告页面的扫描件",
        "en": "odd image size ({width}×{height} pixels); not a scanned report page",
    },
    "read.page_too_complex": {
        "zh": "PDF 第 {page} 页的文字过多（{glyphs} 个字符，上限 {limit}），不是年度报告的页面",
        "en": "PDF page {page} holds too much text ({glyphs} characters, limit {limit}); not a report page",
    },
    "cli.bad_max_size": {
        "zh": "--max-size 应为大于 0 的有限数（MB）：{value}",
        "en": "--max-size must be a finite number of MB above 0: {value}",
    },
    "cli.output_is_dir": {
        "zh": "输出路径是一个文件夹，请给出文件名：{path}",
        "en": "the output path is a folder; give a file name: {path}",
    },
    "cli.output_no_folder": {
        "zh": "输出文件所在的文件夹不存在：{folder}（{path}）",
        "en": "the output file's folder does not exist: {folder} ({path})",
    },
    "cli.output_is_input": {
        "zh": "输出文件就是输入文件之一，不能覆盖输入：{path}",
        "en": "the output file is one of the inputs; an input is never overwritten: {path}",
    },
    "export.failed": {"zh": "无法写出 {path}：{reason}", "en": "cannot write {path}: {reason}"},
    "export.skipped": {"zh": "已跳过 {path}：{reason}", "en": "skipped {path}: {reason}"},
    "data.bad_record": {
        "zh": "报告数据的字段类型不对：{reason}",
        "en": "report data: a field of the wrong type: {reason}",
    },
    # ---- Batches (batch/, check/export/ingest -j, --resume)
    "read.timeout": {
        "zh": "读取此文件超过时间限制（{seconds:g} 秒），已放弃",
        "en": "reading this file took longer than the time limit ({seconds:g} s); given up",
    },
    "read.crashed": {
        "zh": "读取此文件时工作进程意外退出（{how}），已放弃",
        "en": "the worker process died while reading this file ({how}); given up",
    },
    "read.worker_error": {
        "zh": "读取此文件时工作进程出错（{kind}：{reason}）",
        "en": "the worker process failed on this file ({kind}: {reason})",
    },
    "batch.progress": {"zh": "核对", "en": "checking"},
    "batch.rate": {"zh": "{rate} 份/秒", "en": "{rate}/s"},
    "batch.counts": {"zh": "有错误 {errors} · 无法读取 {unreadable}", "en": "errors {errors} · unreadable {unreadable}"},
    "batch.line": {
        "zh": "已处理 {done}/{total} 个文件（{rate} 份/秒；有错误 {errors}，无法读取 {unreadable}）",
        "en": "{done}/{total} files done ({rate}/s; {errors} with errors, {unreadable} unreadable)",
    },
    "batch.interrupted": {
        "zh": "已中断：完成 {done}/{total} 个文件。加 --resume 重新运行可接着处理其余文件",
        "en": "interrupted: {done}/{total} files done. Run again with --resume to do the rest",
    },
    "batch.resumed": {
        "zh": "--resume：跳过已完成的 {skipped} 个文件，处理其余 {rest} 个",
        "en": "--resume: skipping {skipped} files already done, doing the other {rest}",
    },
    "batch.resume_needs_output": {
        "zh": "--resume 需要一个输出文件（--jsonl FILE）或报告库（ingest）",
        "en": "--resume needs an output file (--jsonl FILE) or the store (ingest)",
    },
    "collect.no_urls": {"zh": "没有给出网址（URL 参数或 --urls FILE）", "en": "no URL given (arguments or --urls FILE)"},
    "collect.failed": {"zh": "未能下载 {url}：{reason}", "en": "could not download {url}: {reason}"},
    "collect.summary": {"zh": "已收集 {files} 个文件，缓存于 {cache}", "en": "{files} files collected, cached in {cache}"},
    "collect.problem.http": {"zh": "服务器返回 HTTP {code}", "en": "the server answered HTTP {code}"},
    "collect.problem.timeout": {"zh": "超时", "en": "timed out"},
    "collect.problem.too_large": {"zh": "文件超过大小上限", "en": "the file is over the size limit"},
    "collect.problem.redirect_loop": {"zh": "重定向循环", "en": "a redirect loop"},
    "collect.problem.unreachable": {"zh": "无法连接", "en": "cannot connect"},
    "collect.problem.bad_url": {"zh": "不是 http(s) 网址", "en": "not an http(s) URL"},
}


def t(key: str, lang: str = "zh", **args: Any) -> str:
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["zh"]
    return text.format(**args) if args else text
