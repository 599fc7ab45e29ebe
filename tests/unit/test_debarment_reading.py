"""Reading the central debarment list: CSV and XLSX through the spend files' safe reader,
tolerant headers, and every problem by row."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook

from tisc.documents.debarment import read_debarment_list
from tisc.documents.spendfiles import RefusedFile

HEADER = "Supplier name,Company number,PPON,Ground,Mandatory,Start date,End date\n"


def read(text: str, filename: str = "list.csv"):
    return read_debarment_list(text.encode("utf-8"), filename=filename)


def test_a_list_is_read_with_its_identifiers_dates_and_grounds() -> None:
    found = read(
        HEADER
        + "Acme Ltd,1234567,,Modern slavery offence,Mandatory,01/03/2025,28/02/2030\n"
        + "Beta Ltd,,PUKM-1,Labour market enforcement order,Discretionary,2025-04-01,\n"
    )
    assert found.problems == []
    first, second = found.entries
    assert (first.name, first.company_number, first.ppon) == ("Acme Ltd", "1234567", None)
    assert (first.mandatory, first.start_date, first.end_date) == (
        True,
        date(2025, 3, 1),
        date(2030, 2, 28),
    )
    assert (second.ppon, second.mandatory, second.end_date) == ("PUKM-1", False, None)
    assert (first.row, second.row) == (2, 3)


def test_other_headers_and_a_title_row_are_understood() -> None:
    found = read(
        "Central debarment list, December 2026\n"
        "Organisation name,CRN,Public Procurement Organisation Number,Exclusion ground,Type,"
        "Listed from,Listed until\n"
        "Acme Ltd,SC012345,,Slavery and trafficking prevention order,discretionary,1 Mar 2025,\n"
    )
    assert found.problems == []
    assert found.entries[0].company_number == "SC012345"
    assert found.entries[0].mandatory is False


def test_a_missing_column_refuses_the_file_naming_it() -> None:
    with pytest.raises(RefusedFile, match="The list has no Ground column"):
        read("Supplier name,Mandatory,Start date\nAcme Ltd,Mandatory,01/03/2025\n")


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(RefusedFile, match=r"The file list\.csv is empty"):
        read("")


def test_a_header_without_rows_is_refused_in_words_about_suppliers() -> None:
    with pytest.raises(RefusedFile, match=r"list\.csv has no suppliers under its header"):
        read(HEADER)


def test_bad_dates_and_words_are_problems_of_their_rows() -> None:
    found = read(
        HEADER
        + "Acme Ltd,,,Offence,Mandatory,31/02/2025,\n"
        + "Beta Ltd,,,Offence,perhaps,01/03/2025,soon\n"
        + ",,,,Mandatory,,\n"
        + "Gamma Ltd,,,Offence,Mandatory,01/03/2025,01/02/2025\n"
    )
    assert found.entries == []
    messages = [(p.row, p.column, p.message) for p in found.problems]
    assert (
        2,
        "Start date",
        "The start date is not a real date: write it like 31/03/2026",
    ) in messages
    assert (3, "Mandatory", "“perhaps” is neither mandatory nor discretionary") in messages
    assert (3, "End date", "The end date is not a real date: write it like 31/03/2026") in messages
    assert (4, "Supplier name", "Enter the supplier name") in messages
    assert (4, "Ground", "Enter the exclusion ground") in messages
    assert (4, "Start date", "Enter the start date") in messages
    assert (
        5,
        "End date",
        "The end date must be the same as or after the start date",
    ) in messages


def test_a_long_company_number_is_a_problem() -> None:
    found = read(HEADER + f"Acme Ltd,{'1' * 21},,Offence,Mandatory,01/03/2025,\n")
    assert [p.message for p in found.problems] == [
        "The company number must be 20 characters or fewer"
    ]


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_list_is_read_with_real_dates_and_numeric_company_numbers() -> None:
    data = _xlsx(
        [
            ["Name", "Company number", "Ground", "Mandatory", "Listed from", "Listed until"],
            ["Acme Ltd", 1234567, "Offence", "Yes", datetime(2025, 3, 1), None],
        ]
    )
    found = read_debarment_list(data, filename="list.xlsx")
    assert found.problems == []
    entry = found.entries[0]
    assert (entry.company_number, entry.start_date, entry.end_date) == (
        "1234567",
        date(2025, 3, 1),
        None,
    )


def test_a_file_that_is_not_a_spreadsheet_is_refused() -> None:
    with pytest.raises(RefusedFile, match="is a PDF"):
        read_debarment_list(b"%PDF-1.7 ...", filename="list.pdf")


def test_a_zip_that_is_not_a_workbook_is_refused_before_it_is_opened() -> None:
    with pytest.raises(RefusedFile):
        read_debarment_list(b"PK\x03\x04" + b"\x00" * 100, filename="list.xlsx")
