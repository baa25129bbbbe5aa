"""Factories for tests: users in each role, organisations and teams."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from wagtail.models import Site

from directory.models import DirectoryIndexPage
from directory.services import MODERATORS_GROUP, add_member, create_organisation, ensure_directory
from linkworkers.models import Team, TeamMembership
from portal.roles import COMMISSIONERS_GROUP, SITE_ADMINS_GROUP, Role

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    # Predictable and unlike any name a test looks for or rules out (a random "Harriet Rogers"
    # once broke a test asserting that no "Harriet" was on the page).
    full_name = factory.Sequence(lambda n: f"Robin Tallis{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        self.save()
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


def directory() -> DirectoryIndexPage:
    return DirectoryIndexPage.objects.first() or ensure_directory(parent=Site.objects.get(is_default_site=True).root_page)


_organisation_numbers = iter(range(1, 10**9))


def organisation(**fields):
    """A published organisation in the directory, with its editors' group."""
    n = next(_organisation_numbers)
    fields.setdefault("name", f"Community Group {n}")
    fields.setdefault("description", f"A friendly community group, number {n}.")
    return create_organisation(directory=directory(), **fields)


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Link Worker Team {n}")
    locality = "Bracknell Forest"


def user_with_role(role: Role, **kwargs):
    """A verified user holding `role` through the membership or group that confers it."""
    user = UserFactory(**kwargs)
    if role is Role.VCS_EDITOR:
        add_member(organisation=organisation(), user=user)
    elif role in (Role.LINK_WORKER, Role.SUPERVISOR):
        TeamMembership.objects.create(team=TeamFactory(), user=user, role=role.value)
    elif role is Role.COMMISSIONER:
        user.groups.add(Group.objects.get(name=COMMISSIONERS_GROUP))
    elif role is Role.MODERATOR:
        directory()  # creates the moderators' group and its permissions
        user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    elif role is Role.SITE_ADMIN:
        user.groups.add(Group.objects.get(name=SITE_ADMINS_GROUP))
    return user


_service_numbers = iter(range(1, 10**9))


def service(org=None, *, publish: bool = True, locations=None, **fields):
    """A published service with one venue at a real Bracknell Forest postcode (loads them if needed)."""
    from directory.services import create_service
    from search.models import Postcode

    ensure_postcodes("E06000036")
    n = next(_service_numbers)
    if locations is None:
        postcode = Postcode.objects.filter(local_authority="E06000036").order_by("postcode")[n % 500].postcode
        locations = [{"name": f"Community Hall {n}", "address_1": f"{n} High Street", "city": "Bracknell",
                      "postcode": postcode}]
    fields.setdefault("name", f"Wellbeing Walk {n}")
    fields.setdefault("description", "A gentle walk and a chat, open to everyone.")
    return create_service(organisation=org or organisation(), publish=publish, locations=locations, **fields)


def indexed(*services):
    """`services` put in the search engine now, as the outbox would shortly after they were published."""
    from directory.documents import search_document
    from search.backends import get_backend

    get_backend().index([search_document(listing) for listing in services])
    return services


_postcode_cache: dict[str, list] = {}


def ensure_postcodes(local_authority: str) -> None:
    """Real ONS postcodes for one local authority in the test database (read from the package once)."""
    from search.gazetteer import load_postcodes
    from search.models import Postcode

    if Postcode.objects.filter(local_authority=local_authority).exists():
        return
    if local_authority not in _postcode_cache:
        load_postcodes(local_authorities=[local_authority])
        _postcode_cache[local_authority] = list(Postcode.objects.filter(local_authority=local_authority))
    else:
        Postcode.objects.bulk_create(_postcode_cache[local_authority], ignore_conflicts=True)
