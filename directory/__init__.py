"""The community directory: organisations and their listings, kept current by the groups themselves."""
