"""Reading tisc's pages as a browser would, for the load test's simulated users: the fields a
form sends, the GOV.UK error summary, links. Standard library only."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser


class FormReader(HTMLParser):
    """The fields a browser would send for the first POST form whose action contains `action`
    (the sign-out button's form is skipped): hidden and text inputs, checked radios and
    checkboxes, textareas and selected options."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action, self.found = action, False
        self.fields: dict[str, str] = {}
        self._inside = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.found:
            action = a.get("action", "")
            posts = a.get("method", "").lower() == "post"
            if posts and self.action in action and "sign-out" not in action:
                self._inside = self.found = True
        if not self._inside or ("name" not in a and tag != "option"):
            return
        if tag == "input":
            kind = a.get("type", "text")
            if kind not in ("submit", "radio", "checkbox") or "checked" in a:
                self.fields[a["name"]] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = a["name"]
            self.fields[a["name"]] = ""
        elif tag == "select":
            self._select = a["name"]
        elif tag == "option" and self._select and "selected" in a:
            self.fields[self._select] = a.get("value", "")

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self.fields[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._inside = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def form_fields(page: str, action: str = "") -> dict[str, str]:
    """The fields of the page's form (see FormReader); an error when there is no such form."""
    reader = FormReader(action)
    reader.feed(page)
    if not reader.found or "csrf_token" not in reader.fields:
        raise RuntimeError(f"no form with a CSRF token posting to {action!r} on the page")
    return reader.fields


def error_summary(page: str) -> str | None:
    """The text of the GOV.UK error summary on the page, if there is one."""
    if "govuk-error-summary" not in page:
        return None
    found = re.search(r'<div class="govuk-error-summary.*?</ul>', page, re.S)
    text = re.sub(r"<[^>]+>", " ", found.group(0) if found else "")
    return " ".join(html.unescape(text).split())[:200] or "error summary"


def title(page: str) -> str:
    """The page's <title>, in plain words."""
    found = re.search(r"<title>(.*?)</title>", page, re.S)
    return " ".join(html.unescape(found.group(1)).split()) if found else ""


def links(page: str, pattern: str) -> list[str]:
    """Every distinct match of the pattern's group (an id, a slug), in page order."""
    return list(dict.fromkeys(re.findall(pattern, page)))
