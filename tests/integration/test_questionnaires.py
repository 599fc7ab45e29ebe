"""A partnership's questionnaires: listing, preview, download, publishing; the ratings page."""

from __future__ import annotations

import io
import tomllib
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tests.conftest import attachment, page
from tests.integration.register_support import as_user, banner, error_messages
from tisc.extensions import db
from tisc.models import Questionnaire
from tisc.services.accounts import organisations

BASE = "/partnerships/north-east/questionnaires"
DEFAULTS = Path(__file__).resolve().parents[2] / "suppliers" / "questionnaires"
STANDARD = (DEFAULTS / "standard.toml").read_text(encoding="utf-8")
STANDARD_TITLE = "Modern slavery assessment"
SHORT_TITLE = "Modern slavery assessment: short form for small suppliers and charities"


def bumped(version: int, source: str = STANDARD) -> str:
    """The source with its version number changed."""
    assert source.count("\nversion = 1\n") == 1
    return source.replace("\nversion = 1\n", f"\nversion = {version}\n")


def versions(app: Flask, partnership: str = "north-east") -> list[tuple[str, int, int | None]]:
    """(key, version, published by) of every stored version of a partnership's forms."""
    with app.app_context():
        owner = organisations.get_partnership(slug=partnership)
        rows = db.session.execute(
            select(Questionnaire.key, Questionnaire.version, Questionnaire.published_by_id)
            .where(Questionnaire.partnership_id == owner.id)
            .order_by(Questionnaire.key, Questionnaire.version)
        )
        return [tuple(row) for row in rows]


def row_count(app: Flask) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Questionnaire))


def questionnaire_id(
    app: Flask, key: str, version: int = 1, partnership: str = "north-east"
) -> int:
    with app.app_context():
        owner = organisations.get_partnership(slug=partnership)
        return db.session.scalar(
            select(Questionnaire.id).where(
                Questionnaire.partnership_id == owner.id,
                Questionnaire.key == key,
                Questionnaire.version == version,
            )
        )


def user_id(app: Flask, email: str) -> int:
    from tisc.services.accounts.users import find_user

    with app.app_context():
        return find_user(email=email).id


def table_rows(table) -> list[list[str]]:
    """The text of each body row: its header cell, then its data cells."""
    return [
        [cell.get_text(" ", strip=True) for cell in tr.select("th, td")]
        for tr in table.select("tbody tr")
    ]


def version_tables(client: FlaskClient) -> dict[str, list[list[str]]]:
    """Caption -> rows of each table on the questionnaires page."""
    response = client.get(BASE)
    assert response.status_code == 200
    return {
        t.select_one("caption").get_text(strip=True): table_rows(t)
        for t in page(response).select("main table")
    }


def upload(client: FlaskClient, content: bytes | None, filename: str = "standard.toml"):
    data = {} if content is None else {"file": (io.BytesIO(content), filename)}
    return client.post(f"{BASE}/publish", data=data, content_type="multipart/form-data")


# --- reading --------------------------------------------------------------------------------


@pytest.mark.parametrize("email", ["coordinator@example.org", "admin@example.org"])
def test_the_index_lists_each_forms_current_version(
    app: Flask, two_bodies: dict, email: str
) -> None:
    client = as_user(app, email)
    html = page(client.get(BASE))
    tables = version_tables(client)
    assert list(tables) == ["Current versions"]
    rows = [row[:5] for row in tables["Current versions"]]
    assert rows == [
        [STANDARD_TITLE, "1", "Full form", "27", rows[0][4]],
        [SHORT_TITLE, "1", "Short form", "9", rows[1][4]],
    ]
    assert all(row[4].endswith("(installed with the service)") for row in rows)
    main = html.select_one("main").get_text(" ", strip=True)
    assert "There are no older versions." in main
    assert "Assessments already started keep the version they began with" in main
    button = html.select_one("main a.govuk-button")
    assert button.get_text(strip=True) == "Publish a new version"
    assert client.get(button["href"]).status_code == 200
    links = [a["href"] for a in html.select("main table a")]
    standard = questionnaire_id(app, "standard")
    assert f"{BASE}/{standard}" in links and f"{BASE}/{standard}/source.toml" in links
    for href in links:
        assert client.get(href).status_code == 200, href


def test_the_preview_shows_every_question_and_answer_as_the_file_says(
    app: Flask, two_bodies: dict
) -> None:
    client = as_user(app, "coordinator@example.org")
    response = client.get(f"{BASE}/{questionnaire_id(app, 'standard')}")
    assert response.status_code == 200
    html = page(response)
    assert html.select_one("h1").get_text(strip=True) == STANDARD_TITLE
    source = tomllib.loads(STANDARD)
    questions = [q for s in source["sections"] for q in s["questions"]]
    headings = [h.get_text(" ", strip=True) for h in html.select("main h3")]
    tables = html.select("main table")
    assert len(headings) == len(tables) == len(questions) == 27
    main = html.select_one("main").get_text(" ", strip=True)
    critical_seen = 0
    for heading, table, question in zip(headings, tables, questions, strict=True):
        assert heading.endswith(question["text"])
        assert f"Weight {question['weight']} of 5" in table.find_previous("p").get_text()
        if question.get("help"):
            assert question["help"] in main
        assert [th.get_text(strip=True) for th in table.select("thead th")] == [
            "Answer",
            "Score",
            "Recommendation to the supplier",
        ]
        for tr, option in zip(table.select("tbody tr"), question["options"], strict=True):
            label = tr.select_one("th[scope=row]").get_text(strip=True)
            score, recommendation = (td.get_text(" ", strip=True) for td in tr.select("td"))
            assert label == option["label"]
            if option.get("not_applicable"):
                assert score == "Not applicable – left out of the score"
            else:
                assert score.startswith(f"{option['score']} of 4")
            if option.get("critical"):
                critical_seen += 1
                assert score.endswith(f"Critical {option['critical']}")
            if option.get("score") == 4:
                assert recommendation == "None: the best answer"
            elif option.get("not_applicable"):
                assert recommendation == "None"
            else:
                assert recommendation == option["recommendation"]
    assert critical_seen == 3
    first_paragraph = source["description"].split("\n\n")[0]
    assert first_paragraph.split()[:6] == main.split("What the supplier reads first")[1].split()[:6]


@pytest.mark.parametrize("email", ["coordinator@example.org", "admin@example.org"])
def test_the_source_downloads_as_published(app: Flask, two_bodies: dict, email: str) -> None:
    client = as_user(app, email)
    response = client.get(f"{BASE}/{questionnaire_id(app, 'short')}/source.toml")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert attachment(response.headers) == ("attachment", {"filename": "north-east-short-v1.toml"})
    assert response.get_data(as_text=True) == (DEFAULTS / "short.toml").read_text("utf-8")


@pytest.mark.parametrize(
    ("email", "status"),
    [
        ("board@example.org", 403),
        # Body users do not reach the partnership's pages at all (partnership_access).
        ("procurement.alpha-police@example.org", 404),
        ("statement.alpha-police@example.org", 404),
        ("viewer.beta-opcc@example.org", 404),
    ],
)
def test_other_roles_cannot_see_or_publish(
    app: Flask, two_bodies: dict, email: str, status: int
) -> None:
    standard = questionnaire_id(app, "standard")
    client = as_user(app, email)
    for url in (BASE, f"{BASE}/{standard}", f"{BASE}/{standard}/source.toml", f"{BASE}/publish"):
        assert client.get(url).status_code == status, url
    assert upload(client, bumped(2).encode()).status_code == status
    assert versions(app) == [("short", 1, None), ("standard", 1, None)]


@pytest.mark.parametrize("email", ["coordinator@example.org", "admin@example.org"])
def test_another_partnerships_questionnaire_is_not_found(
    app: Flask, two_bodies: dict, email: str
) -> None:
    elsewhere = questionnaire_id(app, "standard", partnership="elsewhere")
    client = as_user(app, email)
    assert client.get(f"{BASE}/{elsewhere}").status_code == 404
    assert client.get(f"{BASE}/{elsewhere}/source.toml").status_code == 404
    assert client.get(f"{BASE}/999999").status_code == 404


def test_a_coordinator_cannot_reach_another_partnerships_questionnaires(
    app: Flask, two_bodies: dict
) -> None:
    client = as_user(app, "coordinator@example.org")
    other = "/partnerships/elsewhere/questionnaires"
    assert client.get(other).status_code == 404
    assert client.get(f"{other}/publish").status_code == 404
    assert upload(client, bumped(2).encode()).status_code == 302  # its own partnership: fine
    response = client.post(
        f"{other}/publish",
        data={"file": (io.BytesIO(bumped(3).encode()), "standard.toml")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 404
    assert versions(app, "elsewhere") == [("short", 1, None), ("standard", 1, None)]


# --- publishing -----------------------------------------------------------------------------


def test_publishing_a_new_version_makes_it_current_and_keeps_the_old(
    app: Flask, two_bodies: dict
) -> None:
    client = as_user(app, "coordinator@example.org")
    response = upload(client, bumped(2).encode())
    assert response.status_code == 302
    assert response.headers["Location"] == BASE
    assert banner(client.get(BASE)) == f"Version 2 of the {STANDARD_TITLE} has been published"
    coordinator = user_id(app, "coordinator@example.org")
    assert versions(app) == [
        ("short", 1, None),
        ("standard", 1, None),
        ("standard", 2, coordinator),
    ]
    assert versions(app, "elsewhere") == [("short", 1, None), ("standard", 1, None)]
    tables = version_tables(client)
    current = tables["Current versions"]
    assert [row[:4] for row in current] == [
        [STANDARD_TITLE, "2", "Full form", "27"],
        [SHORT_TITLE, "1", "Short form", "9"],
    ]
    assert current[0][4].endswith("by Test Person")
    assert [row[:2] for row in tables["Older versions"]] == [[STANDARD_TITLE, "1"]]
    old = page(client.get(f"{BASE}/{questionnaire_id(app, 'standard', 1)}"))
    assert "1 (an older version)" in old.select_one("dl").get_text(" ", strip=True)
    new = client.get(f"{BASE}/{questionnaire_id(app, 'standard', 2)}/source.toml")
    assert new.get_data(as_text=True) == bumped(2)
    assert attachment(new.headers) == ("attachment", {"filename": "north-east-standard-v2.toml"})


def test_a_file_saved_with_a_byte_order_mark_is_published(app: Flask, two_bodies: dict) -> None:
    client = as_user(app, "admin@example.org")
    source = bumped(5, (DEFAULTS / "short.toml").read_text("utf-8"))
    response = upload(client, source.encode("utf-8-sig"), "short.TOML")
    assert response.status_code == 302
    assert ("short", 5, user_id(app, "admin@example.org")) in versions(app)


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        pytest.param(None, "", "Choose a questionnaire file", id="no file field"),
        # What a browser sends when no file is chosen: a part with no file name.
        pytest.param(b"", "", "Choose a questionnaire file", id="no file chosen"),
        pytest.param(
            bumped(2).encode(), "standard.txt", "The file must be a .toml file", id="not .toml"
        ),
        pytest.param(
            bumped(2).encode("utf-16"),
            "standard.toml",
            "The file must be saved as UTF-8 text",
            id="not UTF-8",
        ),
        pytest.param(
            bumped(2).replace("weight = 3\n", "weight = 9\n", 1).encode(),
            "standard.toml",
            "Section 'policies' question 'policy': weight must be a whole number from 1 to 5",
            id="invalid definition",
        ),
        pytest.param(
            b'key = "standard"\nversion = 2\ntitle = "Broken',
            "standard.toml",
            "The file is not valid TOML: ",
            id="not TOML",
        ),
        pytest.param(
            STANDARD.encode(),
            "standard.toml",
            "Version 1 of the standard form is already published: "
            "give this one version = 2 or higher",
            id="version not higher",
        ),
        pytest.param(
            (bumped(2) + "# " + "x" * 200_000).encode(),
            "standard.toml",
            "The file must be smaller than 200 KB",
            id="too big",
        ),
    ],
)
def test_a_refused_file_publishes_nothing_and_says_why(
    app: Flask, two_bodies: dict, content: bytes | None, filename: str, message: str
) -> None:
    client = as_user(app, "coordinator@example.org")
    before = row_count(app)
    response = upload(client, content, filename)
    assert response.status_code == 400
    messages = error_messages(response)
    assert len(messages) == 1
    if message.endswith(": "):
        assert messages[0].startswith(message)
    else:
        assert messages[0] == message
    html = page(response)
    assert html.select_one("title").get_text().startswith("Error: ")
    link = html.select_one(".govuk-error-summary a")["href"]
    assert html.select_one(link)["type"] == "file"
    assert message.rstrip(": ") in html.select_one(".govuk-error-message").get_text()
    assert row_count(app) == before
    assert banner(client.get(BASE)) == ""


def test_publishing_twice_needs_a_higher_version_each_time(app: Flask, two_bodies: dict) -> None:
    client = as_user(app, "coordinator@example.org")
    assert upload(client, bumped(3).encode()).status_code == 302
    refused = upload(client, bumped(2).encode())
    assert error_messages(refused) == [
        "Version 3 of the standard form is already published: give this one version = 4 or higher"
    ]
    assert [v for k, v, _ in versions(app) if k == "standard"] == [1, 3]


# --- links and the ratings page -------------------------------------------------------------


def test_the_categories_page_links_to_the_questionnaires(app: Flask, two_bodies: dict) -> None:
    client = as_user(app, "coordinator@example.org")
    html = page(client.get("/partnerships/north-east/categories"))
    hrefs = {a.get_text(strip=True): a["href"] for a in html.select("main a")}
    assert hrefs["Assessment questionnaires"] == BASE
    assert hrefs["How ratings work"] == "/how-ratings-work"


def test_the_ratings_page_shows_the_bands_and_worked_examples(app: Flask, two_bodies: dict) -> None:
    client = as_user(app, "viewer.alpha-police@example.org")
    response = client.get("/how-ratings-work")
    assert response.status_code == 200
    html = page(response)
    bands = html.select_one("#score-bands")
    assert [th.get_text(strip=True) for th in bands.select("thead th")] == [
        "Score",
        "Effect",
        "High-risk category (starts red)",
        "Medium-risk category (starts amber)",
        "Low-risk category (starts green)",
        "Category not known yet (starts amber)",
    ]
    assert table_rows(bands) == [
        ["80% or more", "Two steps towards green", "Green", "Green", "Green", "Green"],
        ["60% to 79.9%", "One step towards green", "Amber", "Green", "Green", "Green"],
        ["40% to 59.9%", "No change", "Red", "Amber", "Green", "Amber"],
        ["Below 40%", "One step towards red", "Red", "Red", "Amber", "Red"],
    ]
    example = html.select_one("#score-example")
    assert [row[1:] for row in table_rows(example)] == [
        ["3", "4 of 4", "3", "3"],
        ["2", "2 of 4", "1", "2"],
        ["5", "0 of 4", "0", "5"],
        ["4", "Not applicable", "0", "0"],
    ]
    assert "Score: 4 ÷ 10 = 40.0%" in example.select_one("tfoot").get_text(" ", strip=True)
    main = " ".join(html.select_one("main").get_text(" ").split())
    assert "strictly more than £50,000.00" in main
    assert "Tier A Full due diligence: assessment, beyond-Tier-1 mapping" in main
    ratings = [
        dl.select("dd")[-1].get_text(" ", strip=True) for dl in html.select("dl.app-rating-example")
    ]
    assert len(ratings) == 3
    assert ratings[0].startswith("Green") and "Assessment score 82.5%: 2 steps better" in ratings[0]
    assert ratings[1].startswith("Red") and "Red because of an answer:" in ratings[1]
    assert ratings[2].startswith("Red") and "a tier A supplier needs an assessment" in ratings[2]
    # Only people who manage questionnaires are sent to them.
    assert html.select(f"main a[href='{BASE}']") == []
    coordinator = page(as_user(app, "coordinator@example.org").get("/how-ratings-work"))
    assert coordinator.select(f"main a[href='{BASE}']")
