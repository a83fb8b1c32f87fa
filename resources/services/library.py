"""Every write of the resource library. Keyword-only functions, one transaction each.

Files: a service checks an upload with resources.validators *before* anything is written,
stores it through the private resource storage, and deletes it again if the database
write that follows fails — so a refused or failed upload leaves neither a row nor a file.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from members.audit import audit_log
from members.models import EcosystemRole
from slecop.cache import bump
from slecop.errors import DomainError, NotAllowed
from slecop.locking import lock_one
from slecop.mail import absolute_url, send_templated_email

from ..models import Resource, ResourceVersion, Topic
from ..selectors import is_library_staff
from ..storage import resource_storage
from ..validators import CheckedFile, validate_upload

RESOURCE_FIELDS = (
    "title",
    "summary",
    "body",
    "kind",
    "attribute",
    "audience",
    "external_url",
    "visibility",
    "owner",
    "deadline",
    "funder",
    "amount_min_cents",
    "amount_max_cents",
    "currency",
)
# members suggest; staff decide who sees it, who owns it (and the currency)
SUGGESTION_FIELDS = tuple(
    name for name in RESOURCE_FIELDS if name not in {"visibility", "owner", "currency"}
)
AUDITED_FIELDS = ("title", "visibility", "is_published", "is_featured", "kind")
GRANT_FIELDS = {
    "deadline": None,
    "funder": "",
    "amount_min_cents": None,
    "amount_max_cents": None,
}


def save_library_file(filename: str, content) -> str:
    """Store `content` under a fresh private name built from `filename` (already cleaned
    by resources.validators); return the stored name."""

    field = ResourceVersion._meta.get_field("file")
    return resource_storage.save(field.generate_filename(None, filename), content)


def _snapshot(resource: Resource) -> dict:
    return {name: getattr(resource, name) for name in AUDITED_FIELDS}


def _check_upload(upload) -> CheckedFile:
    try:
        return validate_upload(upload)
    except ValidationError as exc:
        raise DomainError(exc.messages[0], code=exc.code or "invalid_file", field="file") from exc


RESERVED_SLUGS = {"suggest"}  # library/<slug>/ must not shadow library/suggest/


def _unique_slug(title: str, *, exclude_pk: int | None = None) -> str:
    base = slugify(title)[:200].strip("-") or "resource"
    if base in RESERVED_SLUGS:
        base = f"{base}-resource"
    taken = set(
        Resource.objects.filter(slug__startswith=base)
        .exclude(pk=exclude_pk)
        .values_list("slug", flat=True)
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _apply_fields(resource: Resource, fields: dict, allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"unexpected fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(resource, name, value)
    if resource.kind != Resource.Kind.GRANT:
        for name, empty in GRANT_FIELDS.items():  # only grant opportunities carry these
            setattr(resource, name, empty)
    for name in ("title", "summary", "funder"):
        setattr(resource, name, (getattr(resource, name) or "").strip())


def _save_new(resource: Resource) -> None:
    """Insert with a unique slug; a concurrent insert of the same title gets the next."""
    for _attempt in range(3):
        resource.slug = _unique_slug(resource.title)
        resource.full_clean(exclude=["slug"])
        try:
            with transaction.atomic():
                resource.save()
            return
        except IntegrityError:
            if Resource.objects.filter(slug=resource.slug).exists():
                continue
            raise
    raise DomainError(_("Another resource with this title was just added. Please try again."))


def publish_problem(*, title: str, has_file: bool, external_url: str, body: str) -> str | None:
    """Why a resource cannot be published yet, or None. (The admin form asks too, to show
    the answer on the form.)"""
    if not (has_file or external_url or body.strip()):
        return f"“{title}” has no file, link or description yet; add one before publishing it."
    return None


def _mark_published(resource: Resource, published: bool) -> None:
    problem = published and publish_problem(
        title=resource.title,
        has_file=resource.current_version_id is not None,
        external_url=resource.external_url,
        body=resource.body,
    )
    if problem:
        raise DomainError(problem, code="empty_resource")
    resource.is_published = published
    if published and resource.published_at is None:
        resource.published_at = timezone.now()


@contextmanager
def _stored(checked: CheckedFile, upload):
    """Store `upload` under a fresh private name; delete it if the block fails."""
    name = save_library_file(checked.filename, upload)
    try:
        yield name
    except BaseException:
        resource_storage.delete(name)
        raise


def build_version(
    *, resource_id: int, number: int, stored_name: str, checked: CheckedFile, note: str, uploaded_by
) -> ResourceVersion:
    """An unsaved version row for a checked, stored file (the demo bulk-inserts these)."""
    return ResourceVersion(
        resource_id=resource_id,
        number=number,
        file=stored_name,
        filename=checked.filename,
        file_type=checked.file_type.key,
        content_type=checked.file_type.content_type,
        size_bytes=checked.size,
        sha256=checked.sha256,
        note=note.strip(),
        uploaded_by=uploaded_by,
    )


def _add_version(
    *, acting_user, resource: Resource, checked: CheckedFile | None, upload, note: str
) -> ResourceVersion | None:
    """Inside the caller's transaction, with `resource` locked (or just created). Nothing
    to do without a file."""
    if checked is None:
        return None
    number = (resource.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    with _stored(checked, upload) as name:
        version = build_version(
            resource_id=resource.pk,
            number=number,
            stored_name=name,
            checked=checked,
            note=note,
            uploaded_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        )
        version.full_clean(exclude=["resource", "file", "uploaded_by"])
        version.save()
        Resource.objects.filter(pk=resource.pk).update(current_version=version)
        bump("resources", "panels")  # QuerySet.update sends no post_save
        resource.current_version = version
        audit_log(
            actor=acting_user,
            action="resource.version_added",
            obj=resource,
            after={
                "version": number,
                "filename": checked.filename,
                "type": checked.file_type.key,
                "size": checked.size,
                "sha256": checked.sha256,
            },
        )
    return version


def _set_topics(resource: Resource, topics) -> None:
    if topics is not None:
        resource.topics.set(list(topics))


@transaction.atomic
def resource_create(
    *,
    acting_user,
    fields: dict,
    topics: Iterable[Topic] | None = None,
    is_published: bool = False,
    is_featured: bool = False,
    upload=None,
    version_note: str = "",
) -> Resource:
    """A staff member adds a resource (optionally with its first file)."""
    checked = _check_upload(upload) if upload is not None else None
    resource = Resource()
    _apply_fields(resource, fields, RESOURCE_FIELDS)
    resource.is_featured = is_featured
    _save_new(resource)
    _set_topics(resource, topics)
    audit_log(actor=acting_user, action="resource.created", obj=resource, after=_snapshot(resource))
    _add_version(
        acting_user=acting_user,
        resource=resource,
        checked=checked,
        upload=upload,
        note=version_note,
    )
    if is_published:
        return resource_set_published(acting_user=acting_user, resource=resource, published=True)
    return resource


@transaction.atomic
def resource_update(
    *,
    acting_user,
    resource: Resource,
    fields: dict,
    topics: Iterable[Topic] | None = None,
    is_published: bool | None = None,
    is_featured: bool | None = None,
    upload=None,
    version_note: str = "",
) -> Resource:
    """Change a resource; an upload adds a new version and keeps the old ones."""
    checked = _check_upload(upload) if upload is not None else None
    resource = lock_one(Resource, resource.pk)
    before = _snapshot(resource)
    _apply_fields(resource, fields, RESOURCE_FIELDS)
    if is_featured is not None:
        resource.is_featured = is_featured
    resource.full_clean()
    resource.save()
    _set_topics(resource, topics)
    _add_version(
        acting_user=acting_user,
        resource=resource,
        checked=checked,
        upload=upload,
        note=version_note,
    )
    if _snapshot(resource) != before:
        audit_log(
            actor=acting_user,
            action="resource.updated",
            obj=resource,
            before=before,
            after=_snapshot(resource),
        )
    if is_published is not None and is_published != resource.is_published:
        resource = resource_set_published(
            acting_user=acting_user, resource=resource, published=is_published
        )
    return resource


@transaction.atomic
def resource_add_version(*, acting_user, resource: Resource, upload, note: str = ""):
    """Upload a new file for `resource`; earlier versions stay listed and downloadable."""
    checked = _check_upload(upload)
    resource = lock_one(Resource, resource.pk)
    return _add_version(
        acting_user=acting_user, resource=resource, checked=checked, upload=upload, note=note
    )


@transaction.atomic
def resource_set_published(*, acting_user, resource: Resource, published: bool) -> Resource:
    resource = lock_one(Resource, resource.pk)
    if resource.is_published == published:
        return resource
    before = _snapshot(resource)
    first_time = published and resource.published_at is None
    _mark_published(resource, published)
    resource.save(update_fields=["is_published", "published_at", "updated_at"])
    audit_log(
        actor=acting_user,
        action="resource.published" if published else "resource.unpublished",
        obj=resource,
        before=before,
        after=_snapshot(resource),
    )
    if first_time and resource.suggested_by_id:
        suggester = resource.suggested_by
        send_templated_email(
            to=[suggester.email],
            template="resources/email/suggestion_published",
            context={
                "resource": resource,
                "person": suggester,
                "ecosystems": _ecosystem_names(suggester),
                "resource_url": absolute_url(resource.get_absolute_url()),
            },
        )
    return resource


@transaction.atomic
def resource_set_featured(*, acting_user, resource: Resource, featured: bool) -> Resource:
    resource = lock_one(Resource, resource.pk)
    if resource.is_featured != featured:
        before = _snapshot(resource)
        resource.is_featured = featured
        resource.save(update_fields=["is_featured", "updated_at"])
        audit_log(
            actor=acting_user,
            action="resource.featured" if featured else "resource.unfeatured",
            obj=resource,
            before=before,
            after=_snapshot(resource),
        )
    return resource


@transaction.atomic
def resource_delete(*, acting_user, resource: Resource) -> None:
    """Delete a resource and, once the deletion is committed, its files."""
    resource = lock_one(Resource, resource.pk)
    names = list(resource.versions.values_list("file", flat=True))
    audit_log(
        actor=acting_user, action="resource.deleted", obj=resource, before=_snapshot(resource)
    )
    resource.delete()
    transaction.on_commit(lambda: [resource_storage.delete(name) for name in names if name])


def _ecosystem_names(user) -> list[str]:
    return list(
        EcosystemRole.objects.filter(user=user)
        .order_by("ecosystem__name")
        .values_list("ecosystem__name", flat=True)
    )


@transaction.atomic
def resource_suggest(
    *, acting_user, fields: dict, topics: Iterable[Topic] | None = None, upload=None
) -> Resource:
    """A lead or member suggests a resource: it reaches TIES staff unpublished (visible to
    members once staff publish it) and staff are told by email."""
    ecosystems = _ecosystem_names(acting_user) if acting_user.is_authenticated else []
    if not ecosystems and not is_library_staff(acting_user):
        raise NotAllowed(_("Only leads and members of an ecosystem can suggest resources."))
    checked = _check_upload(upload) if upload is not None else None
    resource = Resource(suggested_by=acting_user, visibility=Resource.Visibility.MEMBERS)
    _apply_fields(resource, fields, SUGGESTION_FIELDS)
    if not (checked or resource.external_url or resource.body.strip()):
        raise DomainError(
            _("Attach a file, give a link or describe the resource."), field="external_url"
        )
    _save_new(resource)
    _set_topics(resource, topics)
    audit_log(
        actor=acting_user, action="resource.suggested", obj=resource, after=_snapshot(resource)
    )
    _add_version(
        acting_user=acting_user,
        resource=resource,
        checked=checked,
        upload=upload,
        note="Suggested by a member",
    )
    context = {
        "resource": resource,
        "person": acting_user,
        "ecosystems": ecosystems,
        "library_url": absolute_url("/library/"),
        "admin_url": absolute_url(f"/admin/resources/resource/{resource.pk}/change/"),
    }
    send_templated_email(
        to=[settings.STAFF_NOTIFICATION_EMAIL],
        template="resources/email/suggestion_to_review",
        context=context,
    )
    send_templated_email(
        to=[acting_user.email], template="resources/email/suggestion_received", context=context
    )
    return resource


@transaction.atomic
def resource_record_download(*, resource: Resource, version: ResourceVersion | None = None) -> None:
    """Count a download (or a click on the external link) with UPDATE … SET n = n + 1, so
    concurrent downloads never lose a count."""
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
    if version is not None:
        ResourceVersion.objects.filter(pk=version.pk).update(download_count=F("download_count") + 1)
