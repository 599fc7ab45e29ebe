"""Columns no alias names, found by header words and the content of their cells."""

from __future__ import annotations

import pandas as pd

from tisc.documents.spendfiles import guess_columns, guess_mapping
from tisc.documents.spendfiles.columns import column_contents


def table(columns: list[str], *rows: list[str]) -> pd.DataFrame:
    return pd.DataFrame([list(row) for row in rows], columns=columns, dtype=object)


def test_content_shares_count_only_non_blank_cells() -> None:
    rows = table(
        ["A", "B", "C", "D"],
        ["£1,234.56", "01/04/2024", "Acme Ltd", ""],
        ["", "2024-04-02", "Bolt & Co", ""],
        ["12", "not a date", "123", ""],
    )
    a, b, c, d = column_contents(["A", "B", "C", "D"], rows)
    assert (a.filled, a.money, a.dates) == (2, 1.0, 0.0)
    assert b.filled == 3 and round(b.dates, 2) == 0.67 and round(b.names, 2) == 0.33
    assert c.filled == 3 and round(c.names, 2) == 0.67 and round(c.money, 2) == 0.33
    assert d.filled == 0


def test_total_excluding_vat_and_updated_are_found_with_reasons() -> None:
    columns = ["Vendor", "Created", "Updated", "Line ID", "Total (excludes VAT)", "Notes"]
    rows = table(
        columns,
        ["Acme Ltd", "01/03/2024", "01/04/2024", "1001", "10.00", ""],
        ["Bolt & Co", "02/03/2024", "02/04/2024", "1002", "20.50", ""],
    )
    guess = guess_columns(columns, rows)
    assert guess.mapping["supplier_name"] == "Vendor"  # an alias: no reason needed
    assert guess.mapping["amount"] == "Total (excludes VAT)"
    assert guess.mapping["payment_date"] == "Updated"
    assert set(guess.scored) == {"amount", "payment_date"}
    assert guess.scored["amount"].reason == (
        "‘Total (excludes VAT)’: the header says total, excluding VAT; all its cells are amounts"
    )
    assert guess.scored["payment_date"].alternative == "Created"
    assert guess_mapping(columns, rows) == guess.mapping


def test_without_rows_only_aliases_are_used() -> None:
    columns = ["Vendor", "Updated", "Total (excludes VAT)"]
    mapping = guess_mapping(columns)
    assert mapping["amount"] is None and mapping["payment_date"] is None


def test_a_blank_amount_column_is_not_chosen_and_the_other_is() -> None:
    columns = ["Payee", "Posted", "Line Total (net)", "Line Total (gross)"]
    rows = table(columns, ["Acme Ltd", "01/04/2024", "", "12.00"])
    guess = guess_columns(columns, rows)
    assert guess.mapping["amount"] == "Line Total (gross)"
    assert guess.scored["amount"].alternative is None


def test_an_alias_column_is_never_scored_for_another_field() -> None:
    # "Invoice Date" is a payment_date alias, chosen by it; "Net Amount" likewise the amount.
    columns = ["Creditor Ref", "Invoice Date", "Net Amount", "Contractor"]
    rows = table(columns, ["C1", "01/04/2024", "5.00", "Acme Ltd"])
    guess = guess_columns(columns, rows)
    assert guess.mapping["supplier_name"] == "Contractor"
    assert guess.mapping["payment_date"] == "Invoice Date"
    assert set(guess.scored) == {"supplier_name"}


def test_net_chosen_by_its_alias_over_gross_says_so() -> None:
    columns = ["Supplier Name", "Payment Date", "Gross Amount", "Net Amount"]
    rows = table(columns, ["Acme Ltd", "01/04/2024", "12.00", "10.00"])
    guess = guess_columns(columns, rows)
    assert guess.mapping["amount"] == "Net Amount"
    assert guess.scored["amount"].alternative == "Gross Amount"
    assert "It is preferred to ‘Gross Amount’, which includes VAT" in guess.scored["amount"].reason
    # Without a gross column there is nothing to say.
    assert guess_columns(columns[:2] + columns[3:], rows.drop(columns="Gross Amount")).scored == {}
