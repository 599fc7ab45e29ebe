"""Demo procurements and contract management: in two bodies, procurements at each PPN 009
risk level with their assessments (one recorded after its tender notice), contracts with a
modern slavery clause and KPIs, one over £5m with only two KPIs, and yearly ratings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import select

from tisc.database import db
from tisc.models import Organisation, Supplier
from tisc.rules.ppn009 import Characteristic, Mitigation
from tisc.rules.procurement import suggested_regime
from tisc.rules.years import FinancialYear
from tisc.services.accounts.users import find_user
from tisc.services.procurements import contract_management, ppn009, procurements
from tisc.services.register import contracts
from tisc.services.register.categories import list_categories, organisation_partnership

KPIS = (
    ("Staff paid at least the Real Living Wage", "100% of staff", "Quarterly payroll audit"),
    ("Right-to-work checks done", "100% of new starters", "Monthly HR report"),
    ("Sub-contractors named and checked", "All named within 30 days", "Supply chain map"),
    ("Worker grievance line answered", "Every call within 5 days", "Helpline log"),
)


@dataclass(frozen=True)
class Demo:
    """One demo procurement: what, its levels, when (days from today), what it awarded."""

    title: str
    category: str
    cpv: str
    overall: str
    levels: dict[str, str]
    notice_days: int  # the tender notice, days from today (negative: in the past)
    assessed_days: int
    countries: str | None = None
    total: str | None = None  # the awarded contract's total value, or no contract
    annual: str = "0.00"
    kpis: int = 0
    clause: bool | None = None
    mitigations: tuple[Mitigation, ...] = (Mitigation.CLAUSES,)


HIGH = dict.fromkeys((c.value for c in Characteristic), "high")
DEMOS = (
    Demo(
        "Cleaning of police stations",
        "Cleaning services and materials",
        "90911200-8",
        "high",
        {**HIGH, "location": "low", "context": "medium"},
        notice_days=-240,
        assessed_days=-260,
        total="6200000.00",
        annual="1550000.00",
        kpis=4,
        clause=True,
        mitigations=tuple(Mitigation),
    ),
    Demo(
        "Officer uniforms and boots",
        "Uniforms, workwear, footwear",
        "18100000-0 18800000-7",
        "high",
        {**HIGH, "business_model": "medium"},
        notice_days=-200,
        assessed_days=-185,  # recorded after the tender notice: the late one
        countries="Bangladesh, China",
        total="5600000.00",
        annual="1400000.00",
        kpis=2,  # over £5m with only two KPIs
        clause=True,
        mitigations=(Mitigation.SPECIFICATION, Mitigation.CLAUSES, Mitigation.KPIS),
    ),
    Demo(
        "Grounds maintenance of police sites",
        "Grounds maintenance and horticulture",
        "77310000-6",
        "medium",
        dict.fromkeys((c.value for c in Characteristic), "medium") | {"commodity": "low"},
        notice_days=30,
        assessed_days=-5,
        mitigations=(Mitigation.SELECTION, Mitigation.CLAUSES, Mitigation.REVIEW),
    ),
    Demo(
        "Legal advice framework",
        "Professional services, software, legal, finance",
        "79100000-5",
        "low",
        dict.fromkeys((c.value for c in Characteristic), "low"),
        notice_days=-100,
        assessed_days=-110,
        total="240000.00",
        annual="80000.00",
        kpis=1,
        clause=False,
    ),
)


# The bodies given demo procurements: the README's example body and the first in the list.
DEMO_BODIES = ("west-yorkshire-police", "cleveland-police")


def seed_procurements(*, orgs: Sequence[Organisation], today: date) -> int:
    """The demo procurements in the DEMO_BODIES; how many were made."""
    made = 0
    for org in (o for o in orgs if o.slug in DEMO_BODIES):
        user = find_user(email=f"procurement.{org.slug}@example.org")
        partnership = organisation_partnership(org)
        categories = {c.name: c for c in list_categories(partnership=partnership)}
        used: set[int] = set()
        for demo in DEMOS:
            category = categories.get(demo.category)
            supplier = _supplier(org, category.id if category else None, used)
            if supplier is None:
                continue
            used.add(supplier.id)
            _procurement(org, user, demo, supplier, category, today)
            made += 1
    db.session.flush()
    return made


def _supplier(org: Organisation, category_id: int | None, used: set[int]) -> Supplier | None:
    """A supplier of the body in the category (else any), not given a demo contract yet."""
    for in_category in (True, False):
        query = select(Supplier).where(Supplier.organisation_id == org.id)
        if in_category:
            query = query.where(Supplier.category_id == category_id)
        if used:
            query = query.where(Supplier.id.not_in(used))
        found = db.session.scalars(query.order_by(Supplier.id).limit(1)).first()
        if found is not None:
            return found
    return None


def _procurement(org, user, demo: Demo, supplier, category, today: date) -> None:
    notice = today + timedelta(days=demo.notice_days)
    award = start = end = contract = None
    if demo.total is not None:
        award = notice + timedelta(days=45)
        start = award + timedelta(days=30)
        end = start + timedelta(days=4 * 365)
        contract = contracts.add_contract(
            org=org,
            supplier=supplier,
            user=user,
            title=demo.title,
            reference=f"CON-{notice.year}-{supplier.id}",
            start_date=start,
            end_date=end,
            annual_value=Decimal(demo.annual),
            total_value=Decimal(demo.total),
            modern_slavery_clause=demo.clause,
            regime=suggested_regime(notice).value,  # type: ignore[union-attr]
        )
        for description, target, measure in KPIS[: demo.kpis]:
            contract_management.add_kpi(
                org=org,
                contract=contract,
                user=user,
                description=description,
                target=target,
                measure=measure,
                modern_slavery=True,
            )
        rated = FinancialYear.containing(start)
        if rated <= FinancialYear.containing(today):
            contract_management.rate_contract(
                org=org,
                contract=contract,
                user=user,
                today=today,
                financial_year=rated.start_year,
                rating="good" if demo.kpis >= 3 else "approaching",
                note=None,
            )
    procurement = procurements.add_procurement(
        org=org,
        user=user,
        details=procurements.ProcurementDetails(
            title=demo.title,
            reference=f"PR-{notice.year}-{len(demo.title)}",
            regime=suggested_regime(notice).value,  # type: ignore[union-attr]
            cpv_codes=demo.cpv,
            estimated_value=Decimal(demo.total) if demo.total else Decimal("450000.00"),
            category_id=category.id if category else None,
            countries=demo.countries,
            tender_notice_on=notice,
            award_on=award,
            start_on=start,
            end_on=end,
            contract_id=contract.id if contract else None,
        ),
    )
    ppn009.record_assessment(
        procurement=procurement,
        user=user,
        today=today + timedelta(days=demo.assessed_days),
        expected_version=None,
        given=ppn009.AssessmentInput(
            levels={Characteristic(k): v for k, v in demo.levels.items()},
            notes={Characteristic.WORKFORCE: "Agency and shift workers in the supply chain"},
            overall=demo.overall,
            reasons=f"{demo.category}: the characteristics as rated, agreed with the buyer",
            mitigations=list(demo.mitigations),
        ),
    )
