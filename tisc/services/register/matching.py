"""Matching an import's lines to the register: company number first, then normalised name."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from sqlalchemy import bindparam, insert, select, update

from tisc.database import db
from tisc.models import Supplier
from tisc.models.base import utcnow
from tisc.rules.auto_category import PAYMENT_TEXT_LABELS, join_payment_texts
from tisc.rules.names import normalise_supplier_name


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
    created_ids: list[int] = field(default_factory=list)

    def restricted_to(self, identities: set[str]) -> MatchPlan:
        """The same plan without new suppliers whose every line is already in the register."""
        self.new_suppliers = {k: v for k, v in self.new_suppliers.items() if k in identities}
        return self

    def create_suppliers(self, *, import_id: int) -> dict[str, int]:
        """Insert the new suppliers; every identity's supplier id, old and new.

        Their history starts from created_by_import_id (no event row each: an import can
        bring 20,000 suppliers).
        """
        ids = dict(self.existing_ids)
        if not self.new_suppliers:
            return ids
        now = utcnow()
        rows = [
            {
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
        self.created_ids = list(by_key.values())
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


def latest_texts(lines: pd.DataFrame, column: str) -> dict[str, str]:
    """Each identity's last non-empty value of a text column (none for a column the file
    does not have)."""
    if column not in lines:
        return {}
    present = lines[lines[column].fillna("") != ""].drop_duplicates("identity", keep="last")
    return dict(zip(present["identity"], present[column], strict=True))


def payment_texts_of(lines: pd.DataFrame) -> dict[str, str]:
    """Each identity's payment texts as stored: its newest cost centre, description and CPV
    code (tisc.rules.auto_category.join_payment_texts)."""
    columns = {field: latest_texts(lines, field) for field in PAYMENT_TEXT_LABELS}
    identities = set().union(*columns.values())
    joined = {
        identity: join_payment_texts({f: texts.get(identity) for f, texts in columns.items()})
        for identity in identities
    }
    return {identity: text for identity, text in joined.items() if text}


def plan_matches(*, organisation_id: int, lines: pd.DataFrame) -> MatchPlan:
    """Work out which existing or new supplier every line belongs to (writes nothing)."""
    unique_names = lines["supplier_name"].unique()
    key_of = {name: normalise_supplier_name(name) for name in unique_names}
    # astype: an empty column maps to float64, which the join below cannot match with text.
    name_keys = lines["supplier_name"].map(key_of).astype(object)

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

    pairs = pd.DataFrame({"name_key": name_keys, "company_number": lines["company_number"]})
    unique_pairs = pairs.drop_duplicates()
    identity_of: dict[tuple[str, str], str] = {}
    name_identity: dict[str, str] = {}
    # Pairs with a company number first: the number is the stronger match.
    for key, number in unique_pairs[unique_pairs["company_number"] != ""].itertuples(index=False):
        if number in by_number:
            identity = f"id:{by_number[number]}"
        elif key in by_key and number_of.get(by_key[key]) in (None, number):
            identity = f"id:{by_key[key]}"
        else:
            identity = f"new:co:{number}"
        identity_of[(key, number)] = identity
        name_identity.setdefault(key, identity)
    for key, number in unique_pairs[unique_pairs["company_number"] == ""].itertuples(index=False):
        identity_of[(key, number)] = (
            f"id:{by_key[key]}" if key in by_key else name_identity.get(key, f"new:nm:{key}")
        )

    # Map the (name, number) pairs back onto a million lines with one vectorised join.
    table = pd.DataFrame(
        [(key, number, identity) for (key, number), identity in identity_of.items()],
        columns=["name_key", "company_number", "identity"],
    )
    identities = pd.Series(
        pairs.merge(table, on=["name_key", "company_number"], how="left")["identity"].to_numpy(),
        index=lines.index,
        dtype=object,
    )
    existing_ids = {i: int(i[3:]) for i in set(identities) if i.startswith("id:")}
    new_suppliers = _new_suppliers(lines.assign(name_key=name_keys, identity=identities), by_key)
    return MatchPlan(
        organisation_id, name_keys, identities, existing_ids, texts, paid, new_suppliers
    )


def _new_suppliers(lines: pd.DataFrame, by_key: dict[str, int]) -> dict[str, NewSupplier]:
    # Column-wise "first/last non-empty per identity" keeps this fast for 20,000 new suppliers.
    fresh = lines[lines["identity"].str.startswith("new:")]
    firsts = fresh.drop_duplicates("identity")[["identity", "supplier_name", "name_key"]]

    def per_identity(column: str, keep: str) -> dict[str, str]:
        present = fresh[fresh[column] != ""].drop_duplicates("identity", keep=keep)
        return dict(zip(present["identity"], present[column], strict=True))

    vat, charity = per_identity("vat_number", "first"), per_identity("charity_number", "first")
    texts = per_identity("category_text", "last")
    paid = payment_texts_of(fresh)
    taken = set(by_key)
    result: dict[str, NewSupplier] = {}
    for identity, name, key in firsts.itertuples(index=False):
        number = identity[7:] if identity.startswith("new:co:") else None
        if key in taken:
            # Two different companies can share a name; keep the register's key unique.
            key = f"{key} [{number}]"
        taken.add(key)
        result[identity] = NewSupplier(
            name=name,
            normalised_name=key,
            company_number=number,
            vat_number=vat.get(identity),
            charity_number=charity.get(identity),
            category_text=texts.get(identity),
            payment_texts=paid.get(identity),
        )
    return result
