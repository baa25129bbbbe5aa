"""StreamField blocks the home page is edited with: notices, and the topics it features."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError

from directory.models import TaxonomyTerm


def topic_choices() -> list[tuple[str, str]]:
    """Every category in the directory's taxonomies, by code (the value the search filters on)."""
    return [(term.code, str(term)) for term in TaxonomyTerm.objects.select_related("parent", "taxonomy")]


# A page of this site ("/suggest-an-activity/") or a full web address; never "javascript:" and the like.
link_address = RegexValidator(r"^(/(?!/)|https?://)\S*$", "Enter a web address starting with https:// or a page "
                                                          "of this site starting with /")


class NoticeBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        choices=[("inset", "Information (inset text)"), ("warning", "Important (warning callout)")],
        default="inset",
        help_text="Important is for what people must know first, such as a change to opening hours or a closure.",
    )
    heading = blocks.CharBlock(max_length=120)
    text = blocks.RichTextBlock(features=["bold", "italic", "link", "ul", "ol"])
    link_url = blocks.CharBlock(required=False, max_length=500, validators=[link_address], label="Link address",
                                help_text="Optional: a page of this site, like /suggest-an-activity/, or a full web "
                                          "address.")
    link_text = blocks.CharBlock(required=False, max_length=120,
                                 help_text="What the link says, like 'Find out more about the changes'.")

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("link_url")) != bool(value.get("link_text")):
            missing = "link_text" if value.get("link_url") else "link_url"
            raise StructBlockValidationError(block_errors={
                missing: ValidationError("Give the link both an address and the words it says, or neither"),
            })
        return value

    class Meta:
        icon = "warning"
        label = "Notice"
        template = "portal/blocks/notice.html"


class FeaturedTopicBlock(blocks.StructBlock):
    topic = blocks.ChoiceBlock(choices=topic_choices, help_text="It links to the search results for this category.")
    label = blocks.CharBlock(required=False, max_length=80,
                             help_text="Optional: words of your own, like 'Get out walking'; the category's name "
                                       "if blank.")
    description = blocks.CharBlock(required=False, max_length=200)

    class Meta:
        icon = "tag"
        label = "Topic"
