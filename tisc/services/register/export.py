"""A body's or a partnership's register for a year as a CSV or XLSX file."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from decimal import Decimal

from tisc.documents import exports
from tisc.models import Organisation
from tisc.rules.years import FinancialYear
from tisc.services.errors import ValidationError
from tisc.services.register.rows import plain_rows

EXPORT_COLUMNS = (
    exports.Column("Organisation"),
    exports.Column("Supplier"),
    exports.Column("Company number"),
    exports.Column("Category"),
    exports.Column("Category risk"),
    exports.Column("Financial year"),
    exports.Column("Annual spend", exports.Kind.MONEY),
    exports.Column("Payments", exports.Kind.COUNT),
    exports.Column("Over threshold"),
    exports.Column("High risk"),
    exports.Column("Priority tier"),
    exports.Column("Flag reasons"),
)


def export_rows(
    *, organisations: Sequence[Organisation], financial_year: int
) -> Iterator[tuple[str | int | Decimal | None, ...]]:
    """The register of one or more bodies for a year, as EXPORT_COLUMNS rows."""
    label = FinancialYear(financial_year).label
    for org in organisations:
        for row in plain_rows(org=org, financial_year=financial_year):
            yield (
                org.name,
                row.name,
                row.company_number,
                row.category,
                row.risk.label if row.risk is not None else None,
                label,
                row.annual_spend,
                row.payments,
                "Yes" if row.assessment.over_threshold else "No",
                "Yes" if row.assessment.high_risk else "No",
                row.assessment.tier.value,
                "; ".join(row.assessment.reasons),
            )


def export_register(
    *,
    organisations: Sequence[Organisation],
    financial_year: int,
    file_format: str,
    owner: str | None = None,
) -> bytes:
    """The register as CSV or XLSX bytes; text never becomes a formula. `owner` names whose
    register it is in the workbook's title (a partnership's name); one body names itself."""
    rows = export_rows(organisations=organisations, financial_year=financial_year)
    if file_format == "csv":
        return exports.write_csv(EXPORT_COLUMNS, rows)
    if file_format == "xlsx":
        label = FinancialYear(financial_year).label
        return exports.write_xlsx(
            EXPORT_COLUMNS,
            rows,
            sheet=f"Register {label}".replace("/", "-"),
            title=exports.workbook_title("Supplier register", organisations, owner, label),
        )
    raise ValidationError("Choose CSV or XLSX", field="format")
