"""Model fields for personal identifiers stored encrypted, with a keyed hash to find them (PIPL Art. 51).

``EncryptedCharField`` holds the plaintext in Python and a Fernet token in the database
(``liuzhou_social.crypto``): forms, serializers, validators and templates see a plain ``CharField`` of
``max_length`` characters, the column is ``text``. ``KeyedHashField(source="id_number")`` beside it is
computed from the plaintext whenever a row is written (``save``, ``bulk_create``, simple-history's copies)
and carries the uniqueness constraint.

A token is random, so the database cannot compare one. The whole-value lookups are answered by the hash
instead: ``filter(id_number=number)`` and ``filter(id_number__in=numbers)`` compile to
``id_number_hash = HMAC(number)`` (``iexact``, the admin's ``=id_number`` search, hashes the upper-case
value; joins included: ``worker__id_number=…``), so forms, services, imports, the admin and the list pages'
exact search find a person by the whole number. Every other lookup (``icontains``, ``startswith``, ``gt`` …)
raises ``FieldError``: a search by part cannot be written, not even by mistake. ``QuerySet.update`` and
``bulk_update`` do not recompute the hash: code that changes the number in bulk must set the hash itself
(nothing in the portal does: the roster import's bulk update rewrites a worker's number only unchanged).
"""

from __future__ import annotations

from django.core.exceptions import FieldError
from django.db import models
from django.db.models.expressions import Col
from django.db.models.lookups import Lookup

from .crypto import decrypt, encrypt, keyed_hash


class EncryptedCharField(models.CharField):
    description = "Text stored encrypted (Fernet) in a text column"

    def db_type(self, connection):
        return "text"

    def cast_db_type(self, connection):
        return "text"

    def from_db_value(self, value, expression, connection):
        return decrypt(value) if value else value

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        return encrypt(value) if value else value

    def get_lookup(self, lookup_name):
        if lookup_name in HASHED_LOOKUPS:
            return HASHED_LOOKUPS[lookup_name]
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"{self.model.__name__}.{self.name} is stored encrypted: it is found by the whole value only "
            f"({', '.join(HASHED_LOOKUPS)}), not by '{lookup_name}'"
        )

    def get_transform(self, lookup_name):
        return None


class KeyedHashField(models.CharField):
    description = "HMAC-SHA256 of another field, for uniqueness and exact lookup"

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        return name, path, args, kwargs

    def pre_save(self, model_instance, add):
        plain = getattr(model_instance, self.source)
        value = keyed_hash(plain) if plain else None
        setattr(model_instance, self.attname, value)
        return value


def hash_field_of(model, name: str) -> KeyedHashField | None:
    """The keyed hash kept beside the encrypted field ``name`` of ``model``."""
    return next((f for f in model._meta.concrete_fields if isinstance(f, KeyedHashField) and f.source == name), None)


class _HashedLookup(Lookup):
    """A whole-value lookup on an encrypted field, answered by the keyed hash column of the same row."""

    prepare_rhs = False

    def get_prep_lookup(self):
        values = self.rhs if isinstance(self.rhs, (list, tuple, set, frozenset)) else [self.rhs]
        if any(hasattr(v, "resolve_expression") for v in values):
            raise FieldError("an encrypted field is compared with given values only, not with a column or query")
        return self.rhs  # the plaintext: hashed in as_sql, never encrypted (a token never matches)

    def hash_column(self, compiler, connection):
        lhs = self.lhs
        if not isinstance(lhs, Col):
            raise FieldError("an encrypted field is looked up on its own column only")
        field = lhs.target
        digest = hash_field_of(field.model, field.name)
        if digest is None:
            raise FieldError(f"{field.model.__name__}.{field.name} has no keyed hash to be looked up by")
        return compiler.compile(Col(lhs.alias, digest))

    @staticmethod
    def digest(value) -> str:
        return keyed_hash(str(value))


class HashedExact(_HashedLookup):
    lookup_name = "exact"

    def as_sql(self, compiler, connection):
        sql, params = self.hash_column(compiler, connection)
        if self.rhs in (None, ""):
            return f"{sql} IS NULL", list(params)
        return f"{sql} = %s", [*params, self.digest(self.rhs)]


class HashedIn(_HashedLookup):
    lookup_name = "in"

    def as_sql(self, compiler, connection):
        sql, params = self.hash_column(compiler, connection)
        values = [self.digest(v) for v in self.rhs if v not in (None, "")]
        if not values:
            return "FALSE", []
        return f"{sql} IN ({', '.join(['%s'] * len(values))})", [*params, *values]


class HashedIExact(HashedExact):
    """The admin's ``=field`` search: the value in upper case, as ID numbers are stored (a lower-case x)."""

    lookup_name = "iexact"

    @staticmethod
    def digest(value) -> str:
        return keyed_hash(str(value).upper())


HASHED_LOOKUPS = {"exact": HashedExact, "iexact": HashedIExact, "in": HashedIn}
