"""Network pages: home per level, places, centres, accounts, rule settings, division import."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from liuzhou_social.columns import Column
from network.scoped_views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    restrict_form_choices,
)

from . import services
from .choices import JobStatus
from .filtersets import CentreFilterSet, PersonalDataEventFilterSet, PlaceFilterSet, UserFilterSet
from .forms import CentreForm, ImportUploadForm, UserCreateForm
from .models import Centre, PersonalDataEvent, Place, User
from .roles import is_city_admin, is_city_staff
from .rule_settings import PARAMETERS, rule_value
from .scope import reaches


def city_admin_required(view):
    """Only city administrators (and superusers) may use the view; others get 403."""

    @login_required
    def wrapped(request, *args, **kwargs):
        if not is_city_admin(request.user):
            raise PermissionDenied(_("Only city administrators may do this."))
        return view(request, *args, **kwargs)

    return wrapped


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
        ctx["children"] = (
            Place.objects.restrict(self.request.user).filter(parent=self.object).select_related("station", "room")[:500]
        )
        parent = self.object.parent
        ctx["parent_visible"] = parent is not None and reaches(self.request.user, parent.code)
        return ctx


class CentreListView(ScopedListView):
    model = Centre
    filterset_class = CentreFilterSet
    search_fields = ["name", "place__name"]
    export_name = "centres"
    create_url_name = "network:centre_create"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_create"] = ctx["can_create"] and is_city_admin(self.request.user)
        return ctx

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
    """NET-1/NET-2: the city administrator registers the city centre and each county's guidance centre."""

    model = Centre
    form_class = CentreForm

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            services.centre_create_allowed(user=request.user)
        return super().dispatch(request, *args, **kwargs)

    def perform_save(self, form):
        return services.centre_save(user=self.request.user, data=form.cleaned_data)

    def get_success_url(self):
        return reverse("network:centre_detail", args=[self.object.pk])


class CentreUpdateView(ScopedUpdateView):
    model = Centre
    form_class = CentreForm

    def perform_save(self, form):
        return services.centre_save(user=self.request.user, data=form.cleaned_data, centre=self.object)

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
        Column(
            gettext_lazy("Places"),
            lambda u: "、".join(g.content_object.name for g in u.placeuserobjectpermission_set.all()),
        ),
        Column(gettext_lazy("Active"), "is_active"),
        Column(gettext_lazy("Locked"), "locked"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_city_admin(request.user):
            raise PermissionDenied(_("Only city administrators may do this."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        from django.db.models import Prefetch, Q

        qs = services.users_with_lock(User.objects.order_by("username")).prefetch_related(
            Prefetch(
                "placeuserobjectpermission_set",
                queryset=services.PlaceUserObjectPermission.objects.filter(
                    permission__codename="view_place"
                ).select_related("content_object"),
            )
        )
        q = self.request.GET.get("q", "").strip()
        if q:
            qs = qs.filter(Q(username__icontains=q) | Q(display_name__icontains=q) | Q(organisation__icontains=q))
        return qs


@city_admin_required
def user_create(request):
    form = UserCreateForm(request.POST or None)
    restrict_form_choices(form, request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_create(
                username=form.cleaned_data["username"],
                password=form.cleaned_data["password1"],
                role=form.cleaned_data["role"],
                places=list(form.cleaned_data["places"]),
                display_name=form.cleaned_data["display_name"],
                organisation=form.cleaned_data["organisation"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Account created."))
            return redirect("network:account_list")
    return render(request, "generic/form.html", {"form": form, "title": _("New account")})


@city_admin_required
def user_edit(request, pk):
    from django.shortcuts import get_object_or_404

    from .forms import UserUpdateForm

    account = get_object_or_404(User, pk=pk)
    initial = {
        "display_name": account.display_name,
        "role": account.role,
        "organisation": account.organisation,
        "places": services.user_places(account),
        "is_active": account.is_active,
    }
    form = UserUpdateForm(request.POST or None, initial=initial)
    restrict_form_choices(form, request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(user=account, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Account saved."))
            return redirect("network:account_list")
    grants = (
        services.PlaceUserObjectPermission.history.filter(user_id=account.pk)
        .select_related("history_user", "content_object", "permission")
        .order_by("-history_date")[:50]
    )
    return render(
        request,
        "network/user_form.html",
        {
            "form": form,
            "account": account,
            "grants": grants,
            "lock": services.user_lock_state([account.username]).get(account.username),
            "title": _("Account") + f" · {account.username}",
        },
    )


@login_required
def rule_settings(request):
    """RULES.md numbers in force; city administrators may change them."""
    user = request.user
    if not is_city_staff(user):
        raise PermissionDenied(_("Only city staff may see the rule settings."))
    editable = is_city_admin(user)
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
    rows = [
        {
            "param": p,
            "value": rule_value(p.key),
            "is_default": rule_value(p.key) == p.default,
            "error": errors.get(p.key),
        }
        for p in PARAMETERS.values()
    ]
    return render(request, "network/rule_settings.html", {"rows": rows, "editable": editable})


# ---------------------------------------------------------------- imports (network.imports), one job page


def import_upload_page(request, spec_class):
    """The upload page of every import: the file is checked once by the form, kept on a job and checked row by
    row (nothing written); the job page shows the preview, every error and the confirm button. A small file
    whose sheets or headers are wrong is said so here, on the form."""
    from .imports import import_job_start

    if not spec_class.may_import(request.user):
        raise PermissionDenied(_("Your role may not import this file."))
    form = ImportUploadForm(request.POST or None, request.FILES or None, spec_class=spec_class)
    if request.method == "POST" and form.is_valid():
        job = import_job_start(spec_class=spec_class, user=request.user, upload=form.cleaned_data["file"])
        job.refresh_from_db()
        if not job.result.get("file_error"):
            return redirect(job.get_absolute_url())
        form.add_error("file", job.message)
        job.upload.delete(save=False)
        job.delete()
    return render(
        request,
        "network/import_upload.html",
        {
            "form": form,
            "spec": spec_class,
            "title": spec_class.title,
            "template_url": spec_class.url("template"),
            "list_url": spec_class.url("list"),
        },
    )


def import_template_response(request, spec_class, filename: str):
    """The spec's blank workbook (drop-downs limited to what the user may reach)."""
    import tempfile

    from django.http import FileResponse

    from liuzhou_social.exports import XLSX_TYPE

    target = tempfile.TemporaryFile(suffix=".xlsx")
    spec_class(request.user).template(target)
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=filename, content_type=XLSX_TYPE)


@city_admin_required
def division_import(request):
    """Upload an official division list (csv/xlsx); checked, previewed and imported on the job page."""
    from .divisions import DivisionImport

    return import_upload_page(request, DivisionImport)


@city_admin_required
def division_template(request):
    """The division list's layout (code, name, level, kind, parent_code) as a workbook."""
    from .divisions import DivisionImport

    return import_template_response(request, DivisionImport, "divisions-template.xlsx")


def _job_for(request, pk):
    from django.shortcuts import get_object_or_404

    from .jobs import jobs_visible_to

    return get_object_or_404(jobs_visible_to(request.user), pk=pk)


@login_required
def job_detail(request, pk):
    """The one job page: progress (static/js/job.js polls job_status and reloads when the job is done), then
    the outcome; for an import, the preview with every error, the confirm button, then the result."""
    from .imports import job_import_context
    from .jobs import job_hint, job_title

    job = _job_for(request, pk)
    return render(
        request,
        "network/job_detail.html",
        {"job": job, "title": job_title(job), "import": job_import_context(job, request.user), "hint": job_hint(job)},
    )


@login_required
def job_confirm(request, pk):
    """Confirm a checked import (POST): all rows are imported in one transaction, or none."""
    from django.http import HttpResponseNotAllowed

    from .imports import import_job_confirm

    job = _job_for(request, pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not import_job_confirm(job=job, user=request.user):
        messages.info(request, _("There is nothing to import from this file."))
    return redirect(job.get_absolute_url())


def _job_download_url(job) -> str:
    return reverse("network:job_download", args=[job.pk]) if job.status == JobStatus.DONE and job.output else ""


@login_required
def job_status(request, pk):
    """The small JSON the job page polls."""
    from django.http import JsonResponse

    from .jobs import job_hint

    job = _job_for(request, pk)
    return JsonResponse(
        {
            "hint": job_hint(job),
            "status": job.status,
            "status_label": str(job.get_status_display()),
            "progress": job.progress,
            "message": job.message,
            "result": job.result,
            "finished": job.finished_at is not None,
            "download": _job_download_url(job),
        }
    )


@login_required
def job_download(request, pk):
    """A finished job's file, to its owner only (files are never served from a public media path)."""
    from django.http import FileResponse, Http404

    job = _job_for(request, pk)
    if not _job_download_url(job):
        raise Http404
    return FileResponse(job.output.open("rb"), as_attachment=True, filename=job.output.name.rsplit("/", 1)[-1])


class PersonalDataEventListView(ScopedListView):
    """PIPL Art. 51: who read unmasked personal data, and who entered ID numbers of people elsewhere.
    City administrators only; the log is city-wide (it has no place of its own)."""

    model = PersonalDataEvent
    filterset_class = PersonalDataEventFilterSet
    search_fields = ["subject", "reason", "path"]
    export_name = "personal-data-log"
    columns = [
        Column(gettext_lazy("When"), "at"),
        Column(gettext_lazy("User"), "user__username"),
        Column(gettext_lazy("Action"), "action"),
        Column(gettext_lazy("Records of"), "subject"),
        Column(gettext_lazy("Records"), "count"),
        Column(gettext_lazy("Reason"), "reason"),
        Column(gettext_lazy("Address"), "path"),
        Column(gettext_lazy("Client address"), "client_address"),
    ]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not is_city_admin(request.user):
            raise PermissionDenied(_("Only city administrators may do this."))
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        qs = PersonalDataEvent.objects.select_related("user")
        q = self.request.GET.get("q", "").strip()
        return qs.filter(Q(subject__icontains=q) | Q(reason__icontains=q) | Q(path__icontains=q)) if q else qs
