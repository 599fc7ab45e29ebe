"""Accounts: users, passwords, sign-in, memberships, organisations and partnerships."""
