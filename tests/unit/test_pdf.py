"""The one PDF converter's parts that need no LibreOffice: its refusal without it, and mending
LibreOffice 7.4's doubly escaped XMP in place."""

from __future__ import annotations

import shutil

import pytest

from tisc.documents import pdf


def _pdf(xmp_text: bytes, padding: int = 40) -> bytes:
    packet = (
        b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>\n<x:xmpmeta xmlns:x="adobe:ns:meta/">'
        + xmp_text
        + b"</x:xmpmeta>\n"
        + b" " * padding
        + b'\n<?xpacket end="w"?>'
    )
    return b"%PDF-1.6\n1 0 obj\n<</Type/Metadata>>\nstream\n" + packet + b"\nendstream\n%%EOF\n"


def test_without_soffice_nothing_is_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    assert not pdf.soffice_installed()
    with pytest.raises(pdf.SofficeMissing):
        pdf.docx_to_pdf(b"not even a document")


def test_doubly_escaped_xmp_is_mended_without_moving_anything() -> None:
    doubled = _pdf(b"<dc:title>North East &amp;amp; the Humber &amp;lt;1&amp;gt;</dc:title>")
    mended = pdf.single_escaped_xmp(doubled)
    assert b"<dc:title>North East &amp; the Humber &lt;1&gt;</dc:title>" in mended
    assert len(mended) == len(doubled)
    assert mended.index(b"endstream") == doubled.index(b"endstream")


def test_singly_escaped_xmp_is_left_as_it_is() -> None:
    for text in (
        b"<dc:title>North East &amp; the Humber</dc:title>",
        b"<dc:title>No ampersand</dc:title>",
        b"<dc:title>A &amp; B, and a literal &amp;amp;</dc:title>",
    ):
        once = _pdf(text)
        assert pdf.single_escaped_xmp(once) == once
    assert pdf.single_escaped_xmp(b"%PDF-1.6 no metadata") == b"%PDF-1.6 no metadata"
