"""Demo data: the home page, two themed sites, a Bracknell Forest directory, and one account per role."""

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, Site

from directory.demo import load_directory_demo
from directory.models import Organisation, OrganisationMembership
from directory.services import MODERATORS_GROUP, add_member, create_organisation, ensure_directory
from linkworkers.demo import load_caseload_demo
from linkworkers.models import Team, TeamMembership

from .models import HomePage, ThemeSettings
from .roles import COMMISSIONERS_GROUP, SITE_ADMINS_GROUP, Role

DEMO_PASSWORD = "Demo-portal-2026"  # printed by load_demo; production refuses to start while demo accounts exist
DEMO_ACCOUNTS_AGE_DAYS = 400  # longer ago than the oldest demo referral


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: Role


DEMO_ACCOUNTS = (
    DemoAccount("resident@example.org", "Rosa Resident", Role.RESIDENT),
    DemoAccount("editor@example.org", "Eddie Editor", Role.VCS_EDITOR),
    DemoAccount("linkworker@example.org", "Lena Linkworker", Role.LINK_WORKER),
    DemoAccount("supervisor@example.org", "Sam Supervisor", Role.SUPERVISOR),
    DemoAccount("commissioner@example.org", "Cara Commissioner", Role.COMMISSIONER),
    DemoAccount("moderator@example.org", "Mo Moderator", Role.MODERATOR),
    DemoAccount("admin@example.org", "Ada Admin", Role.SITE_ADMIN),
)


@transaction.atomic
def load_demo(*, host: str = "127.0.0.1", council_host: str = "localhost", port: int = 8000) -> list[DemoAccount]:
    home = _home_page()
    _site(hostname=host, port=port, root=home, name="Find support near you", theme="nhsuk", default=True)
    _site(hostname=council_host, port=port, root=home, name="Bracknell Forest Help Yourself", theme="council")
    directory = ensure_directory(parent=home)
    # About 400 services from 150 groups on real Bracknell Forest postcodes, among them the walking
    # group the demo editor manages. DEMO_DIRECTORY sets the size: many tests load the demo.
    size = getattr(settings, "DEMO_DIRECTORY", {"services": 400, "organisations": 150})
    if size["organisations"]:
        load_directory_demo(directory=directory, **size)
    organisation = Organisation.objects.filter(title="Bracknell Walking for Health").first() or create_organisation(
        directory=directory,
        name="Bracknell Walking for Health",
        description="Free, friendly group walks across Bracknell Forest.",
        email="walks@example.org",
    )
    team, _ = Team.objects.get_or_create(
        name="Bracknell Social Prescribing",
        # 01632 960xxx is Ofcom's range for fiction: no one real answers it.
        defaults={"locality": "Bracknell Forest", "areas": "E06000036", "takes_unmatched_referrals": True,
                  "phone": "01632 960 412", "email": "social.prescribing@example.org",
                  "hours": "Monday to Friday, 9am to 5pm"},
    )
    team_members = {}
    for account in DEMO_ACCOUNTS:
        user = _user(account)
        if account.role is Role.VCS_EDITOR:
            add_member(organisation=organisation, user=user, role=OrganisationMembership.Role.MANAGER)
        elif account.role in (Role.LINK_WORKER, Role.SUPERVISOR):
            TeamMembership.objects.get_or_create(
                team=team, user=user,
                defaults={"role": account.role.value, "skills": "Bereavement, debt and benefits",
                          "locality": "Bracknell town", "is_safeguarding_lead": account.role is Role.SUPERVISOR},
            )
            team_members[account.role] = user
        elif account.role is Role.COMMISSIONER:
            user.groups.add(Group.objects.get(name=COMMISSIONERS_GROUP))
        elif account.role is Role.MODERATOR:
            user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
        elif account.role is Role.SITE_ADMIN:
            user.groups.add(Group.objects.get(name=SITE_ADMINS_GROUP))
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
    load_caseload_demo(team=team, worker=team_members[Role.LINK_WORKER], supervisor=team_members[Role.SUPERVISOR])
    return list(DEMO_ACCOUNTS)


def _home_page() -> HomePage:
    existing = HomePage.objects.first()
    if existing:
        return existing
    root = Page.get_first_root_node()
    # Wagtail's installer leaves a placeholder "Welcome" page; the home page takes its place.
    for child in root.get_children().exclude(content_type__model="homepage"):
        Site.objects.filter(root_page=child).delete()
        child.delete()
    home = HomePage(title="Find activities and support near you", slug="home")
    root.add_child(instance=home)
    home.save_revision().publish()
    return home


def _site(*, hostname: str, port: int, root: Page, name: str, theme: str, default: bool = False) -> Site:
    site, _ = Site.objects.update_or_create(
        hostname=hostname,
        port=port,
        defaults={"root_page": root, "site_name": name, "is_default_site": default},
    )
    theme_settings = ThemeSettings.for_site(site)
    theme_settings.theme = theme
    theme_settings.site_name = name
    theme_settings.save()
    return site


def _user(account: DemoAccount):
    User = get_user_model()
    user = User.objects.filter(email=account.email).first()
    if user is None:
        user = User.objects.create_user(email=account.email, password=DEMO_PASSWORD, full_name=account.full_name)
        user.is_demo = True
        # Staff who have worked the demo caseload for months joined before it began.
        user.date_joined = timezone.now() - timedelta(days=DEMO_ACCOUNTS_AGE_DAYS)
        user.save(update_fields=["is_demo", "date_joined"])
    EmailAddress.objects.update_or_create(
        user=user, email=account.email, defaults={"verified": True, "primary": True}
    )
    return user
