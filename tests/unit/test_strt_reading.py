"""Reading a completed STRT workbook: every sheet's rows as clean text, hostile files refused."""

from __future__ import annotations

import pytest

from tests.integration.upload_support import _workbook_parts, workbook_with_macros
from tests.unit.spendfiles.builders import xlsx_bytes, zip_bytes
from tests.unit.strt_builders import POLICY, strt_workbook
from tisc.documents import strt
from tisc.documents.strt import RefusedStrt, read_strt


def test_every_sheet_is_read_in_order_with_row_numbers() -> None:
    book = read_strt(strt_workbook(), "strt.xlsx")
    assert book.sheet_names == ("Instructions", "Questions 1", "Questions 2", "Countries")
    first = next(r for r in book.rows if r.sheet == "Questions 1" and r.row == 2)
    assert first.cells == ("1.", POLICY, "Yes")
    assert {r.sheet for r in book.rows} == set(book.sheet_names)


def test_a_formula_is_never_evaluated_and_line_endings_are_made_plain() -> None:
    data = xlsx_bytes({"Q": [["=1+1", "One\r\ntwo", '=HYPERLINK("http://x")']]})
    (row,) = read_strt(data, "f.xlsx").rows
    # openpyxl saved no cached values: the formulas give nothing, never their text or result.
    assert row.cells == ("", "One\ntwo")


def test_long_cells_are_cut() -> None:
    data = xlsx_bytes({"Q": [["x" * 5000]]})
    (row,) = read_strt(data, "long.xlsx").rows
    assert len(row.cells[0]) == strt.MAX_CELL_CHARACTERS


def test_not_a_zip_is_refused() -> None:
    with pytest.raises(RefusedStrt, match=r"is not an Excel \.xlsx file"):
        read_strt(b"Question,Answer\nPolicy?,Yes\n", "strt.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused() -> None:
    with pytest.raises(RefusedStrt, match=r"is not an Excel \.xlsx file"):
        read_strt(zip_bytes({"hello.txt": b"hi"}), "strt.xlsx")


def test_a_zip_bomb_is_refused_before_it_is_opened() -> None:
    def write(entry) -> None:
        entry.write(b" " * (20 * 1024 * 1024))

    bomb = _workbook_parts(write, level=9)
    assert len(bomb) < strt.MAX_BYTES
    with pytest.raises(RefusedStrt, match="expands to far more data"):
        read_strt(bomb, "bomb.xlsx")


def test_macros_are_refused() -> None:
    with pytest.raises(RefusedStrt, match="contains macros"):
        read_strt(workbook_with_macros(), "m.xlsx")


def test_a_file_over_the_size_limit_is_refused_unopened(monkeypatch: pytest.MonkeyPatch) -> None:
    data = strt_workbook()
    monkeypatch.setattr(strt, "MAX_BYTES", len(data) - 1)
    with pytest.raises(RefusedStrt, match="larger than"):
        read_strt(data, "big.xlsx")
    monkeypatch.setattr(strt, "MAX_BYTES", len(data))
    assert read_strt(data, "big.xlsx").rows


def test_too_many_rows_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    data = xlsx_bytes({"A": [["a"]] * 3, "B": [["b"]] * 3})
    monkeypatch.setattr(strt, "MAX_ROWS", 6)
    assert len(read_strt(data, "rows.xlsx").rows) == 6
    monkeypatch.setattr(strt, "MAX_ROWS", 5)
    with pytest.raises(RefusedStrt, match="more than 5 rows"):
        read_strt(data, "rows.xlsx")


def test_a_broken_workbook_is_refused_in_words() -> None:
    broken = zip_bytes({"[Content_Types].xml": b"<nonsense", "xl/workbook.xml": b"<also"})
    with pytest.raises(RefusedStrt, match="could not be read"):
        read_strt(broken, "broken.xlsx")


def test_cell_text_is_cleaned_of_control_characters() -> None:
    assert strt._clean(" Bell\x07 and\x00 nul\r\n ") == "Bell and nul"
