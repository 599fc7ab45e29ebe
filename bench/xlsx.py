"""`python -m bench.xlsx`: the .xlsx read path (python-calamine) against openpyxl's.

Issue 13 asked whether python-calamine behind `read_sheet` would be faster; issue 18 adopted
it. This measures `tisc.documents.spendfiles.xlsx.read_sheet` (calamine, after its zip checks
and the scan of the sheet, `sheetscan`) and the openpyxl reader it replaced (below: the same
zip checks first, the same sheet choice, header search, row and width limits and cell texts) on

- the real published spend files (../shared/data/spend, where present, and the excerpts in
  tests/fixtures/spend), saved as .xlsx the way Excel saves them: numbers as numbers, dates as
  dates (no real .xlsx spend file is kept; these are the real rows in a real workbook), and
- a generated workbook of 60,000 rows x 20 columns (TISC_BENCH_XLSX_ROWS and
  TISC_BENCH_XLSX_COLUMNS change its size), its text in a shared-strings table as Excel saves.

Each time is a median in this one process, and is also given as a ratio to a floor measured
alongside it: inflating every part of the same zip, the least any reader does. Peak memory of
each reader on the generated workbook is measured in a fresh process. Both readers' results
are compared cell for cell. Last, the calamine version is fed the hostile workbooks the upload
tests use, each in a fresh process, since a reader that aborts takes its process with it.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import random
import re
import resource
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timedelta
from importlib import metadata
from pathlib import Path
from queue import Empty

from bench.data import CATEGORIES, supplier_names

ROWS = int(os.environ.get("TISC_BENCH_XLSX_ROWS", "60000"))
COLUMNS = int(os.environ.get("TISC_BENCH_XLSX_COLUMNS", "20"))
REPEAT = int(os.environ.get("TISC_BENCH_XLSX_REPEAT", "3"))  # runs of each reader on it
MAX_ROWS = 2_000_000  # import-spend's limit: nothing is refused for size here
ROOT = Path(__file__).resolve().parent.parent


def calamine_read_sheet(data: bytes, name: str, *, sheet: str | None, max_rows: int):
    """The reader in use: `tisc.documents.spendfiles.xlsx.read_sheet` (python-calamine)."""
    from tisc.documents.spendfiles.xlsx import read_sheet

    return read_sheet(data, name, sheet=sheet, max_rows=max_rows)


def openpyxl_read_sheet(data: bytes, name: str, *, sheet: str | None, max_rows: int):
    """The reader before issue 18: openpyxl read-only, same checks, limits and cell texts."""
    import warnings

    from tisc.documents.spendfiles.columns import HEADER_SEARCH_ROWS, find_header_row
    from tisc.documents.spendfiles.model import RefusedFile
    from tisc.documents.spendfiles.openpyxl_rows import (
        check_xml_is_defused,
        open_workbook,
        rows_in_xml,
        text_rows,
    )
    from tisc.documents.spendfiles.xlsx import SheetGrid, check_zip, too_many_rows, unreadable

    check_zip(data, name)
    check_xml_is_defused()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        try:
            workbook = open_workbook(data)
        except Exception as error:
            raise RefusedFile(unreadable(name)) from error
        try:
            sheet_names = [worksheet.title for worksheet in workbook.worksheets]
            chosen, first_with_data = sheet, None
            for title in sheet_names if sheet is None else []:
                top = []
                rows = text_rows(workbook[title], name)
                for _number, cells in rows:
                    top.append(cells)
                    if len(top) >= HEADER_SEARCH_ROWS:
                        break
                rows.close()
                if not top:
                    continue
                first_with_data = first_with_data or title
                found = find_header_row(top)
                if found is not None and found[1] and found[0] < len(top) - 1:
                    chosen = title
                    break
            chosen = chosen or first_with_data
            limit = max_rows + HEADER_SEARCH_ROWS
            worksheet = workbook[chosen]
            if rows_in_xml(worksheet, stop_after=limit) > limit:
                raise RefusedFile(too_many_rows(name, max_rows))
            numbers, rows = [], []
            for number, cells in text_rows(worksheet, name):
                numbers.append(number)
                rows.append(cells)
            return SheetGrid(sheet_names, chosen, rows, numbers)
        finally:
            workbook.close()


def inflate_all(data: bytes) -> int:
    """The floor: every part of the zip decompressed, and nothing parsed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return sum(len(archive.read(info)) for info in archive.infolist())


# --- the workbooks ---------------------------------------------------------------------------


def _as_excel(cell: str) -> object:
    """A CSV cell as Excel holds it once opened: numbers as numbers, ISO dates as dates."""
    if len(cell) == 10 and cell[4] == "-" and cell[7] == "-":
        try:
            return date.fromisoformat(cell)
        except ValueError:
            return cell
    if cell[:1] == "0" and cell[1:2].isdigit():
        return cell  # a code with a leading zero stays text, as finance systems export it
    try:
        return float(cell) if "." in cell else int(cell)
    except ValueError:
        return cell


def _workbook(header: list[str], rows: list[list[object]], *, title_row: str) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    notes = workbook.create_sheet("Notes")
    notes.append(["Published under the Open Government Licence"])
    data = workbook.create_sheet("Spend")
    data.append([title_row])
    data.append(header)
    for row in rows:
        data.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return _with_shared_strings(out.getvalue())


_INLINE = re.compile(
    rb'<c r="([A-Z]+[0-9]+)" t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>'
)
_SST = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_SST_TYPE = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"


def _with_shared_strings(data: bytes) -> bytes:
    """The workbook with its text in a shared-strings table, as Excel saves it.

    openpyxl's write-only mode writes every text cell inline, which makes the sheet's XML
    several times larger than Excel's and its reading slower than anything a user uploads.
    """
    strings: dict[bytes, int] = {}

    def shared(match: re.Match[bytes]) -> bytes:
        index = strings.setdefault(match[2], len(strings))
        return b'<c r="' + match[1] + b'" t="s"><v>' + str(index).encode() + b"</v></c>"

    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            body = source.read(info)
            if info.filename.startswith("xl/worksheets/"):
                body = _INLINE.sub(shared, body)
            elif info.filename == "[Content_Types].xml":
                body = body.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                    + _SST_TYPE
                    + b'"/></Types>',
                )
            elif info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdShared" Type="'
                    + _SST
                    + b'" Target="sharedStrings.xml"/>'
                    b"</Relationships>",
                )
            target.writestr(info.filename, body)
        items = b"".join(b'<si><t xml:space="preserve">' + text + b"</t></si>" for text in strings)
        target.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="'
            + str(len(strings)).encode()
            + b'" uniqueCount="'
            + str(len(strings)).encode()
            + b'">'
            + items
            + b"</sst>",
        )
    return out.getvalue()


def real_workbooks() -> list[tuple[str, bytes]]:
    """The real published files, read as the importer reads them, then saved as .xlsx."""
    from tests.real_data import FIXTURES, REAL_DATA
    from tisc.documents.spendfiles import read_table

    paths = sorted(REAL_DATA.glob("*.csv")) if REAL_DATA.is_dir() else []
    paths += sorted(FIXTURES.glob("*.csv"))
    made = []
    for path in paths:
        table = read_table(path.read_bytes(), filename=path.name)
        records = table.rows.to_numpy().tolist()
        rows = [[_as_excel(str(cell)) for cell in record] for record in records]
        made.append((path.stem, _workbook(list(table.columns), rows, title_row=path.stem)))
    return made


def generated_workbook(rows: int, seed: int = 3) -> bytes:
    """rows x COLUMNS of spend as a finance system exports it: dates, amounts, codes, text.

    The first 20 columns are a finance export's; any beyond are the analysis codes and flags
    of a wider export: short codes from a few values each, a blank every fifth row.
    """
    rng = random.Random(seed)  # noqa: S311 - synthetic data
    names = supplier_names(max(10, rows // 50), rng)
    header = [
        "Body",
        "Service Area",
        "Service Division",
        "Expense Type",
        "Expense Code",
        "Payment Date",
        "Transaction Number",
        "Net Amount",
        "VAT Amount",
        "Gross Amount",
        "Supplier Name",
        "Supplier ID",
        "Company Number",
        "VAT Registration",
        "Procurement Category",
        "Cost Centre",
        "Cost Centre Name",
        "Invoice Number",
        "Invoice Date",
        "Purpose of Spend",
    ]
    header += [f"Analysis {n}" for n in range(1, COLUMNS - len(header) + 1)]
    header = header[:COLUMNS]
    services = ["Adult Care", "Children's Services", "Highways", "Libraries", "Waste", "Policing"]
    start = datetime(2024, 4, 1)
    made = []
    for n in range(rows):
        name = rng.choice(names)
        net = round(rng.lognormvariate(7, 1.4), 2) * (-1 if rng.random() < 0.02 else 1)
        vat = round(net * 0.2, 2)
        paid = start + timedelta(days=rng.randrange(365))
        service = rng.choice(services)
        made.append(
            [
                "West Yorkshire Police",
                service,
                f"{service} {rng.randrange(1, 9)}",
                rng.choice(["Cleaning", "Uniforms", "Fuel", "Software", "Legal fees"]),
                rng.randrange(1000, 9999),
                paid,
                f"T{n:08d}",
                net,
                vat,
                round(net + vat, 2),
                name,
                rng.randrange(100_000, 999_999),
                f"{rng.randrange(10**6, 10**7):08d}",
                f"GB{rng.randrange(10**8, 10**9)}",
                rng.choice(CATEGORIES),
                f"CC{rng.randrange(1000):04d}",
                f"Cost centre {rng.randrange(1000)}",
                f"INV-{rng.randrange(10**6)}",
                paid - timedelta(days=rng.randrange(60)),
                rng.choice(["Supplies", "Services", "Works", "Grant"]),
                *(
                    None if (n + k) % 5 == 0 else f"A{k}-{rng.randrange(8)}"
                    for k in range(COLUMNS - 20)
                ),
            ][:COLUMNS]
        )
    return _workbook(header, made, title_row="Spend over £500")


# --- measuring -------------------------------------------------------------------------------


def timed(action: Callable[[], object], repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples)


def compare(label: str, data: bytes, repeat: int, calamine: bool) -> dict[str, float]:
    """Median seconds of the floor and each reader on one workbook; both must agree."""
    name = f"{label}.xlsx"

    def read_with(reader: Callable) -> Callable[[], object]:
        return lambda: reader(data, name, sheet=None, max_rows=MAX_ROWS)

    result = {"floor": timed(lambda: inflate_all(data), repeat)}
    result["openpyxl"] = timed(read_with(openpyxl_read_sheet), repeat)
    if calamine:
        result["calamine"] = timed(read_with(calamine_read_sheet), repeat)
        mine = openpyxl_read_sheet(data, name, sheet=None, max_rows=MAX_ROWS)
        theirs = calamine_read_sheet(data, name, sheet=None, max_rows=MAX_ROWS)
        result["cells_differ"] = _cells_differ(mine.rows, theirs.rows)
        result["same"] = float(
            (mine.sheet_names, mine.sheet, mine.rows, mine.row_numbers)
            == (theirs.sheet_names, theirs.sheet, theirs.rows, theirs.row_numbers)
        )
    return result


def _cells_differ(mine: list[list[str]], theirs: list[list[str]]) -> int:
    """How many cells of two grids differ (a missing row or cell counts as "")."""
    differ = 0
    for index in range(max(len(mine), len(theirs))):
        a = mine[index] if index < len(mine) else []
        b = theirs[index] if index < len(theirs) else []
        width = max(len(a), len(b))
        a, b = a + [""] * (width - len(a)), b + [""] * (width - len(b))
        differ += sum(x != y for x, y in zip(a, b, strict=True))
    return differ


def _high_water_mb() -> float:
    """This process's peak resident memory (VmHWM: unlike ru_maxrss, not inherited on exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _peak(reader: str, path: str, queue: multiprocessing.Queue) -> None:
    import tisc.documents.spendfiles.xlsx  # noqa: F401 - the reader's modules loaded before the baseline

    if reader == "calamine":
        import python_calamine  # noqa: F401

    data = Path(path).read_bytes()
    function = {"openpyxl": openpyxl_read_sheet, "calamine": calamine_read_sheet}[reader]
    before = _high_water_mb()
    function(data, "big.xlsx", sheet=None, max_rows=MAX_ROWS)
    queue.put({"before_mb": before, "peak_mb": _high_water_mb()})


def _hostile(case: str, queue: multiprocessing.Queue) -> None:
    from tisc.documents.spendfiles.model import RefusedFile

    data = HOSTILE[case]()
    started = time.perf_counter()
    try:
        calamine_read_sheet(data, "hostile.xlsx", sheet=None, max_rows=250_000)
        outcome = "read (not refused)"
    except RefusedFile as refused:
        outcome = f"refused: {refused.message[:60]}"
    except Exception as error:
        outcome = f"error {type(error).__name__}"
    queue.put({"outcome": outcome, "seconds": time.perf_counter() - started})


def _in_fresh_process(target: Callable[..., None], *args: str) -> dict | None:
    """What target reports from a fresh process, or None if the process died first."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    while True:
        try:
            result = queue.get(timeout=2)
            break
        except Empty:
            if not process.is_alive():
                return {"exitcode": process.exitcode}
    process.join()
    return result


def _far_sheet(rows: bytes) -> bytes:
    from tests.integration import upload_support as files

    sheet = b"<worksheet " + files.MAIN_NS + b"><sheetData>" + rows + b"</sheetData></worksheet>"
    return files.with_entries(files.small_workbook(), {"xl/worksheets/sheet1.xml": sheet})


def _many_sheets() -> bytes:
    sheets = {f"S{n}": [["x"]] for n in range(2000)}
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _hostile_cases() -> dict[str, Callable[[], bytes]]:
    from tests.integration import upload_support as files

    header = b'<row r="1"><c r="A1" t="inlineStr"><is><t>Supplier Name</t></is></c></row>'
    return {
        "far row (r=2,000,000,000)": lambda: _far_sheet(
            header + b'<row r="2000000000"><c r="A2"><v>1</v></c></row>'
        ),
        "wide row (A1 and ZZZ1)": lambda: _far_sheet(
            b'<row r="1"><c r="A1"><v>1</v></c><c r="ZZZ1"><v>1</v></c></row>'
        ),
        "far corner (A1 and XFD1048576)": lambda: _far_sheet(
            header + b'<row r="2"><c r="XFD1048576"><v>1</v></c></row>'
        ),
        "big grid (A1 and SF1000000)": lambda: _far_sheet(
            header + b'<row r="2"><c r="SF1000000"><v>1</v></c></row>'
        ),
        "3,000 unaddressed cells in row 1,048,576": lambda: _far_sheet(
            header + b'<row r="1048576">' + b"<c><v>1</v></c>" * 3000 + b"</row>"
        ),
        "many sheets (2,000)": _many_sheets,
        "zip bomb": files.zip_bomb,
        "entity bomb in a sheet": files.entity_bomb_in_sheet,
        "entity bomb in the shared strings": files.entity_bomb_in_shared_strings,
        "million-row workbook": files.million_row_xlsx,
    }


HOSTILE = _hostile_cases()


def main() -> int:
    try:
        import python_calamine  # noqa: F401

        calamine = True
        print(f"python-calamine {metadata.version('python-calamine')}")
    except ImportError:
        calamine = False
        print("python-calamine is not installed: openpyxl figures only")
    import openpyxl

    print(f"openpyxl {openpyxl.__version__}")

    def line(label: str, result: dict[str, float], extra: str = "") -> None:
        text = (
            f"{label}: floor (inflate the zip) {result['floor'] * 1000:.0f} ms; "
            f"openpyxl {result['openpyxl'] * 1000:.0f} ms "
            f"= {result['openpyxl'] / result['floor']:.1f}x the floor"
        )
        if calamine:
            text += (
                f"; calamine {result['calamine'] * 1000:.0f} ms "
                f"= {result['calamine'] / result['floor']:.1f}x the floor; "
                f"openpyxl/calamine {result['openpyxl'] / result['calamine']:.2f}; "
            )
            differ = result["cells_differ"]
            text += "same cells" if result["same"] else f"{differ:.0f} cells differ"

        print(text + extra)

    for label, data in real_workbooks():
        line(f"{label} ({len(data) / 1000:.0f} KB)", compare(label, data, 5, calamine))

    started = time.perf_counter()
    big = generated_workbook(ROWS)
    print(
        f"Generated {ROWS:,} rows x {COLUMNS} columns, {len(big) / 1e6:.1f} MB, "
        f"in {time.perf_counter() - started:.1f} s"
    )
    line(f"generated {ROWS:,} x {COLUMNS}", compare("generated", big, REPEAT, calamine))

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.xlsx"
        path.write_bytes(big)
        readers = ["openpyxl", *(["calamine"] if calamine else [])]
        peaks = {reader: _in_fresh_process(_peak, reader, str(path)) for reader in readers}
        print(
            "Peak memory reading it in a fresh process: "
            + "; ".join(
                f"{reader} {peaks[reader]['peak_mb']:.0f} MB "
                f"(+{peaks[reader]['peak_mb'] - peaks[reader]['before_mb']:.0f} MB over the "
                f"{peaks[reader]['before_mb']:.0f} MB before reading)"
                for reader in readers
            )
        )
    if calamine:
        print("calamine against the hostile workbooks (fresh process each):")
        for case in HOSTILE:
            result = _in_fresh_process(_hostile, case)
            if "exitcode" in result:
                print(f"  {case}: the process died (exit code {result['exitcode']})")
            else:
                print(f"  {case}: {result['outcome']} in {result['seconds']:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
