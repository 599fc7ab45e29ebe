"""Reminders: each person's tasks gathered from the records (`tasks`), and sending each
reminder once per period (`sending`)."""
