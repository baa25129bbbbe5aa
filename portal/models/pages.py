"""Site pages managed in Wagtail: the home page residents land on, the front door to the directory."""

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from search.forms import SearchForm

from .. import topics
from ..blocks import FeaturedTopicBlock, NoticeBlock


class HomePage(Page):
    """Search by what and where, browse by topic, ask a link worker, suggest an activity. The wording
    around them is edited here; each field's default makes a good page with no editing at all."""

    introduction = models.CharField(
        max_length=300,
        blank=True,
        default="Find activities, groups and support near you, or ask a link worker for help.",
    )
    notices = StreamField([("notice", NoticeBlock())], blank=True,
                          help_text="Shown under the introduction, above the search: a closure, a change, an event.")
    featured_heading = models.CharField(max_length=100, default="Popular topics")
    featured_topics = StreamField([("topic", FeaturedTopicBlock())], blank=True,
                                  help_text="Shown as cards above the list of every topic; none shows no cards.")
    topics_heading = models.CharField(max_length=100, default="Browse by topic")
    help_heading = models.CharField(max_length=100, default="Talk to a link worker")
    help_text = models.TextField(
        max_length=500,
        default="A link worker can talk with you about what matters to you and help you find activities, groups "
                "and support. You do not need to see your GP first: you can ask for help yourself.",
    )
    suggest_heading = models.CharField(max_length=100, default="Know an activity that is not listed?")
    suggest_text = models.TextField(
        max_length=500,
        default="Tell us about an activity, group or kind of support that is missing, and we will invite the "
                "people who run it to add it.",
    )
    body = RichTextField(blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
                         help_text="More about this site, shown below the rest.")

    content_panels = Page.content_panels + [
        FieldPanel("introduction"),
        FieldPanel("notices"),
        MultiFieldPanel([FieldPanel("featured_heading"), FieldPanel("featured_topics"), FieldPanel("topics_heading")],
                        heading="Topics"),
        MultiFieldPanel([FieldPanel("help_heading"), FieldPanel("help_text"), FieldPanel("suggest_heading"),
                         FieldPanel("suggest_text")], heading="Getting help and suggesting activities"),
        FieldPanel("body"),
    ]
    parent_page_types = ["wagtailcore.Page"]
    max_count_per_parent = 1

    template = "portal/home_page.html"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        counts = topics.category_counts()
        context.update(
            search_form=SearchForm(),
            featured_topics=topics.featured_topics([block.value for block in self.featured_topics], counts),
            topic_groups=topics.top_level_topics(counts),
        )
        return context
