"""Sealing ballot contents while voting is open: AES-256-GCM (`cryptography`) under
`BALLOT_SEALING_KEY`, a key that comes from the environment and is never stored in the
database.

A sealed ballot is `VERSION ‖ nonce (12 random bytes) ‖ ciphertext ‖ tag (16 bytes)`. The
plaintext is the ballot's JSON padded with spaces to the election's envelope size, so
every sealed ballot of an election has the same length whether it is blank or ranks
every candidate. The associated data binds it to its election and receipt: a sealed
ballot copied into another election or onto another receipt fails to open. (Fernet is
not used: its tokens carry their creation time in clear.)

The election remembers which key sealed it (`Election.sealing_key_id`, an HMAC of a fixed
label under the key — it says nothing about the key), so casting and closing refuse with
a clear message when the key in the environment is not the one voting opened with,
instead of failing on every ballot.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
from collections.abc import Mapping, Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.translation import gettext as _

from slecop.errors import Conflict

VERSION = b"\x01"
NONCE_BYTES = 12
KEY_BYTES = 32  # AES-256
ENVELOPE_STEP = 256  # envelope sizes are multiples of this many bytes
KEY_ID_LABEL = b"slecop ballot sealing key id v1"


class SealingUnavailable(Conflict):
    """No usable sealing key: voting cannot open, ballots cannot be sealed or opened."""

    code = "no_sealing_key"


class BrokenSeal(Conflict):
    """A sealed ballot failed its integrity check (altered, or sealed under another key)."""

    code = "broken_seal"


def decode_key(value: str) -> bytes:
    """The 32 key bytes of a base64 (standard or URL-safe) setting, or ValueError."""
    text = (value or "").strip()
    if not text:
        raise ValueError("BALLOT_SEALING_KEY is not set.")
    text = text.replace("-", "+").replace("_", "/")  # URL-safe alphabet too
    text += "=" * (-len(text) % 4)  # and without its padding
    try:
        raw = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ValueError("BALLOT_SEALING_KEY is not base64.") from exc
    if len(raw) != KEY_BYTES:
        raise ValueError(
            f"BALLOT_SEALING_KEY must encode {KEY_BYTES} bytes (AES-256); it encodes {len(raw)}."
        )
    return raw


def is_development_key(value: str) -> bool:
    try:
        return decode_key(value) == decode_key(settings.DEVELOPMENT_BALLOT_SEALING_KEY)
    except ValueError:
        return False


def current_key() -> bytes:
    """The key from the settings, or SealingUnavailable with what to do."""
    try:
        return decode_key(getattr(settings, "BALLOT_SEALING_KEY", ""))
    except ValueError as exc:
        raise SealingUnavailable(
            _(
                "Ballots cannot be sealed: %(problem)s Ask the site administrator to set "
                "BALLOT_SEALING_KEY (see README, Configuration)."
            )
            % {"problem": str(exc)}
        ) from exc


def key_id(key: bytes) -> str:
    """A short public name of `key` (HMAC-SHA256 of a fixed label, 16 hex digits)."""
    return hmac.new(key, KEY_ID_LABEL, hashlib.sha256).hexdigest()[:16]


def key_for(election) -> bytes:
    """The current key, if it is the one `election`'s voting opened with."""
    key = current_key()
    if not hmac.compare_digest(key_id(key), election.sealing_key_id or ""):
        raise SealingUnavailable(
            _(
                "The ballot sealing key is not the one voting in %(election)s opened with. "
                "Restore that key (BALLOT_SEALING_KEY) before casting or closing; change "
                "keys only between elections."
            )
            % {"election": election}
        )
    return key


def envelope_size(candidates: Mapping[int, Sequence[int]]) -> int:
    """The padded size of every ballot of an election whose contests have `candidates`
    ({contest id: candidate ids}): the longest possible ballot (every candidate of every
    contest, ranked) rounded up to a multiple of ENVELOPE_STEP."""
    longest = len(encode({cid: list(ids) for cid, ids in candidates.items()}))
    return max(ENVELOPE_STEP, -(-longest // ENVELOPE_STEP) * ENVELOPE_STEP)


def encode(contents: Mapping) -> bytes:
    return json.dumps(
        {str(k): list(v) for k, v in contents.items()}, separators=(",", ":"), sort_keys=True
    ).encode()


def _associated_data(election_id: int, receipt: str) -> bytes:
    return f"slecop ballot|{election_id}|{receipt}".encode()


def seal(key: bytes, *, election_id: int, receipt: str, contents: Mapping, size: int) -> bytes:
    """`contents` ({contest id: [candidate ids]}) sealed for `receipt` in the election."""
    plaintext = encode(contents)
    if len(plaintext) > size:
        size = -(-len(plaintext) // ENVELOPE_STEP) * ENVELOPE_STEP  # never truncate a vote
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(key).encrypt(
        nonce, plaintext.ljust(size, b" "), _associated_data(election_id, receipt)
    )
    return VERSION + nonce + sealed


def unseal(key: bytes, *, election_id: int, receipt: str, sealed: bytes) -> dict[str, list[int]]:
    """The contents of a sealed ballot, or BrokenSeal."""
    sealed = bytes(sealed)
    if sealed[:1] != VERSION or len(sealed) < 1 + NONCE_BYTES + 16:
        raise BrokenSeal(_("A sealed ballot is not in a format this portal wrote."))
    nonce, body = sealed[1 : 1 + NONCE_BYTES], sealed[1 + NONCE_BYTES :]
    try:
        plaintext = AESGCM(key).decrypt(nonce, body, _associated_data(election_id, receipt))
    except InvalidTag as exc:
        raise BrokenSeal(
            _(
                "A sealed ballot failed its integrity check: it was altered in the database "
                "or sealed under another key. Nothing was changed; tell the site "
                "administrator."
            )
        ) from exc
    return json.loads(plaintext)  # the padding is JSON whitespace


def self_test(key: bytes) -> None:
    """Seal and open a sample ballot (before voting opens): a key that cannot do both is
    refused then, not when the first lead casts."""
    sample = {"1": [2, 3]}
    sealed = seal(key, election_id=0, receipt="TEST", contents=sample, size=ENVELOPE_STEP)
    if unseal(key, election_id=0, receipt="TEST", sealed=sealed) != sample:
        raise SealingUnavailable(_("The ballot sealing key failed its self-test."))
