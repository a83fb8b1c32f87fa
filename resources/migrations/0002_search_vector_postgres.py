"""PostgreSQL full-text search: a trigger keeps resources_resource.search_vector in step
with title (weight A), summary and funder (B) and body (C) on every insert and update —
bulk inserts and queryset updates included — and a GIN index serves `search_vector @@
query`. Nothing to do on other databases (SQLite searches with icontains)."""

from django.db import migrations

FORWARD = """
CREATE FUNCTION resources_resource_search_vector() RETURNS trigger AS $$
BEGIN
  NEW.search_vector :=
    setweight(to_tsvector('english'::regconfig, coalesce(NEW.title, '')), 'A') ||
    setweight(to_tsvector('english'::regconfig, coalesce(NEW.summary, '')), 'B') ||
    setweight(to_tsvector('english'::regconfig, coalesce(NEW.funder, '')), 'B') ||
    setweight(to_tsvector('english'::regconfig, coalesce(NEW.body, '')), 'C');
  RETURN NEW;
END
$$ LANGUAGE plpgsql;

CREATE TRIGGER resources_resource_search_vector_trg
  BEFORE INSERT OR UPDATE OF title, summary, funder, body, search_vector
  ON resources_resource
  FOR EACH ROW EXECUTE FUNCTION resources_resource_search_vector();

UPDATE resources_resource SET title = title;

CREATE INDEX resources_resource_search_gin
  ON resources_resource USING gin (search_vector);
"""

BACKWARD = """
DROP INDEX IF EXISTS resources_resource_search_gin;
DROP TRIGGER IF EXISTS resources_resource_search_vector_trg ON resources_resource;
DROP FUNCTION IF EXISTS resources_resource_search_vector();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("resources", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
