"""Public and member-facing views of the directory; each module lists its own URL patterns."""
