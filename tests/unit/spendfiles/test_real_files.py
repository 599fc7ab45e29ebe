"""The importer against real published spend files, checked to the penny by other means."""

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from tisc.documents.spendfiles import guess_mapping, parse_rows, read_table

from .builders import FIXTURES, REAL_DATA, xlsx_bytes

# (file stem, supplier column, amount column, rows in the full file)
FILES = [
    ("calderdale-2022-08", "Supplier(Beneficiary) Name", "Net Amount", 1956),
    ("harrogate-2022-08", "Supplier Name", "Net Amount", 1873),
    ("north-tyneside-2022-07", "Supplier (Beneficiary) Name", "Net Amount", 16082),
]


def independent_totals(path: Path, supplier: str, amount: str) -> dict[str, object]:
    """Totals by the csv module and Decimal, sharing no code with the importer."""
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.DictReader(handle))
    redacted = [r for r in records if "redacted" in r[supplier].lower()]
    kept = [r for r in records if "redacted" not in r[supplier].lower()]
    return {
        "rows": len(records),
        "lines": len(kept),
        "pence": int(sum(Decimal(r[amount]) for r in kept) * 100),
        "excluded": len(redacted),
        "excluded_pence": int(sum((Decimal(r[amount]) for r in redacted), Decimal(0)) * 100),
    }


def check(path: Path, supplier: str, amount: str) -> None:
    expected = independent_totals(path, supplier, amount)
    table = read_table(path.read_bytes(), filename=path.name)
    mapping = guess_mapping(table.columns, table.rows)
    assert (mapping["supplier_name"], mapping["amount"]) == (supplier, amount)
    parsed = parse_rows(table, mapping)
    assert parsed.problems == []
    assert parsed.rows_read == expected["rows"]
    assert len(parsed.lines) == expected["lines"]
    assert int(parsed.lines["amount_pence"].sum()) == expected["pence"]
    assert len(parsed.excluded) == expected["excluded"]
    assert int(parsed.excluded["amount_pence"].sum()) == expected["excluded_pence"]
    assert parsed.lines["row"].iloc[0] == 2
    assert (parsed.lines["supplier_name"] != "").all()


@pytest.mark.parametrize(("stem", "supplier", "amount", "_rows"), FILES)
def test_real_excerpts_parse_to_the_penny(
    stem: str, supplier: str, amount: str, _rows: int
) -> None:
    check(FIXTURES / f"{stem}-excerpt.csv", supplier, amount)


@pytest.mark.parametrize(("stem", "supplier", "amount", "rows"), FILES)
def test_real_files_parse_to_the_penny(stem: str, supplier: str, amount: str, rows: int) -> None:
    path = REAL_DATA / f"{stem}.csv"
    if not path.exists():
        pytest.skip(f"{path} is not on this machine")
    check(path, supplier, amount)
    assert independent_totals(path, supplier, amount)["rows"] == rows


def test_harrogate_redactions_are_excluded_and_lookalikes_kept() -> None:
    table = read_table((FIXTURES / "harrogate-2022-08-excerpt.csv").read_bytes(), filename="h.csv")
    parsed = parse_rows(table, guess_mapping(table.columns, table.rows))
    assert len(parsed.excluded) == 3  # "REDACTED \x96 PERSONAL DATA"
    assert "REDACTIVE PUBLISHING LIMITED" in set(parsed.lines["supplier_name"])


def test_calderdale_details() -> None:
    table = read_table((FIXTURES / "calderdale-2022-08-excerpt.csv").read_bytes(), filename="c.csv")
    lines = parse_rows(table, guess_mapping(table.columns, table.rows)).lines
    numbers = set(lines["company_number"]) - {""}
    assert numbers and all(len(number) == 8 for number in numbers)
    assert "08911274" in numbers  # published as 8911274
    assert not any("  " in name for name in lines["supplier_name"])
    assert set(lines["description"]) <= {
        "Payments to homes for people assessed as needing residential/nursing care",
        "Direct payments to service users assessed as needing service provision",
        *set(table.rows["Purpose of Spend (Summary)"]),
    }
    assert (lines["amount_pence"] < 0).any()


@pytest.mark.parametrize(("stem", "supplier", "amount", "_rows"), FILES)
def test_real_excerpts_saved_from_excel_as_cp1252_or_xlsx(
    stem: str, supplier: str, amount: str, _rows: int
) -> None:
    path = FIXTURES / f"{stem}-excerpt.csv"
    expected = independent_totals(path, supplier, amount)
    text = path.read_text(encoding="utf-8")
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    # As Excel saves it: numbers as numbers, dates as dates, under a title row.
    cells = [[_as_excel(cell) for cell in record] for record in records[1:]]
    workbook = xlsx_bytes(
        {
            "Notes": [["Downloaded from the council"]],
            "Spend": [["Spend over £500"], records[0], *cells],
        }
    )
    for data, name in [
        (text.encode("cp1252", errors="replace"), f"{stem}.csv"),
        (workbook, f"{stem}.xlsx"),
    ]:
        table = read_table(data, filename=name)
        parsed = parse_rows(table, guess_mapping(table.columns, table.rows))
        assert parsed.problems == [], name
        assert int(parsed.lines["amount_pence"].sum()) == expected["pence"], name
        assert len(parsed.excluded) == expected["excluded"], name


def _as_excel(cell: str) -> object:
    from datetime import date

    if len(cell) == 10 and cell[4] == "-" and cell[7] == "-":
        return date.fromisoformat(cell)
    try:
        return float(cell) if "." in cell else int(cell)
    except ValueError:
        return cell


# Headings no alias knows, as real exports the aliases missed have them.
UNSEEN = {
    "supplier_name": "Paid To (Creditor)",
    "amount": "Invoice Line Value (net of VAT)",
    "payment_date": "Updated",
}


@pytest.mark.parametrize(("stem", "supplier", "amount", "_rows"), FILES)
def test_real_excerpts_with_unknown_headings_are_found_by_content_to_the_penny(
    stem: str, supplier: str, amount: str, _rows: int
) -> None:
    path = FIXTURES / f"{stem}-excerpt.csv"
    expected = independent_totals(path, supplier, amount)
    original = read_table(path.read_bytes(), filename=path.name)
    known = guess_mapping(original.columns, original.rows)
    renamed = {known[name]: heading for name, heading in UNSEEN.items()}
    with path.open(encoding="utf-8", newline="") as handle:
        records = list(csv.reader(handle))
    records[0] = [renamed.get(cell, cell) for cell in records[0]]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(records)
    table = read_table(buffer.getvalue().encode(), filename=f"{stem}.csv")
    mapping = guess_mapping(table.columns, table.rows)
    assert {name: mapping[name] for name in UNSEEN} == UNSEEN
    parsed = parse_rows(table, mapping)
    assert parsed.problems == []
    assert len(parsed.lines) == expected["lines"]
    assert int(parsed.lines["amount_pence"].sum()) == expected["pence"]
    assert len(parsed.excluded) == expected["excluded"]
