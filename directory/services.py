"""Writes to the directory: setting it up, organisations, membership and the permissions membership brings.

Editing rights are Wagtail page permissions on the organisation's own subtree, granted through a
group per organisation. Editors may add and change listings but not publish them, so every edit
they make goes through the moderation workflow assigned to the directory.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils.text import slugify
from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

from .models import (
    ContactPoint,
    CostOption,
    DirectoryIndexPage,
    Organisation,
    OrganisationMembership,
    Schedule,
    Service,
    ServiceArea,
    ServiceLocation,
)
from . import venues

# Members of this group review community editors' changes; portal.roles makes them staff (MFA required).
MODERATORS_GROUP = "Directory moderators"
WORKFLOW_NAME = "Community listing review"

EDITOR_PAGE_PERMISSIONS = ("add", "change")
MODERATOR_PAGE_PERMISSIONS = ("add", "change", "publish", "bulk_delete", "lock", "unlock")


def _access_admin() -> Permission:
    return Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")


def _grant_page_permissions(group: Group, page: Page, permission_types) -> None:
    for permission_type in permission_types:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=f"{permission_type}_page")
        GroupPagePermission.objects.get_or_create(group=group, page=page, permission=permission)


@transaction.atomic
def ensure_directory(*, parent: Page, title: str = "Community directory") -> DirectoryIndexPage:
    """The directory index under `parent`, its moderators and its moderation workflow (idempotent)."""
    directory = DirectoryIndexPage.objects.first()
    if directory is None:
        directory = DirectoryIndexPage(title=title, slug="directory",
                                       introduction="Community groups, activities and support, kept up to date by the groups themselves.")
        parent.add_child(instance=directory)
        directory.save_revision().publish()

    moderators, _ = Group.objects.get_or_create(name=MODERATORS_GROUP)
    moderators.permissions.add(_access_admin())
    _grant_page_permissions(moderators, directory, MODERATOR_PAGE_PERMISSIONS)

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    if not workflow.workflow_tasks.exists():
        task = GroupApprovalTask.objects.create(name="Moderator approval")
        task.groups.set([moderators])
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.update_or_create(page=directory, defaults={"workflow": workflow})
    return directory


@transaction.atomic
def create_organisation(*, directory: DirectoryIndexPage, name: str, description: str, publish: bool = True,
                        owner=None, **fields) -> Organisation:
    organisation = Organisation(title=name, slug=_free_slug(directory, name), description=description, owner=owner,
                                live=publish, **fields)
    directory.add_child(instance=organisation)
    revision = organisation.save_revision(user=owner)
    if publish:
        revision.publish()
    _editors_group(organisation)
    return organisation


def _free_slug(parent: Page, name: str) -> str:
    siblings = parent.get_children().filter(slug__startswith=_slug_base(name))
    return free_slug(name, set(siblings.values_list("slug", flat=True)))


def _slug_base(name: str) -> str:
    return slugify(name)[:240] or "organisation"


def free_slug(name: str, taken: set[str]) -> str:
    """The name's slug, numbered past those `taken` (the siblings'); adds it to `taken`."""
    base = _slug_base(name)
    slug, n = base, 1
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    taken.add(slug)
    return slug


def _editors_group(organisation: Organisation) -> Group:
    if organisation.editors_group_id:
        return organisation.editors_group
    return give_editors_groups([organisation])[0]


def give_editors_groups(organisations: list[Organisation]) -> list[Group]:
    """A group per organisation (without one yet) whose members may add and change its listings, in a fixed
    number of queries whatever the number of organisations (an import makes hundreds at once)."""
    names = [f"Organisation editors: {organisation.public_id}" for organisation in organisations]
    existing = {group.name: group for group in Group.objects.filter(name__in=names)}
    Group.objects.bulk_create([Group(name=name) for name in names if name not in existing])
    groups = {group.name: group for group in Group.objects.filter(name__in=names)}
    access = _access_admin()
    Group.permissions.through.objects.bulk_create(
        [Group.permissions.through(group_id=group.pk, permission_id=access.pk) for group in groups.values()],
        ignore_conflicts=True)
    permissions = Permission.objects.filter(content_type__app_label="wagtailcore",
                                            codename__in=[f"{kind}_page" for kind in EDITOR_PAGE_PERMISSIONS])
    GroupPagePermission.objects.bulk_create(
        [GroupPagePermission(group=groups[name], page=organisation, permission=permission)
         for name, organisation in zip(names, organisations) for permission in permissions],
        ignore_conflicts=True)
    for name, organisation in zip(names, organisations):
        organisation.editors_group = groups[name]
    Organisation.objects.bulk_update(organisations, ["editors_group"])
    return [groups[name] for name in names]


@transaction.atomic
def add_member(*, organisation: Organisation, user, role: str = OrganisationMembership.Role.EDITOR
               ) -> OrganisationMembership:
    membership, created = OrganisationMembership.objects.get_or_create(
        organisation=organisation, user=user, defaults={"role": role}
    )
    if not created and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    user.groups.add(_editors_group(organisation))
    return membership


@transaction.atomic
def remove_member(*, organisation: Organisation, user) -> None:
    OrganisationMembership.objects.filter(organisation=organisation, user=user).delete()
    if organisation.editors_group_id:
        user.groups.remove(organisation.editors_group)


@transaction.atomic
def create_service(*, organisation: Organisation, name: str, description: str, publish: bool = True, owner=None,
                   locations=(), schedules=(), cost_options=(), contacts=(), service_areas=(), categories=(),
                   languages=(), **fields) -> Service:
    """A service page under `organisation`, with its children given as dicts of field values.

    Children are validated as the admin form would (so locations are geocoded from their
    postcode, and an unknown postcode raises ValidationError rather than saving (0, 0)).
    """
    service = build_service(name=name, description=description, publish=publish, owner=owner, locations=locations,
                            schedules=schedules, cost_options=cost_options, contacts=contacts,
                            service_areas=service_areas, **fields)
    service.slug = _free_slug(organisation, name)
    organisation.add_child(instance=service)
    service.categories.set(categories)
    service.languages.set(languages)
    revision = service.save_revision(user=owner)
    if publish:
        revision.publish()
    return service


def build_service(*, name: str, description: str, publish: bool = True, owner=None, locations=(), schedules=(),
                  cost_options=(), contacts=(), service_areas=(), **fields) -> Service:
    """An unsaved service page with its children, validated as `create_service` validates them (no slug yet)."""
    children = {
        "locations": [ServiceLocation(**values) for values in locations],
        "schedules": [Schedule(**values) for values in schedules],
        "cost_options": [CostOption(**values) for values in cost_options],
        "contacts": [ContactPoint(**values) for values in contacts],
        "service_areas": [ServiceArea(**values) for values in service_areas],
    }
    for objects in children.values():
        for order, child in enumerate(objects):
            child.full_clean(exclude=["service", "sort_order"])
            child.sort_order = order  # as the editor's form numbers them
    service = Service(title=name, description=description, owner=owner, live=publish, **children, **fields)
    service.clean()
    return service


_SERVICE_CHILDREN = {"locations": ServiceLocation, "schedules": Schedule, "cost_options": CostOption,
                     "contacts": ContactPoint, "service_areas": ServiceArea}


@transaction.atomic
def update_service(*, service: Service, publish: bool = True, owner=None, name: str | None = None,
                   categories=None, languages=None, **changes) -> Service:
    """Change a service that exists: the fields given, and each kind of child given (replaced as a whole).

    Starts from the live listing, not a draft someone left, and validates children as
    `create_service` does. Publishing makes a new revision, so the change is in the page's history
    and reaches search through the outbox like an editor's.
    """
    service = Service.objects.get(pk=service.pk)
    for relation, model in _SERVICE_CHILDREN.items():
        if (rows := changes.pop(relation, None)) is not None:
            children = [model(**values) for values in rows]
            if relation == "locations":
                venues.keep_ids(service, children, rows)
            for child in children:
                child.full_clean(exclude=["service", "sort_order"])
            setattr(service, relation, children)
    if name is not None:
        service.title = name
    for field_name, value in changes.items():
        setattr(service, field_name, value)
    if categories is not None:
        service.categories.set(categories)
    if languages is not None:
        service.languages.set(languages)
    service.clean()
    revision = service.save_revision(user=owner)
    if publish:
        revision.publish()
    return service


@transaction.atomic
def update_organisation(*, organisation: Organisation, publish: bool = True, owner=None, name: str | None = None,
                        **changes) -> Organisation:
    """Change an organisation that exists (its fields given), as a new revision published like an editor's."""
    organisation = Organisation.objects.get(pk=organisation.pk)
    if name is not None:
        organisation.title = name
    for field_name, value in changes.items():
        setattr(organisation, field_name, value)
    revision = organisation.save_revision(user=owner)
    if publish:
        revision.publish()
    return organisation
