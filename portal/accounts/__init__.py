"""Accounts: the user model (sign in by email); roles are composed in portal.roles."""
