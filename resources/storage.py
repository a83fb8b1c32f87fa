"""Where library files live: a private storage, configured by settings.RESOURCES_STORAGE.

Files are never served from a public URL: the download view reads them through this
storage after checking visibility. The default backend is a FileSystemStorage outside
MEDIA_ROOT whose `url()` refuses to answer; in production RESOURCES_STORAGE can name a
django-storages backend (S3 with a private ACL) instead — see docs/resources.md.

`resource_storage` is lazy (like Django's `default_storage`) and is rebuilt when the
settings it depends on change, so tests can point it at a temporary folder.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, empty

DEPENDS_ON = {"RESOURCES_STORAGE", "PRIVATE_MEDIA_ROOT", "MEDIA_ROOT"}


def private_media_root() -> Path:
    """PRIVATE_MEDIA_ROOT, or "<MEDIA_ROOT>-private": a sibling of the public media
    folder, never inside it (so no web server rule for /media/ can expose it)."""
    if settings.PRIVATE_MEDIA_ROOT:
        return Path(settings.PRIVATE_MEDIA_ROOT)
    media = Path(settings.MEDIA_ROOT)
    return media.with_name(f"{media.name}-private")


@deconstructible
class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage with no public URL."""

    def __init__(self, location=None, **kwargs):
        super().__init__(location=location or private_media_root(), base_url=None, **kwargs)

    def url(self, name):
        raise ValueError(
            "Library files have no public URL; link to the resource's download view instead."
        )


class ResourceStorage(LazyObject):
    def _setup(self):
        self._wrapped = storages.create_storage(settings.RESOURCES_STORAGE)


resource_storage = ResourceStorage()


def get_resource_storage():
    """The callable given to FileField(storage=...): keeps migrations free of settings."""
    return resource_storage


@receiver(setting_changed)
def _reset_storage(*, setting, **kwargs):
    if setting in DEPENDS_ON:
        resource_storage._wrapped = empty
