"""Flask extensions, created unbound and bound to the app in create_app.

The database itself is tisc.database.db, re-exported here; services import it from there so that
they never depend on the sign-in or CSRF extensions."""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_wtf import CSRFProtect

from tisc.database import db

__all__ = ["csrf", "db", "login_manager", "migrate"]

migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
