"""Personal identifiers at rest (PIPL Art. 51): authenticated encryption and a keyed hash.

An ID number is stored twice, and never in clear:

* **encrypted** with Fernet (AES-128-CBC with HMAC-SHA256, from the ``cryptography`` package) under
  ``PERSONAL_DATA_KEYS``: a comma-separated list whose first key encrypts and whose every key decrypts
  (``MultiFernet``), so a key is rotated by putting a new one first, running
  ``manage.py personal_data_rotate`` (every row, history included, re-encrypted with the first key) and
  then removing the old one;
* as a **keyed hash** (HMAC-SHA256 under ``PERSONAL_DATA_HASH_KEY``) in a column of its own, which carries
  the uniqueness constraint and answers exact lookups (a search by the whole number, the existence check
  across counties, an import matching the people it already knows). Without the key the hash cannot be
  recomputed from a guessed number, so it is no shortcut to the plaintext.

The keys are read by the settings (``parse_encryption_keys`` / ``parse_hash_key`` refuse malformed values)
and by nothing else: this module asks ``django.conf.settings`` for them at use.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import hmac
import os

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

__all__ = [
    "InvalidToken",
    "decrypt",
    "encrypt",
    "generate_key",
    "is_current",
    "keyed_hash",
    "parse_encryption_keys",
    "parse_hash_key",
    "reencrypt",
]

KEY_BYTES = 32


def generate_key() -> str:
    """A new key in the form both settings take: 32 random bytes, URL-safe base64 (Fernet's format)."""
    return base64.urlsafe_b64encode(os.urandom(KEY_BYTES)).decode()


def _decode_key(name: str, raw: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(raw.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        key = b""
    if len(key) != KEY_BYTES:
        raise ValueError(
            f"{name}: {raw[:4]!r}… is not a key (32 random bytes in URL-safe base64, 44 characters; "
            "generate one with `python -m liuzhou_social.crypto`)"
        )
    return key


def parse_encryption_keys(raw: str | None, name: str = "PERSONAL_DATA_KEYS") -> tuple[str, ...]:
    """The encryption keys, newest first. Refuses an empty list, a malformed key and a repeated key."""
    if raw is None or not raw.strip():
        raise ValueError(
            f"{name} is not set: personal data is stored encrypted (see .env.example; "
            "generate a key with `python -m liuzhou_social.crypto`)"
        )
    keys = tuple(item.strip() for item in raw.split(","))
    for key in keys:
        _decode_key(name, key)
    if len(set(keys)) != len(keys):
        raise ValueError(f"{name} names the same key twice")
    return keys


def parse_hash_key(raw: str | None, encryption_keys=(), name: str = "PERSONAL_DATA_HASH_KEY") -> str:
    """The key of the keyed hash: its own key, never one of the encryption keys."""
    if raw is None or not raw.strip():
        raise ValueError(
            f"{name} is not set: ID numbers are looked up by a keyed hash (see .env.example; "
            "generate a key with `python -m liuzhou_social.crypto`)"
        )
    raw = raw.strip()
    _decode_key(name, raw)
    if raw in encryption_keys:
        raise ValueError(f"{name} must differ from every key of PERSONAL_DATA_KEYS")
    return raw


@functools.lru_cache(maxsize=8)
def _fernets(keys: tuple[str, ...]) -> tuple[MultiFernet, Fernet]:
    fernets = [Fernet(k.encode()) for k in keys]
    return MultiFernet(fernets), fernets[0]


@functools.lru_cache(maxsize=8)
def _hash_key(key: str) -> bytes:
    return _decode_key("PERSONAL_DATA_HASH_KEY", key)


def _settings_keys() -> tuple[MultiFernet, Fernet]:
    from django.conf import settings

    return _fernets(tuple(settings.PERSONAL_DATA_KEYS))


def encrypt(value: str) -> str:
    """The token of ``value`` under the newest key (a fresh random IV each time)."""
    return _settings_keys()[0].encrypt(value.encode()).decode("ascii")


def decrypt(token: str) -> str:
    """The plaintext of a token made under any configured key; ``InvalidToken`` when none fits."""
    return _settings_keys()[0].decrypt(token.encode("ascii")).decode()


def is_current(token: str) -> bool:
    """Whether ``token`` is already encrypted under the newest key (so rotation leaves it alone)."""
    try:
        _settings_keys()[1].decrypt(token.encode("ascii"))
    except InvalidToken:
        return False
    return True


def reencrypt(token: str) -> str:
    """The same plaintext under the newest key (``MultiFernet.rotate``)."""
    return _settings_keys()[0].rotate(token.encode("ascii")).decode("ascii")


def keyed_hash(value: str) -> str:
    """HMAC-SHA256 of ``value`` under ``PERSONAL_DATA_HASH_KEY``, 64 hex characters."""
    from django.conf import settings

    return hmac.new(_hash_key(settings.PERSONAL_DATA_HASH_KEY), value.encode(), hashlib.sha256).hexdigest()


if __name__ == "__main__":  # python -m liuzhou_social.crypto: lines for the service's environment file
    print(f"PERSONAL_DATA_KEYS={generate_key()}")
    print(f"PERSONAL_DATA_HASH_KEY={generate_key()}")
