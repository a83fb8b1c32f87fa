"""Seeded names (regions, offices, services, indicators) read in the reader's language,
from the catalog with the stored English name as msgid; names staff create show as
entered. Invoice lines are written from their kind in the reader's language."""

from __future__ import annotations

import importlib

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Region, Service
from slecop import seed_names
from tests.factories import open_dues_invoice

pytestmark = pytest.mark.django_db


def spanish() -> Client:
    client = Client()
    client.cookies["django_language"] = "es"
    return client


def test_the_lists_name_exactly_what_the_migrations_seed():
    def migration(name):
        return importlib.import_module(name)

    regions = migration("members.migrations.0002_regions_and_groups").REGIONS
    offices = migration("governance.migrations.0002_seed_offices").OFFICES
    services = migration("members.migrations.0008_service_catalog").CATALOG
    indicators = migration("measurement.migrations.0002_seed_attributes_indicators").INDICATORS
    assert tuple(r[1] for r in regions) == seed_names.REGION_NAMES
    regional = tuple(f"Regional Committee Chair, {r[1]}" for r in regions)
    assert tuple(o[1] for o in offices) + regional == seed_names.OFFICE_NAMES
    assert tuple(s[1] for s in services) == seed_names.SERVICE_NAMES
    assert tuple(i[2] for i in indicators) == seed_names.INDICATOR_NAMES


def test_seeded_names_are_spanish_and_staff_names_as_entered():
    Service.objects.create(
        name="Robotics camp",
        slug="robotics-camp",
        category="design",
        pricing="free",
        availability="active",
        description="A week of robots.",
    )
    client = spanish()
    home = client.get(reverse("home")).text
    assert "Noreste" in home and "Internacional/Global" in home and "Northeast" not in home
    leadership = client.get(reverse("governance:leadership")).text
    assert "Vicepresidencia de Eventos" in leadership
    assert "Medio Oeste" in leadership
    midwest = client.get(reverse("governance:office_detail", args=["regional-chair-midwest"]))
    assert "Presidencia del Comité Regional, Medio Oeste" in midwest.text
    catalog = client.get(reverse("members:catalogue")).text
    assert "Análisis de datos personalizado" in catalog and "Robotics camp" in catalog
    indicators = client.get(reverse("measurement:indicator_list")).text
    assert "Organizaciones socias" in indicators and "Partner organisations" not in indicators
    english = Client().get(reverse("governance:leadership")).text
    assert "Vice Chair of Events" in english


def test_a_renamed_region_shows_its_new_name_in_spanish():
    Region.objects.filter(name="West").update(name="Pacific West")
    home = spanish().get(reverse("home")).text
    assert "Pacific West" in home


def test_invoice_lines_are_written_in_the_readers_language(ecosystem, lead):
    from members.billing.services.invoices import LineSpec, invoice_add_line
    from members.models import InvoiceLine

    invoice = open_dues_invoice(ecosystem)
    invoice_add_line(
        acting_user=None,
        invoice=invoice,
        line=LineSpec(InvoiceLine.Kind.ADJUSTMENT, "Late fee agreed with Ana", 5_000),
    )
    client = spanish()
    client.force_login(lead)
    page = client.get(invoice.get_absolute_url()).text
    year = invoice.membership_year.year
    assert f"Cuotas de membresía de SLECoP {year}" in page
    assert f"SLECoP membership dues {year}" not in page
    assert "Late fee agreed with Ana" in page  # written by staff: as entered
