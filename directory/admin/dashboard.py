"""The admin dashboard of a community group's editor: their listings, where each stands, and what waits
for a moderator, in place of Wagtail's panels (which list pages by Wagtail's own terms)."""

from wagtail.admin.ui.components import Component

from .. import onboarding


class YourListingsPanel(Component):
    name = "your_listings"
    template_name = "directory/onboarding/dashboard_panel.html"
    order = 100

    def get_context_data(self, parent_context):
        organisations = onboarding.organisations_of(parent_context["request"].user)
        listings = [item for organisation in organisations for item in (organisation, *organisation["services"])]
        return {
            "organisations": organisations,
            "waiting": [item for item in listings if item["workflow_state"] is not None],
        }
