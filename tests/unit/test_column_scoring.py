"""Choosing the supplier, amount and payment date columns by header words and content."""

from __future__ import annotations

import pytest

from tisc.rules.column_scoring import (
    CONTENT_THRESHOLD,
    SCORED_FIELDS,
    ColumnContent,
    choose,
    choose_columns,
    header_words,
    net_over_gross,
)


def money(name: str, share: float = 1.0) -> ColumnContent:
    return ColumnContent(name, filled=50, money=share)


def dates(name: str, share: float = 1.0) -> ColumnContent:
    return ColumnContent(name, filled=50, dates=share)


def names(name: str, share: float = 1.0) -> ColumnContent:
    return ColumnContent(name, filled=50, names=share)


def test_header_words_ignore_case_accents_and_punctuation() -> None:
    assert header_words("Total (excludes VAT)") == ("total", "excludes", "vat")
    assert header_words("Bénéficiaire_Name") == ("beneficiaire", "name")
    assert header_words("") == ()


@pytest.mark.parametrize(
    ("header", "said"),
    [
        ("Invoice Line Value (net of VAT)", "the header says value, excluding VAT"),
        ("Total (excludes VAT)", "the header says total, excluding VAT"),
        ("Amount ex VAT", "the header says amount, excluding VAT"),
        ("Net", "the header says net (excluding VAT)"),
        ("Cost £", "the header says cost"),
        ("£", "the header is in pounds (£)"),
        ("Value (gross)", "the header says value, including VAT"),
    ],
)
def test_the_issues_amount_headers_are_found_with_a_reason(header: str, said: str) -> None:
    choice = choose("amount", [names("Beneficiary"), money(header, 0.98)])
    assert choice is not None
    assert choice.column == header
    assert choice.reason == f"‘{header}’: {said}; 98% of its cells are amounts"
    assert choice.alternative is None


@pytest.mark.parametrize(
    "order",
    [
        ["Invoice Line Value (net of VAT)", "VAT", "Invoice Line Value (gross)"],
        ["Invoice Line Value (gross)", "VAT", "Invoice Line Value (net of VAT)"],
    ],
)
def test_net_beats_gross_in_either_order_and_says_so(order: list[str]) -> None:
    choice = choose("amount", [money(name) for name in order])
    assert choice is not None
    assert choice.column == "Invoice Line Value (net of VAT)"
    assert choice.reason.endswith(
        "It is preferred to ‘Invoice Line Value (gross)’, which includes VAT"
    )
    assert choice.alternative == "Invoice Line Value (gross)"
    assert choice.alternative_reason is not None
    assert "including VAT" in choice.alternative_reason


@pytest.mark.parametrize(
    "header", ["VAT", "VAT Amount", "Total VAT", "Tax", "VAT Number", "Irrecoverable VAT"]
)
def test_vat_alone_is_never_the_amount(header: str) -> None:
    assert choose("amount", [money(header)]) is None


def test_gross_is_taken_when_it_is_the_only_amount() -> None:
    choice = choose("amount", [money("VAT"), money("Total inc VAT")])
    assert choice is not None and choice.column == "Total inc VAT"
    assert "including VAT" in choice.reason


@pytest.mark.parametrize("header", ["Line ID", "Invoice Number", "Cost Code", "Year", "Account"])
def test_a_numeric_id_column_is_not_money(header: str) -> None:
    assert choose("amount", [money(header)]) is None


def test_a_header_without_a_money_word_is_not_the_amount_however_numeric() -> None:
    assert choose("amount", [money("Line")]) is None


def test_content_must_fit_as_well_as_the_header() -> None:
    below = CONTENT_THRESHOLD - 0.01
    assert choose("amount", [money("Value", below)]) is None
    assert choose("amount", [money("Value", CONTENT_THRESHOLD)]) is not None
    # "Value" full of words is no amount.
    assert choose("amount", [names("Value")]) is None


def test_all_blank_columns_are_never_chosen() -> None:
    blank = [ColumnContent("Total", filled=0), ColumnContent("Updated", filled=0)]
    assert choose("amount", blank) is None
    assert choose("payment_date", blank) is None


def test_equal_headers_go_to_the_better_content_then_the_leftmost() -> None:
    choice = choose("amount", [money("Value", 0.85), money("Total", 0.99)])
    assert choice is not None and choice.column == "Total"
    assert choice.alternative == "Value"
    choice = choose("amount", [money("Value"), money("Total")])
    assert choice is not None and choice.column == "Value"


def test_updated_is_the_payment_date_and_beats_created() -> None:
    for order in (["Created", "Updated"], ["Updated", "Created"]):
        choice = choose("payment_date", [dates(name) for name in order])
        assert choice is not None
        assert choice.column == "Updated"
        assert choice.reason == (
            "‘Updated’: the header says updated (when the payment was recorded); "
            "all its cells are dates"
        )
        assert choice.alternative == "Created"


def test_paid_beats_posted_beats_a_bare_date_beats_invoice() -> None:
    ranked = ["Invoice Raised", "Date", "Posted On", "Cleared"]
    choice = choose("payment_date", [dates(name) for name in ranked])
    assert choice is not None and choice.column == "Cleared"
    assert choice.alternative == "Posted On"
    choice = choose("payment_date", [dates(name) for name in ranked[:2]])
    assert choice is not None and choice.column == "Date"


@pytest.mark.parametrize(
    "header", ["Due Date", "Date of Birth", "Contract End Date", "Amount Paid"]
)
def test_dates_that_are_not_payments(header: str) -> None:
    assert choose("payment_date", [dates(header)]) is None


def test_a_date_header_over_amounts_is_no_date() -> None:
    assert choose("payment_date", [money("Updated")]) is None


@pytest.mark.parametrize("header", ["Payee", "Vendor", "Creditor", "Beneficiary", "Merchant"])
def test_supplier_words(header: str) -> None:
    choice = choose("supplier_name", [names(header, 0.9)])
    assert choice is not None and choice.column == header
    assert "90% of its cells are names" in choice.reason


def test_supplier_ids_and_types_are_not_the_name() -> None:
    columns = [names("Supplier Type"), names("Vendor ID"), names("Creditor Postcode")]
    assert choose("supplier_name", columns) is None
    choice = choose("supplier_name", [names("Vendor"), names("Vendor Name")])
    assert choice is not None and choice.column == "Vendor Name"


def test_choose_columns_never_uses_a_taken_column_or_one_twice() -> None:
    columns = [names("Vendor"), dates("Updated"), money("Total (excludes VAT)")]
    chosen = choose_columns(columns, SCORED_FIELDS, taken=frozenset({"Vendor"}))
    assert "supplier_name" not in chosen
    assert chosen["payment_date"].column == "Updated"
    assert chosen["amount"].column == "Total (excludes VAT)"
    # "Paid" could be an amount or a date: its content decides.
    both = choose_columns([dates("Paid"), money("Amount Paid")], SCORED_FIELDS)
    assert both["payment_date"].column == "Paid"
    assert both["amount"].column == "Amount Paid"


def test_a_known_net_amount_over_a_known_gross_one_is_said() -> None:
    choice = net_over_gross("Net Amount", ["Gross Amount", "Amount"])
    assert choice is not None
    assert choice.reason == (
        "‘Net Amount’ is a known amount heading, excluding VAT. "
        "It is preferred to ‘Gross Amount’, which includes VAT"
    )
    assert choice.alternative == "Gross Amount"
    assert net_over_gross("Net Amount", ["Amount"]) is None
    assert net_over_gross("Amount", ["Gross Amount"]) is None
