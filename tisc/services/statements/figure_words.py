"""The live figures a statement's words may name, in words: what each ((placeholder)) of
tisc.rules.figure_words stands for, for all the bodies together or for one body, and the
figures the figure check (tisc.rules.figure_check) compares hand-typed words with.

Both read StatementFigures (tisc.services.statements.figures.statement_figures), so the words
agree with the tables of the document.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from tisc.models import Audience
from tisc.rules.figure_check import CheckFigures, MoneyFigure, ShareFigure
from tisc.rules.figure_words import (
    count_in_words,
    money_in_words,
    percent_in_words,
)
from tisc.rules.years import FinancialYear
from tisc.services.statements.figures_data import BodyFigures, StatementFigures

NOT_RECORDED = "not recorded"


def body_of(*, figures: StatementFigures, organisation_id: int | None = None) -> BodyFigures:
    """The figures of one covered body, or of all of them together (organisation_id None).
    ValueError for a body the statement does not cover."""
    if organisation_id is None:
        return figures.total
    for body in figures.bodies:
        if body.organisation_id == organisation_id:
            return body
    raise ValueError(f"The statement does not cover organisation {organisation_id}")


def uncategorised_spend(body: BodyFigures) -> Decimal:
    """This year's spend with suppliers that have no category."""
    return sum((c.spend for c in body.categories if c.category_id is None), Decimal(0))


def figure_values(
    *, figures: StatementFigures, organisation_id: int | None = None
) -> dict[str, str]:
    """Each live figure's name (tisc.rules.figure_words.FIGURE_NAMES) and its words, for all
    the bodies together (organisation_id None) or for one body: pass the result to
    tisc.rules.figure_words.fill_figures. A figure with no data reads "not recorded"."""
    body = body_of(figures=figures, organisation_id=organisation_id)
    this = body.this_year
    year = FinancialYear(figures.financial_year)
    trained = this.training
    assessed = this.kpis["assessed"].percent if "assessed" in this.kpis else None
    values = {
        "spend": money_in_words(this.spend) if this.has_spend else NOT_RECORDED,
        "suppliers": count_in_words(this.suppliers),
        "distinct suppliers": count_in_words(figures.distinct_for(organisation_id)),
        "suppliers over threshold": count_in_words(this.over_threshold),
        "high-risk suppliers": count_in_words(this.high_risk_suppliers),
        "staff in scope": count_in_words(trained[1]) if trained else NOT_RECORDED,
        "staff trained": count_in_words(trained[0]) if trained else NOT_RECORDED,
        "% trained": percent_in_words(*trained) if trained and trained[1] else NOT_RECORDED,
        "% assessed": f"{assessed}%" if assessed is not None else NOT_RECORDED,
        "uncategorised spend": money_in_words(uncategorised_spend(body)),
        "bodies": count_in_words(len(figures.bodies) if organisation_id is None else 1),
        "year": year.label,
        "last year": FinancialYear(figures.financial_year - 1).label,
    }
    return values


def _shares(
    body: BodyFigures, audiences: Mapping[Audience, tuple[int, int]]
) -> tuple[ShareFigure, ...]:
    """Every share a percentage could state: each KPI this year and last, each audience's
    training this year."""
    found = []
    for year, when in ((body.this_year, ""), (body.last_year, "last year's ")):
        if year is None:
            continue
        for key, value in year.kpis.items():
            if value.has_data:
                label = f"{when}share of {value.definition.label.lower()}"
                found.append(ShareFigure(key, label, value.part, value.whole))  # type: ignore[arg-type]
    for audience, (trained, in_scope) in audiences.items():
        if in_scope > 0 and audience is not Audience.SUPPLIERS:
            label = f"the share of {audience.label.lower()} trained"
            found.append(ShareFigure("trained", label, trained, in_scope))
    return tuple(found)


def check_figures(
    *,
    figures: StatementFigures,
    organisation_id: int | None = None,
    audiences: Mapping[int, Mapping[Audience, tuple[int, int]]] | None = None,
    voluntary: bool | None = None,
) -> CheckFigures:
    """What the figure check compares a section with: a joint section with the total and every
    body's money figures, a body's own paragraph with that body's. audiences: each body's
    training by audience (tisc.services.plans.kpis.audience_totals), for shares of training;
    voluntary: the statement's basis, for words about it."""
    body = body_of(figures=figures, organisation_id=organisation_id)
    bodies = figures.bodies if organisation_id is None else (body,)
    money = [MoneyFigure("the spend in the figures", body.this_year.spend)]
    for each in (body, *bodies):
        money.append(MoneyFigure(f"the spend of {each.name}", each.this_year.spend))
        if each.last_year is not None:
            money.append(MoneyFigure("last year's spend", each.last_year.spend))
        money.append(MoneyFigure("the uncategorised spend", uncategorised_spend(each)))
        money += [MoneyFigure(f"the spend on {c.name}", c.spend) for c in each.categories]
    this = body.this_year
    trained = this.training
    dd = this.due_diligence
    return CheckFigures(
        money=tuple(money),
        staff_in_scope=trained[1] if trained else None,
        staff_trained=trained[0] if trained else None,
        uncategorised_spend=uncategorised_spend(body),
        suppliers_over_threshold=dd.suppliers_over_threshold if dd else None,
        guidance_sent=dd.guidance_sent if dd else None,
        shares=_shares(body, _audiences_of(bodies, audiences or {})),
        voluntary=voluntary,
    )


def _audiences_of(
    bodies: Sequence[BodyFigures], audiences: Mapping[int, Mapping[Audience, tuple[int, int]]]
) -> dict[Audience, tuple[int, int]]:
    """The bodies' training by audience added together."""
    added: dict[Audience, tuple[int, int]] = {}
    for body in bodies:
        for audience, (trained, in_scope) in audiences.get(body.organisation_id or 0, {}).items():
            before = added.get(audience, (0, 0))
            added[audience] = (before[0] + trained, before[1] + in_scope)
    return added
