"""What the upload fuzz tests (test_upload_fuzz.py) feed the importer: random bytes, CSV of
random cells in any dialect and encoding, real workbooks of random cells, and all of them cut
short or with bytes changed, parts replaced or parts missing."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

from hypothesis import strategies as st

from tests.integration import upload_support as files

SPENDY = st.sampled_from(
    [
        "01/04/2024",
        "2024-04-01",
        "31/02/2024",
        "17-Aug-2022",
        "45383",
        "100.00",
        "£1,000.50",
        "(12.00)",
        "-0.01",
        "1e400",
        "Acme Ltd",
        "ACME LIMITED.",
        "Redacted personal data",
        '=HYPERLINK("x")',
        "",
        " ",
        "N/A",
        "x" * 301,
        "R" * 101,
        "&" * 300,
    ]
)
ANY_TEXT = st.text(max_size=40)  # any character, NUL and other controls included
CELL_TEXT = st.one_of(SPENDY, ANY_TEXT)
# Mostly the encodings finance systems write, sometimes others.
ENCODINGS = st.sampled_from(
    ["utf-8", "utf-8", "utf-8-sig", "cp1252", "cp1252", "latin-1", "utf-16", "mac_roman"]
)
DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))
DAY_TEXT = st.tuples(DAYS, st.sampled_from(["%d/%m/%Y", "%Y-%m-%d", "%d-%b-%Y", "%d/%m/%y"])).map(
    lambda pair: pair[0].strftime(pair[1])
)
MONEY = st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False)
MONEY_TEXT = st.one_of(MONEY.map(str), MONEY.map(lambda m: f"£{m:,}"))
NAME = st.one_of(st.sampled_from(["Acme Ltd", "ACME LIMITED", "Beta plc", "Redacted"]), ANY_TEXT)


def spend_rows(day, name, money, other) -> st.SearchStrategy[list[list[object]]]:
    """Rows that are mostly spend in the standard columns, each cell sometimes anything."""

    def mostly(good: st.SearchStrategy) -> st.SearchStrategy:
        return st.one_of(good, good, good, other)  # one_of picks each branch equally often

    row = st.tuples(mostly(day), mostly(name), mostly(money), other).map(list)
    return st.lists(row, min_size=1, max_size=12)


@st.composite
def mangled(draw: st.DrawFn, data: bytes) -> bytes:
    """The bytes cut short, with bytes changed, or with random bytes let in (or as they are)."""
    how = draw(st.sampled_from(["as is", "as is", "truncate", "flip", "insert"]))
    if how == "as is" or not data:
        return data
    at = draw(st.integers(min_value=0, max_value=len(data) - 1))
    if how == "truncate":
        return data[:at]
    if how == "flip":
        width = draw(st.integers(min_value=1, max_value=64))
        noise = draw(st.binary(min_size=width, max_size=width))
        return data[:at] + noise + data[at + width :]
    return data[:at] + draw(st.binary(min_size=1, max_size=64)) + data[at:]


@st.composite
def csv_files(draw: st.DrawFn) -> tuple[bytes, str]:
    """A CSV of random cells under a spend header (or a random one), in any dialect and
    encoding, then maybe mangled."""
    width = draw(st.integers(min_value=1, max_value=6))
    header = draw(
        st.one_of(
            st.just(files.HEADER),
            st.just(files.HEADER),
            st.lists(CELL_TEXT, min_size=width, max_size=width),
        )
    )
    rows = draw(
        st.one_of(
            spend_rows(DAY_TEXT, NAME, MONEY_TEXT, CELL_TEXT),
            st.lists(st.lists(CELL_TEXT, max_size=len(header) + 2), max_size=12),
        )
    )
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from(["minimal", "all", "none"]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    out = io.StringIO()
    if quoting == "none":  # cells joined as they are: stray quotes and delimiters and all
        out.write("".join(delimiter.join(row) + newline for row in [header, *rows]))
    else:
        style = csv.QUOTE_ALL if quoting == "all" else csv.QUOTE_MINIMAL
        csv.writer(out, delimiter=delimiter, quoting=style, lineterminator=newline).writerows(
            [header, *rows]
        )
    text = out.getvalue()
    encoding = draw(ENCODINGS)
    data = text.encode(encoding, errors="replace" if encoding != "utf-8" else "surrogatepass")
    name = draw(st.sampled_from(["spend.csv", "spend.txt", "spend", "spend.CSV", "x.xlsx"]))
    return draw(mangled(data)), name


XML_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
NAME_CELL = st.one_of(st.sampled_from(["Acme Ltd", "Beta plc"]), XML_TEXT)
XLSX_VALUES = st.one_of(
    st.none(),
    SPENDY,
    XML_TEXT,
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=False),
    st.decimals(
        allow_nan=False, allow_infinity=False, places=2, max_value=10**12, min_value=-(10**12)
    ),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31)),
)


@st.composite
def xlsx_files(draw: st.DrawFn) -> tuple[bytes, str]:
    """A real workbook with random cells under a spend header (or a random one)."""
    width = draw(st.integers(min_value=1, max_value=6))
    header = draw(
        st.one_of(
            st.just(list(files.HEADER)),
            st.just(list(files.HEADER)),
            st.lists(XLSX_VALUES, min_size=width, max_size=width),
        )
    )
    rows = draw(
        st.one_of(
            spend_rows(
                st.one_of(DAYS, DAY_TEXT), NAME_CELL, st.one_of(MONEY, st.floats()), XLSX_VALUES
            ),
            st.lists(st.lists(XLSX_VALUES, max_size=len(header) + 2), max_size=12),
        )
    )
    blank_above = draw(st.integers(min_value=0, max_value=3))
    title = draw(st.text(alphabet="abcXYZ 123&'", min_size=1, max_size=31)).strip() or "Sheet"
    return files.workbook_bytes([[]] * blank_above + [header, *rows], title=title), "spend.xlsx"


@st.composite
def broken_workbooks(draw: st.DrawFn) -> tuple[bytes, str]:
    """A valid workbook cut short, with bytes changed, or with a part replaced or missing."""
    data, name = draw(xlsx_files())
    how = draw(st.sampled_from(["bytes", "replace part", "drop part"]))
    if how == "bytes":
        return draw(mangled(data)), name
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = archive.namelist()
    part = draw(st.sampled_from(names))
    if how == "drop part":
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
            for info in source.infolist():
                if info.filename != part:
                    target.writestr(info, source.read(info.filename))
        return out.getvalue(), name
    body = draw(
        st.one_of(
            st.binary(max_size=200),
            st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
            st.just(b'<worksheet><sheetData><row r="2000000000"><c r="ZZZ1"><v>1</v></c></row>'),
            st.just(
                b"<worksheet " + files.MAIN_NS + b'><sheetData><row r="99999999999"><c><v>1</v>'
                b"</c></row></sheetData></worksheet>"
            ),
        )
    )
    return files.with_entries(data, {part: body}), name


ANY_FILE = st.one_of(
    st.tuples(st.binary(max_size=2000), st.sampled_from(["spend.csv", "spend.xlsx", "a.xlsm"])),
    csv_files(),
    xlsx_files(),
    broken_workbooks(),
)
