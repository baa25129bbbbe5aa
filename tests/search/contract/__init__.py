"""The search contract suite: every backend must pass it (see search/contract.py)."""
