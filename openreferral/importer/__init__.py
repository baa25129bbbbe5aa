"""Import from other directories: Open Referral UK feeds (3.0, and the older 1.0 shape) as listings here.

`feeds` reads a feed, `v1` rewrites 1.0 records as 3.0, `schema` checks them against the compiled
profile, `mapping` turns one into the directory's listing, `run` starts and carries out an import run and
`provenance` says which listings came from where. `openreferral.tasks.import_feed` runs it as a
Celery job; `manage.py import_openreferral` and the admin's "Open Referral imports" start one.
"""
