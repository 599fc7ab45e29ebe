"""The matches of some bodies' suppliers with the debarment list, as a formula-safe CSV or XLSX
(`flask --app tisc check-exclusions`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date

from tisc.documents import exports
from tisc.models import Organisation
from tisc.services.errors import ValidationError
from tisc.services.exclusions.matches import Match, find_matches

EXPORT_COLUMNS = (
    exports.Column("Organisation"),
    exports.Column("Supplier"),
    exports.Column("Company number"),
    exports.Column("Listed name"),
    exports.Column("Ground"),
    exports.Column("Mandatory"),
    exports.Column("Match"),
    exports.Column("Listed until", exports.Kind.DATE),
    exports.Column("Via"),
)


def export_rows(matches: Sequence[Match]) -> Iterator[tuple[str | date | None, ...]]:
    """One row per match, as EXPORT_COLUMNS: a name-only match says it needs checking."""
    for match in matches:
        yield (
            match.organisation.name,
            match.supplier_name,
            match.company_number,
            match.entry.name,
            match.entry.ground,
            "Yes" if match.entry.mandatory else "No",
            match.kind.label + (" (check)" if match.kind.needs_check else ""),
            match.entry.end_date,
            match.via,
        )


def export_exclusions(
    *,
    organisations: Sequence[Organisation],
    file_format: str,
    owner: str | None = None,
    today: date | None = None,
) -> tuple[bytes, int]:
    """The matches as CSV or XLSX bytes, and how many there are."""
    today = today or date.today()
    matches = find_matches(organisations=organisations, today=today)
    rows = export_rows(matches)
    if file_format == "csv":
        return exports.write_csv(EXPORT_COLUMNS, rows), len(matches)
    if file_format == "xlsx":
        title = exports.workbook_title(
            "Debarment list matches", organisations, owner, today.strftime("%d/%m/%Y")
        )
        return exports.write_xlsx(EXPORT_COLUMNS, rows, sheet="Matches", title=title), len(matches)
    raise ValidationError("Choose CSV or XLSX", field="format")
