"""Announcements: who publishes, who reads (members-only never leaks to anonymous
visitors or the feed), escaping, the home page, the dashboard panel and the digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from community import services
from community.models import Announcement
from governance.models import Office
from members.models import AuditEntry
from renewals.models import SentNotification
from slecop.errors import NotAllowed
from tests.community.factories import AnnouncementFactory
from tests.factories import UserFactory, make_in_good_standing

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"


@pytest.fixture
def news():
    return {
        "public": AnnouncementFactory(title="Fall convening registration open"),
        "members": AnnouncementFactory(
            title="Members-only: election timeline", visibility=Announcement.Visibility.MEMBERS
        ),
        "draft": AnnouncementFactory(title="Unpublished draft", published_at=None),
    }


def test_members_only_invisible_to_anonymous_and_in_feed(client, news):
    listing = client.get(reverse("community:announcement_list")).text
    assert "Fall convening registration open" in listing
    assert "Members-only: election timeline" not in listing
    assert "Unpublished draft" not in listing
    assert client.get(news["members"].get_absolute_url()).status_code == 404
    assert client.get(news["draft"].get_absolute_url()).status_code == 404
    home = client.get(reverse("home")).text
    assert "Fall convening registration open" in home
    assert "Members-only: election timeline" not in home
    feed = client.get(reverse("community:announcement_feed")).text
    assert "Fall convening registration open" in feed
    assert "Members-only" not in feed and "Unpublished" not in feed


def test_members_read_members_only(client, member, news):
    client.force_login(member)
    assert "Members-only: election timeline" in client.get(reverse("home")).text
    assert client.get(news["members"].get_absolute_url()).status_code == 200
    # the feed stays public even for a signed-in member (feed readers share URLs)
    assert "Members-only" not in client.get(reverse("community:announcement_feed")).text


def test_announcement_text_is_escaped(client):
    item = AnnouncementFactory(title=f"Title {SCRIPT}", body=f"Body {SCRIPT} and **bold**")
    page = client.get(item.get_absolute_url()).text
    assert SCRIPT not in page
    assert "Title &lt;script&gt;" in page
    assert "<strong>bold</strong>" in page


def test_who_may_publish(client, staff_user, lead):
    with pytest.raises(NotAllowed):
        services.announcement_create(acting_user=lead, title="Hi", body="Text")
    client.force_login(lead)
    assert client.get(reverse("community:announcement_create")).status_code == 403
    client.force_login(staff_user)
    response = client.post(
        reverse("community:announcement_create"),
        {"title": "Town hall series", "body": "Join us.", "visibility": "public", "publish": "on"},
    )
    assert response.status_code == 302
    item = Announcement.objects.get()
    assert item.published_at is not None and item.author == staff_user
    assert AuditEntry.objects.filter(action="community.announcement_published").count() == 1


def test_vice_chair_for_communications_may_publish():
    from governance.services import term_create

    person = UserFactory()
    term_create(  # seating them puts them in the office's group (governance.powers)
        acting_user=None,
        office=Office.objects.get(slug="vice-chair-communications"),
        person=person,
        start=timezone.localdate() - dt.timedelta(days=30),
        end=timezone.localdate() + dt.timedelta(days=300),
        how_filled="elected",
    )
    person = type(person).objects.get(pk=person.pk)  # permissions as a new request reads them
    item = services.announcement_create(
        acting_user=person, title="Advocacy update", body="Text", visibility="members"
    )
    assert item.published_at is not None


def test_dashboard_panel_constant_queries(client, lead, ecosystem, django_assert_max_num_queries):
    AnnouncementFactory(title="Dashboard news")
    client.force_login(lead)
    url = ecosystem.get_dashboard_url()
    response = client.get(url)
    assert response.status_code == 200
    assert "Dashboard news" in response.text
    cache.clear()  # both counts on the cold path: cached panels would hide a growth
    with django_assert_max_num_queries(60) as baseline:
        client.get(url)
    before = len(baseline.captured_queries)
    AnnouncementFactory.create_batch(10)
    cache.clear()
    with django_assert_max_num_queries(before):
        client.get(url)


def test_digest_goes_once_per_week_to_leads(
    django_capture_on_commit_callbacks, mailoutbox, lead, ecosystem
):
    make_in_good_standing(ecosystem)
    today = timezone.localdate()
    last_week = today - dt.timedelta(days=today.weekday() + 5)  # a Wednesday of last week
    AnnouncementFactory(
        title=f"Digest item {SCRIPT}",
        published_at=timezone.make_aware(dt.datetime.combine(last_week, dt.time(10))),
    )
    AnnouncementFactory(title="This week's item")  # goes in next week's digest
    with django_capture_on_commit_callbacks(execute=True):
        assert services.announcement_digest_send(on=today) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert services.announcement_digest_send(on=today) == 0  # idempotent
    assert SentNotification.objects.count() == 1
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [lead.email]
    assert ecosystem.name in email.subject
    html = email.alternatives[0][0]
    assert "Digest item" in html and "&lt;script&gt;" in html and SCRIPT not in html
    assert "This week's item" not in email.body


def test_partners_page_lists_seed_partners(client):
    page = client.get(reverse("community:partners")).text
    for name in ("NSTA", "Afterschool Alliance", "STEM Funders Network"):
        assert name in page


def test_list_pages_queries_constant(client, member, django_assert_max_num_queries):
    from tests.community.factories import ConsultationFactory, SurveyFactory, TownHallFactory

    client.force_login(member)
    urls = [
        reverse(name)
        for name in (
            "community:announcement_list",
            "community:consultation_list",
            "community:townhall_list",
            "community:survey_list",
            "community:partners",
            "home",
        )
    ]

    def counts():
        result = []
        for url in urls:
            cache.clear()  # the cold path each time: cached figures would hide a growth
            with django_assert_max_num_queries(30) as captured:
                assert client.get(url).status_code == 200, url
            result.append(len(captured.captured_queries))
        return result

    AnnouncementFactory()
    ConsultationFactory()
    TownHallFactory()
    SurveyFactory()
    before = counts()
    AnnouncementFactory.create_batch(5, visibility="members")
    ConsultationFactory.create_batch(3)
    TownHallFactory.create_batch(3)
    SurveyFactory.create_batch(3)
    assert counts() == before
