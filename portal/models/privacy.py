"""The privacy notice the public referral forms show, edited per Wagtail Site by a site administrator."""

from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Site
from wagtail.rich_text import RichText


def default_privacy_notice() -> str:
    """What a council's link-worker service would publish until it writes its own: what is collected,
    why (UK GDPR), who sees it, how long it is kept, and how to ask or complain."""
    return (
        "<p>This notice is from the council's social prescribing service (the link worker service). "
        "We are responsible for looking after the information you give us on this form. "
        "This makes us the data controller.</p>"
        "<h3>What we collect</h3>"
        "<ul>"
        "<li>name, date of birth and NHS number</li>"
        "<li>postcode, phone number and email address</li>"
        "<li>GP practice</li>"
        "<li>what help is wanted, which can include information about health and wellbeing</li>"
        "<li>the answers to the questions about urgent help</li>"
        "<li>if someone refers you, their name, job, organisation and contact details</li>"
        "</ul>"
        "<h3>Why we collect it</h3>"
        "<p>We use it to contact you, to understand what matters to you, and to help you find activities, "
        "groups and support. We use your NHS number to make sure we have the right person's record.</p>"
        "<p>The law that lets us do this is the UK General Data Protection Regulation (UK GDPR). "
        "We use your information to carry out a public task (Article 6(1)(e)). "
        "We use information about your health because it is needed to provide health or social care "
        "(Article 9(2)(h)).</p>"
        "<h3>Who sees it</h3>"
        "<p>The link worker team for your area, and the staff who run the service. "
        "If you agree, we tell your GP practice how we helped you. "
        "We only share your information with anyone else, such as a group you want to join, if you agree. "
        "We share it without asking only if the law says we must, or to protect someone from serious harm. "
        "We never sell it.</p>"
        "<h3>How long we keep it</h3>"
        "<p>We keep your record for 8 years after our last contact with you, in line with the NHS "
        "Records Management Code of Practice. Then we delete it securely.</p>"
        "<h3>Your rights and how to ask</h3>"
        "<p>You can ask for a copy of the information we hold about you. You can ask us to correct anything "
        "that is wrong. In some cases you can ask us to stop using it or to delete it. "
        "To ask, contact the social prescribing team or the council's data protection officer. "
        "We will reply within one month.</p>"
        "<h3>How to complain</h3>"
        "<p>If you are unhappy with how we have used your information, tell the social prescribing team "
        "or the council's data protection officer first.</p>"
        "<p>If you are still unhappy, you can complain to the Information Commissioner's Office (ICO). "
        'Go to <a href="https://ico.org.uk/make-a-complaint/">ico.org.uk</a> or call 0303 123 1113.</p>'
    )


@register_setting(icon="lock")
class PrivacyNoticeSettings(BaseSiteSetting):
    body = RichTextField(
        # Headings are h3: the forms show the notice under an h2 of their own.
        features=["h3", "bold", "link", "ul", "ol"],
        default=default_privacy_notice,
        help_text=(
            "Shown on both referral forms before they are sent. Say who you are (the data controller), what "
            "you collect, why, who sees it, how long you keep it, and how to ask for it or complain. The "
            "standard text keeps records 8 years after the last contact (NHS Records Management Code); "
            "change it to your own retention schedule."
        ),
    )

    panels = [FieldPanel("body")]

    class Meta:
        verbose_name = "privacy notice"

    @classmethod
    def notice_for_request(cls, request) -> RichText:
        """The notice saved for the request's site, else the default; read without creating a row, so a
        public page writes nothing and a site that never saved one shows the current default."""
        site = Site.find_for_request(request)
        saved = cls.objects.filter(site=site).values_list("body", flat=True).first() if site else None
        return RichText(saved or default_privacy_notice())
