"""Session hooks that turn every ORM change to an audited record into an audit event.

Every service is covered without editing it: after each flush, the records inserted, changed
and deleted (including orphans and cascades) are described with their body, a summary and
their values before and after; the events are queued and appended to the chain at commit
(tisc.services.audit.chain). Bulk statements that bypass the ORM call audit.record_event instead.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import InstanceState, Mapper, Session, UOWTransaction
from sqlalchemy.orm.util import identity_key

from tisc.database import db
from tisc.models import Organisation, Partnership
from tisc.rules.audit import changed_values, clean_summary, full_values, stored_json
from tisc.services.audit import chain as audit
from tisc.services.audit.records import AUDITED, NAME_ATTRIBUTES, Audited

SCOPE_COLUMNS = ("organisation_id", "partnership_id")
_NOT_KNOWN = "(not known)"
STORED_KEY = "audit_stored_values"
INSERTED_KEY = "audit_inserted"  # records inserted by this transaction
PARENTS_KEY = "audit_parent_scopes"  # (model, id) -> body, for this transaction
CASCADED_KEY = "audit_cascaded"  # events for rows the database removes with a deleted record

Scope = tuple[int | None, int | None]


def _record_id(mapper: Mapper[Any], state: InstanceState[Any]) -> str:
    key = mapper.primary_key_from_instance(state.obj())
    return "/".join("" if part is None else str(part) for part in key)


_COLUMNS: dict[type, list[str]] = {}


def _columns(mapper: Mapper[Any], spec: Audited) -> list[str]:
    found = _COLUMNS.get(mapper.class_)
    if found is None:
        found = [p.key for p in mapper.column_attrs if p.key not in spec.ignore]
        _COLUMNS[mapper.class_] = found
    return found


def _ids(objects: Any) -> list[Any]:
    return sorted(getattr(o, "id", None) for o in objects if o is not None)


def _current_values(mapper: Mapper[Any], spec: Audited, state: InstanceState[Any]) -> dict:
    # A column never set on a new record was inserted as NULL (defaults are in the dict).
    values = {key: state.dict.get(key) for key in _columns(mapper, spec)}
    for key in spec.collections:
        if key in state.dict:
            values[key] = _ids(state.dict[key])
    return values


def _changes(
    mapper: Mapper[Any], spec: Audited, state: InstanceState[Any], stored: dict | None = None
) -> tuple[dict, dict]:
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    stored = stored or {}
    for key in _columns(mapper, spec):
        history = state.attrs[key].history
        if not history.has_changes():
            continue
        before[key] = history.deleted[0] if history.deleted else stored.get(key, _NOT_KNOWN)
        after[key] = history.added[0] if history.added else None
    for key in spec.collections:
        history = state.attrs[key].history
        if history.has_changes():
            before[key] = _ids([*history.unchanged, *history.deleted])
            after[key] = _ids([*history.unchanged, *history.added])
    return changed_values(before, after)


class _ScopeFinder:
    """The body of each record, looking each parent up once per transaction."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.parents: dict[tuple[type, Any], Scope] = session.info.setdefault(PARENTS_KEY, {})

    def __call__(self, state: InstanceState[Any], spec: Audited, values: dict) -> Scope:
        return self.of_values(state.class_, spec, state.dict)

    def of_values(self, model: type, spec: Audited, values: Any) -> Scope:
        """The body of a record of `model` with these column values."""
        if model is Organisation:
            return values.get("id"), None
        if model is Partnership:
            return None, values.get("id")
        org_id = values.get("organisation_id")
        partnership_id = values.get("partnership_id")
        if spec.parent is not None:
            column, parent_model = spec.parent
            parent_id = values.get(column)
            if parent_id is not None:
                parent_org, parent_partnership = self.parent_scope(parent_model, parent_id)
                org_id = org_id if org_id is not None else parent_org
                partnership_id = (
                    partnership_id if partnership_id is not None else parent_partnership
                )
        return org_id, partnership_id

    def parent_scope(self, model: type, parent_id: Any) -> Scope:
        key = (model, parent_id)
        if key not in self.parents:
            found = self.session.identity_map.get(identity_key(model, parent_id))
            loaded = inspect(found).dict if found is not None else {}
            wanted = [c for c in SCOPE_COLUMNS if hasattr(model, c)]
            if all(c in loaded for c in wanted):
                values = {c: loaded[c] for c in wanted}
            else:
                row = self.session.execute(
                    select(*(getattr(model, c) for c in wanted)).where(model.id == parent_id)
                ).first()
                values = dict(zip(wanted, row, strict=True)) if row else {}
            self.parents[key] = (values.get("organisation_id"), values.get("partnership_id"))
        return self.parents[key]


def _summary(verb: str, spec: Audited, record_id: str, values: dict, changed: dict) -> str:
    name = next((values[k] for k in NAME_ATTRIBUTES if values.get(k) not in (None, "")), None)
    text = f"{verb} {spec.label} #{record_id}"
    if name is not None:
        shown = str(getattr(name, "value", name))
        text += f' "{shown[:80]}{"…" if len(shown) > 80 else ""}"'
    if changed:
        text += ": " + ", ".join(k.replace("_", " ") for k in changed)
    return clean_summary(text)


def _describe(
    state: InstanceState[Any],
    spec: Audited,
    action: str,
    scope_of: Callable[..., Scope],
    stored: dict | None = None,
) -> audit.PendingEvent | None:
    mapper = state.mapper
    current = _current_values(mapper, spec, state)
    record_id = _record_id(mapper, state)
    if action == "update":
        before, after = _changes(mapper, spec, state, stored)
        if not after:
            return None
        summary = _summary("Changed", spec, record_id, current, after)
    elif action == "create":
        before, after = None, full_values(current)
        summary = _summary("Added", spec, record_id, current, {})
    else:
        before, after = full_values(current), None
        summary = _summary("Removed", spec, record_id, current, {})
    org_id, partnership_id = scope_of(state, spec, current)
    return audit.PendingEvent(
        action=action,
        record_type=mapper.local_table.name,
        record_id=record_id,
        summary=summary,
        organisation_id=org_id,
        partnership_id=partnership_id,
        before=stored_json(before),
        after=stored_json(after),
    )


def _before_flush(session: Session, _context: UOWTransaction, _instances: Any) -> None:
    # A column never loaded (left unset when the record was inserted earlier in this
    # transaction) has no old value in its history: read the stored one before it changes.
    stored: dict[InstanceState[Any], dict[str, Any]] = {}
    inserted = session.info.get(INSERTED_KEY, ())
    for obj in session.dirty:
        state = inspect(obj)
        spec = AUDITED.get(state.class_)
        if spec is None or state.key is None or not state.committed_state:
            continue
        unknown = [
            key
            for key in _columns(state.mapper, spec)
            if key in state.committed_state and _old_value_missing(state, key)
        ]
        if not unknown:
            continue
        if state in inserted:
            # Inserted by this transaction with these columns unset: they were NULL.
            stored[state] = dict.fromkeys(unknown)
        else:
            stored[state] = _stored_values(session, state, unknown)
    session.info[STORED_KEY] = stored
    session.info[CASCADED_KEY] = _cascaded_deletes(session) if session.deleted else []


def _old_value_missing(state: InstanceState[Any], key: str) -> bool:
    history = state.attrs[key].history
    return bool(history.added) and not history.deleted


def _stored_values(session: Session, state: InstanceState[Any], keys: list[str]) -> dict:
    mapper = state.mapper
    primary_key = mapper.primary_key_from_instance(state.obj())
    query = select(*(getattr(mapper.class_, key) for key in keys)).where(
        *(column == value for column, value in zip(mapper.primary_key, primary_key, strict=True))
    )
    row = session.execute(query).first()
    return dict(zip(keys, row, strict=True)) if row is not None else {}


_CASCADES: dict[str, list[tuple[type, Any, str]]] = {}


def _cascades() -> dict[str, list[tuple[type, Any, str]]]:
    """Parent table -> (audited model, its column, parent column) for ON DELETE CASCADE keys."""
    if not _CASCADES:
        for model in AUDITED:
            for key in inspect(model).local_table.foreign_keys:
                if (key.ondelete or "").upper() == "CASCADE":
                    _CASCADES.setdefault(key.column.table.name, []).append(
                        (model, key.parent, key.column.name)
                    )
    return _CASCADES


def _cascaded_deletes(session: Session) -> list[audit.PendingEvent]:
    # Rows the database itself removes (ON DELETE CASCADE) when a record is deleted: the
    # session never sees them, so they are read now, before the flush deletes them.
    deleting = {inspect(obj).key for obj in session.deleted}
    work: list[tuple[Mapper[Any], dict[str, Any]]] = []
    for obj in session.deleted:
        state = inspect(obj)
        pk_names = [c.name for c in state.mapper.primary_key]
        work.append(
            (state.mapper, {**state.dict, **dict(zip(pk_names, state.key[1], strict=True))})
        )
    scope_of = _ScopeFinder(session)
    found: list[audit.PendingEvent] = []
    folds: dict[tuple[type, Any], _Fold] = {}
    while work:
        parent_mapper, parent_values = work.pop()
        parent_label = _label(parent_mapper.class_)
        for model, column, parent_column in _cascades().get(parent_mapper.local_table.name, []):
            parent_id = parent_values.get(parent_column)
            if parent_id is None:
                continue
            mapper, spec = inspect(model), AUDITED[model]
            keys = [p.key for p in mapper.column_attrs]
            rows = session.execute(
                select(*(getattr(model, k) for k in keys)).where(column == parent_id)
            ).all()
            for row in rows:
                values = dict(zip(keys, row, strict=True))
                pk = tuple(values[mapper.get_property_by_column(c).key] for c in mapper.primary_key)
                key = identity_key(model, pk)
                loaded = session.identity_map.get(key)
                if key in deleting or (
                    loaded is not None and getattr(loaded, column.key) != parent_id
                ):
                    continue  # deleted by the session itself, or moved to another parent
                deleting.add(key)
                work.append((mapper, values))
                current = {k: values[k] for k in _columns(mapper, spec)}
                if spec.fold_by is not None and spec.parent is not None:
                    fold_parent = values.get(spec.parent[0])
                    fold = folds.setdefault(
                        (spec.parent[1], fold_parent), _Fold(spec.parent[1], fold_parent)
                    )
                    fold.add_values(spec, str(values.get(spec.fold_by)), full_values(current))
                    continue
                record_id = "/".join(str(part) for part in pk)
                org_id, partnership_id = scope_of.of_values(model, spec, values)
                found.append(
                    audit.PendingEvent(
                        action="delete",
                        record_type=mapper.local_table.name,
                        record_id=record_id,
                        summary=clean_summary(
                            _summary("Removed", spec, record_id, current, {})
                            + f" with {parent_label} #{parent_id}"
                        ),
                        organisation_id=org_id,
                        partnership_id=partnership_id,
                        before=stored_json(full_values(current)),
                        after=None,
                    )
                )
    for fold in folds.values():
        pending = fold.event(scope_of)
        if pending is not None:
            found.append(pending)
    return found


def _label(model: type) -> str:
    spec = AUDITED.get(model)
    return spec.label if spec is not None else inspect(model).local_table.name


def _after_flush(session: Session, context: UOWTransaction) -> None:
    # History and the new/dirty/deleted lists still describe the flush that just ran, and
    # new records have their ids.
    stored = session.info.pop(STORED_KEY, {})
    inserted = session.info.setdefault(INSERTED_KEY, set())
    scope_of = _ScopeFinder(session)
    folds: dict[tuple[type, Any], _Fold] = {}
    for state, (is_delete, list_only) in list(context.states.items()):
        spec = AUDITED.get(state.class_)
        if list_only or spec is None:
            continue
        # New records get their identity key only after this hook.
        action = "delete" if is_delete else "create" if state.key is None else "update"
        if action == "create":
            inserted.add(state)
        if spec.fold_by is not None and spec.parent is not None:
            column, parent_model = spec.parent
            parent_id = state.dict.get(column)
            fold = folds.setdefault((parent_model, parent_id), _Fold(parent_model, parent_id))
            fold.add(state, spec, action, stored.get(state))
            continue
        pending = _describe(state, spec, action, scope_of, stored.get(state))
        if pending is not None:
            audit.queue(session, pending)
    for fold in folds.values():
        pending = fold.event(scope_of)
        if pending is not None:
            audit.queue(session, pending)
    for pending in session.info.pop(CASCADED_KEY, []):
        audit.queue(session, pending)


class _Fold:
    """The changes to one parent's child rows in a flush, as one event on the parent."""

    def __init__(self, parent_model: type, parent_id: Any) -> None:
        self.parent_model, self.parent_id = parent_model, parent_id
        self.before: dict[str, Any] = {}
        self.after: dict[str, Any] = {}
        self.counts = {"create": 0, "update": 0, "delete": 0}
        self.label = ""

    def add(
        self, state: InstanceState[Any], spec: Audited, action: str, stored: dict | None
    ) -> None:
        mapper = state.mapper
        self.label = spec.label
        key = str(state.dict.get(spec.fold_by or ""))
        if action == "update":
            before, after = _changes(mapper, spec, state, stored)
            if not after:
                return
            self.before[key], self.after[key] = before, after
        elif action == "create":
            self.after[key] = full_values(_current_values(mapper, spec, state))
        else:
            self.before[key] = full_values(_current_values(mapper, spec, state))
        self.counts[action] += 1

    def add_values(self, spec: Audited, key: str, before: dict[str, Any]) -> None:
        """A child row removed by the database along with its parent."""
        self.label = spec.label
        self.before[key] = before
        self.counts["delete"] += 1

    def event(self, scope_of: _ScopeFinder) -> audit.PendingEvent | None:
        if not any(self.counts.values()):
            return None
        parent_label = AUDITED[self.parent_model].label
        done = [
            f"{count:,} {verb}"
            for verb, count in zip(
                ("added", "changed", "removed"), self.counts.values(), strict=True
            )
            if count
        ]
        org_id, partnership_id = (
            scope_of.parent_scope(self.parent_model, self.parent_id)
            if self.parent_id is not None
            else (None, None)
        )
        return audit.PendingEvent(
            action=f"{self.label}s",
            record_type=self.parent_model.__tablename__,
            record_id=None if self.parent_id is None else str(self.parent_id),
            summary=clean_summary(
                f"{self.label.capitalize()}s of {parent_label} #{self.parent_id}: "
                + ", ".join(done)
            ),
            organisation_id=org_id,
            partnership_id=partnership_id,
            before=stored_json(self.before) if self.before else None,
            after=stored_json(self.after) if self.after else None,
        )


def _before_commit(session: Session) -> None:
    if session.get_nested_transaction() is not None:
        return  # a savepoint: its events wait for the real commit
    session.flush()
    audit.append_pending(session)


def _after_soft_rollback(session: Session, previous_transaction: Any) -> None:
    audit.drop_rolled_back(session, previous_transaction)


def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:
        for key in (audit.PENDING_KEY, INSERTED_KEY, PARENTS_KEY, STORED_KEY, CASCADED_KEY):
            session.info.pop(key, None)


def _keep_old_value(_target: Any, value: Any, _old: Any, _initiator: Any) -> Any:
    return value


_installed = False


def install() -> None:
    """Attach the hooks to the app's sessions and audited models (once per process)."""
    global _installed
    if _installed:
        return
    session = db.session
    event.listen(session, "before_flush", _before_flush)
    event.listen(session, "after_flush", _after_flush)
    event.listen(session, "before_commit", _before_commit)
    event.listen(session, "after_soft_rollback", _after_soft_rollback)
    event.listen(session, "after_transaction_end", _after_transaction_end)
    # Load a column's old value before it is overwritten, even when the record's attributes
    # had expired at an earlier commit, so that "before" is always known.
    for model, spec in AUDITED.items():
        for key in _columns(inspect(model), spec):
            event.listen(getattr(model, key), "set", _keep_old_value, active_history=True)
    _installed = True
