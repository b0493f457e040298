"""Sniffing by content, and input that must be refused with a clear message."""

from __future__ import annotations

import io
import sys
import zipfile
from pathlib import Path

import pytest

from zfxxgk.errors import ReadError
from zfxxgk.pipeline import parse_bytes, parse_file
from zfxxgk.readers import read_bytes, sniff
from zfxxgk.readers.libreoffice import read_converted

from .conftest import hang_guard
from .office_helpers import TEMPLATE_2021

TEMPLATE = TEMPLATE_2021.read_bytes()


def _zip(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _template_parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(TEMPLATE)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.parametrize(("data", "kind"), [
    (TEMPLATE, "docx"),
    (_zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}), "xlsx"),
    (_zip({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}), "odt"),
    (_zip({"a.txt": b"x"}), "zip"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "WordDocument".encode("utf-16-le"), "doc"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "Workbook".encode("utf-16-le"), "xls"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le"), "encrypted"),
    (b"{\\rtf1\\ansi hello}", "rtf"),
    (b"%PDF-1.7\n", "pdf"),
    (b"\n\n<!DOCTYPE html><html><body>x</body></html>", "html"),
    (b"<!-- saved from url -->\n<html>", "html"),
    ("<table><tr><td>规章</td></tr></table>".encode("gb18030"), "html"),
    (b'<?xml version="1.0"?><?mso-application progid="Word.Document"?><w:wordDocument/>', "wordml"),
    (b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=x\r\n", "mht"),
    ("一、总体情况\n本机关".encode(), "text"),
])
def test_sniff_by_content(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


@pytest.mark.parametrize(("data", "zh", "en"), [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "Workbook".encode("utf-16-le"), "另存为 .xlsx", "save it as .xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptedPackage".encode("utf-16-le"), "密码", "password"),
    (_zip({"a.txt": b"x"}), "暂不支持的文件类型：zip", "unsupported file type: zip"),
])
def test_unsupported_kinds_say_what_to_do(data: bytes, zh: str, en: str) -> None:
    with pytest.raises(ReadError) as info:
        read_bytes(data)
    assert zh in info.value.message("zh") and en in info.value.message("en")


def test_truncated_docx() -> None:
    data = TEMPLATE[: len(TEMPLATE) // 2]
    assert sniff(data) == "docx"
    report = parse_bytes(data)
    assert report.error is not None and report.error.message() == "文件已损坏或不完整，无法作为 Word (.docx) 打开"
    with pytest.raises(ReadError) as info:
        read_bytes(data)
    assert info.value.message("en") == "the file is damaged or incomplete and cannot be opened as Word (.docx)"


def test_zip_bomb_refused_before_python_docx_opens_it(monkeypatch: pytest.MonkeyPatch) -> None:
    import docx

    parts = _template_parts()
    parts["word/media/bomb.xml"] = b" " * (30 * 1024 * 1024)  # 30 MB of spaces deflate to ~30 KB
    data = _zip(parts)
    assert len(data) < 200_000

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("python-docx must not be called")

    monkeypatch.setattr(docx, "Document", never)
    with pytest.raises(ReadError) as info:
        read_bytes(data)
    assert info.value.key == "zip_bomb"
    assert "压缩炸弹" in info.value.message("zh") and "zip bomb" in info.value.message("en")


def test_external_entity_is_refused_and_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    parts = _template_parts()
    xml = parts["word/document.xml"].decode("utf-8")
    head, rest = xml.split("?>", 1)
    dtd = f'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>'
    xml = head + "?>" + dtd + rest.replace("（文字描述）", "&xxe;", 1)
    parts["word/document.xml"] = xml.encode("utf-8")
    data = _zip(parts)
    with pytest.raises(ReadError) as info:
        read_bytes(data)
    assert info.value.key == "xml_dtd" and "word/document.xml" in info.value.message("zh")
    # Even without our guard, python-docx's parser does not resolve entities.
    from docx.oxml.parser import parse_xml

    element = parse_xml(xml.encode("utf-8"))
    assert "TOP-SECRET-VALUE" not in "".join(element.itertext())


def test_html_of_30_mb_is_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    """Refused before the HTML parser runs (timings: bench/bench_bad_input.py)."""
    from selectolax import lexbor

    row = "<tr><td>规章</td><td>1</td><td>2</td><td>3</td></tr>\n"
    page = ("<html><body><table>" + row * (30 * 1024 * 1024 // len(row.encode())) + "</table></body></html>").encode()
    assert len(page) > 29 * 1024 * 1024

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("the HTML parser must not be started on this page")

    monkeypatch.setattr(lexbor, "LexborHTMLParser", never)
    with hang_guard(), pytest.raises(ReadError) as info:
        read_bytes(page)
    assert info.value.key == "html_too_complex"
    assert "过于复杂" in info.value.message("zh")


def test_html_of_30_mb_file_is_refused_by_size(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_bytes(b"<html><body><p>" + b"a" * (30 * 1024 * 1024) + b"</p></body></html>")
    report = parse_file(path)
    assert report.error is not None and "文件过大" in report.error.message()


@pytest.mark.slow
def test_plain_html_of_15_mb_reads_in_bounded_time() -> None:
    page = ("<html><body>" + "<p>本机关认真贯彻落实政府信息公开条例。</p>\n" * 250_000 + "</body></html>").encode()
    with hang_guard():
        doc = read_bytes(page)
    assert len(doc.paragraphs) == 250_000


@pytest.mark.libreoffice
def test_doc_conversion_timeout_kills_libreoffice() -> None:
    data = b"{\\rtf1\\ansi report\\par}"
    with pytest.raises(ReadError) as info:
        read_converted(data, "rtf", timeout=0.05)
    assert info.value.key == "convert_timeout"
    assert info.value.message("zh") == "LibreOffice 转换 RTF 文件超时（0.05 秒），已终止转换"
    assert info.value.message("en") == "LibreOffice did not convert the RTF file within 0.05 s; conversion stopped"


def test_missing_libreoffice_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZFXXGK_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(ReadError) as info:
        read_bytes(b"{\\rtf1\\ansi report\\par}")
    assert info.value.key == "no_libreoffice"
    assert "apt-get install -y libreoffice-writer-nogui" in info.value.message("zh")


def test_missing_python_extra_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "docx", None)  # import docx now raises ImportError
    with pytest.raises(ReadError) as info:
        read_bytes(TEMPLATE)
    assert info.value.message("zh") == "读取 Word (.docx) 需要 Python 包 python-docx，请安装：pip install 'zfxxgk[docx]'"
    monkeypatch.setitem(sys.modules, "selectolax.lexbor", None)
    with pytest.raises(ReadError) as info:
        read_bytes(b"<html><p>x</p></html>")
    assert info.value.message("en") == "reading HTML needs the Python package selectolax: pip install 'zfxxgk[html]'"
