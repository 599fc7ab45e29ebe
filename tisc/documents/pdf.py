"""A Word document as a tagged, PDF/UA-flagged PDF, made by LibreOffice (soffice).

The one converter: the statement and the board report both come here. LibreOffice runs headless
in a profile and folder of its own for each conversion, in its own session so that a conversion
that hangs is ended with all its children. What the PDF says about itself comes from the Word
document: its title and keywords (core properties), its language (the styles' default language,
set by tisc.documents.docx_render). Failures are this module's own exceptions; the services put
them in their own words.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

# LibreOffice 7.4+ reads export options as JSON. Tagged: the structure a screen reader follows.
# PDF/UA: also writes the XMP metadata (title, keywords) and shows the title, not the file name.
PDF_FILTER = (
    'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
    '"PDFUACompliance":{"type":"boolean","value":"true"}}'
)
PDF_TIMEOUT = 120
# The XMP packet LibreOffice writes: its text, then the padding XMP leaves for editing in place.
_XMP = re.compile(rb"(<\?xpacket begin=.*?</x:xmpmeta>)(\s*)(<\?xpacket end=)", re.DOTALL)
_DOUBLED = re.compile(rb"&amp;(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);")


class PdfConversionError(Exception):
    """LibreOffice did not make a PDF."""


class SofficeMissing(PdfConversionError):
    """LibreOffice (soffice) is not installed here."""


class ConversionTimedOut(PdfConversionError):
    """LibreOffice took longer than it was given, and was ended."""


def soffice_installed() -> bool:
    """Whether LibreOffice (soffice) is on the PATH, so that a PDF can be made here."""
    return shutil.which("soffice") is not None


def docx_to_pdf(content: bytes, *, timeout: int = PDF_TIMEOUT) -> bytes:
    """The Word document as a tagged PDF; SofficeMissing, ConversionTimedOut or
    PdfConversionError when none can be made."""
    soffice = shutil.which("soffice")
    if soffice is None:
        raise SofficeMissing("LibreOffice (soffice) is not installed")
    with tempfile.TemporaryDirectory(prefix="tisc-pdf-") as folder:
        work = Path(folder)
        source = work / "document.docx"
        source.write_bytes(content)
        command = [
            soffice,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            str(work / "out"),
            str(source),
        ]
        process = subprocess.Popen(  # noqa: S603 - a fixed command on our own temporary file
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
        )
        try:
            process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            raise ConversionTimedOut(f"LibreOffice took more than {timeout} s") from None
        pdf = work / "out" / "document.pdf"
        if process.returncode != 0 or not pdf.is_file():
            raise PdfConversionError(f"LibreOffice exited with {process.returncode} and no PDF")
        return single_escaped_xmp(pdf.read_bytes())


def single_escaped_xmp(pdf: bytes) -> bytes:
    """The PDF with its XMP text escaped once, as LibreOffice 7.4 escapes it twice (a title
    "A & B" reads "A &amp;amp; B", which a reader shows as "A &amp; B").

    Mended in place: the packet is shortened and its padding lengthened by as much, so no
    offset in the file moves. Left as it is unless every "&" begins an escaped escape, so what a
    LibreOffice that escapes once writes is not unescaped.
    """
    found = _XMP.search(pdf)
    if found is None:
        return pdf
    text, padding, end = found.groups()
    # Escaped twice, every "&" begins an escaped escape ("&amp;amp;"); escaped once, an "&amp;"
    # stands for a plain "&" as well.
    doubled = text.count(b"&") == len(_DOUBLED.findall(text)) > 0
    if not doubled:
        return pdf
    mended = text.replace(b"&amp;", b"&")
    padding = padding + b" " * (len(text) - len(mended))
    return pdf[: found.start()] + mended + padding + end + pdf[found.end() :]
