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
    base = slugify(name)[:240] or "organisation"
    slug, n = base, 1
    while parent.get_children().filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _editors_group(organisation: Organisation) -> Group:
    if organisation.editors_group_id:
        return organisation.editors_group
    group, _ = Group.objects.get_or_create(name=f"Organisation editors: {organisation.public_id}")
    group.permissions.add(_access_admin())
    _grant_page_permissions(group, organisation, EDITOR_PAGE_PERMISSIONS)
    Organisation.objects.filter(pk=organisation.pk).update(editors_group=group)
    organisation.editors_group = group
    return group


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
    children = {
        "locations": [ServiceLocation(**values) for values in locations],
        "schedules": [Schedule(**values) for values in schedules],
        "cost_options": [CostOption(**values) for values in cost_options],
        "contacts": [ContactPoint(**values) for values in contacts],
        "service_areas": [ServiceArea(**values) for values in service_areas],
    }
    for objects in children.values():
        for child in objects:
            child.full_clean(exclude=["service", "sort_order"])
    service = Service(title=name, slug=_free_slug(organisation, name), description=description, owner=owner,
                      live=publish, **children, **fields)
    service.clean()
    organisation.add_child(instance=service)
    service.categories.set(categories)
    service.languages.set(languages)
    revision = service.save_revision(user=owner)
    if publish:
        revision.publish()
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
