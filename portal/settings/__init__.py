"""Settings modules: base (shared), dev (embedded defaults), production (refuses unsafe config), test."""
