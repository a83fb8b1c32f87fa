from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from members.permissions import ecosystem_view
from slecop.cache import cache_key, version
from slecop.csv_export import csv_response
from slecop.errors import DomainError
from slecop.web import add_error_to_form, post_data

from . import selectors, services
from .ballots import BALLOTS
from .forms import BallotForm, NominationForm, ReceiptCheckForm
from .models import Contest, Election

ELECTIONS_PER_PAGE = 20
RECEIPTS_PER_PAGE = 200


def _election(slug: str) -> Election:
    return get_object_or_404(selectors.public_elections(), slug=slug)


def _certified(slug: str) -> Election:
    election = _election(slug)
    if not election.is_certified:
        raise Http404(_("The results are published once the election is certified."))
    return election


def election_list(request):
    page = Paginator(selectors.public_elections(), ELECTIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "elections/election_list.html", {"page_obj": page})


def election_detail(request, slug: str):
    election = _election(slug)
    mine = (
        selectors.user_ecosystems_status(election=election, user=request.user)
        if request.user.is_authenticated
        else []
    )
    nominations = (
        selectors.ecosystems_nominations(
            election=election, ecosystems=[eco for eco, status in mine if status.is_lead]
        )
        if election.phase in (Election.Phase.NOMINATIONS, Election.Phase.VOTING) and mine
        else []
    )
    return render(
        request,
        "elections/election_detail.html",
        {
            "election": election,
            "contests": selectors.election_contests(election),
            "my_ecosystems": mine,
            "nominations": nominations,
        },
    )


@never_cache
@ecosystem_view("view")
def ballot(request, slug: str, ecosystem):
    """The ecosystem's ballot: choose, review, cast. The receipt is shown once, in the
    response to the cast (it is stored nowhere that names the ecosystem)."""
    election, facts = selectors.election_for_voter(slug, ecosystem)
    data = post_data(request)
    status = selectors.eligibility(
        election=election,
        ecosystem=ecosystem,
        user=request.user,
        access=request.ecosystem_access,
        facts=facts,
    )
    if not status.can_vote:
        return render(
            request,
            "elections/cannot_vote.html",
            {"election": election, "ecosystem": ecosystem, "status": status},
            status=403,
        )
    refused = fields_key = None
    if data is not None:
        form = BallotForm(data, contests=status.contests)
        problem = form.tampering(data)
        if problem:  # refused whole, nothing stored: the ballot again, empty, with why
            refused = _(
                "This ballot was not sent as the ballot form sends it: %(problem)s. Nothing "
                "was recorded. Fill in the ballot again."
            ) % {"problem": problem}
            data = None
    if data is None:
        # the empty ballot's fields are the same for every ecosystem of the region: kept
        # as a `{% cache %}` fragment (no CSRF token in it) until a contest, candidate or
        # office changes (`ballots`); the form is built only when it is drawn
        form = SimpleLazyObject(lambda: BallotForm(None, contests=status.contests))
        fields_key = cache_key("ballot-fields", (election.pk, facts[1], version(BALLOTS)))
    context = {
        "election": election,
        "ecosystem": ecosystem,
        "form": form,
        "status": status,
        "refused": refused,
        "fields_key": fields_key,
    }
    if refused:
        return render(request, "elections/ballot.html", context, status=400)
    step = request.POST.get("step")
    if request.method == "POST" and form.is_valid() and step in ("review", "cast"):
        if step == "review":
            return render(request, "elections/ballot_review.html", context)
        try:
            receipt = services.ballot_cast(
                acting_user=request.user,
                election=election,
                ecosystem=ecosystem,
                choices=form.choices,
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
            return render(request, "elections/ballot.html", context, status=exc.http_status)
        return render(
            request,
            "elections/receipt.html",
            {"election": election, "ecosystem": ecosystem, "receipt": receipt},
        )
    return render(request, "elections/ballot.html", context)


@ecosystem_view("act")
def nominate(request, slug: str, ecosystem):
    election = _election(slug)
    if not election.accepts_nominations:
        messages.error(request, _("Nominations for this election are not open."))
        return redirect(election)
    contests = election.contests.select_related("office").filter(
        Q(office__region__isnull=True) | Q(office__region=ecosystem.region_id)
    )
    form = NominationForm(
        post_data(request),
        contests=contests.order_by("order", "pk"),
        initial={"nominee_email": request.user.email},
    )
    if request.method == "POST" and form.is_valid():
        try:
            nomination = services.nomination_create(
                acting_user=request.user,
                ecosystem=ecosystem,
                contest=form.cleaned_data["contest"],
                nominee=form.cleaned_data["nominee"],
                statement=form.cleaned_data["statement"],
                nominee_ecosystem=form.cleaned_data["nominee_ecosystem"],
            )
        except DomainError as exc:
            add_error_to_form(form, exc)
        else:
            messages.success(
                request,
                _("%(person)s is nominated for %(office)s. %(next)s")
                % {
                    "person": nomination.nominee,
                    "office": nomination.contest.office,
                    "next": _("The Stewardship team reviews the slate.")
                    if nomination.status == nomination.Status.ACCEPTED
                    else _("We emailed them a link to accept or decline."),
                },
            )
            return redirect(election)
    return render(
        request,
        "elections/nominate.html",
        {"election": election, "ecosystem": ecosystem, "form": form},
    )


def nomination_respond(request, token: str):
    nomination = services.nomination_from_token(token)
    if request.method == "POST":
        answer = request.POST.get("answer")
        if answer not in ("accept", "decline"):
            messages.error(request, _("Choose to accept or decline."))
        else:
            try:
                services.nomination_respond(
                    nomination=nomination,
                    accept=answer == "accept",
                    acting_user=request.user if request.user.is_authenticated else None,
                )
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("Thank you: you accepted the nomination.")
                    if answer == "accept"
                    else _("You declined the nomination."),
                )
            return redirect(request.path)
    return render(request, "elections/nomination_respond.html", {"nomination": nomination})


def results(request, slug: str):
    election = _certified(slug)
    return render(
        request,
        "elections/results.html",
        {
            "election": election,
            "results": selectors.contest_results(election),
            "turnout": selectors.turnout_by_region(election),
            "min_ballots": selectors.MIN_BALLOTS_TO_PUBLISH,
        },
    )


@never_cache
def receipts(request, slug: str):
    """Anyone can check a receipt code was counted; the full list is published too. The
    code is checked by POST and the answer is this POST's response: a code never travels
    in a URL (access logs, browser history, a Referer header)."""
    election = _election(slug)
    if election.phase not in (Election.Phase.CLOSED, Election.Phase.CERTIFIED):
        raise Http404(_("Receipts are published when voting closes."))
    form = ReceiptCheckForm(post_data(request))
    found = None
    if form.is_bound and form.is_valid():
        found = selectors.receipt_counted(election=election, code=form.cleaned_data["code"])
    page = Paginator(selectors.counted_receipts(election), RECEIPTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "elections/receipts.html",
        {"election": election, "form": form, "found": found, "page_obj": page},
    )


def _result_rows(r: selectors.ContestResult):
    """The rows of one contest in results.csv: every round's counts, or, for a contest
    with fewer than MIN_BALLOTS_TO_PUBLISH ballots, its winners only."""
    office, method = r.contest.office.name, r.contest.method
    if not r.in_full:
        for name in r.winners:
            yield [office, method, "", name, "", "", "elected"]
        return
    winners = {str(w) for w in r.result["winners"]}
    for round_ in r.result.get("rounds") or [
        {"number": 1, "counts": r.result.get("counts", {}), "exhausted": r.result["blank"]}
    ]:
        for key, votes in round_["counts"].items():
            outcome = ""
            if str(round_.get("eliminated")) == key:
                outcome = "eliminated (by lot)" if round_.get("by_lot") else "eliminated"
            if key in winners and (
                round_.get("elected") is not None or method == Contest.Method.PLURALITY
            ):
                outcome = "elected"
            yield [
                office,
                method,
                round_["number"],
                r.names.get(key, "?"),
                votes,
                round_["exhausted"],
                outcome,
            ]


def results_csv(request, slug: str):
    election = _certified(slug)
    header = ["office", "method", "round", "candidate", "votes", "exhausted", "outcome"]
    rows = (row for r in selectors.contest_results(election) for row in _result_rows(r))
    return csv_response(f"{election.slug}-results.csv", header, rows)


def contest_ballots_csv(request, slug: str, contest: int):
    """One contest's counted ballots, shuffled afresh on every download: one row per
    ballot, the candidates in order of preference. Never a row across contests; only for
    a contest with MIN_BALLOTS_TO_PUBLISH ballots or more."""
    election = _certified(slug)
    r = selectors.published_contest(election, contest)
    header = [_("Choices (first preference first)")]
    rows = (
        [" > ".join(r.names.get(str(pk), "?") for pk in choices)]
        for choices in selectors.contest_ballots(r.contest)
    )
    return csv_response(f"{election.slug}-{r.contest.office.slug}-ballots.csv", header, rows)
