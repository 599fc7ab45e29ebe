"""Checks on a zip file's directory before anything inside it is opened.

.xlsx and .docx files are zips of XML. A hostile one can be a zip bomb: a few KB that expand
to GB. Only the central directory is read here. The sizes it declares are also what zipfile
will read at most (it stops at the declared size), so a lying directory cannot smuggle more
data past these checks.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from io import BytesIO


class NotAZip(Exception):
    """The bytes are not a readable zip file."""


class ZipBomb(Exception):
    """The zip declares more entries or more data than its kind of file ever holds."""


@dataclass(frozen=True)
class ZipLimits:
    """How much a zip may hold. Ratios only apply to entries (or archives) over a size."""

    max_entries: int
    max_uncompressed_bytes: int
    max_ratio: float
    # Entries smaller than this may compress as well as they like (a sheet of blanks does).
    entry_ratio_from_bytes: int
    # The whole archive's expansion is checked once it expands past this; None: never.
    archive_ratio_from_bytes: int | None = None


def zip_entries(data: bytes, limits: ZipLimits) -> list[zipfile.ZipInfo]:
    """The entries of a zip within the limits; NotAZip or ZipBomb otherwise."""
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise NotAZip(str(error)) from error
    if len(entries) > limits.max_entries:
        raise ZipBomb(f"{len(entries)} entries")
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_uncompressed_bytes:
        raise ZipBomb(f"{total} bytes uncompressed")
    for entry in entries:
        ratio = entry.file_size / max(entry.compress_size, 1)
        if entry.file_size > limits.entry_ratio_from_bytes and ratio > limits.max_ratio:
            raise ZipBomb(f"{entry.filename} expands {ratio:.0f} times")
    if limits.archive_ratio_from_bytes is not None and total > limits.archive_ratio_from_bytes:
        ratio = total / max(len(data), 1)
        if ratio > limits.max_ratio:
            raise ZipBomb(f"the archive expands {ratio:.0f} times")
    return entries


def holds_vba_project(names: Iterable[str]) -> bool:
    """Whether an Office zip carries a VBA project (macros), under any folder or case."""
    return any(name.lower().endswith("vbaproject.bin") for name in names)
