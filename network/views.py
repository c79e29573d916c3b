"""Network pages: home per level, places, centres, accounts, rule settings, division import."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuzhou_social.columns import Column
from liuzhou_social.scoped_views import (ScopedCreateView, ScopedDetailView, ScopedListView,
                                         ScopedUpdateView)

from . import selectors, services
from .choices import JobStatus, PlaceLevel, Role
from .filtersets import CentreFilterSet, PlaceFilterSet, UserFilterSet
from .forms import CentreForm, DivisionImportForm, UserCreateForm
from .models import Centre, Place, User
from .rule_settings import PARAMETERS, rule_value


def city_admin_required(view):
    """Only city administrators (and superusers) may use the view; others get 403."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not (request.user.is_superuser or request.user.role == Role.CITY_ADMIN):
            raise PermissionDenied(_("Only city administrators may do this."))
        return view(request, *args, **kwargs)

    return wrapped


@login_required
def home(request):
    places = selectors.user_home_places(request.user)
    level = selectors.home_level(places)
    sections = []
    for place in places:
        if place.level in (PlaceLevel.CITY, PlaceLevel.COUNTY):
            sections.append({"place": place, "children": selectors.child_summaries(place)})
        else:
            sections.append({"place": place, "children": None})
    return render(request, "network/home.html", {"sections": sections, "level": level})


class PlaceListView(ScopedListView):
    model = Place
    filterset_class = PlaceFilterSet
    search_fields = ["name", "code"]
    export_name = "places"
    columns = [
        Column(gettext_lazy("Division code"), "code", link=True),
        Column(gettext_lazy("Name"), "name"),
        Column(gettext_lazy("Level"), "level"),
        Column(gettext_lazy("Kind"), "kind"),
        Column(gettext_lazy("Parent"), "parent__name"),
    ]

    def base_queryset(self):
        return Place.objects.select_related("parent")


class PlaceDetailView(ScopedDetailView):
    model = Place
    template_name = "network/place_detail.html"

    def base_queryset(self):
        return Place.objects.select_related("parent")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["children"] = Place.objects.restrict(self.request.user).filter(parent=self.object).select_related(
            "station", "room")[:500]
        return ctx


class CentreListView(ScopedListView):
    model = Centre
    filterset_class = CentreFilterSet
    search_fields = ["name", "place__name"]
    export_name = "centres"
    create_url_name = "network:centre_create"
    columns = [
        Column(gettext_lazy("Name"), "name", link=True),
        Column(gettext_lazy("Level"), "level"),
        Column(gettext_lazy("Place"), "place__name"),
        Column(gettext_lazy("Host institution"), "host"),
        Column(gettext_lazy("Established on"), "established_on"),
    ]

    def base_queryset(self):
        return Centre.objects.select_related("place")


class CentreDetailView(ScopedDetailView):
    model = Centre
    template_name = "network/centre_detail.html"


class CentreCreateView(ScopedCreateView):
    model = Centre
    form_class = CentreForm

    def get_success_url(self):
        return reverse("network:centre_detail", args=[self.object.pk])


class CentreUpdateView(ScopedUpdateView):
    model = Centre
    form_class = CentreForm

    def get_success_url(self):
        return reverse("network:centre_detail", args=[self.object.pk])


class UserListView(ScopedListView):
    """Accounts (city administrators). Users carry no place of their own, so the list is role-gated."""

    model = User
    filterset_class = UserFilterSet
    search_fields = ["username", "display_name", "organisation"]
    export_name = "accounts"
    create_url_name = "network:user_create"
    columns = [
        Column(gettext_lazy("Username"), "username", link=True),
        Column(gettext_lazy("Name"), "display_name"),
        Column(gettext_lazy("Role"), "role"),
        Column(gettext_lazy("Organisation"), "organisation"),
        Column(gettext_lazy("Places"), lambda u: "、".join(g.content_object.name for g in u.placeuserobjectpermission_set.all())),
        Column(gettext_lazy("Active"), "is_active"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not (request.user.is_superuser or request.user.role == Role.CITY_ADMIN):
            raise PermissionDenied(_("Only city administrators may do this."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        from django.db.models import Prefetch, Q

        qs = User.objects.order_by("username").prefetch_related(
            Prefetch("placeuserobjectpermission_set",
                     queryset=services.PlaceUserObjectPermission.objects.filter(
                         permission__codename="view_place").select_related("content_object")))
        q = self.request.GET.get("q", "").strip()
        if q:
            qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(organisation__icontains=q))
        return qs



@city_admin_required
def user_create(request):
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_create(
                username=form.cleaned_data["username"], password=form.cleaned_data["password1"],
                role=form.cleaned_data["role"], places=list(form.cleaned_data["places"]),
                display_name=form.cleaned_data["display_name"], organisation=form.cleaned_data["organisation"])
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Account created."))
            return redirect("network:user_list")
    return render(request, "generic/form.html", {"form": form, "title": _("New account")})


@city_admin_required
def user_edit(request, pk):
    from django.shortcuts import get_object_or_404

    from .forms import UserUpdateForm

    account = get_object_or_404(User, pk=pk)
    initial = {"display_name": account.display_name, "role": account.role, "organisation": account.organisation,
               "places": services.user_places(account), "is_active": account.is_active}
    form = UserUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=account, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Account saved."))
            return redirect("network:user_list")
    grants = services.PlaceUserObjectPermission.history.filter(user_id=account.pk).select_related(
        "history_user", "content_object", "permission").order_by("-history_date")[:50]
    return render(request, "network/user_form.html", {"form": form, "account": account, "grants": grants,
                                                      "title": _("Account") + f" · {account.username}"})


@login_required
def rule_settings(request):
    """RULES.md numbers in force; city administrators may change them."""
    user = request.user
    if not (user.is_superuser or user.role in (Role.CITY_ADMIN, Role.CITY_VIEWER)):
        raise PermissionDenied(_("Only city staff may see the rule settings."))
    editable = user.is_superuser or user.role == Role.CITY_ADMIN
    errors = {}
    if request.method == "POST":
        if not editable:
            raise PermissionDenied(_("Only city administrators may change rule settings."))
        key = request.POST.get("key", "")
        try:
            value = Decimal(request.POST.get("value", "").strip())
            services.rule_setting_update(key=key, value=value)
        except (ArithmeticError, ValueError):
            errors[key] = _("Enter a number.")
        except ValidationError as exc:
            errors[key] = " ".join(m for ms in exc.message_dict.values() for m in ms)
        else:
            messages.success(request, _("Rule setting saved: %(key)s") % {"key": key})
            return redirect("network:rule_settings")
    rows = [{"param": p, "value": rule_value(p.key), "is_default": rule_value(p.key) == p.default,
             "error": errors.get(p.key)} for p in PARAMETERS.values()]
    return render(request, "network/rule_settings.html", {"rows": rows, "editable": editable})


@city_admin_required
def division_import(request):
    """Upload an official division list (csv/xlsx); the import runs as a job with progress.

    All or nothing, with row-level errors shown on the job page.
    """
    from .jobs import job_start
    from .tasks import division_import_job

    form = DivisionImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = job_start(kind="division_import", user=request.user, task=division_import_job,
                        upload=form.cleaned_data["file"])
        return redirect(job.get_absolute_url())
    return render(request, "network/division_import.html", {"form": form})


def _job_for(request, pk):
    from django.shortcuts import get_object_or_404

    from .jobs import jobs_visible_to

    return get_object_or_404(jobs_visible_to(request.user), pk=pk)


@login_required
def job_detail(request, pk):
    """A job's progress page; static JS polls job_status until it is done."""
    from .jobs import job_title

    job = _job_for(request, pk)
    return render(request, "network/job_detail.html", {"job": job, "title": job_title(job)})


def _job_download_url(job) -> str:
    return reverse("network:job_download", args=[job.pk]) if job.status == JobStatus.DONE and job.output else ""


@login_required
def job_status(request, pk):
    """The small JSON the job page polls."""
    from django.http import JsonResponse

    job = _job_for(request, pk)
    return JsonResponse({"status": job.status, "status_label": str(job.get_status_display()),
                         "progress": job.progress, "message": job.message, "result": job.result,
                         "finished": job.finished_at is not None, "download": _job_download_url(job)})


@login_required
def job_download(request, pk):
    """A finished job's file, to its owner only (files are never served from a public media path)."""
    from django.http import FileResponse, Http404

    job = _job_for(request, pk)
    if not _job_download_url(job):
        raise Http404
    return FileResponse(job.output.open("rb"), as_attachment=True, filename=job.output.name.rsplit("/", 1)[-1])
