"""The themes a site can wear: each folder here holds one theme's templates and static assets."""

from dataclasses import dataclass
from pathlib import Path

THEMES_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    site_name: str
    stylesheets: tuple[str, ...]

    @property
    def base_template(self) -> str:
        return f"{self.key}/base.html"

    @property
    def template_dir(self) -> Path:
        return THEMES_DIR / self.key / "templates"

    @property
    def static_dir(self) -> Path:
        return THEMES_DIR / self.key / "static"


# A copy of nhsuk-frontend's CSS without the @font-face rules that fetch NHS-licensed fonts from an NHS server.
NHSUK_STYLESHEETS = ("nhsuk/css/nhsuk-frontend-10.4.2.min.css", "nhsuk/css/portal.css")

THEMES: dict[str, Theme] = {
    theme.key: theme
    for theme in (
        Theme(key="nhsuk", label="NHS.UK", site_name="Find support near you", stylesheets=NHSUK_STYLESHEETS),
        Theme(
            key="council",
            label="Council",
            site_name="Bracknell Forest Help Yourself",
            stylesheets=(*NHSUK_STYLESHEETS, "council/css/council.css"),
        ),
    )
}
DEFAULT_THEME = "nhsuk"


def get_theme(key: str | None) -> Theme:
    return THEMES.get(key or DEFAULT_THEME, THEMES[DEFAULT_THEME])
