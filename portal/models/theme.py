"""Which theme each Wagtail Site wears, chosen by a site administrator."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

from themes import DEFAULT_THEME, THEMES


@register_setting(icon="image")
class ThemeSettings(BaseSiteSetting):
    theme = models.CharField(
        max_length=40,
        choices=[(key, theme.label) for key, theme in THEMES.items()],
        default=DEFAULT_THEME,
        help_text="The look of this site: templates, logo and colours.",
    )
    site_name = models.CharField(
        max_length=120, blank=True, help_text="Shown in the header; the theme's own name if blank."
    )
    phase = models.CharField(
        max_length=20, default="beta", blank=True, help_text="Shown in the phase banner (alpha, beta); blank hides it."
    )
    feedback_url = models.URLField(
        "feedback link", blank=True,
        help_text="Where the phase banner's feedback link goes, such as a survey of your own. Blank for this "
                  "site's feedback form, whose answers are in the admin under Site feedback.",
    )

    panels = [FieldPanel("theme"), FieldPanel("site_name"), FieldPanel("phase"), FieldPanel("feedback_url")]

    class Meta:
        verbose_name = "theme"
