"""Supplier assessments: questionnaires, scoring and review, and self-assessment invitations."""
