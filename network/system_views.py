"""系统管理 for the city administrator: account actions (password, lock, active), the operation log, the login log
and the scheduled jobs. Every page here is the city administrator's only (403 for anyone else)."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import CharField, F, Value
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from liuzhou_social.exports import xlsx_response

from . import beat, oplog, services
from .models import Place, User
from .views import city_admin_required

PAGE_SIZE = 50
DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def _page(request, rows):
    paginator = Paginator(rows, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return paginator, page, query.urlencode()


# --- account actions --------------------------------------------------------------------------------


@city_admin_required
def account_password(request, pk):
    """Set a new password for an account (the owner signs in with it and may change it)."""
    account = get_object_or_404(User, pk=pk)
    form = SetPasswordForm(account, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_set_password(user=account, password=form.cleaned_data["new_password1"], by=request.user)
        except ValidationError as exc:
            form.add_error("new_password1", exc)
        else:
            messages.success(request, _("The password of %(u)s has been reset.") % {"u": account.username})
            return redirect("network:user_edit", account.pk)
    return render(
        request,
        "network/account_password.html",
        {"form": form, "account": account, "title": _("Reset password") + f" · {account.username}"},
    )


@city_admin_required
@require_POST
def account_unlock(request, pk):
    """Lift the login lockout of an account (django-axes' reset)."""
    account = get_object_or_404(User, pk=pk)
    cleared = services.user_unlock(user=account, by=request.user)
    messages.success(
        request,
        _("%(u)s may sign in again (%(n)s failed attempts cleared).") % {"u": account.username, "n": cleared},
    )
    return redirect("network:user_edit", account.pk)


@city_admin_required
@require_POST
def account_active(request, pk):
    """Deactivate an account, or activate it again (``active`` = 1 or 0)."""
    account = get_object_or_404(User, pk=pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(user=account, active=active, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            (_("%(u)s is active again.") if active else _("%(u)s is deactivated and can no longer sign in."))
            % {"u": account.username},
        )
    return redirect("network:user_edit", account.pk)


# --- operation log ----------------------------------------------------------------------------------


class OperationLogFilterForm(forms.Form):
    user = forms.ModelChoiceField(
        label=gettext_lazy("User"), queryset=User.objects.order_by("username"), required=False
    )
    place = forms.ModelChoiceField(
        label=gettext_lazy("Place"),
        queryset=Place.objects.filter(level__in=["city", "county", "township"]).order_by("code"),
        required=False,
        to_field_name="code",
    )
    model = forms.ChoiceField(label=gettext_lazy("Kind of record"), required=False)
    date_from = forms.DateField(widget=DATE_INPUT, label=gettext_lazy("From"), required=False)
    date_to = forms.DateField(widget=DATE_INPUT, label=gettext_lazy("To"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All kinds")), *sorted(oplog.model_choices(), key=lambda c: c[1])]

    def operation_filter(self) -> oplog.OperationFilter:
        d = self.cleaned_data if self.is_valid() else {}
        return oplog.OperationFilter(
            user_id=d["user"].pk if d.get("user") else None,
            place_code=d["place"].code if d.get("place") else None,
            model=d.get("model") or None,
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
        )


OPERATION_HEADERS = [
    gettext_lazy("When"),
    gettext_lazy("User"),
    gettext_lazy("Address"),
    gettext_lazy("Action"),
    gettext_lazy("Kind of record"),
    gettext_lazy("Record"),
    gettext_lazy("Fields changed"),
    gettext_lazy("Note"),
]


def _operation_row(op: oplog.Operation) -> list:
    who = op.user.get_full_name() or op.user.username if op.user else _("system")
    when = timezone.localtime(op.when).strftime("%Y-%m-%d %H:%M:%S")
    return [when, who, op.address, op.kind, op.model_name, op.object_label, op.changes, op.reason]


@city_admin_required
def operation_log(request):
    """操作日志: who changed what, when and from which address, across every app (the change histories)."""
    form = OperationLogFilterForm(request.GET or None)
    rows = oplog.operations(form.operation_filter())
    if request.GET.get("export") == "xlsx":

        def chunks():
            batch = []
            for r in rows.iterator(chunk_size=2000):
                batch.append(r)
                if len(batch) == 500:
                    yield from (_operation_row(op) for op in oplog.describe(batch))
                    batch = []
            yield from (_operation_row(op) for op in oplog.describe(batch))

        return xlsx_response("operation-log.xlsx", [str(h) for h in OPERATION_HEADERS], chunks())
    paginator, page, querystring = _page(request, rows)
    return render(
        request,
        "network/operation_log.html",
        {
            "title": _("Operation log"),
            "form": form,
            "operations": oplog.describe(page.object_list),
            "page_obj": page,
            "paginator": paginator,
            "is_paginated": paginator.num_pages > 1,
            "querystring": querystring,
        },
    )


# --- login log --------------------------------------------------------------------------------------

LOGIN_KINDS = {
    "login": gettext_lazy("Signed in"),
    "failed": gettext_lazy("Failed sign-in"),
    "locked": gettext_lazy("Locked out"),
}


class LoginLogFilterForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("Username"), required=False, max_length=150)
    address = forms.GenericIPAddressField(label=gettext_lazy("Address"), required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Event"), required=False, choices=[("", gettext_lazy("All events")), *LOGIN_KINDS.items()]
    )
    date_from = forms.DateField(widget=DATE_INPUT, label=gettext_lazy("From"), required=False)
    date_to = forms.DateField(widget=DATE_INPUT, label=gettext_lazy("To"), required=False)


def login_events(data: dict):
    """Sign-ins (axes' access log) and failed sign-ins with lockouts (axes' failure log), newest first."""
    from axes.models import AccessFailureLog, AccessLog

    fields = ("ev_when", "ev_user", "ev_address", "ev_kind", "ev_agent", "ev_logout")
    ok = AccessLog.objects.annotate(
        ev_when=F("attempt_time"),
        ev_user=F("username"),
        ev_address=F("ip_address"),
        ev_kind=Value("login", output_field=CharField()),
        ev_agent=F("user_agent"),
        ev_logout=F("logout_time"),
    )
    failed = AccessFailureLog.objects.annotate(
        ev_when=F("attempt_time"),
        ev_user=F("username"),
        ev_address=F("ip_address"),
        ev_kind=Value("failed", output_field=CharField()),
        ev_agent=F("user_agent"),
        ev_logout=Value(None, output_field=AccessLog._meta.get_field("logout_time")),
    )
    locked = failed.filter(locked_out=True).annotate(ev_kind=Value("locked", output_field=CharField()))
    failed = failed.filter(locked_out=False)
    parts = {"login": ok, "failed": failed, "locked": locked}
    if data.get("kind"):
        parts = {data["kind"]: parts[data["kind"]]}
    chosen = []
    for qs in parts.values():
        if data.get("username"):
            qs = qs.filter(username__iexact=data["username"])
        if data.get("address"):
            qs = qs.filter(ip_address=data["address"])
        if data.get("date_from"):
            qs = qs.filter(attempt_time__gte=timezone.make_aware(datetime.combine(data["date_from"], time.min)))
        if data.get("date_to"):
            qs = qs.filter(attempt_time__lte=timezone.make_aware(datetime.combine(data["date_to"], time.max)))
        chosen.append(qs.order_by().values(*fields))
    first, rest = chosen[0], chosen[1:]
    return (first.union(*rest, all=True) if rest else first).order_by("-ev_when")


LOGIN_HEADERS = [
    gettext_lazy("When"),
    gettext_lazy("Username"),
    gettext_lazy("Address"),
    gettext_lazy("Event"),
    gettext_lazy("Signed out"),
    gettext_lazy("Browser"),
]


def _login_row(e: dict) -> list:
    fmt = "%Y-%m-%d %H:%M:%S"
    return [
        timezone.localtime(e["ev_when"]).strftime(fmt),
        e["ev_user"] or "",
        e["ev_address"] or "",
        str(LOGIN_KINDS[e["ev_kind"]]),
        timezone.localtime(e["ev_logout"]).strftime(fmt) if e["ev_logout"] else "",
        "" if e["ev_agent"] in (None, "<unknown>") else e["ev_agent"],
    ]


@city_admin_required
def login_log(request):
    """登录日志: sign-ins, failed attempts and lockouts, with the address and browser."""
    form = LoginLogFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    events = login_events(data)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            "login-log.xlsx", [str(h) for h in LOGIN_HEADERS], (_login_row(e) for e in events.iterator())
        )
    paginator, page, querystring = _page(request, events)
    locked_now = services.user_lock_state(
        User.objects.values_list("username", flat=True).filter(username__in={e["ev_user"] for e in page.object_list})
    )
    accounts = dict(User.objects.filter(username__in=locked_now).values_list("username", "pk"))
    return render(
        request,
        "network/login_log.html",
        {
            "title": _("Login log"),
            "form": form,
            "headers": LOGIN_HEADERS,
            "events": [(_login_row(e), e) for e in page.object_list],
            "locked_now": {u: accounts.get(u) for u, s in locked_now.items() if s["locked"]},
            "page_obj": page,
            "paginator": paginator,
            "is_paginated": paginator.num_pages > 1,
            "querystring": querystring,
            "limit": settings.AXES_FAILURE_LIMIT,
        },
    )


# --- scheduled jobs ---------------------------------------------------------------------------------


@city_admin_required
def scheduled_jobs(request):
    """The beat schedule: each job, when it runs, and its last run with the outcome."""
    return render(request, "network/scheduled_jobs.html", {"title": _("Scheduled jobs"), "jobs": beat.schedule()})
