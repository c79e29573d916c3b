"""The workbench pages: the alerts and quick actions on the home page, an alert's items, the notification inbox
and its settings, and the notices (通知公告) with their read receipts."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import notices as notice_rules
from . import notifications as notification_rules
from .forms_workbench import NoticeForm, NotificationPreferenceForm
from .models import Notice, NoticeAttachment, Notification
from .roles import may_publish_notices
from .workbench import alert_source, alerts_for, key_figures_for, quick_actions_for

PAGE_SIZE = 50


def workbench_context(request) -> dict:
    """What the home page shows above the user's places: what needs their action (each kind counted, linked to
    its list), their key figures with status, and the quick actions their role may take."""
    today = timezone.localdate()
    alerts = alerts_for(request.user, today)
    for alert in alerts:
        alert.url = alert.source.list_url(request.user)
    return {
        "alerts": alerts,
        "todo_count": sum(a.count for a in alerts),
        "key_figures": key_figures_for(request.user, today),
        "quick_actions": quick_actions_for(request.user),
        "today": today,
    }


@login_required
def alert_list(request, code):
    """The items of one alert kind for this user (for kinds without a list page of their own)."""
    try:
        source = alert_source(code)
    except KeyError:
        raise Http404 from None
    if not source.applies(request.user):
        raise Http404
    items = list(source.items(request.user, timezone.localdate()))
    return render(
        request,
        "network/alert_list.html",
        {"title": source.label, "source": source, "items": items},
    )


@login_required
def notification_list(request):
    """The user's inbox: open notifications (their alert still stands) first; ``?all=1`` also the resolved ones."""
    notification_rules.notifications_sync_user(user=request.user, today=timezone.localdate())
    show_all = request.GET.get("all") == "1"
    qs = Notification.objects.filter(user=request.user) if show_all else Notification.objects.open_for(request.user)
    qs = qs.order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")  # unread first
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/notification_list.html",
        {
            "title": _("Notifications"),
            "page_obj": page,
            "notifications": page.object_list,
            "is_paginated": page.has_other_pages(),
            "paginator": page.paginator,
            "querystring": "all=1" if show_all else "",
            "show_all": show_all,
        },
    )


@login_required
def notification_open(request, pk):
    """Opens the record behind one of the user's own notifications, marking it read."""
    notification = get_object_or_404(Notification, pk=pk, user=request.user)
    notification_rules.notification_mark_read(user=request.user, notification_ids=[notification.pk])
    url = notification.url
    if not url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        url = reverse("network:notification_list")
    return HttpResponseRedirect(url)


@require_POST
@login_required
def notification_read(request):
    """Marks the user's own notifications read: the ones posted as ``id``, or all open ones."""
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()] or None
    count = notification_rules.notification_mark_read(user=request.user, notification_ids=ids)
    messages.success(request, _("%(n)s notifications marked read.") % {"n": count})
    return HttpResponseRedirect(reverse("network:notification_list"))


@login_required
def profile(request):
    """The user's own settings: the optional daily e-mail digest of notifications (and unsubscribing from it)."""
    preference = notification_rules.notification_preference_get(request.user)
    form = NotificationPreferenceForm(
        request.POST if request.method == "POST" else None, initial={"email_digest": preference.email_digest}
    )
    if request.method == "POST" and form.is_valid():
        notification_rules.notification_preference_save(
            user=request.user, email_digest=form.cleaned_data["email_digest"]
        )
        messages.success(request, _("Saved."))
        return HttpResponseRedirect(reverse("network:profile"))
    return render(
        request,
        "network/profile.html",
        {"title": _("My settings"), "form": form, "has_email": bool(request.user.email)},
    )


# --- Notices (通知公告) ---------------------------------------------------------------------------------------------


@login_required
def notice_list(request):
    """The notices addressed to the user (``?unread=1``: not yet read) and those of the area they publish for."""
    qs = notice_rules.notices_visible(request.user).select_related("place", "published_by")
    unread_only = request.GET.get("unread") == "1"
    if unread_only:
        qs = qs.filter(receipts__user=request.user, receipts__read_at__isnull=True)
    page = Paginator(qs.order_by("-published_at", "-id"), PAGE_SIZE).get_page(request.GET.get("page"))
    unread = set(
        request.user.notice_receipts.filter(read_at__isnull=True, notice__in=page.object_list).values_list(
            "notice_id", flat=True
        )
    )
    return render(
        request,
        "network/notice_list.html",
        {
            "title": _("Notices"),
            "page_obj": page,
            "notices": page.object_list,
            "unread": unread,
            "unread_only": unread_only,
            "is_paginated": page.has_other_pages(),
            "paginator": page.paginator,
            "querystring": "unread=1" if unread_only else "",
            "can_publish": may_publish_notices(request.user),
        },
    )


@login_required
def notice_create(request):
    if not may_publish_notices(request.user):
        raise PermissionDenied(_("Only the city centre and county officers publish notices."))
    form = NoticeForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notice = notice_rules.notice_publish(
                user=request.user,
                title=data["title"],
                body=data["body"],
                place=data["place"],
                levels=data["levels"],
                audience=data["audience"],
                files=data["attachments"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Published to %(n)s users.") % {"n": notice.receipts.count()})
            return HttpResponseRedirect(notice.get_absolute_url())
    return render(
        request,
        "network/notice_form.html",
        {"title": _("Publish a notice"), "form": form},
    )


def _visible_notice(request, pk) -> Notice:
    return get_object_or_404(notice_rules.notices_visible(request.user).select_related("place", "published_by"), pk=pk)


@login_required
def notice_detail(request, pk):
    """A notice; opening it records the addressed user's read receipt."""
    notice = _visible_notice(request, pk)
    notice_rules.notice_mark_read(user=request.user, notice=notice)
    return render(
        request,
        "network/notice_detail.html",
        {
            "title": notice.title,
            "notice": notice,
            "attachments": notice.attachments.all(),
            "audience": notice.audience.order_by("code"),
            "can_see_receipts": notice_rules.notice_may_see_receipts(request.user, notice),
        },
    )


@login_required
def notice_receipts(request, pk):
    """Who has read the notice and who has not: for the publishing side only (an addressee gets 403)."""
    notice = _visible_notice(request, pk)
    if not notice_rules.notice_may_see_receipts(request.user, notice):
        raise PermissionDenied(_("Only those who publish for the notice's area see its read receipts."))
    read, unread = notice_rules.notice_receipts(notice)
    return render(
        request,
        "network/notice_receipts.html",
        {"title": _("Read receipts: %(t)s") % {"t": notice.title}, "notice": notice, "read": read, "unread": unread},
    )


@login_required
def notice_attachment(request, pk):
    """An attachment, only to those who may see its notice."""
    attachment = get_object_or_404(NoticeAttachment, pk=pk)
    _visible_notice(request, attachment.notice_id)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=Path(attachment.name).name)
