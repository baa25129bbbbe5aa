"""Site pages managed in Wagtail: the home page residents land on."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    introduction = models.CharField(
        max_length=300,
        blank=True,
        default="Find activities, groups and support near you, or ask a link worker for help.",
    )
    body = RichTextField(blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = Page.content_panels + [FieldPanel("introduction"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    template = "portal/home_page.html"
