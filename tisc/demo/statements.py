"""Demo statements: the partnership's joint statement for last year (the one being written)
and a draft for this year started from it, as they stand on the demo's day. Last year's is
written in spring, sent for approval in summer with every body's signatories and every approval
but one (so the checklist shows what is still missing), and published by every body from
September, when it is due. Each body that approved has answered the registry's questions, so
the registry summary is filled. Signatories' names say "Demo": the people are not real.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from tisc.database import db
from tisc.models import (
    Organisation,
    OrganisationKind,
    Partnership,
    Statement,
    StatementBody,
    StatementState,
)
from tisc.rules import registry
from tisc.rules.years import FinancialYear
from tisc.services.statements import records as statements
from tisc.services.statements import registry_answers, signoff

DEMO_TEXT = {
    "introduction": (
        "This is the joint modern slavery statement of the seven police forces and seven "
        "police and crime commissioners (and mayors with those functions) of the North East and "
        "Yorkshire and the Humber for the financial year {year}. It is a voluntary statement, "
        "made in accordance with section 54(1) of the Modern Slavery Act 2015, and sets out "
        "the steps we took to keep slavery and human "
        "trafficking out of our own business and our supply chains.\n\n"
        "Our officers meet the victims of modern slavery in car washes, nail bars, farms and "
        "cannabis farms across the region. We owe it to them to make sure that the ((spend)) we "
        "spent on goods, works and services in ((year)) does not pay for the same harm "
        "elsewhere.\n\n"
        "Each body keeps its own action plan. Progress is reported every quarter to the "
        "regional collaboration board."
    ),
    "structure": (
        "Each police force is led by a chief constable. Each commissioner's office supports an "
        "elected police and crime commissioner, or a mayor who holds those functions, who sets "
        "the police and crime plan and holds the force to account.\n\n"
        "Our main purchases are vehicles "
        "and fuel, uniforms and protective equipment, IT and communications, buildings and "
        "facilities management, custody healthcare and forensic services.\n\n"
        "Much of our buying goes through the regional procurement collaboration and national "
        "frameworks such as those of BlueLight Commercial."
    ),
    "policies": (
        "Our approach is set out in our contract procedure rules, the regional supplier code of "
        "conduct, the Code of Ethics, and our whistleblowing, recruitment and vetting "
        "policies.\n\n"
        "Our standard terms require suppliers to comply with the Modern Slavery Act 2015 and let "
        "us end a contract where slavery or human trafficking is found. The policies were last "
        "reviewed by the regional heads of procurement in January {january}.\n\n"
        "Staff, suppliers and the public can raise concerns through each body's confidential "
        "reporting line, or the Modern Slavery and Exploitation Helpline on 08000 121 700."
    ),
    "principles": (
        "We work to shared principles: modern slavery risks are considered at the start of "
        "every procurement; we look first where the risk is highest; we expect suppliers to be "
        "open with us about their own supply chains; and we act on what we find.\n\n"
        "We work together through the regional procurement collaboration, so that a supplier "
        "used by several of us is assessed once and the results are shared. This year we "
        "agreed one supplier questionnaire and ran joint training for buyers.\n\n"
        "Each body keeps its own action plan against our joint commitments, and the "
        "collaboration board reviews progress every quarter."
    ),
    "risk": (
        "We take a risk-based approach. We rate categories of spend high, medium or low "
        "risk. The categories we treat as high risk are cleaning, uniforms and clothing, vehicle "
        "washing and valeting, construction, electronic equipment and personal protective "
        "equipment.\n\n"
        "Our first focus is contracted suppliers paid more than the spend threshold in the "
        "year. New procurements since February 2025 follow the Procurement Act 2023: we check "
        "suppliers against the central debarment list, and Procurement Policy Note 009 asks "
        "us to rate each procurement's modern slavery risk before it is advertised. The "
        "section on procurement, contracts and exclusions shows how many we rated, and how "
        "many of those only after the tender notice.\n\n"
        "The main risks we found are agency labour in cleaning and vehicle valeting in the UK, "
        "and the making of uniforms and electronic equipment overseas."
    ),
    "due-diligence": (
        "Suppliers in high-risk categories paid more than the threshold are asked to complete a "
        "modern slavery self-assessment. For these suppliers we also look beyond Tier 1, ask "
        "for their plans to engage their staff on modern slavery, and discuss modern slavery in "
        "contract reviews.\n\n"
        "Suppliers paid more than the threshold are sent our guidance on modern slavery.\n\n"
        "One cleaning contractor could not show how its agency workers were recruited; it has "
        "agreed an improvement plan and now checks every agency it uses."
    ),
    "training": (
        "Officers and staff complete modern slavery awareness e-learning, and procurement "
        "staff, senior leaders and front-line officers have further training. In ((year)), "
        "((staff trained)) of the ((staff in scope)) officers and staff in scope were trained "
        "(((% trained))).\n\n"
        "Contract managers were also "
        "briefed on the signs to look for at supplier sites."
    ),
    "goals": (
        "We measure progress with key performance indicators calculated from our registers, due "
        "diligence and training records; the year at a glance shows them for {year}.\n\n"
        "In {year} we assessed tier A and B suppliers, mapped supply chains beyond Tier 1 "
        "and discussed modern slavery in contract reviews; the year at a glance shows how far "
        "each went. Our goals for next year follow, from our action plans, with the target "
        "for each measure."
    ),
}
RISKS = (
    {
        "description": "Agency workers in contracted cleaning may be charged recruitment fees "
        "or have their pay withheld.",
        "area": "Cleaning services",
        "supply_chain_tier": "Tier 2",
        "groups_affected": "Agency workers; migrant workers",
        "location": "United Kingdom",
        "mitigation": "Self-assessments for every cleaning contractor, checks of the agencies "
        "they use, and modern slavery on the agenda of every contract review.",
    },
    {
        "description": "Uniform garments and footwear are made in factories where forced "
        "overtime has been reported.",
        "area": "Uniforms and clothing",
        "supply_chain_tier": "Tier 3 and below",
        "groups_affected": "Factory workers",
        "location": "South and South East Asia",
        "mitigation": "Supply chain mapping with our uniform suppliers and social audit reports "
        "requested through the national framework.",
    },
)
UNAPPROVED = "humberside-police"


def _area(org: Organisation) -> str:
    slug = org.slug
    for suffix in ("-opcc", "-police", "-constabulary"):
        slug = slug.removesuffix(suffix)
    return slug.replace("-", " ").title()


def _signatory(org: Organisation) -> tuple[str, str]:
    area = _area(org)
    if org.kind is OrganisationKind.FORCE:
        return f"Demo Chief Constable ({area})", "Chief Constable"
    if "Mayor" in org.name:
        return f"Demo Deputy Mayor ({area})", f"Deputy Mayor for Policing and Crime, {area}"
    if "Victims" in org.name:
        return f"Demo Commissioner ({area})", f"Police, Crime and Victims' Commissioner for {area}"
    return f"Demo Commissioner ({area})", f"Police and Crime Commissioner for {area}"


def _answers(org: Organisation, rng: random.Random) -> registry.Answers:
    """A police body's answers to the registry's questions: what the joint statement describes
    (policies in contracts, training by audience, supplier engagement, a whistleblowing line),
    a few differences between bodies, and no indicators of forced labour found."""
    policies = [
        "Prohibits any threat of violence, harassment and intimidation",
        "Prohibits the use of worker-paid recruitment fees",
        "Prohibits child labour",
        "Prohibits confiscation of workers original identification documents",
    ]
    training = ["Your whole organisation", "Procurement staff", "Executive-level staff"]
    if org.kind is OrganisationKind.FORCE:
        training.insert(1, "Your front line staff")
    engagement = [
        "Your suppliers",
        "Central or local government",
        "Businesses in your industry or sector",
    ]
    audits = ["Audit conducted by your staff"] if rng.random() < 0.4 else [registry.NONE_CHOICE]
    return registry.Answers(
        sectors=(registry.PUBLIC_SECTOR, "Public administration and defence"),
        years=registry.OVER_FIVE,  # the region's first joint statement was in 2020
        choices={
            "policies": (*policies, registry.OTHER),
            "training": tuple(training),
            "engagement": tuple(engagement),
            "audits": tuple(audits),
            "grievance": (registry.GRIEVANCE_MECHANISMS[0],),
            "ilo_indicators": (registry.NONE_CHOICE,),
            "ilo_actions": (),
        },
        other={"policies": "Modern slavery clauses in the standard terms of every contract"},
        progress=(
            "Progress against the action plan is reported to the regional collaboration board "
            "each quarter, with the KPIs below."
        ),
    )


def _answer(body: StatementBody, rng: random.Random) -> None:
    registry_answers.record_registry_answers(
        statement_body=body,
        user=None,
        expected_version=body.version_id,
        answers=_answers(body.organisation, rng),
    )


def _paragraph(org: Organisation) -> str:
    lead = ", ".join(p for p in (org.senior_lead_name, org.senior_lead_title) if p)
    if org.kind is OrganisationKind.FORCE:
        first = (
            f"{org.name} polices {_area(org)}. This year its procurement team added a modern "
            "slavery question to every tender for a high-risk category, and its contract "
            "managers visited the sites of its cleaning and vehicle valeting contractors."
        )
    else:
        first = (
            f"{org.name} supports the elected local policing body for {_area(org)}. It "
            "commissions victim services, and this year asked every provider it funds how they "
            "identify and refer possible victims of modern slavery."
        )
    return f"{first}\n\n{org.name}'s senior lead for modern slavery in supply chains is {lead}."


def _fill(statement: Statement, orgs: Sequence[Organisation], year: FinancialYear) -> None:
    by_id = {o.id: o for o in orgs}
    for section in statement.sections:
        if section.organisation_id is not None:
            section.text = _paragraph(by_id[section.organisation_id])
        elif section.key in DEMO_TEXT:
            section.text = (
                DEMO_TEXT[section.key]
                .replace("{year}", year.label)
                .replace("{january}", str(year.ends.year))
            )


def _stage(today: date) -> StatementState:
    """Where last year's statement stands on `today`: written in April to June, awaiting
    approval in July and August, published from September (it is due by 30 September)."""
    if today.month in (4, 5, 6):
        return StatementState.DRAFT
    if today.month in (7, 8):
        return StatementState.AWAITING_APPROVAL
    return StatementState.PUBLISHED


def _day_between(earliest: date, latest: date, rng: random.Random) -> date:
    """A day from `earliest` to `latest` (latest when earliest is later)."""
    span = (latest - earliest).days
    return latest if span <= 0 else earliest + timedelta(days=rng.randrange(span + 1))


def seed_statements(
    *,
    orgs: Sequence[Organisation],
    partnership: Partnership,
    seed: int,
    today: date | None = None,
) -> list[Statement]:
    """Last year's joint statement as it stands on `today` (by default the real date: see
    _stage; awaiting one body's approval in the summer), and a draft for this year started
    from its text; both statements."""
    today = today or date.today()
    this_year = FinancialYear.containing(today)
    year = FinancialYear(this_year.start_year - 1)
    rng = random.Random(seed + 3000)  # noqa: S311 - synthetic data, not security
    last = statements.create_statement(
        partnership=partnership, financial_year=year.start_year, user=None, from_last_year=False
    )
    _fill(last, orgs, year)
    written = _day_between(this_year.starts + timedelta(days=30), today, rng)
    summer = year.ends.year  # approved in June to August, published in September
    for risk in RISKS:
        signoff.add_risk(statement=last, user=None, today=written, **risk)
    stage = _stage(today)
    last.state = stage
    # Humberside Police has not approved yet (the last body, outside the demo partnership).
    waiting = next((b for b in last.bodies if b.organisation.slug == UNAPPROVED), last.bodies[-1])
    for body in last.bodies:
        body.signatory_name, body.signatory_title = _signatory(body.organisation)
        if stage is StatementState.DRAFT or (
            body is waiting and stage is StatementState.AWAITING_APPROVAL
        ):
            continue
        body.approved_on = _day_between(date(summer, 6, 16), min(today, date(summer, 8, 31)), rng)
        body.decision_reference = (
            f"record {rng.randrange(10, 60)}/{summer}"
            if body.organisation.kind is OrganisationKind.COMMISSIONER
            else f"chief officer team minute {rng.randrange(100, 400)}"
        )
        if stage is StatementState.PUBLISHED:
            body.published_on = _day_between(
                date(summer, 9, 1), min(today, date(summer, 9, 30)), rng
            )
            body.published_url = (
                f"https://www.{body.organisation.slug}.example/modern-slavery-statement-{year.slug}"
            )
            # Most bodies have also told the government's registry; a few have still to.
            if rng.random() < 0.8:
                body.registry_submitted_on = _day_between(body.published_on, today, rng)
    db.session.flush()
    for body in last.bodies:
        if body.approved_on is not None:
            _answer(body, rng)
    current = statements.create_statement(
        partnership=partnership,
        financial_year=this_year.start_year,
        user=None,
        from_last_year=True,
    )
    intro = next(s for s in current.sections if s.key == "introduction")
    intro.text = DEMO_TEXT["introduction"].replace("{year}", this_year.label)
    db.session.flush()
    return [last, current]
