"""Every write of the library: resources, their versions and files, suggestions and
downloads. Import from here or from the submodule."""

from .library import (
    AUDITED_FIELDS,
    GRANT_FIELDS,
    RESERVED_SLUGS,
    RESOURCE_FIELDS,
    SUGGESTION_FIELDS,
    build_version,
    publish_problem,
    resource_add_version,
    resource_create,
    resource_delete,
    resource_record_download,
    resource_set_featured,
    resource_set_published,
    resource_suggest,
    resource_update,
    save_library_file,
)

__all__ = [
    "AUDITED_FIELDS",
    "GRANT_FIELDS",
    "RESERVED_SLUGS",
    "RESOURCE_FIELDS",
    "SUGGESTION_FIELDS",
    "build_version",
    "publish_problem",
    "resource_add_version",
    "resource_create",
    "resource_delete",
    "resource_record_download",
    "resource_set_featured",
    "resource_set_published",
    "resource_suggest",
    "resource_update",
    "save_library_file",
]
