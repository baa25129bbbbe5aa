"""Forms of the link workers' pages, one module per part of the work."""
