"""Writes to case records, one module per part of the work: intake, triage, allocation, episodes, carers,
safeguarding, closure, break glass and, as they come, the what-matters conversation and the plan.

Each function takes keyword arguments only, is one transaction and writes its audit event inside it,
so a change is never stored without its trail. `actor` (an `audit.Actor`) says who made the change
and from where. Callers import the module they need: `from linkworkers.services import triage`.
"""
