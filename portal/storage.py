"""Static files storage for production: hashed, compressed names, without chasing source maps."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Vendor packages (nhsuk-frontend via wagtail-nhsuk-frontend) name source maps they do not
    ship, which fails the whole collectstatic; so rewrite url() and @import references only."""

    patterns = (
        ("*.css", (
            r"""(?P<matched>url\(['"]{0,1}\s*(?P<url>.*?)["']{0,1}\))""",
            (r"""(?P<matched>@import\s*["']\s*(?P<url>.*?)["'])""", """@import url("%(url)s")"""),
        )),
    )
