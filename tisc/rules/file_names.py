"""File names from outside (a browser's upload) made safe to keep and to send back.

A name travels into the header that names a download, and into page titles: control characters
(CR/LF would end the header), double quotes (they end a quoted header value) and invisible
format characters (a right-to-left override can make `exe.csv` look like `vsc.exe`) are
removed, path separators become "-" (a browser would take `../` as a folder), and what is left
is trimmed.
"""

from __future__ import annotations

import unicodedata

# What the file_name columns hold.
FILE_NAME_LENGTH = 255
# Unicode categories that draw nothing: controls (Cc), format characters such as bidi
# overrides (Cf), line and paragraph separators (Zl, Zp), unassigned and private (Cn, Co, Cs).
_INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cn", "Co", "Cs"})
_REMOVED = frozenset('"')
_SEPARATORS = frozenset("/\\")


def safe_file_name(name: str | None, *, default: str = "download") -> str:
    """The name without control or invisible characters or double quotes, path
    separators made "-".

    Spaces are collapsed and leading dots dropped (no hidden files, no "..");
    a name left empty becomes `default`. At most FILE_NAME_LENGTH characters,
    keeping the extension when the name is cut.
    """
    text = unicodedata.normalize("NFC", name or "")
    kept = "".join(
        " " if ch.isspace() else "-" if ch in _SEPARATORS else ch
        for ch in text
        if ch not in _REMOVED and (ch.isspace() or unicodedata.category(ch) not in _INVISIBLE)
    )
    cleaned = " ".join(kept.split()).lstrip(". ").rstrip(". ")
    if not cleaned:
        return default
    if len(cleaned) > FILE_NAME_LENGTH:
        stem, dot, extension = cleaned.rpartition(".")
        if dot and 0 < len(extension) <= 10:
            cleaned = stem[: FILE_NAME_LENGTH - len(extension) - 1].rstrip(". ") + "." + extension
        else:
            cleaned = cleaned[:FILE_NAME_LENGTH].rstrip(". ")
    return cleaned


def ascii_file_name(name: str, *, default: str = "download") -> str:
    """An ASCII stand-in for a safe name (RFC 6266's plain `filename`): accents dropped,
    other letters left out; `default` (keeping the extension) when nothing is left."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if ch.isascii() and ch.isprintable())
    plain = " ".join(plain.split())
    stem, dot, extension = plain.rpartition(".")
    if not dot:
        stem, extension = plain, ""
    if any(ch.isalnum() for ch in stem):
        return plain
    return f"{default}.{extension}" if extension.isalnum() else default
