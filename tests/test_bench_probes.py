"""The benchmark's floor and probe views (bench/bench_urls.py, mounted only by the bench
settings bench/load.py runs): what they answer is what the benchmark measures."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import Resolver404, resolve

from tests.factories import EcosystemFactory, make_lead

pytestmark = pytest.mark.django_db
BENCH = Path(__file__).resolve().parent.parent / "bench"


def _bench_urls():
    spec = importlib.util.spec_from_file_location("bench_urls", BENCH / "bench_urls.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_urls"] = module
    spec.loader.exec_module(module)
    return module


urls = _bench_urls()


def request_as(user):
    request = RequestFactory().get("/bench/")
    request.user = user
    return request


def test_the_floors_answer_a_constant():
    assert urls.bench_floor(request_as(AnonymousUser())).content == b"ok"
    assert urls.bench_floor_signed_in(request_as(AnonymousUser())).content == b"False"


def test_the_cached_page_probe_serves_a_lead_page_sized_body_to_the_signed_in_only():
    ecosystem = EcosystemFactory()
    lead = make_lead(ecosystem)
    assert urls.bench_probe_cached_page(request_as(AnonymousUser())).status_code == 403
    first = urls.bench_probe_cached_page(request_as(lead))
    again = urls.bench_probe_cached_page(request_as(lead))
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    assert len(first.content) >= urls.PROBE_BODY_BYTES - 13


def test_the_checked_probe_checks_the_ecosystem_access_as_every_ecosystem_page_does():
    ecosystem, other = EcosystemFactory(), EcosystemFactory()
    lead = make_lead(ecosystem)
    view = urls.bench_probe_cached_page_checked
    assert view(request_as(lead), ecosystem.slug).status_code == 200
    assert view(request_as(lead), other.slug).status_code == 403


@pytest.mark.parametrize("path", ["/bench/floor/", "/bench/probe/cached/"])
def test_the_production_url_configuration_has_no_bench_views(path):
    with pytest.raises(Resolver404):
        resolve(path, urlconf="slecop.urls")
    assert resolve(path, urlconf=urls)
