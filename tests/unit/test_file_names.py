"""File names from a browser made safe to keep and to send back in a header."""

from __future__ import annotations

import pytest

from tisc.rules.file_names import FILE_NAME_LENGTH, ascii_file_name, safe_file_name


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ('a"b\r\nX-Evil: 1.csv', "ab X-Evil: 1.csv"),
        ("Taliadau Gŵyr; Ynys Môn, café.csv", "Taliadau Gŵyr; Ynys Môn, café.csv"),
        ("invoice\u202egpj.exe", "invoicegpj.exe"),  # no right-to-left override
        ("C:\\Users\\me\\pay.csv", "C:-Users-me-pay.csv"),
        ("...hidden.csv", "hidden.csv"),
        ("\x00\x07\r\n\t", "download"),
        ("", "download"),
        (None, "download"),
    ],
)
def test_a_name_loses_what_could_break_a_header_or_a_path(sent: str | None, kept: str) -> None:
    assert safe_file_name(sent) == kept


def test_a_long_name_is_cut_keeping_its_extension() -> None:
    kept = safe_file_name("x" * 400 + ".xlsx")
    assert len(kept) == FILE_NAME_LENGTH and kept.endswith("x.xlsx")


@pytest.mark.parametrize(
    ("name", "plain"),
    [
        ("Ynys Môn, café.csv", "Ynys Mon, cafe.csv"),
        ("支払い.csv", "download.csv"),
        ("支払い", "download"),
        ("payments.csv", "payments.csv"),
    ],
)
def test_the_ascii_stand_in_is_never_empty(name: str, plain: str) -> None:
    assert ascii_file_name(name) == plain
