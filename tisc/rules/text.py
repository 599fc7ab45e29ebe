"""Plain text as people paste it: control characters that no database or document can hold."""

from __future__ import annotations

import re

# Everything below a space except tab and newline; a carriage return becomes a newline.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def without_control_characters(text: str) -> str:
    """The text with line endings made "\\n" and other control characters (NUL, bell, form
    feed…) removed: PostgreSQL refuses NUL in text, and Word files cannot hold them."""
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
