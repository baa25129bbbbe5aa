"""Factories for tests: users in each role, organisations and teams."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from directory.models import Organisation, OrganisationMembership
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


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Group {n}")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Link Worker Team {n}")
    locality = "Bracknell Forest"


def user_with_role(role: Role, **kwargs):
    """A verified user holding `role` through the membership or group that confers it."""
    user = UserFactory(**kwargs)
    if role is Role.VCS_EDITOR:
        OrganisationMembership.objects.create(organisation=OrganisationFactory(), user=user)
    elif role in (Role.LINK_WORKER, Role.SUPERVISOR):
        TeamMembership.objects.create(team=TeamFactory(), user=user, role=role.value)
    elif role is Role.COMMISSIONER:
        user.groups.add(Group.objects.get(name=COMMISSIONERS_GROUP))
    elif role is Role.SITE_ADMIN:
        user.groups.add(Group.objects.get(name=SITE_ADMINS_GROUP))
    return user
