"""The two kinds of rules for automatic categories a partnership may edit (words in suppliers'
names, and the reference list of well-known suppliers), and checking a new version's CSV text
before it is saved: every problem in words, each naming its line, so a coordinator can fix
them all at once. Pure: text and the partnership's category names in, problems out.

The text is read the way tisc.rules.auto_category reads it: lines starting with "#" are
comments, blank lines are skipped, the first other line names the columns.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from enum import StrEnum

from tisc.rules.auto_category import phrase_key
from tisc.rules.names import normalise_supplier_name

# Large enough for thousands of rules (the shipped files are under 4 KB), small enough that a
# pasted spreadsheet by mistake is refused rather than kept in every version.
MAX_BYTES = 200 * 1000


class RuleKind(StrEnum):
    """Which rules: words in names, or the reference list."""

    NAME_RULES = "name_rules"
    REFERENCE_SUPPLIERS = "reference_suppliers"

    @property
    def spec(self) -> KindSpec:
        return SPECS[self]

    @classmethod
    def from_slug(cls, slug: str) -> RuleKind | None:
        """The kind a URL names ("name-rules"), or None."""
        return next((kind for kind in cls if kind.spec.slug == slug), None)


@dataclass(frozen=True)
class KindSpec:
    """What the rules of a kind are called, their file and their columns."""

    title: str
    slug: str
    file_name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]


SPECS = {
    RuleKind.NAME_RULES: KindSpec(
        "Words in suppliers' names",
        "name-rules",
        "name_rules.csv",
        ("words", "category", "confidence"),
        ("words", "category"),
    ),
    RuleKind.REFERENCE_SUPPLIERS: KindSpec(
        "Well-known suppliers",
        "reference-suppliers",
        "reference_suppliers.csv",
        ("name", "category"),
        ("name", "category"),
    ),
}


def _listed(names: tuple[str, ...]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _header(number: int, line: str, spec: KindSpec) -> tuple[list[str], list[str]]:
    """The column names of the first line, and its problems."""
    columns = [c.strip().lower() for c in next(csv.reader([line]))]
    problems = [
        f"Line {number}: ‘{c}’ is not a column of these rules: use {_listed(spec.columns)}"
        for c in columns
        if c and c not in spec.columns
    ]
    missing = [c for c in spec.required if c not in columns]
    if missing:
        problems.append(
            f"Line {number}: the first line must name the columns {_listed(spec.columns)} "
            f"({_listed(tuple(missing))} {'is' if len(missing) == 1 else 'are'} missing)"
        )
    return columns, problems


def _row_problems(
    kind: RuleKind, number: int, row: dict[str, str], categories: frozenset[str]
) -> tuple[list[str], list[tuple[str, str]]]:
    """A rule's problems, and the keys it adds (phrases, or a normalised name) with their
    words as shown."""
    problems: list[str] = []
    if kind is RuleKind.NAME_RULES:
        phrases = (phrase_key(p) for p in row.get("words", "").split(";"))
        keys = [(k, k) for k in phrases if k]
        if not keys:
            problems.append(f"Line {number}: enter the words to look for in suppliers' names")
        confidence = row.get("confidence", "").strip().lower()
        if confidence not in ("", "high", "low"):
            problems.append(f"Line {number}: the confidence must be high or low")
    else:
        key = normalise_supplier_name(row.get("name", ""))
        keys = [(key, row.get("name", "").strip())] if key else []
        if not keys:
            problems.append(f"Line {number}: enter the supplier's name")
    category = row.get("category", "").strip()
    if not category:
        problems.append(f"Line {number}: enter the category")
    elif category not in categories:
        problems.append(f"Line {number}: ‘{category}’ is not one of this partnership's categories")
    return problems, keys


def check_rules(kind: RuleKind, text: str, categories: frozenset[str]) -> list[str]:
    """Every problem with `text` as rules of `kind` for a partnership with these category
    names, in words, in the order of the lines; none when it can be saved."""
    if len(text.encode("utf-8")) > MAX_BYTES:
        return [f"The rules must be {MAX_BYTES // 1000} KB or smaller"]
    spec = kind.spec
    columns: list[str] | None = None
    problems: list[str] = []
    seen: dict[str, int] = {}  # key -> the line it is first on
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        if columns is None:
            columns, found = _header(number, line, spec)
            if found:
                return found
            continue
        try:
            values = next(csv.reader([line]))
        except csv.Error:
            problems.append(f"Line {number}: cannot be read (check its double quotes)")
            continue
        if len(values) > len(columns):
            problems.append(
                f"Line {number}: has more values than the first line has columns "
                "(put text with a comma in double quotes)"
            )
            continue
        row = dict(zip(columns, values, strict=False))
        found, keys = _row_problems(kind, number, row, categories)
        problems += found
        for key, shown in keys:
            if key in seen:
                problems.append(f"Line {number}: ‘{shown}’ is already on line {seen[key]}")
            else:
                seen[key] = number
    if columns is None:
        return [f"Enter the rules: a first line naming the columns {_listed(spec.columns)}"]
    return problems


def rule_rows(kind: RuleKind, text: str) -> list[tuple[str, ...]]:
    """The rules as a table, one tuple a rule in the order of the kind's columns (a blank
    confidence reads as "high", as the matcher reads it); comments and blank lines left out."""
    columns: list[str] | None = None
    found: list[tuple[str, ...]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        try:
            values = [v.strip() for v in next(csv.reader([line]))]
        except csv.Error:
            continue
        if columns is None:
            columns = [v.lower() for v in values]
            continue
        row = dict(zip(columns, values, strict=False))
        cells = [row.get(column, "") for column in kind.spec.columns]
        if kind is RuleKind.NAME_RULES:
            cells[0] = "; ".join(p.strip() for p in cells[0].split(";") if p.strip())
            cells[2] = cells[2].lower() or "high"
        found.append(tuple(cells))
    return found
