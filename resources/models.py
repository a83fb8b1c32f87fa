"""The resource library: toolkits, playbooks, publications, grant opportunities…

Seed 000 lists "Resource library", "Shared toolkits", "Marketing tools", "Grant database
matching support" and "Development of toolkits, playbooks, and other publications" among
the shared resources of membership; seed 001 names the five attributes of a strong
ecosystem, which each resource can serve.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import URLValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .storage import get_resource_storage


class Topic(models.Model):
    """A tag that staff curate (a plain M2M: facet counts are one GROUP BY)."""

    name = models.CharField(_("name"), max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Resource(models.Model):
    class Kind(models.TextChoices):
        TOOLKIT = "toolkit", _("Toolkit")
        PLAYBOOK = "playbook", _("Playbook")
        PUBLICATION = "publication", _("Publication")
        REPORT = "report", _("Report")
        TEMPLATE = "template", _("Template")
        RECORDING = "recording", _("Recording")
        MARKETING = "marketing", _("Marketing tool")
        GRANT = "grant", _("Grant opportunity")

    class Attribute(models.TextChoices):
        """The five attributes of seed 001."""

        PARTNERSHIPS = "partnerships", _("Strong cross-sector partnerships")
        SYSTEMS = "systems", _("Systems that sustain the work")
        TEACHING = "teaching", _("Aligned teaching and learning")
        MEASUREMENT = "measurement", _("Measurement of ecosystem progress")
        WORKFORCE = "workforce", _("Workforce and career trajectories")

    class Audience(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        LEADERS = "leaders", _("Ecosystem leaders")
        EDUCATORS = "educators", _("Educators, in and out of school")
        PARTNERS = "partners", _("Community and industry partners")
        FAMILIES = "families", _("Families and youth")
        FUNDERS = "funders", _("Funders and policymakers")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Public")
        MEMBERS = "members", _("Members in good standing")
        STAFF = "staff", _("Staff only")

    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    summary = models.CharField(
        _("summary"), max_length=500, help_text=_("One or two sentences shown in lists.")
    )
    body = models.TextField(
        _("description"),
        blank=True,
        max_length=50_000,
        help_text=_("Markdown. Rendered safely: raw HTML is sanitised."),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, db_index=True)
    topics = models.ManyToManyField(
        Topic, blank=True, related_name="resources", verbose_name=_("topics")
    )
    attribute = models.CharField(
        _("ecosystem attribute"),
        max_length=20,
        choices=Attribute.choices,
        blank=True,
        help_text=_("The attribute of a strong ecosystem this resource serves."),
    )
    audience = models.CharField(
        _("audience"), max_length=20, choices=Audience.choices, default=Audience.EVERYONE
    )
    external_url = models.URLField(
        _("external link"),
        blank=True,
        max_length=500,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A link to the resource elsewhere (a recording, a funder's page)."),
    )
    visibility = models.CharField(
        _("visibility"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
        db_index=True,
    )
    is_published = models.BooleanField(_("published"), default=False)
    is_featured = models.BooleanField(_("featured"), default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_resources",
        verbose_name=_("owner"),
    )
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggested_resources",
        editable=False,
    )
    current_version = models.ForeignKey(
        "ResourceVersion",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    download_count = models.PositiveIntegerField(default=0, editable=False)
    # grant opportunities
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    funder = models.CharField(_("funder"), max_length=200, blank=True)
    amount_min_cents = models.BigIntegerField(_("minimum award (cents)"), null=True, blank=True)
    amount_max_cents = models.BigIntegerField(_("maximum award (cents)"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="USD")

    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Weighted title (A) / summary and funder (B) / body (C). Filled by a PostgreSQL
    # trigger (migration 0002) on every insert and update, bulk ones included; NULL on
    # SQLite, where search falls back to icontains.
    search_vector = SearchVectorField(null=True, editable=False)

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["is_published", "visibility", "kind"]),
            models.Index(fields=["kind", "deadline"]),
            models.Index(fields=["attribute"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="grant")
                | Q(
                    deadline__isnull=True,
                    funder="",
                    amount_min_cents__isnull=True,
                    amount_max_cents__isnull=True,
                ),
                name="resource_grant_fields_only_on_grants",
            ),
            models.CheckConstraint(
                condition=Q(amount_min_cents__isnull=True) | Q(amount_min_cents__gte=0),
                name="resource_amount_min_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(amount_min_cents__isnull=True)
                | Q(amount_max_cents__isnull=True)
                | Q(amount_max_cents__gte=models.F("amount_min_cents")),
                name="resource_amount_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="resource_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:detail", kwargs={"slug": self.slug})

    def get_download_url(self) -> str:
        return reverse("resources:download", kwargs={"slug": self.slug})

    @property
    def is_grant(self) -> bool:
        return self.kind == self.Kind.GRANT

    @property
    def deadline_passed(self) -> bool:
        return self.deadline is not None and self.deadline < timezone.localdate()

    @property
    def has_download(self) -> bool:
        return self.current_version_id is not None or bool(self.external_url)


def version_upload_to(instance: ResourceVersion, filename: str) -> str:
    """resources/<year>/<random>/<name>: unguessable, never colliding, keeps the name."""
    return f"resources/{timezone.now():%Y}/{secrets.token_hex(12)}/{filename}"


class ResourceVersion(models.Model):
    """One uploaded file of a resource. A new upload adds a version; old ones stay listed
    and downloadable. `number` counts from 1 per resource (allocated under a lock on the
    resource row, backed by the unique constraint)."""

    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    file = models.FileField(
        upload_to=version_upload_to, storage=get_resource_storage, max_length=300
    )
    filename = models.CharField(_("file name"), max_length=160)
    file_type = models.CharField(max_length=10)
    content_type = models.CharField(max_length=120)
    size_bytes = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    download_count = models.PositiveIntegerField(default=0, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["resource", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["resource", "number"], name="resource_version_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="resource_version_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.resource} v{self.number} ({self.filename})"

    def get_download_url(self) -> str:
        return reverse(
            "resources:version_download",
            kwargs={"slug": self.resource.slug, "number": self.number},
        )
