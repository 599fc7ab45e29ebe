"""Due diligence per supplier and year, read together: the list of tier A and B suppliers with
what is done and missing, one supplier's year, and the figures the action plan and statement
use. due_diligence_figures is the one source of those figures; the pages, exports and
statement all read it. The records themselves are kept by tisc.services.due_diligence.records
(re-exported here).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal

from sqlalchemy import case, func, select

from tisc.database import db
from tisc.models import (
    ContractReview,
    DueDiligence,
    Organisation,
    Partnership,
    SubSupplier,
    Supplier,
    SupplierAssessment,
    SupplierYear,
)
from tisc.rules.due_diligence import Done, Need, missing_needs, needs
from tisc.rules.goods_risk import Finding
from tisc.rules.rating import RatingResult
from tisc.rules.risk import Assessment, Tier
from tisc.services.assessments.records import (
    complete_assessments,
    complete_assessments_of,
    supplier_rating,
)
from tisc.services.due_diligence.goods_risk import sub_supplier_findings
from tisc.services.due_diligence.records import (
    COUNTS_AS_MAPPED,
    GUIDANCE_METHODS,
    SUB_SUPPLIER_TIERS,
    MappedSubSupplier,
    add_contract_review,
    add_sub_supplier,
    delete_contract_review,
    delete_sub_supplier,
    get_contract_review,
    get_due_diligence,
    get_sub_supplier,
    list_contract_reviews,
    list_sub_suppliers,
    update_contract_review,
    update_due_diligence,
    update_sub_supplier,
)
from tisc.services.register import rows as register

__all__ = [
    "FIGURE_LABELS",
    "GUIDANCE_METHODS",
    "SUB_SUPPLIER_TIERS",
    "DueDiligenceFigures",
    "DueDiligencePage",
    "DueDiligenceRow",
    "MappedSubSupplier",
    "PartnershipFigures",
    "SupplierYearDueDiligence",
    "add_contract_review",
    "add_sub_supplier",
    "delete_contract_review",
    "delete_sub_supplier",
    "due_diligence_figures",
    "due_diligence_figures_for",
    "due_diligence_page",
    "due_diligence_rows",
    "get_contract_review",
    "get_due_diligence",
    "get_sub_supplier",
    "has_spend",
    "list_contract_reviews",
    "list_sub_suppliers",
    "partnership_figures",
    "supplier_due_diligence",
    "update_contract_review",
    "update_due_diligence",
    "update_sub_supplier",
]


@dataclass(frozen=True)
class DueDiligenceRow:
    """A tier A or B supplier in a year: what its tier needs, what is done and what is missing."""

    supplier: Supplier
    annual_spend: Decimal
    flags: Assessment
    rating: RatingResult
    assessment: SupplierAssessment | None
    record: DueDiligence | None
    mapped: int
    reviews: int
    reviews_discussed: int
    done: Done

    @property
    def tier(self) -> Tier:
        return self.flags.tier

    @property
    def needs(self) -> tuple[Need, ...]:
        return needs(self.tier)

    @property
    def missing_needs(self) -> tuple[Need, ...]:
        return missing_needs(self.tier, self.done)

    @property
    def missing(self) -> tuple[str, ...]:
        """What is missing, in words."""
        return tuple(need.label for need in self.missing_needs)

    @property
    def guidance_sent(self) -> bool:
        return self.done.guidance_sent

    @property
    def plan_requested(self) -> bool:
        return self.record is not None and self.record.plan_requested_on is not None

    @property
    def plan_received(self) -> bool:
        return self.done.plan_received


@dataclass(frozen=True)
class _Year:
    """What is recorded for a body's year, loaded in a handful of grouped queries."""

    entries: list[register.TierEntry]
    assessments: dict[int, SupplierAssessment]
    records: dict[int, DueDiligence]
    mapped: dict[int, int]
    reviews: dict[int, tuple[int, int]]

    def done(self, supplier_id: int) -> Done:
        record = self.records.get(supplier_id)
        return Done(
            assessed=supplier_id in self.assessments,
            mapped=self.mapped.get(supplier_id, 0) > 0,
            plan_received=record is not None and record.plan_received_on is not None,
            review_discussed=self.reviews.get(supplier_id, (0, 0))[1] > 0,
            guidance_sent=record is not None and record.guidance_sent_on is not None,
        )

    def row(self, found: register.RegisterRow) -> DueDiligenceRow:
        sid = found.supplier.id
        assessment = self.assessments.get(sid)
        reviews, discussed = self.reviews.get(sid, (0, 0))
        category = found.supplier.category
        return DueDiligenceRow(
            supplier=found.supplier,
            annual_spend=found.annual_spend,
            flags=found.assessment,
            rating=supplier_rating(
                risk=category.risk if category else None,
                tier=found.assessment.tier,
                assessment=assessment,
            ),
            assessment=assessment,
            record=self.records.get(sid),
            mapped=self.mapped.get(sid, 0),
            reviews=reviews,
            reviews_discussed=discussed,
            done=self.done(sid),
        )


def _load_many(organisation_ids: Sequence[int], financial_year: int) -> dict[int, _Year]:
    """Each body's records for the year (no entries), in one query per kind of record for
    all the bodies together."""
    ids = list(organisation_ids)
    found = {
        org_id: _Year(entries=[], assessments={}, records={}, mapped={}, reviews={})
        for org_id in ids
    }
    for record in db.session.scalars(
        select(DueDiligence).where(
            DueDiligence.organisation_id.in_(ids),
            DueDiligence.financial_year == financial_year,
        )
    ):
        found[record.organisation_id].records[record.supplier_id] = record
    mapped = db.session.execute(
        select(SubSupplier.organisation_id, SubSupplier.supplier_id, func.count())
        .outerjoin(SupplierAssessment, SupplierAssessment.id == SubSupplier.assessment_id)
        .where(
            SubSupplier.organisation_id.in_(ids),
            SubSupplier.financial_year == financial_year,
            COUNTS_AS_MAPPED,
        )
        .group_by(SubSupplier.organisation_id, SubSupplier.supplier_id)
    )
    for org_id, sid, n in mapped:
        found[org_id].mapped[sid] = int(n)
    reviews = db.session.execute(
        select(
            ContractReview.organisation_id,
            ContractReview.supplier_id,
            func.count(),
            func.count(case((ContractReview.modern_slavery_discussed.is_(True), 1))),
        )
        .where(
            ContractReview.organisation_id.in_(ids),
            ContractReview.financial_year == financial_year,
        )
        .group_by(ContractReview.organisation_id, ContractReview.supplier_id)
    )
    for org_id, sid, n, d in reviews:
        found[org_id].reviews[sid] = (int(n), int(d))
    for assessment in complete_assessments_of(organisation_ids=ids, financial_year=financial_year):
        found[assessment.organisation_id].assessments[assessment.supplier_id] = assessment
    return found


def _load(
    org: Organisation,
    financial_year: int,
    tiers: Sequence[Tier],
    search: str = "",
    entries: list[register.TierEntry] | None = None,
) -> _Year:
    """The year's records, with the entries of the tiers (or the entries given)."""
    if entries is None:
        found = register.tier_entries(
            org=org, financial_year=financial_year, tiers=tiers, search=search
        )
        # Tier A first, then B; each largest spend first.
        entries = sorted(found, key=lambda e: tiers.index(e.tier))
    return replace(_load_many([org.id], financial_year)[org.id], entries=entries)


def _selected(
    org: Organisation, financial_year: int, tier: Tier | None, missing: Need | None, search: str
) -> tuple[_Year, list[register.TierEntry]]:
    tiers = (tier,) if tier in (Tier.A, Tier.B) else (Tier.A, Tier.B)
    if tier is not None and tier not in tiers:
        return _load(org, financial_year, ()), []
    data = _load(org, financial_year, tiers, search.strip()[:100])
    entries = data.entries
    if missing is not None:
        entries = [e for e in entries if missing in missing_needs(e.tier, data.done(e.supplier_id))]
    return data, entries


def _rows(org: Organisation, financial_year: int, data: _Year, entries: list) -> list:
    found = register.register_rows_for(
        org=org, financial_year=financial_year, supplier_ids=[e.supplier_id for e in entries]
    )
    return [data.row(found[e.supplier_id]) for e in entries]


def due_diligence_rows(
    *,
    org: Organisation,
    financial_year: int,
    tier: Tier | None = None,
    missing: Need | None = None,
    search: str = "",
) -> list[DueDiligenceRow]:
    """Every tier A and B supplier of the year (tier A first, largest spend first), filtered
    by tier, by something missing, and by name or company number."""
    data, entries = _selected(org, financial_year, tier, missing, search)
    return _rows(org, financial_year, data, entries)


@dataclass(frozen=True)
class DueDiligencePage:
    """One page of due_diligence_rows, and how many rows there are in all."""

    rows: list[DueDiligenceRow]
    total: int
    page: int
    pages: int


def due_diligence_page(
    *,
    org: Organisation,
    financial_year: int,
    tier: Tier | None = None,
    missing: Need | None = None,
    search: str = "",
    page: int = 1,
    per_page: int = 100,
) -> DueDiligencePage:
    """One page of the tier A and B suppliers; only that page's suppliers are loaded."""
    if missing is None and not search.strip():
        # Nothing to filter in Python: sorted, counted and cut in the database, so a body
        # with a hundred thousand suppliers does not read them all for a page of a hundred.
        tiers = (tier,) if tier in (Tier.A, Tier.B) else (Tier.A, Tier.B)
        shown, total, page = register.tier_entries_page(
            org=org, financial_year=financial_year, tiers=tiers, page=page, per_page=per_page
        )
        data = _load(org, financial_year, tiers, entries=shown)
        pages = max(1, -(-total // per_page))
        return DueDiligencePage(_rows(org, financial_year, data, shown), total, page, pages)
    data, entries = _selected(org, financial_year, tier, missing, search)
    pages = max(1, -(-len(entries) // per_page))
    page = max(1, min(page, pages))
    shown = entries[(page - 1) * per_page : page * per_page]
    return DueDiligencePage(_rows(org, financial_year, data, shown), len(entries), page, pages)


# --- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueDiligenceFigures:
    """A body's due diligence in one financial year, in figures."""

    financial_year: int
    suppliers_over_threshold: int
    high_risk_over_threshold: int
    needing_assessment: int
    assessed: int
    mapped_beyond_tier1: int
    plans_requested: int
    plans_received: int
    guidance_sent: int
    contract_reviews: int
    contract_reviews_discussed: int

    def out_of(self, key: str) -> int | None:
        """What a figure is counted out of (its denominator), or None for a plain count."""
        whole = FIGURE_WHOLES.get(key)
        return None if whole is None else getattr(self, whole)

    def shown(self, key: str) -> str:
        """A figure in words for pages: "50 of 144 (35%)", or just the count."""
        part, whole = getattr(self, key), self.out_of(key)
        if whole is None:
            return f"{part:,}"
        if whole == 0:
            return f"{part:,} of 0"
        return f"{part:,} of {whole:,} ({round(100 * part / whole)}%)"


# Which figure each share is out of.
FIGURE_WHOLES: dict[str, str] = {
    "high_risk_over_threshold": "suppliers_over_threshold",
    "assessed": "needing_assessment",
    "mapped_beyond_tier1": "high_risk_over_threshold",
    "plans_requested": "high_risk_over_threshold",
    "plans_received": "high_risk_over_threshold",
    "guidance_sent": "suppliers_over_threshold",
    "contract_reviews_discussed": "contract_reviews",
}


# The figures in the order pages and exports show them, with their words.
FIGURE_LABELS: tuple[tuple[str, str], ...] = (
    ("suppliers_over_threshold", "Suppliers over the threshold"),
    ("high_risk_over_threshold", "Of them in tier A (high-risk, or no category yet)"),
    ("needing_assessment", "Suppliers needing an assessment (tiers A and B)"),
    ("assessed", "Of them assessed this year"),
    ("mapped_beyond_tier1", "Tier A suppliers mapped beyond Tier 1"),
    ("plans_requested", "Tier A staff engagement plans requested"),
    ("plans_received", "Tier A staff engagement plans received"),
    ("guidance_sent", "Suppliers over the threshold sent guidance"),
    ("contract_reviews", "Contract reviews"),
    ("contract_reviews_discussed", "Contract reviews where modern slavery was discussed"),
)


def has_spend(*, org: Organisation, financial_year: int) -> bool:
    """True when the body has spend recorded in the year."""
    found = db.session.scalar(
        select(SupplierYear.supplier_id)
        .where(
            SupplierYear.organisation_id == org.id,
            SupplierYear.financial_year == financial_year,
        )
        .limit(1)
    )
    return found is not None


def due_diligence_figures(*, org: Organisation, financial_year: int) -> DueDiligenceFigures | None:
    """The figures for the action plan and statement (None when there is no spend that year).

    Counted from the same rows as the due-diligence page, so the page, the exports and the
    statement always agree.
    """
    return due_diligence_figures_for(organisations=[org], financial_year=financial_year)[org.id]


def due_diligence_figures_for(
    *, organisations: Sequence[Organisation], financial_year: int
) -> dict[int, DueDiligenceFigures | None]:
    """due_diligence_figures of several bodies, by organisation id, in a few queries for all
    of them (the board reads every member body's)."""
    # One look in each body's index of its years, not a DISTINCT over all their rows.
    spending = set(
        db.session.scalars(
            select(Organisation.id).where(
                Organisation.id.in_([org.id for org in organisations]),
                select(SupplierYear.supplier_id)
                .where(
                    SupplierYear.organisation_id == Organisation.id,
                    SupplierYear.financial_year == financial_year,
                )
                .exists(),
            )
        )
    )
    bodies = [org for org in organisations if org.id in spending]
    found: dict[int, DueDiligenceFigures | None] = {org.id: None for org in organisations}
    if not bodies:
        return found
    # Counted in the database; only the few suppliers with a record are read one by one.
    counts = register.tier_counts_for(
        organisations=bodies, financial_year=financial_year, tiers=(Tier.A, Tier.B, Tier.C)
    )
    years = _load_many([org.id for org in bodies], financial_year)
    for org in bodies:
        data = years[org.id]
        recorded = {*data.assessments, *data.records, *(s for s, n in data.mapped.items() if n)}
        entries = (
            register.tier_entries(
                org=org,
                financial_year=financial_year,
                tiers=(Tier.A, Tier.B, Tier.C),
                supplier_ids=recorded,
            )
            if recorded
            else []
        )
        found[org.id] = _figures(financial_year, counts.get(org.id, {}), data, entries)
    return found


def _figures(
    financial_year: int,
    counts: dict[tuple[Tier, bool], int],
    data: _Year,
    entries: list[register.TierEntry],
) -> DueDiligenceFigures:
    records = data.records
    tier_a = [e.supplier_id for e in entries if e.tier is Tier.A]
    needing = [e.supplier_id for e in entries if e.tier in (Tier.A, Tier.B)]
    over = {e.supplier_id for e in entries if e.over_threshold}
    return DueDiligenceFigures(
        financial_year=financial_year,
        suppliers_over_threshold=sum(n for (_, is_over), n in counts.items() if is_over),
        high_risk_over_threshold=sum(n for (t, _), n in counts.items() if t is Tier.A),
        needing_assessment=sum(n for (t, _), n in counts.items() if t in (Tier.A, Tier.B)),
        assessed=sum(1 for sid in needing if sid in data.assessments),
        mapped_beyond_tier1=sum(1 for sid in tier_a if data.mapped.get(sid, 0) > 0),
        plans_requested=sum(
            1 for sid in tier_a if sid in records and records[sid].plan_requested_on
        ),
        plans_received=sum(1 for sid in tier_a if sid in records and records[sid].plan_received_on),
        guidance_sent=sum(1 for sid in over if sid in records and records[sid].guidance_sent_on),
        contract_reviews=sum(n for n, _ in data.reviews.values()),
        contract_reviews_discussed=sum(d for _, d in data.reviews.values()),
    )


def total_figures(found: Iterable[DueDiligenceFigures | None]) -> DueDiligenceFigures | None:
    """The sum of several bodies' figures for one year (None when none has data)."""
    present = [f for f in found if f is not None]
    if not present:
        return None
    values = {
        f.name: sum(getattr(figures, f.name) for figures in present)
        for f in fields(DueDiligenceFigures)
        if f.name != "financial_year"
    }
    return DueDiligenceFigures(financial_year=present[0].financial_year, **values)


@dataclass(frozen=True)
class PartnershipFigures:
    """Each member body's figures for a year, and their total."""

    financial_year: int
    bodies: list[tuple[Organisation, DueDiligenceFigures | None]]
    total: DueDiligenceFigures | None


def partnership_figures(*, partnership: Partnership, financial_year: int) -> PartnershipFigures:
    """The figures of every member body (None for a body with no spend that year) and a total."""
    bodies = [
        (org, due_diligence_figures(org=org, financial_year=financial_year))
        for org in partnership.organisations
    ]
    return PartnershipFigures(financial_year, bodies, total_figures(f for _, f in bodies))


# --- one supplier's year ---------------------------------------------------------------------


@dataclass(frozen=True)
class SupplierYearDueDiligence:
    """Everything recorded for one supplier in one year, with what its tier needs."""

    supplier: Supplier
    financial_year: int
    annual_spend: Decimal
    flags: Assessment
    rating: RatingResult
    assessment: SupplierAssessment | None
    record: DueDiligence | None
    sub_suppliers: list[MappedSubSupplier]
    reviews: Sequence[ContractReview]
    done: Done
    # Each sub-supplier's findings on the lists of risky goods, by its id.
    findings: dict[int, list[Finding]]

    @property
    def tier(self) -> Tier:
        return self.flags.tier

    @property
    def needs(self) -> tuple[Need, ...]:
        return needs(self.tier)

    @property
    def missing_needs(self) -> tuple[Need, ...]:
        return missing_needs(self.tier, self.done)


def supplier_due_diligence(
    *, org: Organisation, supplier: Supplier, financial_year: int
) -> SupplierYearDueDiligence:
    """A supplier's due diligence for a year (also a year with no spend yet)."""
    record = get_due_diligence(org=org, supplier=supplier, financial_year=financial_year)
    year = db.session.get(SupplierYear, (supplier.id, financial_year))
    if year is None or year.organisation_id != org.id:
        year = SupplierYear(
            supplier_id=supplier.id,
            financial_year=financial_year,
            organisation_id=org.id,
            annual_spend=Decimal(0),
            payments=0,
        )
    flags = register.assess_supplier_year(org=org, supplier=supplier, year=year)
    assessment = complete_assessments(org=org, financial_year=financial_year).get(supplier.id)
    subs = list_sub_suppliers(org=org, supplier=supplier, financial_year=financial_year)
    reviews = list_contract_reviews(org=org, supplier=supplier, financial_year=financial_year)
    category = supplier.category
    return SupplierYearDueDiligence(
        supplier=supplier,
        financial_year=financial_year,
        annual_spend=year.annual_spend,
        flags=flags,
        rating=supplier_rating(
            risk=category.risk if category else None, tier=flags.tier, assessment=assessment
        ),
        assessment=assessment,
        record=record,
        sub_suppliers=subs,
        reviews=reviews,
        done=Done(
            assessed=assessment is not None,
            mapped=any(s.counts for s in subs),
            plan_received=record is not None and record.plan_received_on is not None,
            review_discussed=any(r.modern_slavery_discussed for r in reviews),
            guidance_sent=record is not None and record.guidance_sent_on is not None,
        ),
        findings={s.record.id: sub_supplier_findings(sub_supplier=s.record) for s in subs},
    )
