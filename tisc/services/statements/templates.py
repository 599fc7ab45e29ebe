"""Statement templates uploaded by administrators: checked, stored, and filled in safely.

An uploaded template is checked on its bytes (tisc.documents.docx_checks) before it is stored.
It is filled in by a separate process (`python -m tisc.documents.docx_render_child`) with
limits on memory and CPU and a wall-clock timeout, using the sandboxed (tisc.documents.docx_render),
autoescaping, StrictUndefined renderer. A failure comes back as TemplateRenderError with a
message naming the tag at fault.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from werkzeug.utils import secure_filename

from tisc.config import ROOT
from tisc.database import db
from tisc.documents.docx_checks import check_docx
from tisc.documents.template_errors import MEMORY, TOO_LONG
from tisc.models import StatementDocument, StatementTemplate, User
from tisc.rules.statement_context import PLACEHOLDERS
from tisc.rules.text import without_control_characters
from tisc.services.errors import DomainError, NotFoundError, ValidationError

logger = logging.getLogger(__name__)

# The top-level names a statement's context provides (tisc.services.statements.context); names
# a template introduces itself ({% for body in bodies %}) are allowed as well.
KNOWN_PLACEHOLDERS: frozenset[str] = PLACEHOLDERS

CHILD_MODULE = "tisc.documents.docx_render_child"
MAX_OUTPUT_BYTES = 50 * 1024 * 1024
TOO_LARGE = "The filled-in document is too large"
FAILED = "The template could not be filled in: check its tags, or try it with a simple document"


class TemplateRefused(ValidationError):
    """An uploaded file that cannot be a statement template; the message says why."""


class TemplateRenderError(DomainError):
    """A template that could not be filled in; the message names the tag at fault."""

    status_code = 400


# --- checking and storing ------------------------------------------------------------------


def check_template(data: bytes) -> None:
    """Raise TemplateRefused with the first problem that stops this file being a template."""
    problems = check_docx(data, known_names=KNOWN_PLACEHOLDERS)
    if problems:
        raise TemplateRefused(problems[0], field="file")


def upload_template(
    *, name: str, file_name: str, data: bytes, user: User | None
) -> StatementTemplate:
    """Check a template and store it exactly as uploaded; nothing is stored if it is refused."""
    name = " ".join(without_control_characters(name or "").split())
    if not name:
        raise ValidationError("Enter a name for the template", field="name")
    if len(name) > 200:
        raise ValidationError("The name must be 200 characters or fewer", field="name")
    check_template(data)
    template = StatementTemplate(
        name=name,
        file_name=secure_filename(file_name or "")[-255:] or "template.docx",
        content=data,
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=user.id if user else None,
        active=True,
    )
    db.session.add(template)
    db.session.flush()
    return template


@dataclass(frozen=True)
class TemplateRow:
    """A template with the name of the person who uploaded it, for lists."""

    template: StatementTemplate
    uploaded_by: str | None


def list_templates(*, active_only: bool = False) -> Sequence[StatementTemplate]:
    """Templates, newest first."""
    query = select(StatementTemplate).order_by(
        StatementTemplate.created_at.desc(), StatementTemplate.id.desc()
    )
    if active_only:
        query = query.where(StatementTemplate.active.is_(True))
    return db.session.scalars(query).all()


def list_template_rows() -> list[TemplateRow]:
    """Every template, newest first, with who uploaded it."""
    query = (
        select(StatementTemplate, User.name)
        .outerjoin(User, User.id == StatementTemplate.uploaded_by_id)
        .order_by(StatementTemplate.created_at.desc(), StatementTemplate.id.desc())
    )
    return [TemplateRow(template, uploader) for template, uploader in db.session.execute(query)]


def get_template(*, template_id: int) -> StatementTemplate:
    """The template with this id; NotFoundError when there is none."""
    template = db.session.get(StatementTemplate, template_id)
    if template is None:
        raise NotFoundError("There is no such template")
    return template


def count_template_documents(*, template: StatementTemplate) -> int:
    """How many statement documents have been made with the template (each keeps its copy)."""
    found = select(func.count()).where(StatementDocument.template_id == template.id)
    return db.session.scalar(found) or 0


def deactivate_template(*, template: StatementTemplate) -> None:
    """Stop offering a template; documents made with it keep their copy."""
    template.active = False
    db.session.flush()


# --- filling in, in a separate process -----------------------------------------------------


def render_in_subprocess(
    *,
    template_bytes: bytes,
    context: Mapping[str, Any],
    title: str | None = None,
    keywords: Sequence[str] = (),
    pictures: Mapping[str, bytes] | None = None,
    timeout_seconds: float = 20,
    memory_mb: int = 512,
) -> bytes:
    """The template filled in by a separate, limited process; TemplateRenderError otherwise.

    The child also sets the document's title, keywords and language, so that this process never
    opens the filled-in file: a template can make one that expands to far more than it weighs.

    `context` holds plain data only: strings, numbers, booleans, None, dates, Decimals, and
    lists and dicts of them (never database objects, which a template could walk from).
    """
    _check_plain(context)
    _check_plain(title)
    _check_plain(list(keywords))
    payload = pickle.dumps(
        {
            "template": template_bytes,
            "context": dict(context),
            "title": title,
            "keywords": list(keywords),
            "pictures": {str(name): bytes(content) for name, content in (pictures or {}).items()},
            "memory_mb": memory_mb,
            "cpu_seconds": max(int(timeout_seconds) + 1, 1),
        }
    )
    try:
        # A fixed command: this interpreter running this module; no shell, no user input.
        finished = subprocess.run(  # noqa: S603
            [sys.executable, "-s", "-m", CHILD_MODULE],
            input=payload,
            capture_output=True,
            timeout=timeout_seconds,
            env=_child_environment(),
            cwd=ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child
        raise TemplateRenderError(TOO_LONG) from None
    answer = finished.stdout
    if finished.returncode == 0 and answer.startswith(b"OK\n"):
        if len(answer) - 3 > MAX_OUTPUT_BYTES:
            raise TemplateRenderError(TOO_LARGE)
        return answer[3:]
    if answer.startswith(b"ER\n"):
        raise TemplateRenderError(answer[3:].decode("utf-8", "replace")[:1000])
    # Killed by a signal: SIGXCPU is the CPU limit, SIGKILL most likely the kernel's OOM killer.
    # (Neither signal exists on Windows, where only the timeout applies.)
    signalled = -finished.returncode if finished.returncode < 0 else None
    if signalled is not None and signalled == getattr(signal, "SIGXCPU", None):
        raise TemplateRenderError(TOO_LONG)
    if b"MemoryError" in finished.stderr or (
        signalled is not None and signalled == getattr(signal, "SIGKILL", None)
    ):
        raise TemplateRenderError(MEMORY)
    logger.warning("Template process failed (%s): %s", finished.returncode, finished.stderr[-2000:])
    raise TemplateRenderError(FAILED)


def _check_plain(value: Any, depth: int = 0) -> None:
    if depth > 20:
        raise TypeError("The template context is nested too deeply")
    if value is None or isinstance(value, str | int | float | bool | Decimal | date | datetime):
        return
    if isinstance(value, Mapping):
        for key, item in value.items():
            if not isinstance(key, str):
                raise TypeError(f"Template context keys must be text, not {key!r}")
            _check_plain(item, depth + 1)
        return
    if isinstance(value, list | tuple):
        for item in value:
            _check_plain(item, depth + 1)
        return
    raise TypeError(f"Template context holds {type(value).__name__}: pass plain data only")


def _child_environment() -> dict[str, str]:
    """No secrets from this process's environment reach the child."""
    keep = ("PATH", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP")
    environment = {key: os.environ[key] for key in keep if key in os.environ}
    environment.update(
        PYTHONPATH=str(ROOT),
        PYTHONDONTWRITEBYTECODE="1",
        LANG="C.UTF-8",
        # One thread each: numerical libraries' thread pools reserve memory at import.
        OPENBLAS_NUM_THREADS="1",
        OMP_NUM_THREADS="1",
        MKL_NUM_THREADS="1",
    )
    return environment
