"""People who sign in, and the roles they hold in organisations and partnerships."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tisc.models.base import Base, TimestampMixin, enum_column
from tisc.models.organisations import Organisation, Partnership
from tisc.rules.authz import Role


class User(UserMixin, TimestampMixin, Base):
    """A person with an account."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Bumped on password change so that other signed-in sessions end.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    version_id: Mapped[int] = mapped_column(Integer, default=1)

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version_id}

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:  # Flask-Login asks this
        return self.active

    @property
    def has_password(self) -> bool:
        """False until the person creates a password from their one-time link."""
        return self.password_hash.startswith("$argon2")

    @property
    def is_admin(self) -> bool:
        return any(m.role is Role.ADMIN for m in self.memberships)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(TimestampMixin, Base):
    """A user's role in one organisation, one partnership, or (admin) the whole system."""

    __tablename__ = "memberships"
    __table_args__ = (
        CheckConstraint(
            "(role = 'admin' AND organisation_id IS NULL AND partnership_id IS NULL)"
            " OR (role IN ('coordinator', 'board')"
            " AND partnership_id IS NOT NULL AND organisation_id IS NULL)"
            " OR (role IN ('procurement', 'statement', 'viewer')"
            " AND organisation_id IS NOT NULL AND partnership_id IS NULL)",
            name="scope_matches_role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(enum_column(Role))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    partnership_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), index=True
    )

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")
    partnership: Mapped[Partnership | None] = relationship(lazy="joined")

    @property
    def scope_name(self) -> str:
        """The organisation or partnership this membership is for, in words."""
        if self.organisation is not None:
            return self.organisation.name
        if self.partnership is not None:
            return self.partnership.name
        return "All organisations"

    def __repr__(self) -> str:
        return f"<Membership {self.user_id} {self.role}>"


class LoginThrottle(Base):
    """Failed sign-ins for an email address that has no account.

    Kept so that an unknown address is throttled exactly like a real one, and the
    sign-in page never reveals which addresses have accounts.
    """

    __tablename__ = "login_throttles"

    email_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<LoginThrottle {self.email_digest[:8]}>"


class LoginAddressThrottle(Base):
    """Failed sign-ins from one client address, to any account, in the current window.

    The address is kept only as a keyed digest (tisc.services.accounts.users.address_digest).
    """

    __tablename__ = "login_address_throttles"

    address_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    failed_login_count: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<LoginAddressThrottle {self.address_digest[:8]}>"


class KnownSignInAddress(Base):
    """An address a user recently signed in from: their account's lock does not apply there,
    so failures from elsewhere cannot keep them out."""

    __tablename__ = "known_sign_in_addresses"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    address_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_success_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    def __repr__(self) -> str:
        return f"<KnownSignInAddress {self.user_id} {self.address_digest[:8]}>"


class PasswordLink(TimestampMixin, Base):
    """A one-time link for a person to set their own password.

    Only the SHA-256 of the link's random token is stored; the link works once, until it
    expires, and a newer link for the same person replaces it.
    """

    __tablename__ = "password_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set when a newer link is issued for the same person.
    replaced_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<PasswordLink {self.user_id}>"
