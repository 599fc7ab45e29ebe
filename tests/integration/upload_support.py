"""Hostile and broken spend files for the upload tests, made in memory (nothing big on disk).

Each builder is cached: a test run makes the big ones (the zip bomb, the million-row sheets)
once, whichever tests use them.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from functools import cache

import openpyxl

from tests.unit.spendfiles.builders import with_entries

HEADER = ["Payment Date", "Supplier Name", "Net Amount", "Transaction Number"]
MAIN_NS = b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
ONE_MILLION = 1_000_000
SUPPLIERS = 5000

# "Billion laughs": nine levels of ten, so &lol9; would expand to 10**9 "lol"s (3 GB).
LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 "lol">\n'
    + b"".join(b'<!ENTITY lol%d "%s">\n' % (n, b"&lol%d;" % (n - 1) * 10) for n in range(1, 10))
    + b"]>\n"
)


def workbook_bytes(rows: list[list[object]], *, title: str = "Spend") -> bytes:
    """A real workbook (openpyxl) of one sheet; text goes to sharedStrings.xml."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return steady(out.getvalue())


FIXED_TIME = (2024, 4, 1, 0, 0, 0)
_STAMP = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def steady(workbook: bytes) -> bytes:
    """The same workbook with its save times fixed, so that equal rows give equal bytes.

    Hypothesis replays a test case by drawing again from what the strategies build; a
    workbook saved a second later (zip entry times, docProps/core.xml) differed in length
    and made it report the strategy as flaky.
    """
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(workbook)) as source,
        zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                body = _STAMP.sub(b"2024-04-01T00:00:00Z", body)
            target.writestr(zipfile.ZipInfo(info.filename, FIXED_TIME), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def small_workbook() -> bytes:
    return workbook_bytes(
        [HEADER, ["01/04/2024", "Acme Ltd", 100.5, "T1"], ["02/04/2024", "Beta plc", 20, "T2"]]
    )


_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE = "http://schemas.openxmlformats.org/package/2006"
_SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_RELATIONSHIPS = "application/vnd.openxmlformats-package.relationships+xml"


def _relationships(*targets: tuple[str, str]) -> bytes:
    """A .rels part: (relationship type, target) pairs."""
    body = "".join(
        f'<Relationship Id="rId{n}" Type="{_OFFICE}/{kind}" Target="{target}"/>'
        for n, (kind, target) in enumerate(targets, start=1)
    )
    return f'<Relationships xmlns="{_PACKAGE}/relationships">{body}</Relationships>'.encode()


def _workbook_parts(
    sheet_xml_writer, shared_strings: bytes | None = None, *, level: int = 6
) -> bytes:
    """A minimal valid .xlsx whose first sheet's XML is streamed by the given writer."""
    overrides = (
        ("/xl/workbook.xml", "sheet.main+xml"),
        ("/xl/worksheets/sheet1.xml", "worksheet+xml"),
        ("/xl/sharedStrings.xml", "sharedStrings+xml"),
    )
    content_types = (
        f'<Types xmlns="{_PACKAGE}/content-types">'
        f'<Default Extension="rels" ContentType="{_RELATIONSHIPS}"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        + "".join(
            f'<Override PartName="{part}" ContentType="{_SPREADSHEET}.{kind}"/>'
            for part, kind in overrides
        )
        + "</Types>"
    ).encode()
    root_rels = _relationships(("officeDocument", "xl/workbook.xml"))
    workbook = (
        b"<workbook "
        + MAIN_NS
        + f' xmlns:r="{_OFFICE}">'.encode()
        + b'<sheets><sheet name="Spend" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    workbook_rels = _relationships(
        ("worksheet", "worksheets/sheet1.xml"), ("sharedStrings", "sharedStrings.xml")
    )
    out = io.BytesIO()
    strings = shared_strings or b"<sst " + MAIN_NS + b' count="0" uniqueCount="0"/>'
    with zipfile.ZipFile(
        out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=level
    ) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("xl/sharedStrings.xml", strings)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            sheet_xml_writer(entry)
    return out.getvalue()


@cache
def million_row_xlsx() -> bytes:
    """A header and 1,000,000 rows of spend, the sheet XML written straight into the zip."""
    # Rows without "r" take the next number, and cells without "r" the next column, as the
    # standard allows. A block of 2,000 distinct rows (~130 KB, four times deflate's window,
    # so the zip compresses like any sheet, ~10:1) is written 500 times.
    block = b"".join(
        b'<row><c><v>%d</v></c><c t="s"><v>%d</v></c><c><v>%d.5</v></c></row>'
        % (45383 + n % 300, n % SUPPLIERS, n % 900)
        for n in range(2000)
    )

    def write(entry) -> None:
        entry.write(
            b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + MAIN_NS + b"><sheetData>"
        )
        entry.write(
            b"<row>"
            + b"".join(
                b'<c t="inlineStr"><is><t>%s</t></is></c>' % text.encode() for text in HEADER
            )
            + b"</row>"
        )
        for _ in range(ONE_MILLION // 2000):
            entry.write(block)
        entry.write(b"</sheetData></worksheet>")

    names = b"".join(b"<si><t>Supplier %d Ltd</t></si>" % n for n in range(SUPPLIERS))
    strings = b"<sst " + MAIN_NS + b' uniqueCount="%d">%s</sst>' % (SUPPLIERS, names)
    return _workbook_parts(write, strings, level=1)


@cache
def million_row_csv() -> bytes:
    """A header and 1,000,000 short rows of spend: ~12 MB, under the upload size limit."""
    lines = [b"Payment Date,Supplier Name,Net Amount"]
    lines += [b"1/4/24,S%d,%d" % (n % 5000, n % 997) for n in range(ONE_MILLION)]
    return b"\n".join(lines) + b"\n"


@cache
def zip_bomb() -> bytes:
    """A workbook whose sheet is 1 GB of one repeated byte: about 5 MB on the wire."""

    def write(entry) -> None:
        entry.write(
            b'<?xml version="1.0" encoding="UTF-8"?><worksheet ' + MAIN_NS + b"><sheetData>"
        )
        block = b" " * (16 * 1024 * 1024)
        for _ in range(64):
            entry.write(block)
        entry.write(b"</sheetData></worksheet>")

    return _workbook_parts(write, level=1)  # level 1: seconds to make, 5 MB on the wire


def entity_bomb_in_sheet() -> bytes:
    sheet = (
        LAUGHS + b"<worksheet " + MAIN_NS + b'><sheetData><row r="1"><c r="A1" t="inlineStr">'
        b"<is><t>&lol9;</t></is></c></row></sheetData></worksheet>"
    )
    return with_entries(small_workbook(), {"xl/worksheets/sheet1.xml": sheet})


def entity_bomb_in_shared_strings() -> bytes:
    """A workbook whose first cell is a shared string that would expand to 3 GB."""

    def write(entry) -> None:
        entry.write(
            b"<worksheet " + MAIN_NS + b'><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
            b"</row></sheetData></worksheet>"
        )

    strings = LAUGHS + b"<sst " + MAIN_NS + b' uniqueCount="1"><si><t>&lol9;</t></si></sst>'
    return _workbook_parts(write, strings)


def png_bytes(width: int = 4, height: int = 4) -> bytes:
    """A real (tiny, grey) PNG image."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body))
            + kind
            + body
            + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def workbook_with_macros() -> bytes:
    """A workbook carrying a VBA project, as Excel saves a .xlsm."""
    return with_entries(small_workbook(), {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + bytes(2048)})


def oversized_csv(size: int) -> bytes:
    """A plain, valid spend CSV of at least `size` bytes."""
    line = b"01/04/2024,Ordinary Supplier Ltd,123.45,T000000\n"
    return b"Payment Date,Supplier Name,Net Amount,Transaction Number\n" + line * (
        size // len(line) + 1
    )
