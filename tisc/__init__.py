"""tisc: modern slavery transparency in public-sector supply chains."""

from __future__ import annotations

import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tisc.config import ROOT

if TYPE_CHECKING:  # Flask is imported by create_app: a process that only fills in a Word
    from flask import Flask  # template (tisc.documents.docx_render_child) never loads it

__all__ = ["ROOT", "create_app"]


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, errors, CLI, Jinja."""
    from flask import Flask

    from tisc.config import config_for

    app = Flask(
        __name__,
        instance_path=str((config or {}).get("INSTANCE_PATH") or ROOT / "instance"),
        template_folder=str(ROOT / "templates"),
    )
    config_class = config_for((config or {}).get("TISC_ENV") or os.environ.get("TISC_ENV"))
    app.config.from_object(config_class)
    app.config.update(config_class.environment_overrides())
    if config:
        app.config.update(config)
    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY") and config_class.GENERATE_SECRET_KEY:
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    if not app.config.get("AUDIT_KEY") and config_class.GENERATE_SECRET_KEY:
        app.config["AUDIT_KEY"] = instance_secret_key(Path(app.instance_path), AUDIT_KEY_FILE)
    config_class.validate(app.config)
    app.config["TISC_ENV"] = config_class.ENV_NAME

    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    _init_extensions(app)
    from tisc.web import ids, years

    ids.init_app(app)  # the bounded <int:…> converter, before the routes that use it
    years.init_app(app)  # the <year:…> converter, before the routes that use it
    _register_blueprints(app)

    from tisc.web import errors

    errors.init_app(app)

    from tisc import cli, jobs

    cli.init_app(app)
    jobs.init_app(app)

    from tisc.web import jinja

    jinja.init_app(app)
    return app


SECRET_KEY_FILE = "secret_key"  # noqa: S105 (a file name)
AUDIT_KEY_FILE = "audit.key"


def instance_secret_key(instance: Path, name: str = SECRET_KEY_FILE) -> str:
    """A development key kept in the instance folder (the secret key, or with `name`
    AUDIT_KEY_FILE the audit key), made on first use.

    Random, so no one else knows it (a fixed key in the source signs anyone's cookie), and
    kept, so sessions survive a restart and the audit trail stays checkable. The file is
    created readable by its owner only.
    """
    path = instance / name
    if not path.exists():
        # Written whole to a private file, then linked into place: the key file never exists
        # half-written, and when two workers start together the first link wins and both
        # read the same key.
        fd, draft = tempfile.mkstemp(dir=instance, prefix=f".{name}-")  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="ascii") as file:
                file.write(secrets.token_urlsafe(48) + "\n")
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(draft)
    return path.read_text(encoding="ascii").strip()


def _init_extensions(app: Flask) -> None:
    from tisc import database
    from tisc.extensions import csrf, db, login_manager, migrate
    from tisc.services.accounts.users import load_session_user

    db.init_app(app)
    migrate.init_app(
        app, db, directory=str(Path(__file__).parent / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_session_user)
    with app.app_context():
        database.init_app(app, db.engine)
    from tisc.services.audit import capture as audit_capture

    audit_capture.install()
    from tisc.web import headers

    headers.init_app(app)
    from tisc.web import sessions

    sessions.init_app(app)


BLUEPRINT_MODULES = (
    "main",
    "tasks",
    "auth",
    "admin",
    "organisations",
    "suppliers",
    "supplier_bulk",
    "imports",
    "categories",
    "category_rules",
    "questionnaires",
    "assessments",
    "assessment_strt",
    "invitations",
    "respond",
    "due_diligence",
    "procurements",
    "contracts",
    "exclusions",
    "incidents",
    "plans",
    "commitments",
    "board",
    "statements.partnership",
    "statements.documents",
    "statements.templates",
    "audit",
)


def _register_blueprints(app: Flask) -> None:
    import importlib

    from tisc.web.access import public

    # One module per area; each has a blueprint called bp.
    for name in BLUEPRINT_MODULES:
        module = importlib.import_module(f"tisc.views.{name}")
        app.register_blueprint(module.bp)
    # Flask's own static route serves the vendored assets to anyone.
    app.view_functions["static"] = public(app.view_functions["static"])
