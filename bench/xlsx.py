"""`python -m bench.xlsx`: the .xlsx read path (openpyxl) against python-calamine.

Issue 13 asked whether python-calamine behind `read_sheet` would be faster. This measures the
current `tisc.documents.spendfiles.xlsx.read_sheet` and a calamine version of it (below: the
same zip checks first, the same sheet choice, header search, row and width limits and cell texts) on

- the real published spend files (../shared/data/spend, where present, and the excerpts in
  tests/fixtures/spend), saved as .xlsx the way Excel saves them: numbers as numbers, dates as
  dates (no real .xlsx spend file is kept; these are the real rows in a real workbook), and
- a generated workbook of 60,000 rows x 20 columns (TISC_BENCH_XLSX_ROWS changes the rows).

Each time is a median in this one process, and is also given as a ratio to a floor measured
alongside it: inflating every part of the same zip, the least any reader does. Peak memory of
each reader on the generated workbook is measured in a fresh process. Both readers' results
are compared cell for cell. Last, the calamine version is fed the hostile workbooks the upload
tests use, each in a fresh process, since a reader that aborts takes its process with it.

python-calamine is not a dependency: without it only the openpyxl figures are printed
(`.venv/bin/pip install python-calamine` to compare).
"""

from __future__ import annotations

import io
import multiprocessing
import os
import random
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
COLUMNS = 20
MAX_ROWS = 2_000_000  # import-spend's limit: nothing is refused for size here
ROOT = Path(__file__).resolve().parent.parent


def calamine_read_sheet(data: bytes, name: str, *, sheet: str | None, max_rows: int):
    """`read_sheet` with python-calamine doing the parsing: same checks, limits and texts.

    calamine reads a whole sheet into a dense grid when it is asked for, so the sheet's size
    is known only after it is read; the grid's rows are numbered from its top-left cell.
    """
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    from tisc.documents.spendfiles.columns import HEADER_SEARCH_ROWS, find_header_row
    from tisc.documents.spendfiles.model import RefusedFile
    from tisc.documents.spendfiles.xlsx import (
        MAX_COLUMNS,
        SheetGrid,
        _unreadable,
        cell_text,
        check_zip,
        too_many_rows,
    )

    check_zip(data, name)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as error:
        raise RefusedFile(_unreadable(name)) from error
    with workbook:
        sheet_names = [
            meta.name for meta in workbook.sheets_metadata if meta.typ == SheetTypeEnum.WorkSheet
        ]
        grids: dict[str, tuple[list[int], list[list[str]]]] = {}

        def grid(title: str) -> tuple[list[int], list[list[str]]]:
            if title not in grids:
                try:
                    loaded = workbook.get_sheet_by_name(title)
                    first = (loaded.start or (0, 0))[0] + 1
                    values = loaded.to_python()
                except Exception as error:
                    raise RefusedFile(_unreadable(name)) from error
                numbers, rows = [], []
                for offset, cells in enumerate(values):
                    texts = [cell_text(cell) for cell in cells]
                    while texts and not texts[-1]:
                        texts.pop()
                    if not texts:
                        continue
                    if len(texts) > MAX_COLUMNS:
                        raise RefusedFile(
                            f"{name} has rows more than {MAX_COLUMNS} columns wide, which is "
                            "not a spend file."
                        )
                    numbers.append(first + offset)
                    rows.append(texts)
                grids[title] = (numbers, rows)
            return grids[title]

        if sheet is not None and sheet not in sheet_names:
            listed = ", ".join(f"'{title}'" for title in sheet_names)
            raise RefusedFile(f"{name} has no sheet called '{sheet}': its sheets are {listed}.")
        chosen = sheet
        if chosen is None:
            first_with_data = None
            for title in sheet_names:
                top = grid(title)[1][:HEADER_SEARCH_ROWS]
                if not top:
                    continue
                first_with_data = first_with_data or title
                found = find_header_row(top)
                if found is not None and found[1] and found[0] < len(top) - 1:
                    chosen = title
                    break
            chosen = chosen or first_with_data
        if chosen is None:
            raise RefusedFile(f"{name} has no rows of spend in any of its sheets.")
        numbers, rows = grid(chosen)
        if len(rows) > max_rows + HEADER_SEARCH_ROWS:
            raise RefusedFile(too_many_rows(name, max_rows))
        if not rows:
            raise RefusedFile(f"{name} has nothing in its sheet '{chosen}'.")
        return SheetGrid(sheet_names, chosen, rows, numbers)


def openpyxl_read_sheet(data: bytes, name: str, *, sheet: str | None, max_rows: int):
    from tisc.documents.spendfiles.xlsx import read_sheet

    return read_sheet(data, name, sheet=sheet, max_rows=max_rows)


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
    """rows x 20 columns of spend as a finance system exports it: dates, amounts, codes, text."""
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
    assert len(header) == COLUMNS
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
            ]
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
    line(f"generated {ROWS:,} x {COLUMNS}", compare("generated", big, 3, calamine))

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
