"""Views share their plumbing through tisc.web; this fails when a second copy of a helper
appears in the code: a hand-built download header, another version parser, another reading of
?year=, a save that rolls back by hand, or catching NotFoundError just to answer 404.

(That no area's views import another's is an import-linter contract, .importlinter.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tisc.config import ROOT

PACKAGE = ROOT / "tisc"
VIEWS = PACKAGE / "views"


def sources(under: Path) -> dict[str, str]:
    """Each Python file under a folder, by its path in the repository."""
    return {
        str(path.relative_to(ROOT)): path.read_text("utf-8") for path in sorted(under.rglob("*.py"))
    }


# name -> (pattern, where to look, the one file allowed to have it)
COPIES: dict[str, tuple[re.Pattern[str], Path, str | None]] = {
    # The one place that writes it (RFC 6266's filename and filename*, for any name).
    "a hand-built download header": (
        re.compile(r"Content-Disposition"),
        PACKAGE,
        "tisc/web/downloads.py",
    ),
    "a download not through tisc.web.downloads": (
        re.compile(r"\bsend_file\(|mimetype="),
        VIEWS,
        None,
    ),
    "a version parser": (
        re.compile(r"version\.data\b(?!\s*=(?!=))"),
        PACKAGE,
        "tisc/web/saving.py",
    ),
    "a reading of ?year=": (
        re.compile(
            r"args(?:\.get\(|\[)\s*[\"']year[\"']|FinancialYear\.parse"
            r"|def \w*(?:chosen|asked)_year\(|def _year\("
        ),
        VIEWS,
        None,
    ),
    "a save rolled back by hand": (re.compile(r"session\.rollback\(\)"), VIEWS, None),
    "catching NotFoundError to answer 404": (
        re.compile(r"except NotFoundError:\s*\n\s*(?:abort\(404\)|raise\b)"),
        PACKAGE,
        None,
    ),
    "the signed-in user taken from the proxy": (
        re.compile(r"current_user\._get_current_object\(\)"),
        PACKAGE,
        "tisc/web/access.py",
    ),
}

# Places that look like a copy and are not, with the reason.
NOT_COPIES = {
    # Sending the invitation's email failed: the invitation is kept, only the send is undone.
    ("a save rolled back by hand", "tisc/views/invitations.py"),
}


@pytest.mark.parametrize("name", sorted(COPIES))
def test_there_is_one_copy(name: str) -> None:
    pattern, under, home = COPIES[name]
    found = sorted(
        path
        for path, text in sources(under).items()
        if pattern.search(text) and path != home and (name, path) not in NOT_COPIES
    )
    assert found == [], f"{name} outside {home or 'tisc.web'}"


# Code of the kinds each pattern is for (most of it what the helpers replaced), and code that
# is none of them.
REPLACED = {
    "a hand-built download header": ["headers={'Content-Disposition': f'attachment'}"],
    "a download not through tisc.web.downloads": [
        "return Response(body, mimetype=MIMETYPES[x])",
        "return send_file(io.BytesIO(body), as_attachment=True)",
    ],
    "a version parser": [
        "expected_version=int(form.version.data or 0)",
        'value = form.version.data or "0"',
        'version = form.version.data or ""',
    ],
    "a reading of ?year=": [
        'asked = request.args.get("year")',
        "def chosen_year(available: list[int]) -> int | None:",
        "def _chosen_year() -> FinancialYear:",
        "def _year(year_slug: str) -> FinancialYear:",
        "year = FinancialYear.parse(asked)",
    ],
    "a save rolled back by hand": ["except DomainError as error:\n    db.session.rollback()"],
    "catching NotFoundError to answer 404": [
        "    except NotFoundError:\n        abort(404)",
        "    except NotFoundError:\n        raise  # answered as 404",
    ],
    "the signed-in user taken from the proxy": ["user=current_user._get_current_object()"],
}
INNOCENT = [
    "form.version.data = str(record.version_id if record else 0)",
    "def supplier_year(org_slug: str, supplier_id: int, year_slug: FinancialYear) -> str:",
    "year = asked_year() or this_year()",
    "return download(body, f'{g.org.slug}-register-{year.slug}.csv')",
    "return asked_year(latest=latest + 1) or FinancialYear(latest)",
    "return download(document.content, filename, etag=document.sha256)",
]


def test_the_patterns_find_the_copies_they_are_for() -> None:
    # So the test above is not vacuous.
    assert set(REPLACED) == set(COPIES)
    for name, examples in REPLACED.items():
        for code in examples:
            assert COPIES[name][0].search(code), (name, code)
    for code in INNOCENT:
        assert not any(pattern.search(code) for pattern, _, _ in COPIES.values()), code
