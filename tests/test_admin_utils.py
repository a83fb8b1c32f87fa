"""slecop.admin_utils.run_each: the body of every "apply a service to each selected row"
admin action (governance, community, convenings, elections, measurement, members)."""

from __future__ import annotations

from django.contrib import messages

from slecop.admin_utils import run_each
from slecop.errors import DomainError


class FakeAdmin:
    def __init__(self):
        self.sent = []

    def message_user(self, request, message, level):
        self.sent.append((str(message), level))


def refuse_odd(n: int) -> None:
    if n % 2:
        raise DomainError(f"{n} is odd")


def test_each_refusal_is_reported_and_the_others_still_run():
    admin, done = FakeAdmin(), []

    def action(n):
        refuse_odd(n)
        done.append(n)

    assert run_each(admin, None, [1, 2, 3, 4], action, "Evened") == 2
    assert done == [2, 4]
    assert admin.sent == [
        ("1: 1 is odd", messages.ERROR),
        ("3: 3 is odd", messages.ERROR),
        ("Evened: 2.", messages.SUCCESS),
    ]


def test_a_callable_words_the_success_and_the_refusal_level_is_chosen():
    admin = FakeAdmin()
    run_each(
        admin,
        None,
        [2, 3],
        refuse_odd,
        lambda n: f"Done ({n})",
        refused_level=messages.WARNING,
    )
    assert admin.sent == [("3: 3 is odd", messages.WARNING), ("Done (1)", messages.SUCCESS)]


def test_no_success_message_when_every_row_is_refused():
    admin = FakeAdmin()
    assert run_each(admin, None, [1], refuse_odd, "Evened") == 0
    assert admin.sent == [("1: 1 is odd", messages.ERROR)]
