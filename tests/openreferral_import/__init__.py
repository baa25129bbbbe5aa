"""Importing Open Referral UK feeds. Apart from tests/openreferral/, whose API tests share one directory
across their package (in a transaction held open for the package): an import starts from an empty one."""
