"""Risk beyond Tier 1: a sub-supplier's supplies and country matched against the US DoL list and
PPN 009's commodities, whole words only, plurals, case and country aliases; the shipped files
keep their source notes and columns; and the heat-map's grid, shades and contrast."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from tisc.rules.goods_risk import (
    DOL,
    PPN,
    Countries,
    GoodsRisk,
    Severity,
    labour_words,
    singular,
    worst,
)
from tisc.rules.heat_map import SHADES, contrast, heat_map, shade

ROOT = Path(__file__).resolve().parents[2]
GOODS_FILE = ROOT / "suppliers" / "goods_forced_labour.csv"
PPN_FILE = ROOT / "suppliers" / "ppn009_commodities.csv"
SHIPPED = GoodsRisk.from_csv(GOODS_FILE.read_text(), PPN_FILE.read_text())

RISK = GoodsRisk.from_csv(
    "# a comment\n"
    "good,country,child_labour,forced_labour,words\n"
    "Rubber Gloves,Malaysia,no,yes,gloves;nitrile gloves\n"
    "Cotton,China,yes,yes,\n"
    "Bricks,India,yes,no,brick\n"
    "Tomatoes,China,no,yes,\n"
    "Rubies,Burma,yes,yes,\n"
    "Cobalt Ore (heterogenite),Democratic Republic of the Congo,yes,no,cobalt\n"
    "Coal,North Korea,no,no,\n",
    "commodity,words\npolysilicon,polysilicon;solar panels\npersonal protective equipment,"
    "ppe;gloves\nelectronics,led lighting;electronics\n",
)


def reasons(supplies: str | None, country: str | None, risk: GoodsRisk = RISK) -> list[str]:
    return [f.reason for f in risk.findings(supplies=supplies, country=country)]


def dol(supplies: str | None, country: str | None) -> list[str]:
    return [f.good for f in RISK.findings(supplies=supplies, country=country) if f.source == DOL]


def test_nitrile_gloves_from_malaysia_names_the_dol_list_then_ppn_009() -> None:
    assert reasons("Nitrile gloves", "Malaysia") == [
        "US DoL 2024 list: rubber gloves from Malaysia — forced labour",
        "PPN 009 names personal protective equipment as a higher-risk commodity (‘gloves’)",
    ]


def test_a_good_listed_for_both_says_both() -> None:
    assert reasons("cotton", "China") == [
        "US DoL 2024 list: cotton from China — child labour and forced labour"
    ]


def test_child_labour_only_is_child_labour_severity() -> None:
    (found,) = RISK.findings(supplies="bricks", country="India")
    assert found.severity == Severity.CHILD
    assert found.reason.endswith("— child labour")


def test_a_good_from_a_country_not_listed_for_it_is_no_dol_finding() -> None:
    assert dol("cotton", "Malaysia") == []
    assert dol("rubber gloves", "China") == []


def test_an_entry_with_neither_kind_of_labour_is_never_a_finding() -> None:
    assert dol("coal", "North Korea") == []


@pytest.mark.parametrize("country", [None, "", "   ", "Atlantis", "Narnia Republic"])
def test_unknown_country_gives_no_dol_finding_but_ppn_009_still_applies(
    country: str | None,
) -> None:
    assert reasons("gloves", country) == [
        "PPN 009 names personal protective equipment as a higher-risk commodity (‘gloves’)"
    ]


@pytest.mark.parametrize(
    ("supplies", "found"),
    [
        ("gloves", ["Rubber Gloves"]),
        ("glove", ["Rubber Gloves"]),
        ("GLOVES", ["Rubber Gloves"]),
        ("Box of 100 nitrile gloves, size M", ["Rubber Gloves"]),
        ("Rubber gloves", ["Rubber Gloves"]),
        ("foxgloves", []),
        ("glovebox", []),
        ("gloved", []),
        ("", []),
        (None, []),
    ],
)
def test_whole_words_plurals_and_case(supplies: str | None, found: list[str]) -> None:
    assert dol(supplies, "Malaysia") == found


def test_a_phrase_must_be_whole_and_in_order() -> None:
    assert reasons("LED lighting", "UK") == [
        "PPN 009 names electronics as a higher-risk commodity (‘led lighting’)"
    ]
    assert reasons("lighting led by us", "UK") == []
    assert reasons("ledger", "UK") == []


def test_bracketed_notes_in_a_good_are_not_matched_but_its_words_are() -> None:
    assert dol("heterogenite", "DRC") == []
    assert dol("cobalt ore", "DRC") == ["Cobalt Ore (heterogenite)"]
    assert dol("cobalt", "DR Congo") == ["Cobalt Ore (heterogenite)"]


def test_one_text_can_match_several_goods_each_once() -> None:
    assert dol("cotton and tomatoes, more cotton", "China") == ["Cotton", "Tomatoes"]


def test_forced_labour_findings_come_before_child_labour_only() -> None:
    risk = GoodsRisk.from_csv(
        "good,country,child_labour,forced_labour\nBricks,Nepal,yes,no\nCarpets,Nepal,no,yes\n",
        "commodity,words\n",
    )
    found = risk.findings(supplies="bricks and carpets", country="Nepal")
    assert [f.good for f in found] == ["Carpets", "Bricks"]
    assert worst(found) == Severity.FORCED
    assert worst([]) is None


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("PRC", "China"),
        ("P.R. China", "China"),
        ("People's Republic of China", "China"),
        ("china", "China"),
        ("Viet Nam", "Vietnam"),
        ("VIETNAM", "Vietnam"),
        ("Myanmar", "Burma"),
        ("DRC", "Democratic Republic of the Congo"),
        ("Ivory Coast", "Côte d'Ivoire"),
        ("Cote d'Ivoire", "Côte d'Ivoire"),
        ("Côte d’Ivoire", "Côte d'Ivoire"),
        ("UK", "United Kingdom"),
        ("U.K.", "United Kingdom"),
        ("England", "United Kingdom"),
        ("Great Britain", "United Kingdom"),
        ("USA", "United States"),
        ("The Netherlands", "Netherlands"),
        ("Türkiye", "Turkey"),
        ("DPRK", "North Korea"),
        ("Penang, Malaysia", "Malaysia"),
        ("  malaysia  ", "Malaysia"),
    ],
)
def test_country_names_and_aliases(text: str, country: str) -> None:
    assert RISK.country(text) == country


@pytest.mark.parametrize("text", ["bought from us", "Leeds, UK office", "Atlantis", "", None])
def test_short_aliases_only_match_the_whole_text_and_unknown_is_none(text: str | None) -> None:
    assert RISK.country(text) is None


def test_aliases_give_the_same_dol_finding() -> None:
    assert dol("tomatoes", "PRC") == dol("tomatoes", "China") == ["Tomatoes"]
    assert dol("rubies", "Myanmar") == ["Rubies"]


@pytest.mark.parametrize(
    ("plural", "one"),
    [
        ("gloves", "glove"),
        ("rubies", "ruby"),
        ("tomatoes", "tomato"),
        ("boxes", "box"),
        ("shoes", "shoe"),
        ("glass", "glass"),
        ("ppe", "ppe"),
        ("gas", "gas"),
        ("cotton", "cotton"),
    ],
)
def test_singular(plural: str, one: str) -> None:
    assert singular(plural) == one


def test_labour_words() -> None:
    assert labour_words(True, False) == "child labour"
    assert labour_words(False, True) == "forced labour"
    assert labour_words(True, True) == "child labour and forced labour"


def test_countries_strip_a_leading_the() -> None:
    assert Countries(["Philippines"]).normalise("the Philippines") == "Philippines"


# --- the shipped files ------------------------------------------------------------------------


def _data(path: Path) -> list[dict[str, str]]:
    text = "\n".join(line for line in path.read_text().splitlines() if not line.startswith("#"))
    return list(csv.DictReader(io.StringIO(text)))


def test_the_dol_file_says_its_source_edition_and_that_it_is_partial() -> None:
    note = " ".join(line for line in GOODS_FILE.read_text().splitlines() if line.startswith("#"))
    rows = _data(GOODS_FILE)
    assert "5 September 2024" in note and "204 goods from 82 countries" in note
    assert "TRANSCRIBED, NOT COMPLETE" in note
    assert f"{len(rows)} entries" in " ".join(note.replace("#", " ").split())
    assert "https://www.dol.gov/agencies/ilab/reports/child-labor/list-of-goods" in note
    assert list(rows[0])[:4] == ["good", "country", "child_labour", "forced_labour"]
    assert all(r["child_labour"] in ("yes", "no") for r in rows)
    assert all(r["forced_labour"] in ("yes", "no") for r in rows)
    assert all(r["child_labour"] == "yes" or r["forced_labour"] == "yes" for r in rows)
    assert len({(r["good"], r["country"]) for r in rows}) == len(rows)


def test_the_ppn_file_says_how_it_was_compiled() -> None:
    note = " ".join(line for line in PPN_FILE.read_text().splitlines() if line.startswith("#"))
    assert "PPN 009" in note and "February 2025" in note and "HOW THIS WAS COMPILED" in note
    rows = _data(PPN_FILE)
    assert {"cotton", "timber", "electronics"} <= {r["commodity"] for r in rows}


@pytest.mark.parametrize(
    ("supplies", "country", "expected"),
    [
        (
            "nitrile gloves",
            "Malaysia",
            "US DoL 2024 list: rubber gloves from Malaysia — forced labour",
        ),
        ("solar panels", "PRC", "US DoL 2024 list: polysilicon from China — forced labour"),
        ("cotton uniforms", "China", "PPN 009 names garments and uniforms"),
        ("LED lighting", "Viet Nam", "PPN 009 names electronics"),
        ("hardwood timber", "UK", "PPN 009 names timber"),
        ("bricks", "Myanmar", "US DoL 2024 list: bricks from Burma"),
    ],
)
def test_shipped_lists_find_the_common_cases(supplies: str, country: str, expected: str) -> None:
    assert any(r.startswith(expected) for r in reasons(supplies, country, SHIPPED))


def test_shipped_lists_find_nothing_in_plain_office_supplies() -> None:
    assert reasons("printer paper and toner", "United Kingdom", SHIPPED) == []
    assert PPN == "PPN 009"


# --- the heat-map -----------------------------------------------------------------------------


def test_heat_map_counts_each_entry_once_and_orders_by_total() -> None:
    grid = heat_map(
        [
            ("Uniforms", "China", True),
            ("Uniforms", "China", False),
            ("Uniforms", "India", False),
            ("PPE", "Malaysia", True),
        ]
    )
    assert grid.rows == ("Uniforms", "PPE")
    assert grid.columns == ("China", "India", "Malaysia")
    assert grid.cell("Uniforms", "China").count == 2
    assert grid.cell("Uniforms", "China").flagged == 1
    assert grid.cell("PPE", "China").count == 0
    assert grid.total == 4 and grid.flagged == 2
    assert grid.row_total("Uniforms") == 3 and grid.column_total("China") == 2


def test_heat_map_of_nothing_is_empty() -> None:
    grid = heat_map([])
    assert grid.rows == () and grid.columns == () and grid.total == 0


@pytest.mark.parametrize(
    ("count", "most", "expected"),
    [
        (0, 5, 0),
        (1, 1, 1),
        (1, 2, 1),
        (2, 2, 2),
        (1, 3, 1),
        (2, 3, 2),
        (2, 4, 1),
        (3, 4, 2),
        (2, 5, 1),
        (3, 5, 2),
        (5, 5, 2),
    ],
)
def test_shade_boundaries(count: int, most: int, expected: int) -> None:
    assert shade(count, most) == expected


def test_shades_meet_3_to_1_against_each_other_and_white_and_text_4_5_to_1() -> None:
    fills = [fill for fill, _ in SHADES]
    for i, first in enumerate(fills):
        for second in fills[i + 1 :]:
            assert contrast(first, second) >= 3
        assert first == "#ffffff" or contrast(first, "#ffffff") >= 3
    for fill, ink in SHADES:
        assert contrast(fill, ink) >= 4.5
