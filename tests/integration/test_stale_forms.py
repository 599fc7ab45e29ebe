"""Optimistic locking everywhere people edit: for every route that changes an existing record,
a form sent with an out-of-date version gets the conflict message (never a server error), and
nothing it carried is saved, so the other person's change is not lost.

Two people open the same form. For forms with fields, the first saves a change through the
real form; for actions that send only the version (remove, accept, state changes), another
save is stood in for by moving the record's version on. Then the second sends what they
loaded: the page must say that someone else changed the record, and every table must be as
the first person left it.

Every POST route of the app is either a case here or listed in NOT_EDITS with the reason it
needs no version, so a new route fails `test_every_post_route_is_a_case_or_has_a_reason`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from flask_sqlalchemy.session import Session
from sqlalchemy import event, update

from tests.conftest import database_url, make_app, page, sign_in
from tests.integration.matrix_world import EMAILS, World, build_world
from tests.integration.stale_cases import CASES, CONFLICT
from tests.integration.stale_support import (
    NOT_EDITS,
    fill,
    form_data,
    route_keys,
    version_of,
    with_changes,
)
from tests.integration.table_snapshot import Rows, changed_tables, every_table
from tisc.extensions import db
from tisc.models import InvitationPosts


def test_every_post_route_is_a_case_or_has_a_reason() -> None:
    keys = route_keys(make_app(SQLALCHEMY_DATABASE_URI="sqlite://"))
    unknown = sorted(keys - set(CASES) - set(NOT_EDITS))
    assert unknown == [], "POST routes with no stale-form case and no reason to need none"
    assert sorted((set(CASES) | set(NOT_EDITS)) - keys) == [], "cases for routes that are gone"
    assert not set(CASES) & set(NOT_EDITS)


# --- running a case ---------------------------------------------------------------------------


def changed_outside_the_audit_trail(app: Flask, before: Rows) -> dict[str, str]:
    """The tables changed since `before`, but the audit trail's (which may note the refusal)."""
    changed = changed_tables(before, every_table(app))
    # A supplier's link counts its POSTs (invitation_posts), stale or not: bookkeeping.
    return {
        name: rows
        for name, rows in changed.items()
        if not name.startswith("audit") and name != "invitation_posts"
    }


@dataclass
class Editing:
    app: Flask
    world: World
    clients: dict[str, FlaskClient] = field(default_factory=dict)

    def client(self, role: str) -> FlaskClient:
        if role not in self.clients:
            client = self.app.test_client()
            if role != "supplier":  # the supplier has no account: its link is enough
                assert sign_in(client, EMAILS[role]).status_code == 302
            self.clients[role] = client
        return self.clients[role]


@pytest.fixture(scope="module")
def editing(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Editing]:
    app = make_app(SQLALCHEMY_DATABASE_URI=database_url(tmp_path_factory.mktemp("stale")))
    with app.app_context():
        db.drop_all()  # a PostgreSQL run may follow one that was interrupted
        db.create_all()
    try:
        yield Editing(app, build_world(app))
    finally:
        with app.app_context():
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@pytest.mark.parametrize("key", sorted(CASES))
def test_a_stale_form_gets_the_conflict_message_and_loses_nothing(
    editing: Editing, key: str
) -> None:
    case, app = CASES[key], editing.app
    values = editing.world.values("alpha")
    url = fill(case.url, values)
    client = editing.client(case.role)
    model, record_id, loaded = version_of(app, case, values)
    assert model.__mapper__.version_id_col is not None, f"{model.__name__} has no version"
    if case.form is None:
        stale = {"version": [str(loaded)]}
    else:
        shown = url if case.form == "same" else fill(case.form, values)
        stale = with_changes(form_data(client, shown, url, case.button), case.second, values)
        assert stale["version"] == [str(loaded)]
    if case.first is not None:  # the first person saves through the same form
        first = with_changes(form_data(client, shown, url, case.button), case.first, values)
        saved = client.post(url, data=first, follow_redirects=True)
        assert saved.status_code == 200 and not CONFLICT.search(page(saved).get_text(" "))
    else:  # another save of the record, as far as its version goes
        with app.app_context():
            table = model.__table__
            db.session.execute(
                update(table)
                .where(table.c.id == record_id)
                .values(version_id=table.c.version_id + 1)
            )
            db.session.commit()
    assert version_of(app, case, values)[2] > loaded, "the first save did not happen"
    before = every_table(app)

    response = client.post(url, data=stale, follow_redirects=True)

    assert response.status_code < 500
    text = page(response).get_text(" ", strip=True)
    assert CONFLICT.search(text), f"{key}: no conflict message in: {text[:300]}"
    changed = changed_outside_the_audit_trail(app, before)
    assert changed == {}, f"{key}: the stale form changed something"


@pytest.mark.parametrize("key", sorted(CASES))
def test_a_save_racing_another_gets_the_conflict_message_not_an_error(
    editing: Editing, key: str
) -> None:
    # On PostgreSQL two saves can both pass the form's version check; the second's write then
    # finds the version moved on. Stood in for here: just before this request writes, the
    # record's version moves on in its own transaction.
    case, app = CASES[key], editing.app
    values = editing.world.values("alpha")
    url = fill(case.url, values)
    client = editing.client(case.role)
    model, record_id, loaded = version_of(app, case, values)
    if case.form is None:
        data = {"version": [str(loaded)]}
    else:
        shown = url if case.form == "same" else fill(case.form, values)
        data = with_changes(form_data(client, shown, url, case.button), case.second, values)
    table = model.__table__
    raced: list[bool] = []

    def another_save_lands(session: Any, _context: Any, _instances: Any) -> None:
        # Before the request writes a record: not before it counts a POST on a supplier's
        # link (the first POST on a link adds that bookkeeping row, flushed on its own).
        writes = [
            o
            for o in (*session.new, *session.dirty, *session.deleted)
            if not isinstance(o, InvitationPosts)
        ]
        if not raced and writes:
            raced.append(True)
            session.connection().execute(
                update(table)
                .where(table.c.id == record_id)
                .values(version_id=table.c.version_id + 1)
            )

    before = every_table(app)
    event.listen(Session, "before_flush", another_save_lands)
    try:
        response = client.post(url, data=data, follow_redirects=True)
    finally:
        event.remove(Session, "before_flush", another_save_lands)
    assert response.status_code < 500
    text = page(response).get_text(" ", strip=True)
    if case.refused is not None:
        assert not raced and case.refused in text
    else:
        assert raced, f"{key}: the request wrote nothing"
        assert CONFLICT.search(text), f"{key}: no conflict message in: {text[:300]}"
    changed = changed_outside_the_audit_trail(app, before)
    assert changed == {}, f"{key}: the racing save changed something"
