"""The directory in the Wagtail admin: the viewsets it adds (claims, feedback), the service editor's
categories, and the dashboard a group's editor sees."""
