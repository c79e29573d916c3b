"""Notices (通知公告): the city centre publishes for the city, a county for its own area, to the users of the chosen
levels in the chosen places; each addressed user has a read receipt. Writes and reads of notices, in one place."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from liuzhou_social.validators import upload_type

from .choices import PlaceLevel
from .models import Notice, NoticeAttachment, NoticeReceipt, Place, User
from .roles import may_publish_notices, may_use_pages
from .scope import CHANGE
from .selectors import user_home_places

# The levels a notice may address, from the level of the place that publishes it: the city addresses the city,
# county and township levels; a county its own county level and its townships.
ADDRESSABLE_LEVELS = {
    PlaceLevel.CITY: (PlaceLevel.CITY, PlaceLevel.COUNTY, PlaceLevel.TOWNSHIP),
    PlaceLevel.COUNTY: (PlaceLevel.COUNTY, PlaceLevel.TOWNSHIP),
}
ATTACHMENT_TYPES = (".pdf", ".docx", ".xlsx", ".jpg", ".jpeg", ".png")
MAX_ATTACHMENTS = 5


def notice_publishing_places(user):
    """The places whose area the user may publish for: the city or county-level units inside their change scope."""
    if not may_publish_notices(user):
        return Place.objects.none()
    return Place.objects.restrict(user, CHANGE).filter(level__in=list(ADDRESSABLE_LEVELS)).order_by("code")


def notice_audience_choices(user):
    """The places a notice may be narrowed to: county-level units and townships the user may change."""
    return (
        Place.objects.restrict(user, CHANGE)
        .filter(level__in=[PlaceLevel.COUNTY, PlaceLevel.TOWNSHIP])
        .select_related("parent")
        .order_by("code")
    )


def notices_visible(user):
    """The notices addressed to the user, and those published for an area the user may change (the publishing
    side reads its own notices and their receipts)."""
    return Notice.objects.filter(
        Q(receipts__user=user) | Q(pk__in=Notice.objects.restrict(user, CHANGE).values("pk"))
    ).distinct()


def notice_may_see_receipts(user, notice) -> bool:
    return may_publish_notices(user) and Notice.objects.restrict(user, CHANGE).filter(pk=notice.pk).exists()


def attachment_problem(upload) -> str | None:
    """The portal's upload checks for an attachment: an accepted type by its first bytes, not only its name, and
    no larger than ``UPLOAD_MAX_BYTES``. The message names the file."""
    if upload.size > settings.UPLOAD_MAX_BYTES:
        return _("Attachment “%(name)s” is %(size)s MB; at most %(max)s MB may be uploaded.") % {
            "name": upload.name,
            "size": round(upload.size / 1048576, 1),
            "max": settings.UPLOAD_MAX_BYTES // 1048576,
        }
    if upload_type(upload, ATTACHMENT_TYPES) is None:
        return _(
            "Attachment “%(name)s” is not accepted: upload a PDF, Word, Excel, JPEG or PNG file whose content "
            "matches its type."
        ) % {"name": upload.name}
    return None


def notice_addressees(*, place: Place, levels, audience) -> list[User]:
    """The active users who use the pages and whose own places (the highest places they hold) are of one of the
    levels and inside the audience places (the whole area when none is chosen)."""
    prefixes = [p.prefix for p in audience] or [place.prefix]
    out = []
    for user in User.objects.filter(is_active=True).order_by("pk"):
        if not may_use_pages(user):
            continue
        for home in user_home_places(user):
            if home.level in levels and any(home.code.startswith(prefix) for prefix in prefixes):
                out.append(user)
                break
    return out


def notice_publish(*, user, title: str, body: str, place: Place, levels, audience, files=()) -> Notice:
    """Publishes a notice for ``place``'s area: only the city centre or a county for its own area (a county cannot
    address another county), only the levels below the publishing place, only places inside it."""
    if not may_publish_notices(user):
        raise PermissionDenied(_("Only the city centre and county officers publish notices."))
    if not notice_publishing_places(user).filter(pk=place.pk).exists():
        raise ValidationError({"place": _("You may publish notices only for your own area.")})
    allowed = ADDRESSABLE_LEVELS[place.level]
    levels = [level for level in levels if level]
    if not levels or any(level not in allowed for level in levels):
        raise ValidationError({"levels": _("Choose the levels the notice addresses, below the publishing place.")})
    audience = list(audience)
    permitted = set(notice_audience_choices(user).values_list("pk", flat=True))
    outside = [p for p in audience if not p.code.startswith(place.prefix) or p.pk not in permitted]
    if outside:
        raise ValidationError(
            {"audience": _("%(place)s lies outside the area the notice is published for.") % {"place": outside[0]}}
        )
    files = list(files)
    if len(files) > MAX_ATTACHMENTS:
        raise ValidationError({"attachments": _("At most %(n)s attachments.") % {"n": MAX_ATTACHMENTS}})
    for upload in files:
        problem = attachment_problem(upload)
        if problem:
            raise ValidationError({"attachments": problem})
    addressees = notice_addressees(place=place, levels=levels, audience=audience)
    with transaction.atomic():
        notice = Notice.objects.create(
            title=title, body=body, place=place, levels=levels, published_by=user, published_at=timezone.now()
        )
        notice.audience.set(audience)
        for upload in files:
            NoticeAttachment.objects.create(notice=notice, file=upload, name=upload.name[:200])
        NoticeReceipt.objects.bulk_create(
            [NoticeReceipt(notice=notice, user=u) for u in addressees if u.pk != user.pk], ignore_conflicts=True
        )
        # Check after write: the notice lies inside what the publisher may change.
        if not Notice.objects.restrict(user, CHANGE).filter(pk=notice.pk).exists():
            raise PermissionDenied(_("You may publish notices only for your own area."))
    return notice


def notice_mark_read(*, user, notice) -> bool:
    """Records that an addressed user read the notice (the first time only). False when not addressed or read."""
    return bool(
        NoticeReceipt.objects.filter(notice=notice, user=user, read_at__isnull=True).update(read_at=timezone.now())
    )


def notice_receipts(notice) -> tuple[list[NoticeReceipt], list[NoticeReceipt]]:
    """(read, not read) receipts of the notice, with their users."""
    receipts = list(notice.receipts.select_related("user").order_by("user__username"))
    return [r for r in receipts if r.read_at], [r for r in receipts if not r.read_at]
