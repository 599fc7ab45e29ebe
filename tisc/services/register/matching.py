"""Matching an import's lines to the register: company number first, then normalised name."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd
from sqlalchemy import ARRAY, bindparam, func, insert, select, update

from tisc.database import db
from tisc.documents.spendfiles.parsing import factorize_objects
from tisc.models import Organisation, SpendLine, Supplier
from tisc.models.base import utcnow
from tisc.rules.auto_category import PAYMENT_TEXT_LABELS, join_payment_texts
from tisc.rules.names import normalise_supplier_name
from tisc.services.register.categories import Decider, Decision


@dataclass(frozen=True)
class NewSupplier:
    """A supplier the import will add."""

    name: str
    normalised_name: str
    company_number: str | None
    vat_number: str | None
    charity_number: str | None
    category_text: str | None
    payment_texts: str | None = None


@dataclass
class MatchPlan:
    """Which supplier each line belongs to; identities are "id:<n>" or "new:<...>"."""

    organisation_id: int
    line_name_keys: pd.Series
    line_identities: pd.Series
    existing_ids: dict[str, int]
    existing_texts: dict[int, str | None]
    existing_payment_texts: dict[int, str | None]
    new_suppliers: dict[str, NewSupplier]
    created: list[tuple[int, Decision]] = field(default_factory=list)  # id, its category

    def restricted_to(self, identities: set[str]) -> MatchPlan:
        """The same plan without new suppliers whose every line is already in the register."""
        self.new_suppliers = {k: v for k, v in self.new_suppliers.items() if k in identities}
        return self

    def create_suppliers(
        self, *, import_id: int, decisions: Mapping[NewSupplier, Decision]
    ) -> dict[str, int]:
        """Insert the new suppliers, each with its category as `decisions` has it; every
        identity's supplier id, old and new.

        Their history starts from created_by_import_id (no event row each: an import can
        bring 20,000 suppliers).
        """
        ids = dict(self.existing_ids)
        if not self.new_suppliers:
            return ids
        now = utcnow()
        rows = [
            {
                **_category_columns(decisions[s]),
                "organisation_id": self.organisation_id,
                "name": s.name,
                "normalised_name": s.normalised_name,
                "company_number": s.company_number,
                "vat_number": s.vat_number,
                "charity_number": s.charity_number,
                "category_text": s.category_text,
                "payment_texts": s.payment_texts,
                "created_by_import_id": import_id,
                "created_at": now,
                "updated_at": now,
                "version_id": 1,
            }
            for s in self.new_suppliers.values()
        ]
        # Plain executemany, then one query for the ids: RETURNING over 100,000 rows makes
        # SQLAlchemy splice its result batches together in quadratic time.
        dialect = db.session.connection().dialect.name
        if dialect == "postgresql":
            _insert_at_once(rows)
        elif dialect == "sqlite":
            _insert_by_driver(rows)
        else:
            db.session.execute(insert(Supplier.__table__), rows)
        created = db.session.execute(
            select(Supplier.id, Supplier.normalised_name).where(
                Supplier.organisation_id == self.organisation_id,
                Supplier.created_by_import_id == import_id,
            )
        ).all()
        by_key = {key: supplier_id for supplier_id, key in created}
        for identity, supplier in self.new_suppliers.items():
            ids[identity] = by_key[supplier.normalised_name]
            self.created.append((ids[identity], decisions[supplier]))
        return ids

    def update_category_texts(self, lines: pd.DataFrame, supplier_ids: dict[str, int]) -> list[int]:
        """Give existing suppliers the newest category text and payment texts (cost centre,
        description, CPV code) their lines carry; the ids whose texts changed."""
        existing = lines[lines["identity"].isin(self.existing_ids)]
        texts = latest_texts(existing, "category_text")
        paid = payment_texts_of(existing)
        changes = []
        for identity, supplier_id in self.existing_ids.items():
            text = texts.get(identity, self.existing_texts.get(supplier_id))
            payment = paid.get(identity, self.existing_payment_texts.get(supplier_id))
            if (text, payment) != (
                self.existing_texts.get(supplier_id),
                self.existing_payment_texts.get(supplier_id),
            ):
                changes.append({"sid": supplier_id, "text": text, "paid": payment})
        if changes:
            table = Supplier.__table__
            db.session.execute(
                update(table)
                .where(table.c.id == bindparam("sid"))
                .values(category_text=bindparam("text"), payment_texts=bindparam("paid")),
                changes,
            )
        return [c["sid"] for c in changes]


def register_state(*, organisation_id: int) -> tuple[int, ...]:
    """A few numbers that change whenever what matching reads of a body's register changes:
    its suppliers (how many, the newest, and the sum of their versions, which every edit
    raises) and its spend lines (how many, the newest). Read before matching, they tell
    whether the match still holds when it is written."""
    suppliers = db.session.execute(
        select(
            func.count(), func.coalesce(func.max(Supplier.id), 0), func.sum(Supplier.version_id)
        ).where(Supplier.organisation_id == organisation_id)
    ).one()
    lines = db.session.execute(
        select(func.count(), func.coalesce(func.max(SpendLine.id), 0)).where(
            SpendLine.organisation_id == organisation_id
        )
    ).one()
    return (*(int(n or 0) for n in suppliers), *(int(n) for n in lines))


def decide_categories(
    *,
    org: Organisation,
    suppliers: Iterable[NewSupplier],
    known: Mapping[NewSupplier, Decision] | None = None,
) -> dict[NewSupplier, Decision]:
    """Each new supplier's category, as categorise_suppliers would set it once it is in the
    register. Those in `known` are not decided again: an import decides its new suppliers'
    categories before it takes the write lock, and only a supplier the register's changes
    since then made different is decided inside it."""
    known = known or {}
    decider: Decider | None = None
    decisions = {}
    for supplier in suppliers:
        if supplier in known:
            decisions[supplier] = known[supplier]
            continue
        decider = decider or Decider(org=org)
        decisions[supplier] = decider.decide(
            name=supplier.name,
            normalised_name=supplier.normalised_name,
            company_number=supplier.company_number,
            category_text=supplier.category_text,
            payment_texts=supplier.payment_texts,
        )
    return decisions


def _category_columns(decision: Decision) -> dict[str, Any]:
    (category_id, source, reason), (s_id, s_source, s_reason) = decision
    return {
        "category_id": category_id,
        "category_source": source,
        "category_reason": reason,
        "suggested_category_id": s_id,
        "suggested_source": s_source if s_id is not None else None,
        "suggested_reason": s_reason,
    }


def _insert_at_once(rows: list[dict[str, Any]]) -> None:
    """PostgreSQL: insert suppliers in one statement, each column sent as an array (row by
    row, 20,000 suppliers took a second of round trips). Columns every row shares are sent
    once; defaults of the columns not given are filled in as for any insert."""
    table = Supplier.__table__
    first = rows[0]
    shared = [
        name
        for name, value in first.items()
        if name != "normalised_name" and all(r[name] == value for r in rows)
    ]
    varying = [name for name in first if name not in shared]
    source = select(
        *(
            func.unnest(
                bindparam(name, [r[name] for r in rows], type_=ARRAY(table.c[name].type))
            ).label(name)
            for name in varying
        ),
        *(bindparam(name, first[name], type_=table.c[name].type).label(name) for name in shared),
    )
    db.session.execute(insert(table).from_select([*varying, *shared], source))


def _insert_by_driver(rows: list[dict[str, Any]]) -> None:
    """SQLite: insert suppliers through the driver's own executemany, each column's values
    converted as SQLAlchemy converts them and the defaults of the columns not given filled in
    as for any insert. SQLAlchemy's per-row parameter handling took three times as long as
    SQLite's insert, all of it inside the write lock."""
    table = Supplier.__table__
    connection = db.session.connection()
    given = list(rows[0])
    defaults = {
        column.name: column.default.arg
        for column in table.columns
        if column.name not in given and column.default is not None and column.default.is_scalar
    }
    columns = [*given, *defaults]
    values = []
    for name in columns:
        process = (
            table.c[name].type.dialect_impl(connection.dialect).bind_processor(connection.dialect)
        )
        cells = [row[name] for row in rows] if name in rows[0] else [defaults[name]] * len(rows)
        if process is not None:
            converted: dict[Any, Any] = {}  # most columns share a few values (times, enums)
            cells = [
                converted[cell] if cell in converted else converted.setdefault(cell, process(cell))
                for cell in cells
            ]
        values.append(cells)
    placeholders = ", ".join("?" for _ in columns)
    connection.connection.driver_connection.executemany(
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({placeholders})",  # noqa: S608
        zip(*values, strict=True),
    )


def latest_texts(lines: pd.DataFrame, column: str) -> dict[str, str]:
    """Each identity's last non-empty value of a text column (none for a column the file
    does not have)."""
    if column not in lines:
        return {}
    codes, identities = factorize_objects(lines["identity"].to_numpy(dtype=object))
    last = _per_code(codes, _column(lines, column), len(identities), keep="last")
    return {identities[i]: last[i] for i in np.flatnonzero(_filled(last))}


def payment_texts_of(lines: pd.DataFrame) -> dict[str, str]:
    """Each identity's payment texts as stored: its newest cost centre, description and CPV
    code (tisc.rules.auto_category.join_payment_texts)."""
    codes, identities = factorize_objects(lines["identity"].to_numpy(dtype=object))
    joined = _payment_texts(codes, len(identities), lines)
    return {identities[i]: joined[i] for i in np.flatnonzero(_filled(joined))}


def _payment_texts(codes: np.ndarray, count: int, lines: pd.DataFrame) -> np.ndarray:
    """Each code's payment texts (None when it has none), from its lines' newest texts."""
    newest = {
        name: _per_code(codes, _column(lines, name), count, keep="last")
        for name in PAYMENT_TEXT_LABELS
        if name in lines
    }
    joined = np.full(count, None, dtype=object)
    for i in np.flatnonzero(np.logical_or.reduce([_filled(v) for v in newest.values()])):
        joined[i] = join_payment_texts({name: values[i] for name, values in newest.items()})
    return joined


def plan_matches(*, organisation_id: int, lines: pd.DataFrame) -> MatchPlan:
    """Work out which existing or new supplier every line belongs to (writes nothing).

    Python runs once per distinct name and per distinct (name, company number) pair; the
    lines themselves are handled as integer codes.
    """
    name_codes, unique_names = factorize_objects(lines["supplier_name"].to_numpy(dtype=object))
    unique_keys = _objects([normalise_supplier_name(name) for name in unique_names])
    name_keys = unique_keys[name_codes]
    key_of_name, keys = pd.factorize(unique_keys)
    number_codes, numbers = factorize_objects(lines["company_number"].to_numpy(dtype=object))

    register = db.session.execute(
        select(
            Supplier.id,
            Supplier.normalised_name,
            Supplier.company_number,
            Supplier.category_text,
            Supplier.payment_texts,
        ).where(Supplier.organisation_id == organisation_id)
    ).all()
    by_key = {key: sid for sid, key, _number, _text, _paid in register}
    by_number = {number: sid for sid, _key, number, _text, _paid in register if number}
    number_of = {sid: number for sid, _key, number, _text, _paid in register}
    texts = {sid: text for sid, _key, _number, text, _paid in register}
    paid = {sid: payment for sid, _key, _number, _text, payment in register}

    # Each distinct (name key, company number) pair, in the order the lines first have it.
    width = max(len(numbers), 1)
    pair_codes, pairs = pd.factorize(
        key_of_name[name_codes].astype(np.int64) * width + number_codes
    )
    pair_keys, pair_numbers = keys[pairs // width].tolist(), numbers[pairs % width].tolist()
    identity_of = np.empty(len(pairs), dtype=object)
    name_identity: dict[str, str] = {}
    # Pairs with a company number first: the number is the stronger match.
    for i, (key, number) in enumerate(zip(pair_keys, pair_numbers, strict=True)):
        if number == "":
            continue
        if number in by_number:
            identity = f"id:{by_number[number]}"
        elif key in by_key and number_of.get(by_key[key]) in (None, number):
            identity = f"id:{by_key[key]}"
        else:
            identity = f"new:co:{number}"
        identity_of[i] = identity
        name_identity.setdefault(key, identity)
    for i, (key, number) in enumerate(zip(pair_keys, pair_numbers, strict=True)):
        if number == "":
            identity_of[i] = (
                f"id:{by_key[key]}" if key in by_key else name_identity.get(key, f"new:nm:{key}")
            )

    identity_codes, identities = pd.factorize(identity_of)
    line_identities = identities[identity_codes][pair_codes]
    existing_ids = {i: int(i[3:]) for i in identities if i.startswith("id:")}
    new_suppliers = _new_suppliers(lines, identity_codes[pair_codes], identities, name_keys, by_key)
    return MatchPlan(
        organisation_id,
        pd.Series(name_keys, index=lines.index, dtype=object),
        pd.Series(line_identities, index=lines.index, dtype=object),
        existing_ids,
        texts,
        paid,
        new_suppliers,
    )


def _new_suppliers(
    lines: pd.DataFrame,
    codes: np.ndarray,
    identities: np.ndarray,
    name_keys: np.ndarray,
    by_key: dict[str, int],
) -> dict[str, NewSupplier]:
    """The new identities' suppliers, in the order the lines first name them (identities
    are numbered in that order)."""
    count = len(identities)
    first = _per_code(codes, np.arange(len(codes)), count, keep="first")
    vat = _per_code(codes, _column(lines, "vat_number"), count, keep="first")
    charity = _per_code(codes, _column(lines, "charity_number"), count, keep="first")
    category = _per_code(codes, _column(lines, "category_text"), count, keep="last")
    paid = _payment_texts(codes, count, lines)
    names = lines["supplier_name"].to_numpy(dtype=object)
    taken = set(by_key)
    result: dict[str, NewSupplier] = {}
    for i, identity in enumerate(identities.tolist()):
        if not identity.startswith("new:"):
            continue
        key = name_keys[first[i]]
        number = identity[7:] if identity.startswith("new:co:") else None
        if key in taken:
            # Two different companies can share a name; keep the register's key unique.
            key = f"{key} [{number}]"
        taken.add(key)
        result[identity] = NewSupplier(
            name=names[first[i]],
            normalised_name=key,
            company_number=number,
            vat_number=vat[i] or None,
            charity_number=charity[i] or None,
            category_text=category[i] or None,
            payment_texts=paid[i],
        )
    return result


def _column(lines: pd.DataFrame, column: str) -> np.ndarray:
    """A column as an object array, or all empty for a column the lines do not have."""
    if column not in lines:
        return np.full(len(lines), "", dtype=object)
    return lines[column].to_numpy(dtype=object)


def _filled(values: np.ndarray) -> np.ndarray:
    """Which values are text other than "" (not None, not NaN)."""
    return pd.notna(values) & (values != "")


def _per_code(
    codes: np.ndarray, values: np.ndarray, count: int, *, keep: Literal["first", "last"]
) -> np.ndarray:
    """For each code 0..count-1, the value of its first or last row whose value is filled
    (non-empty text, or any number); None for a code with none."""
    out = np.full(count, None, dtype=object)
    present = np.flatnonzero(_filled(values)) if values.dtype == object else np.arange(len(values))
    if len(present) == 0:
        return out
    at = pd.Series(codes[present]).drop_duplicates(keep=keep).index.to_numpy()
    out[codes[present[at]]] = values[present[at]]
    return out


def _objects(texts: list[str]) -> np.ndarray:
    out = np.empty(len(texts), dtype=object)
    out[:] = texts
    return out
