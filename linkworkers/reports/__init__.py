"""Reports for commissioners: aggregates only, small numbers suppressed (see suppression)."""
