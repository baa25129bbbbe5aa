"""Link workers' pages. Each module is one part of the work and lists its own URL patterns."""
