import csv

import numpy as np
import pandas as pd
import pytest

from tisc.documents.spendfiles import (
    FIELD_LABELS,
    FIELDS,
    REQUIRED_FIELDS,
    RawTable,
    column_key,
    find_header_row,
    guess_mapping,
    load_aliases,
)
from tisc.documents.spendfiles.columns import ALIASES_PATH

CALDERDALE = (
    "Body,Organisation Name,Date,Internal Ref Number,Invoice Number,Net Amount,"
    "Irrecoverable VAT,Supplier(Beneficiary) Name,Supplier Registered Company Number,"
    "Supplier Registered Charity Number,Supplier ID,VAT Registration Number,Expense Area,"
    "Procurement Classification: Council's Procurement Category Name,Expense Code,BVACOP,"
    "Proclass,Extended Description,Source,Subsource,Definition,Purpose of Spend (Summary),"
    "Voluntary Community and Social Enterprise Supplier"
)
HARROGATE = (
    "Body Name,Expenditure Category,Capital / Revenue,Service Label,Service Code,"
    "Expenditure Code,Payment Date,Supplier Name,Transaction No.,Net Amount,Narrative"
)
NORTH_TYNESIDE = (
    "Payment Date,Transaction Number,Net Amount,Supplier (Beneficiary) Name,"
    "Local Supplier Internal Reference,Directorate / Service Where Expenditure Incurred,"
    "Service Category Label,Service Category URI,SeRCOP Expenditure Category,"
    "SeRCOP Expenditure Code,Purpose of Spend,SeRCOP Detailed Expenditure Code,"
    "Capital/Revenue,Procurement Classification"
)


def header(line: str) -> list[str]:
    return next(csv.reader([line]))


def test_fields_labels_and_required_fields_agree() -> None:
    assert set(FIELD_LABELS) == set(FIELDS)
    assert set(REQUIRED_FIELDS) <= set(FIELDS)
    assert FIELDS[:3] == REQUIRED_FIELDS


def test_the_alias_file_has_a_header_and_aliases_for_every_field() -> None:
    with ALIASES_PATH.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["field", "alias"]
    aliases = load_aliases()
    assert list(aliases) == list(FIELDS)
    assert all(aliases[name] for name in FIELDS)


def test_an_alias_means_one_field_only() -> None:
    owners: dict[str, set[str]] = {}
    for name, aliases in load_aliases().items():
        for alias in aliases:
            owners.setdefault(column_key(alias), set()).add(name)
    assert {key: names for key, names in owners.items() if len(names) > 1} == {}


def test_load_aliases_gives_a_copy_each_time() -> None:
    load_aliases()["amount"].clear()
    assert load_aliases()["amount"][0] == "Net Amount"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Supplier(Beneficiary) Name", "supplier (beneficiary) name"),
        ("Amount £", "AMOUNT"),
        ("Transaction No.", "transaction_no"),
        ("Payment  Date ", "payment-date"),
    ],
)
def test_column_keys_ignore_case_space_and_punctuation(one: str, other: str) -> None:
    assert column_key(one) == column_key(other)


def test_calderdale_columns() -> None:
    assert guess_mapping(header(CALDERDALE)) == {
        "supplier_name": "Supplier(Beneficiary) Name",
        "amount": "Net Amount",  # not "Irrecoverable VAT"
        "payment_date": "Date",
        # Internal Ref Number is the council's own number for the line, unique per line;
        # "Invoice Number" holds supplier-issued text such as "08AUG-04SEP", which repeats.
        "reference": "Internal Ref Number",
        "category_text": "Procurement Classification: Council's Procurement Category Name",
        "company_number": "Supplier Registered Company Number",
        "vat_number": "VAT Registration Number",
        "charity_number": "Supplier Registered Charity Number",
        "description": "Extended Description",
        "cost_centre": "Expense Area",
        "cpv_code": None,  # none of the three has CPV codes
    }


def test_empty_columns_are_passed_over_when_the_rows_are_given() -> None:
    columns = header(CALDERDALE)
    rows = pd.DataFrame({column: ["x"] for column in columns}, dtype=object)
    for empty in ("Extended Description", "VAT Registration Number", "BVACOP", "Proclass"):
        rows[empty] = ""
    mapping = guess_mapping(columns, rows)
    assert mapping["description"] == "Purpose of Spend (Summary)"
    assert mapping["vat_number"] is None
    assert mapping["category_text"] == (
        "Procurement Classification: Council's Procurement Category Name"
    )


def test_harrogate_columns() -> None:
    assert guess_mapping(header(HARROGATE)) == {
        "supplier_name": "Supplier Name",
        "amount": "Net Amount",
        "payment_date": "Payment Date",
        "reference": "Transaction No.",
        "category_text": "Expenditure Category",
        "company_number": None,
        "vat_number": None,
        "charity_number": None,
        # "Narrative" is the line's own description; "Expenditure Code" is a finer category.
        "description": "Narrative",
        "cost_centre": "Service Label",
        "cpv_code": None,  # none of the three has CPV codes
    }


def test_north_tyneside_columns() -> None:
    assert guess_mapping(header(NORTH_TYNESIDE)) == {
        "supplier_name": "Supplier (Beneficiary) Name",
        "amount": "Net Amount",
        "payment_date": "Payment Date",
        "reference": "Transaction Number",  # not "Local Supplier Internal Reference"
        # "CLEANING & JANITORIAL.CLEANING MATERIALS" says more than "Supplies and Services".
        "category_text": "Procurement Classification",
        "company_number": None,
        "vat_number": None,
        "charity_number": None,
        "description": "Purpose of Spend",
        "cost_centre": "Directorate / Service Where Expenditure Incurred",
        "cpv_code": None,  # none of the three has CPV codes
    }


def test_preferred_aliases_win_whatever_the_column_order() -> None:
    mapping = guess_mapping(["Gross Amount", "Vendor", "Net Amount", "Invoice Date", "Date"])
    assert mapping["amount"] == "Net Amount"
    assert mapping["payment_date"] == "Date"
    assert mapping["supplier_name"] == "Vendor"


def test_the_leftmost_of_equal_matches_wins_and_a_column_is_used_once() -> None:
    mapping = guess_mapping(["Amount", "Amount (2)", "Supplier", "Payee"])
    assert mapping["amount"] == "Amount"
    assert mapping["supplier_name"] == "Supplier"
    used = [column for column in mapping.values() if column]
    assert len(used) == len(set(used))


def test_unknown_columns_map_to_nothing() -> None:
    assert set(guess_mapping(["Foo", "Bar"]).values()) == {None}
    assert list(guess_mapping([])) == list(FIELDS)


def test_the_header_is_the_first_row_naming_spend_columns() -> None:
    rows = [
        ["Spend over £500"],
        ["Date", "August 2022"],  # one known name is not enough
        ["Payment Date", "Supplier Name", "Net Amount"],
        ["2022-08-01", "Acme", "12.00"],
    ]
    assert find_header_row(rows) == (2, True)


def test_a_header_of_unknown_names_is_the_first_full_row() -> None:
    rows = [["Report"], ["Quando", "Chi", "Quanto"], ["2022-08-01", "Acme", "12"]]
    assert find_header_row(rows) == (1, False)
    assert find_header_row([]) is None
    assert find_header_row([["", ""]]) is None


def test_examples_are_the_first_different_non_blank_values_of_each_column() -> None:
    rows = pd.DataFrame(
        [["A Ltd", "", "1.00"], ["A Ltd", "  ", "2.00"], ["B Ltd", "", "3.00"], ["C", "", "4"]],
        dtype=object,
    )
    table = RawTable(["Name", "Blank", "Amount"], rows, np.arange(2, 6))
    assert table.examples_by_column() == {
        "Name": ["A Ltd", "B Ltd", "C"],
        "Blank": [],
        "Amount": ["1.00", "2.00", "3.00"],
    }
    long = RawTable(["Text"], pd.DataFrame([["x" * 90]], dtype=object), np.arange(2, 3))
    assert long.examples_by_column()["Text"] == ["x" * 79 + "…"]
