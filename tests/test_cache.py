"""slecop.cache: versioned figures that stay correct after every kind of write, and the
pages that use them (home, directory, staff dues dashboard)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from members.billing.services.invoices import dues_invoices_open_bulk
from members.models import Ecosystem
from members.selectors import DIRECTORY_STATUSES
from slecop.cache import bump, invalidate_on, version, versioned
from tests.factories import EcosystemFactory, membership_year, open_dues_invoice, region
from tests.members.dues_helpers import record_check

pytestmark = pytest.mark.django_db


class Counter:
    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return self.calls


def test_a_value_is_computed_once_per_version_and_key():
    compute = Counter()
    assert versioned("test-ns", ("a", 1), compute) == 1
    assert versioned("test-ns", ("a", 1), compute) == 1
    assert versioned("test-ns", ("a", 2), compute) == 2  # other parts: another value
    bump("test-ns")
    assert versioned("test-ns", ("a", 1), compute) == 3
    assert compute.calls == 3


def test_bumping_one_namespace_leaves_the_others_cached():
    compute = Counter()
    versioned("kept", (), compute)
    bump("other")
    assert versioned("kept", (), compute) == 1


def test_the_language_is_part_of_the_key():
    with translation.override("en"):
        assert versioned("lang", (), lambda: "Region") == "Region"
    with translation.override("es"):
        assert versioned("lang", (), lambda: "Región") == "Región"
    with translation.override("en"):
        assert versioned("lang", (), lambda: "other") == "Region"


def test_a_bump_takes_effect_now_and_again_at_commit(django_capture_on_commit_callbacks):
    before = version("commit")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        bump("commit")
        during = version("commit")
    assert len(callbacks) == 1
    assert before != during != version("commit")


def test_saving_or_deleting_a_watched_model_bumps(db):
    invalidate_on("watched", Ecosystem)
    tokens = [version("watched")]
    ecosystem = EcosystemFactory()
    tokens.append(version("watched"))
    ecosystem.name = "Renamed"
    ecosystem.save()
    tokens.append(version("watched"))
    ecosystem.delete()
    tokens.append(version("watched"))
    assert len(set(tokens)) == 4


def test_the_directory_index_lists_the_directory_statuses():
    (index,) = [i for i in Ecosystem._meta.indexes if i.name == "ecosystem_directory_listed"]
    ((lookup, statuses),) = index.condition.children
    assert lookup == "status__in" and set(statuses) == set(DIRECTORY_STATUSES)


def _region_count(client, slug: str) -> int:
    regions = client.get(reverse("home")).context["regions"]
    return next(r.ecosystem_count for r in regions if r.slug == slug)


def test_home_counts_follow_new_and_changed_ecosystems(client):
    assert _region_count(client, "west") == 0
    ecosystem = EcosystemFactory(region=region("west"))
    assert _region_count(client, "west") == 1
    ecosystem.status = Ecosystem.Status.WITHDRAWN
    ecosystem.save()
    assert _region_count(client, "west") == 0
    # a bulk status change (renewals lapse ecosystems with QuerySet.update) bumps by hand
    EcosystemFactory(region=region("west"), status=Ecosystem.Status.ACTIVE)
    assert _region_count(client, "west") == 1
    Ecosystem.objects.filter(region=region("west")).update(status=Ecosystem.Status.WITHDRAWN)
    assert _region_count(client, "west") == 1  # what an unannounced bulk write leaves
    bump("directory")
    assert _region_count(client, "west") == 0


def test_directory_pages_match_the_plain_query_and_follow_changes(client):
    EcosystemFactory.create_batch(30)
    EcosystemFactory(name="Aaa First", status=Ecosystem.Status.PROSPECTIVE)  # not listed
    listed = list(Ecosystem.objects.filter(status__in=DIRECTORY_STATUSES).order_by("name", "pk"))
    url = reverse("members:directory")
    pages = [client.get(f"{url}?page={n}").context["page_obj"] for n in (1, 2)]
    assert [e.pk for p in pages for e in p.object_list] == [e.pk for e in listed]
    assert pages[0].paginator.count == 30 and pages[0].paginator.num_pages == 2
    newcomer = EcosystemFactory(name="Aaa Newcomer")
    first = client.get(url).context["page_obj"]
    assert first.paginator.count == 31 and first.object_list[0] == newcomer
    assert first.object_list[0].region.name  # rows come with their region


def test_a_warm_directory_page_skips_the_count(client, django_assert_num_queries):
    EcosystemFactory.create_batch(30)
    url = reverse("members:directory") + "?q=STEM&page=2"
    client.get(url)  # the count is now cached
    # regions for the search form, the page's ids, their rows
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200


def test_dues_dashboard_follows_payments_and_bulk_invoicing(client, staff_user, ecosystem):
    client.force_login(staff_user)
    staff_client = client
    invoice = open_dues_invoice(ecosystem)
    dashboard = lambda: staff_client.get(reverse("members:dues_dashboard")).context["board"]  # noqa: E731
    assert dashboard().total.outstanding == invoice.total_cents
    record_check(invoice, invoice.total_cents, "CHK-1")
    assert dashboard().total.outstanding == 0 and dashboard().total.n_paid == 1
    others = EcosystemFactory.create_batch(3)
    dues_invoices_open_bulk(
        acting_user=None,
        membership_year=membership_year(invoice.membership_year.year),
        ecosystem_ids=[e.pk for e in others],
    )
    assert dashboard().total.invoices == 4


# --- whole public pages for anonymous visitors ---------------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 60


def test_anonymous_pages_are_served_from_the_cache_until_their_rows_change(
    client, page_cache, django_assert_num_queries
):
    EcosystemFactory(name="Alpha STEM", region=region("west"))
    first = client.get(reverse("members:directory"))
    assert first.context is not None and "Alpha STEM" in first.content.decode()
    with django_assert_num_queries(0):
        again = client.get(reverse("members:directory"))
    assert again.content == first.content and again["Content-Type"].startswith("text/html")
    assert "Content-Security-Policy" in again  # the middleware still runs around it
    EcosystemFactory(name="Beta STEM")
    assert "Beta STEM" in client.get(reverse("members:directory")).content.decode()


def test_the_page_cache_keeps_languages_and_queries_apart(client, page_cache):
    EcosystemFactory(name="Alpha STEM", city="Tulsa")
    english = client.get(reverse("home")).content.decode()
    spanish = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert 'lang="en"' in english and 'lang="es"' in spanish
    url = reverse("members:directory")
    assert "Alpha STEM" in client.get(url + "?q=tulsa").content.decode()
    assert "Alpha STEM" not in client.get(url + "?q=nairobi").content.decode()


def test_signed_in_visitors_and_sessions_never_get_a_shared_page(client, page_cache):
    from tests.factories import make_lead

    ecosystem = EcosystemFactory()
    client.get(reverse("home"))  # cached for anonymous visitors
    client.force_login(make_lead(ecosystem))
    signed_in = client.get(reverse("home"))
    assert signed_in.context is not None  # rendered for this user
    assert "csrfmiddlewaretoken" in signed_in.content.decode()  # their sign-out form
    client.logout()
    client.cookies["sessionid"] = "anything"  # a session may hold flash messages
    assert client.get(reverse("home")).context is not None


def test_public_pages_carry_no_csrf_token_and_set_no_cookie(client, page_cache):
    for name in ("home", "members:directory", "resources:library"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" not in response.content.decode(), name
        assert not response.cookies, name


def test_the_language_switch_works_without_a_token(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("set_language"), {"language": "es", "next": "/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "es"
    strict.cookies.clear()
    assert "django_language" not in strict.get(reverse("set_language") + "?language=es").cookies


def test_the_dues_dashboard_figures_fragment_follows_a_payment(client, staff_user, ecosystem):
    client.force_login(staff_user)
    invoice = open_dues_invoice(ecosystem)

    def figures():  # the cached fragment: the totals and tables, after the year form
        html = client.get(reverse("members:dues_dashboard")).content.decode()
        return html.partition('<div class="grid">')[2]

    before = figures()
    assert before and figures() == before
    record_check(invoice, invoice.total_cents, "CHK-9")
    after = figures()
    assert after != before
    assert "3,000.00</span>paid" in after.replace("\n", "").replace("  ", "")
