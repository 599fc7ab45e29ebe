"""The audit trail: who changed what, where and when, for administrators and the board."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, g, render_template, request

from tisc.forms import choices
from tisc.forms.audit import AuditFilterForm
from tisc.models import AuditEvent
from tisc.services.audit import reading as audit_trail
from tisc.services.audit.records import RECORD_LABELS
from tisc.web.access import audit_reader

bp = Blueprint("audit", __name__, url_prefix="/audit")


def record_label(record_type: str) -> str:
    """What a kind of record is called on the page ("Supplier", "Plan item")."""
    label = RECORD_LABELS.get(record_type, record_type.replace("_", " "))
    return label[:1].upper() + label[1:]


ACTIONS = {
    "create": "Added",
    "update": "Changed",
    "delete": "Removed",
    "import": "Imported a file",
    "undo": "Undid an import",
    "merge": "Merged suppliers",
    "categorise": "Categorised suppliers",
}


def action_label(action: str) -> str:
    """What an event's action is called on the page ("Changed")."""
    return ACTIONS.get(action, action.capitalize())


def _form(scope: audit_trail.AuditScope) -> AuditFilterForm:
    form = AuditFilterForm(formdata=request.args)
    partnerships, organisations = audit_trail.visible_bodies(scope=scope)
    form.body.choices = choices(
        [("", "Any body")]
        + [(f"partnership:{p.id}", f"{p.name} (partnership)") for p in partnerships]
        + [(f"organisation:{o.id}", o.name) for o in organisations]
    )
    kinds = sorted(audit_trail.record_types(scope=scope), key=record_label)
    form.record_type.choices = choices(
        [("", "Any kind")] + [(kind, record_label(kind)) for kind in kinds]
    )
    return form


def _filters(form: AuditFilterForm) -> audit_trail.AuditFilters:
    kind, _, body_id = (form.body.data or "").partition(":")
    return audit_trail.AuditFilters(
        organisation_id=int(body_id) if kind == "organisation" else None,
        partnership_id=int(body_id) if kind == "partnership" else None,
        person=(form.person.data or "").strip() or None,
        record_type=form.record_type.data or None,
        record_id=(form.record_id.data or "").strip() or None,
        date_from=form.date_from.data,
        date_to=form.date_to.data,
    )


@bp.get("/")
@audit_reader
def events() -> str:
    """The trail, newest first, filtered by body, person, record and dates."""
    scope: audit_trail.AuditScope = g.audit_scope
    form = _form(scope)
    # Only the filters go into the page links: any other name (endpoint, _external, _scheme)
    # would be taken by url_for as its own argument.
    args = {key: request.args.getlist(key) for key in request.args if key in form._fields}
    filtering = any(value.strip() for values in args.values() for value in values)
    result = None
    if not filtering or form.validate():
        result = audit_trail.list_events(
            scope=scope,
            filters=_filters(form) if filtering else audit_trail.AuditFilters(),
            page=request.args.get("page", 1, type=int),
        )
    return render_template(
        "audit/events.html",
        title="Audit trail",
        form=form,
        result=result,
        names=audit_trail.body_names(events=result.events) if result else {},
        record_label=record_label,
        everything=scope.everything,
        args=args,
    )


def _values(text: str | None) -> dict[str, Any]:
    if not text:
        return {}
    value = json.loads(text)
    return value if isinstance(value, dict) else {"value": value}


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict | list):
        return json.dumps(value, indent=2, ensure_ascii=False)
    return str(value)


@bp.get("/<int:event_id>")
@audit_reader
def event(event_id: int) -> str:
    """One event: who, where, when, and each value before and after."""
    found: AuditEvent = audit_trail.get_event(scope=g.audit_scope, event_id=event_id)
    before, after = _values(found.before), _values(found.after)
    rows = [
        (
            key,
            _shown(before[key]) if key in before else "",
            _shown(after[key]) if key in after else "",
        )
        for key in sorted(set(before) | set(after))
    ]
    return render_template(
        "audit/event.html",
        title=f"Audit event {found.id}",
        event=found,
        rows=rows,
        has_before=found.before is not None,
        has_after=found.after is not None,
        names=audit_trail.body_names(events=[found]),
        record_label=record_label,
        action_label=action_label,
    )
