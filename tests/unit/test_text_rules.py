"""Control characters pasted into text are dropped before they reach a database or a document."""

from tisc.rules.text import without_control_characters


def test_nul_bell_and_form_feed_are_dropped_and_line_endings_made_newlines() -> None:
    assert without_control_characters("a\x00b\x07c\x0cd\r\ne\rf\tg") == "abcd\ne\nf\tg"


def test_ordinary_text_is_unchanged() -> None:
    text = "Police & crime <bodies> – £1,000 “quoted”\nnext line"
    assert without_control_characters(text) == text
