"""Factories for tests: users in each role, organisations and teams."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from wagtail.models import Site

from directory.models import DirectoryIndexPage
from directory.services import add_member, create_organisation, ensure_directory
from linkworkers.models import Team, TeamMembership
from portal.roles import COMMISSIONERS_GROUP, SITE_ADMINS_GROUP, Role

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name", locale="en_GB")
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
    elif role is Role.SITE_ADMIN:
        user.groups.add(Group.objects.get(name=SITE_ADMINS_GROUP))
    return user
