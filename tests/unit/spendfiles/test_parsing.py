import numpy as np
import pandas as pd
import pytest

from tisc.documents.spendfiles import (
    FIELDS,
    LINE_COLUMNS,
    MappingError,
    ParsedFile,
    Problem,
    RawTable,
    RefusedFile,
    guess_mapping,
    parse_rows,
    read_table,
)
from tisc.documents.spendfiles.parsing import company_number, identifier, is_redacted

from .builders import HEADER, csv_bytes

MAPPING = {
    "supplier_name": "Supplier Name",
    "amount": "Net Amount",
    "payment_date": "Payment Date",
    "reference": "Transaction Number",
}


def parse(*lines: list[str], header: list[str] = HEADER, **options: object) -> ParsedFile:
    table = read_table(csv_bytes([header, *lines]), filename="spend.csv")
    return parse_rows(table, guess_mapping(table.columns), **options)


def test_good_lines_are_typed() -> None:
    parsed = parse(
        ["17/08/2022", "Acme  Ltd", "£1,234.56", "T1"],
        ["2022-03-31", "Beta\tand Sons", "(12.00)", "T2"],
        ["01-Apr-2022", "Gamma", "0.005", ""],
    )
    lines = parsed.lines
    assert (
        list(lines.columns)
        == list(LINE_COLUMNS)
        == [
            "row",
            "supplier_name",
            "amount_pence",
            "payment_date",
            "financial_year",
            "reference",
            "category_text",
            "company_number",
            "vat_number",
            "charity_number",
            "description",
            "cost_centre",
            "cpv_code",
        ]
    )
    assert lines["row"].dtype == np.int64
    assert lines["amount_pence"].dtype == np.int64
    assert lines["payment_date"].dtype == np.dtype("datetime64[ns]")
    assert lines["financial_year"].dtype == np.int64
    assert lines["row"].tolist() == [2, 3, 4]
    assert lines["supplier_name"].tolist() == ["Acme Ltd", "Beta and Sons", "Gamma"]
    assert lines["amount_pence"].tolist() == [123456, -1200, 1]
    assert [str(day) for day in lines["payment_date"]] == [
        "2022-08-17 00:00:00",
        "2022-03-31 00:00:00",
        "2022-04-01 00:00:00",
    ]
    assert lines["financial_year"].tolist() == [2022, 2021, 2022]
    assert lines["reference"].tolist() == ["T1", "T2", ""]
    for name in ("category_text", "company_number", "description", "cost_centre", "cpv_code"):
        assert lines[name].tolist() == ["", "", ""]  # unmapped fields are empty text
    assert isinstance(lines.index, pd.RangeIndex)
    assert (parsed.problems, parsed.rows_read, len(parsed.excluded)) == ([], 3, 0)


def test_every_problem_in_every_row_is_reported_with_its_row_and_column() -> None:
    rows = [
        ["Spend over £500"],
        [],
        ["Date Paid", "Payee", "Amount £", "Ref"],  # the header is on row 3
        ["17/08/2022", "Acme", "12..50", "T1"],  # row 4
        ["31/02/2022", "", "", "T2"],  # row 5: three problems
        ["17/08/2022", "Beta", "10.00", "T3"],  # row 6: good
        ["someday", "Gamma", "1,2,3.4.5", "T4"],  # row 7
        ["", "Delta", "abc", "T5"],  # row 8
    ]
    table = read_table(csv_bytes(rows), filename="spend.csv")
    parsed = parse_rows(table, guess_mapping(table.columns))
    assert parsed.problems == [
        Problem(4, "Amount £", "Enter an amount like 1234.56: '12..50' is not an amount"),
        Problem(5, "Payee", "The supplier name is empty"),
        Problem(5, "Amount £", "The amount is empty"),
        Problem(5, "Date Paid", "The payment date '31/02/2022' is not a real date"),
        Problem(7, "Amount £", "Enter an amount like 1234.56: '1,2,3.4.5' is not an amount"),
        Problem(7, "Date Paid", "Enter a payment date like 17/08/2022: 'someday' is not a date"),
        Problem(8, "Amount £", "Enter an amount like 1234.56: 'abc' is not an amount"),
        Problem(8, "Date Paid", "The payment date is empty"),
    ]
    assert parsed.lines["row"].tolist() == [6]
    assert parsed.rows_read == 5
    assert parsed.rows_with_problems == 4


def test_long_bad_values_are_cut_short_in_messages() -> None:
    parsed = parse(["17/08/2022", "Acme", "x" * 200, "T1"])
    (problem,) = parsed.problems
    assert len(problem.message) < 120
    assert problem.message.endswith("…' is not an amount")


@pytest.mark.parametrize(
    "name",
    [
        "REDACTED",
        "Redacted Personal Data",
        "REDACTED \x96 PERSONAL DATA",  # as Harrogate publishes it
        "redacted - personal information",
        "Personal Data",
        "PERSONAL INFORMATION",
        "Private Individual",
        "Individual",
        "Name Withheld",
        "withheld",
        "personal data.",
    ],
)
def test_redacted_individuals_are_left_out_and_counted(name: str) -> None:
    parsed = parse(
        ["17/08/2022", "Acme", "10.00", "T1"],
        ["17/08/2022", name, "(250.00)", "T2"],
    )
    assert parsed.lines["supplier_name"].tolist() == ["Acme"]
    assert parsed.excluded.to_dict("list") == {"row": [3], "amount_pence": [-25000]}
    assert parsed.excluded.dtypes.tolist() == [np.int64, np.int64]
    assert parsed.problems == []


def test_a_redacted_row_is_never_a_problem_nor_a_supplier() -> None:
    parsed = parse(["not a date", "REDACTED", "not money", "T1"])
    assert parsed.problems == []
    assert parsed.lines.empty
    assert parsed.excluded.to_dict("list") == {"row": [2], "amount_pence": [0]}


def test_names_that_merely_resemble_redaction_are_suppliers() -> None:
    for name in (
        "REDACTIVE PUBLISHING LIMITED",
        "Individual Care Services Ltd",
        "Personal Data Ltd",
    ):
        assert not is_redacted(name), name


def test_known_private_individuals_are_left_out_in_any_spelling() -> None:
    parsed = parse(
        ["17/08/2022", "D HIRST", "625.00", "T1"],
        ["17/08/2022", "d. hirst", "625.00", "T2"],
        ["17/08/2022", "Acme", "1.00", "T3"],
        personal_names=frozenset({"D Hirst"}),
    )
    assert parsed.lines["supplier_name"].tolist() == ["Acme"]
    assert parsed.excluded["row"].tolist() == [2, 3]


def test_optional_fields_when_mapped() -> None:
    header = [
        "Payment Date",
        "Supplier Name",
        "Net Amount",
        "Transaction Number",
        "Expense Type",
        "Company Number",
        "VAT Number",
        "Charity Number",
        "Description",
        "Cost Centre",
    ]
    parsed = parse(
        [
            "17/08/2022",
            "Acme",
            "1",
            "T1",
            "Cleaning",
            "4869035",
            "GB 123 4567 89",
            "1234567",
            "Mops",
            "Estates",
        ],
        ["17/08/2022", "Beta", "1", "T2", "", "N/A", "n/a", "-", "", ""],
        ["17/08/2022", "Gamma", "1", "T3", "", "sc123456", "None", "0", "", ""],
        header=header,
    )
    lines = parsed.lines
    assert lines["category_text"].tolist() == ["Cleaning", "", ""]
    assert lines["company_number"].tolist() == ["04869035", "", "SC123456"]
    assert lines["vat_number"].tolist() == ["GB123456789", "", ""]
    assert lines["charity_number"].tolist() == ["1234567", "", ""]
    assert lines["description"].tolist() == ["Mops", "", ""]
    assert lines["cost_centre"].tolist() == ["Estates", "", ""]


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("4869035", "04869035"),
        ("04869035", "04869035"),
        ("123", "00000123"),
        (" 12345678 ", "12345678"),
        ("SC123456", "SC123456"),
        ("oc 301234", "OC301234"),
        ("N/A", ""),
        ("NA", ""),
        ("-", ""),
        ("0", ""),
        ("00000000", ""),
        ("None", ""),
        ("", ""),
    ],
)
def test_company_numbers_in_companies_house_form(text: str, number: str) -> None:
    assert company_number(text) == number


def test_identifiers_lose_spaces_and_placeholders() -> None:
    assert identifier(" gb 123 4567 89 ") == "GB123456789"
    assert [identifier(text) for text in ("N/A", "na", "None", "0", "-")] == [""] * 5


def test_the_required_fields_must_have_columns() -> None:
    table = read_table(csv_bytes([HEADER, ["17/08/2022", "Acme", "1", "T1"]]), filename="a.csv")
    with pytest.raises(MappingError) as caught:
        parse_rows(table, {**MAPPING, "payment_date": None})
    assert caught.value.message == (
        "The file has no column for the payment date. Choose the column that holds it."
    )
    assert isinstance(caught.value, RefusedFile)
    with pytest.raises(MappingError, match="for the supplier name"):
        parse_rows(table, {"amount": "Net Amount", "payment_date": "Payment Date"})
    with pytest.raises(MappingError, match="no column called 'Amount' for the amount"):
        parse_rows(table, {**MAPPING, "amount": "Amount"})
    with pytest.raises(MappingError, match="for the VAT number"):
        parse_rows(table, {**MAPPING, "vat_number": "VAT"})


def test_a_table_with_no_rows() -> None:
    table = RawTable(
        HEADER,
        pd.DataFrame({name: [] for name in HEADER}, dtype=object),
        np.array([], dtype=np.int64),
    )
    parsed = parse_rows(table, MAPPING)
    assert list(parsed.lines.columns) == list(LINE_COLUMNS)
    assert parsed.lines.empty and parsed.excluded.empty
    assert (parsed.problems, parsed.rows_read) == ([], 0)


def test_the_same_column_may_serve_two_optional_fields() -> None:
    header = [*HEADER, "Narrative"]
    table = read_table(
        csv_bytes([header, ["17/08/2022", "Acme", "1", "T1", "Mops"]]), filename="a.csv"
    )
    mapping = {**MAPPING, "description": "Narrative", "category_text": "Narrative"}
    lines = parse_rows(table, mapping).lines
    assert lines[["description", "category_text"]].iloc[0].tolist() == ["Mops", "Mops"]
    assert set(FIELDS) - set(lines.columns) == {"amount"}
