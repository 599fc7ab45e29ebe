"""Who on the debarment list in force is a supplier of ours: each body's live suppliers, and
the connected persons and relied-on subcontractors recorded for them, matched by company
number, then PPON, then name (`rules/debarment`), with the counts the board and the
statement read."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from tisc.database import db
from tisc.models import ConnectedParty, DebarmentEntry, ExclusionDecision, Organisation, Supplier
from tisc.rules.debarment import (
    Decision,
    Identity,
    ListIndex,
    MatchKind,
    NotificationState,
    PartyKind,
    is_listed_on,
    matching_keys,
    notification,
    strongest,
)
from tisc.rules.names import normalise_supplier_name
from tisc.rules.years import FinancialYear
from tisc.services.exclusions.debarment_list import current_entries


@dataclass(frozen=True)
class Match:
    """A register's supplier (or one connected to it, `via`) found on the list."""

    organisation: Organisation
    supplier_id: int
    supplier_name: str
    company_number: str | None  # of the supplier, or of the connected party when via one
    entry: DebarmentEntry
    kind: MatchKind
    via_kind: PartyKind | None = None
    via_name: str | None = None

    @property
    def via(self) -> str | None:
        """ "Relied-on subcontractor: Acme Ltd", or None when the supplier itself matched."""
        if self.via_kind is None:
            return None
        return f"{self.via_kind.label}: {self.via_name}"


@dataclass(frozen=True)
class MatchFlag:
    """What the register shows of a supplier's matches: the strongest kind, whether any is on
    a mandatory ground, and whether only connected persons or subcontractors matched."""

    kind: MatchKind
    mandatory: bool
    only_connected: bool


def _index(today: date) -> tuple[ListIndex, dict[int, DebarmentEntry]]:
    entries = {
        entry.id: entry
        for entry in current_entries()
        if is_listed_on(today, entry.start_date, entry.end_date)
    }
    index = ListIndex(
        (key, Identity(entry.name, entry.company_number, entry.ppon))
        for key, entry in entries.items()
    )
    return index, entries


def find_matches(
    *,
    organisations: Sequence[Organisation],
    supplier_ids: Collection[int] | None = None,
    today: date | None = None,
) -> list[Match]:
    """Every match of the bodies' live suppliers (or only of `supplier_ids`, archived or not)
    and their connected parties with the list in force on `today`, by body, supplier and
    strength."""
    today = today or date.today()
    index, entries = _index(today)
    if not entries or not organisations:
        return []
    by_id = {org.id: org for org in organisations}
    chosen = [Supplier.organisation_id.in_(by_id)]
    if supplier_ids is None:
        chosen.append(Supplier.archived_at.is_(None))
    else:
        chosen.append(Supplier.id.in_(list(supplier_ids)))
    found: list[Match] = []
    rows = db.session.execute(
        select(
            Supplier.id,
            Supplier.organisation_id,
            Supplier.name,
            Supplier.normalised_name,
            Supplier.company_number,
            Supplier.ppon,
        ).where(*chosen)
    )
    for supplier_id, org_id, name, name_key, number, ppon in rows:
        for key, kind in index.matches_keys(matching_keys(number, ppon, name_key)):
            found.append(Match(by_id[org_id], supplier_id, name, number, entries[key], kind))
    parties = db.session.execute(
        select(ConnectedParty, Supplier.name)
        .join(Supplier, Supplier.id == ConnectedParty.supplier_id)
        .where(*chosen)
    )
    for party, supplier_name in parties:
        keys = matching_keys(party.company_number, party.ppon, normalise_supplier_name(party.name))
        for key, kind in index.matches_keys(keys):
            found.append(
                Match(
                    by_id[party.organisation_id],
                    party.supplier_id,
                    supplier_name,
                    party.company_number,
                    entries[key],
                    kind,
                    party.kind,
                    party.name,
                )
            )
    return sorted(
        found,
        key=lambda m: (
            m.organisation.name,
            m.supplier_name.casefold(),
            m.supplier_id,
            m.via_kind is not None,
            m.kind.strength,
            m.entry.id,
        ),
    )


def match_flags(
    *, org: Organisation, supplier_ids: Collection[int], today: date | None = None
) -> dict[int, MatchFlag]:
    """The register's tag for each of these suppliers that has a match (others are left out)."""
    grouped: dict[int, list[Match]] = {}
    for match in find_matches(organisations=[org], supplier_ids=supplier_ids, today=today):
        grouped.setdefault(match.supplier_id, []).append(match)
    return {
        supplier_id: MatchFlag(
            kind=strongest(m.kind for m in matches),  # type: ignore[arg-type]  # never empty
            mandatory=any(m.entry.mandatory for m in matches),
            only_connected=all(m.via_kind is not None for m in matches),
        )
        for supplier_id, matches in grouped.items()
    }


def match_kinds(
    *, org: Organisation, supplier_ids: Collection[int], today: date | None = None
) -> dict[int, MatchKind | None]:
    """For each supplier id given (of this body), how the supplier itself is on the list in
    force: by company number, PPON or name (a name alone is for checking), or None. Matches
    of its connected persons and subcontractors are `find_matches`'."""
    kinds: dict[int, MatchKind | None] = dict.fromkeys(supplier_ids)
    for match in find_matches(organisations=[org], supplier_ids=supplier_ids, today=today):
        if match.via_kind is None and match.supplier_id in kinds:
            found = (kinds[match.supplier_id], match.kind)
            kinds[match.supplier_id] = strongest(kind for kind in found if kind is not None)
    return kinds


@dataclass(frozen=True)
class ExclusionCounts:
    """The figures of debarment for some bodies: suppliers matched (themselves or through a
    connected party), of them on a mandatory ground, the exclusion decisions recorded, and the
    exclusions whose notification to the Procurement Review Unit is overdue."""

    matched_suppliers: int
    mandatory_matches: int
    decisions: int
    notifications_overdue: int


def exclusion_counts(
    *,
    organisations: Sequence[Organisation],
    today: date | None = None,
    financial_year: int | None = None,
) -> ExclusionCounts:
    """The counts for these bodies on `today` (by default the real date); the decisions
    counted are those decided in `financial_year`, when one is given."""
    today = today or date.today()
    matches = find_matches(organisations=organisations, today=today)
    matched = {(m.organisation.id, m.supplier_id) for m in matches}
    mandatory = {(m.organisation.id, m.supplier_id) for m in matches if m.entry.mandatory}
    ids = [org.id for org in organisations]
    counted = select(func.count(ExclusionDecision.id)).where(
        ExclusionDecision.organisation_id.in_(ids)
    )
    if financial_year is not None:
        year = FinancialYear(financial_year)
        counted = counted.where(ExclusionDecision.decided_on.between(year.starts, year.ends))
    decisions = db.session.scalar(counted)
    unnotified = db.session.execute(
        select(ExclusionDecision.decided_on).where(
            ExclusionDecision.organisation_id.in_(ids),
            ExclusionDecision.decision == Decision.EXCLUDED,
            ExclusionDecision.notified_on.is_(None),
        )
    ).scalars()
    overdue = sum(
        1
        for decided_on in unnotified
        if notification(Decision.EXCLUDED, decided_on, None, today).state
        is NotificationState.OVERDUE
    )
    return ExclusionCounts(len(matched), len(mandatory), decisions or 0, overdue)
