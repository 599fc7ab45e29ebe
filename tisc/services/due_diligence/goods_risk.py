"""Risk beyond Tier 1: each sub-supplier matched against the US Department of Labor's list of
goods produced by child labour or forced labour and the commodities PPN 009 names
(tisc.rules.goods_risk over the data files suppliers/goods_forced_labour.csv and
suppliers/ppn009_commodities.csv, read again when they change), and the heat-map of a body's or
a partnership's sub-suppliers by their Tier-1 supplier's category and their country.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy import select

from tisc.config import ROOT
from tisc.database import db
from tisc.models import (
    Category,
    Organisation,
    Partnership,
    SubSupplier,
    Supplier,
    SupplierAssessment,
)
from tisc.rules.goods_risk import DOL, Finding, GoodsRisk
from tisc.rules.heat_map import HeatMap, heat_map
from tisc.services.due_diligence.records import COUNTS_AS_MAPPED

GOODS_LIST = ROOT / "suppliers" / "goods_forced_labour.csv"
PPN_LIST = ROOT / "suppliers" / "ppn009_commodities.csv"
NO_CATEGORY = "No category"
NO_COUNTRY = "Country not given"


@functools.lru_cache(maxsize=4)
def _goods_risk(goods: Path, ppn: Path, _changed: tuple[int, int]) -> GoodsRisk:
    return GoodsRisk.from_csv(goods.read_text(encoding="utf-8"), ppn.read_text(encoding="utf-8"))


def goods_risk() -> GoodsRisk:
    """Both lists, read again when either file changes."""
    return _goods_risk(
        GOODS_LIST, PPN_LIST, (GOODS_LIST.stat().st_mtime_ns, PPN_LIST.stat().st_mtime_ns)
    )


def sub_supplier_findings(*, sub_supplier: SubSupplier) -> list[Finding]:
    """What the lists say of one sub-supplier: what it supplies, from its country."""
    return goods_risk().findings(supplies=sub_supplier.supplies, country=sub_supplier.country)


def country_name(text: str | None) -> str:
    """A country as the heat-map writes it: the lists' name when known, else as entered."""
    known = goods_risk().country(text)
    if known is not None:
        return known
    return " ".join((text or "").split()) or NO_COUNTRY


def _heat_map(organisation_ids: Sequence[int], financial_year: int) -> HeatMap:
    risk = goods_risk()
    found = db.session.execute(
        select(SubSupplier.supplies, SubSupplier.country, Category.name)
        .join(Supplier, Supplier.id == SubSupplier.supplier_id)
        .outerjoin(Category, Category.id == Supplier.category_id)
        .outerjoin(SupplierAssessment, SupplierAssessment.id == SubSupplier.assessment_id)
        .where(
            SubSupplier.organisation_id.in_(organisation_ids),
            SubSupplier.financial_year == financial_year,
            COUNTS_AS_MAPPED,
        )
    )
    return heat_map(
        (
            category or NO_CATEGORY,
            country_name(country),
            any(f.source == DOL for f in risk.findings(supplies=supplies, country=country)),
        )
        for supplies, country, category in found
    )


def heat_map_for_org(*, org: Organisation, financial_year: int) -> HeatMap:
    """The body's sub-suppliers in the year (those that count as mapped), by its Tier-1
    supplier's category and its country; a cell is flagged for each on the US DoL list."""
    return _heat_map([org.id], financial_year)


def heat_map_for_partnership(*, partnership: Partnership, financial_year: int) -> HeatMap:
    """The same for every member body of the partnership together."""
    return _heat_map(_ids(partnership.organisations), financial_year)


def _ids(organisations: Iterable[Organisation]) -> list[int]:
    return [o.id for o in organisations]
