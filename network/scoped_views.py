"""Generic views that go through the one scope primitive (CONVENTIONS 3-5).

Objects outside the user's view scope answer 404; a write the user may not make on a visible
object answers 403; every write is re-read through the restricted queryset and rolled back if
the user could not change the result (check after write).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.forms import BaseForm, ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView
from django_filters.views import FilterView

from liuzhou_social.exports import xlsx_response
from network.choices import PersonalDataAction
from network.masking import mask_personal_form_fields, sees_personal_data
from network.personal_data import personal_data_event_record
from network.roles import may_write
from network.scope import CHANGE, VIEW, can, choice_action, restrict_choices


def restrict_form_choices(form, user, *, write: bool = True) -> None:
    """Every dropdown of the form offers only what the user may reach, through the one primitive: in a form that
    writes, the field placing the record offers what the user may change, every other one what the user may see
    (``network.scope.choice_action``; a form names further change fields in ``scope_change_fields``)."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    change_fields = tuple(getattr(form, "scope_change_fields", ()))
    for name, field in form.fields.items():
        if isinstance(field, (ModelChoiceField, ModelMultipleChoiceField)):
            action = choice_action(model, name, write=write, change_fields=change_fields)
            field.queryset = restrict_choices(field.queryset, user, action)


def restrict_context_forms(context: dict, user) -> None:
    """The forms a page shows besides its main one (a detail page's inline forms), scoped like it."""
    for value in context.values():
        if isinstance(value, BaseForm) and not getattr(value, "_portal_scoped", False):
            restrict_form_choices(value, user, write=True)
            value._portal_scoped = True


class PersonalDataMixin:
    """The view's records carry ID numbers and phones. For the personal-data roles, who see them
    unmasked, every read is recorded (PIPL Art. 51, ``network.personal_data``), an export asks for a
    reason first, and the answer is never kept by a browser or proxy cache (Cache-Control: no-store)."""

    personal_data = False

    def shows_personal_data(self) -> bool:
        return self.personal_data and sees_personal_data(self.request.user)

    def personal_data_record(self, action: str, ids, reason: str = "") -> None:
        personal_data_event_record(
            user=self.request.user,
            action=action,
            subject=str(self.model._meta.verbose_name_plural),
            object_ids=ids,
            reason=reason,
            request=self.request,
        )

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        if request.user.is_authenticated and self.shows_personal_data():
            patch_cache_control(response, no_store=True, private=True)
        return response


class ScopedMixin(LoginRequiredMixin, PersonalDataMixin):
    model = None
    action = VIEW

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_queryset(self):
        return self.base_queryset().restrict(self.request.user, self.action)

    def render_to_response(self, context, **response_kwargs):
        restrict_context_forms(context, self.request.user)  # the page's inline forms, whoever added them
        return super().render_to_response(context, **response_kwargs)


class ScopedListView(ScopedMixin, FilterView):
    """A filtered, searchable, paginated list; ``?export=xlsx`` downloads exactly the filtered rows."""

    paginate_by = 50
    columns: list = []
    search_fields: list[str] = []
    # Personal identifiers are found by the whole value only: a part would let anyone who sees masked
    # values recover a full ID number digit by digit. An ID number is stored encrypted and matched through
    # its keyed hash (liuzhou_social.fields), so no other lookup on it exists.
    exact_search_fields: list[str] = []
    template_name = "generic/list.html"
    export_name = "export"
    create_url_name: str | None = None

    def get_queryset(self):
        qs = super().get_queryset()
        q = self.request.GET.get("q", "").strip()
        if q and (self.search_fields or self.exact_search_fields):
            cond = Q()
            for f in self.search_fields:
                cond |= Q(**{f"{f}__icontains": q})
            for f in self.exact_search_fields:
                cond |= Q(**{f: q.upper()})
            qs = qs.filter(cond)
        return qs

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            reason = request.GET.get("reason", "").strip()
            if self.shows_personal_data() and not reason:
                return export_reason_page(request)
            filterset = self.get_filterset(self.get_filterset_class())
            qs = filterset.qs if filterset.is_bound and filterset.is_valid() else self.get_queryset()
            if self.shows_personal_data():
                self.personal_data_record(PersonalDataAction.EXPORT, qs.values_list("pk", flat=True), reason)
            headers, rows = self.export_rows(qs)
            return xlsx_response(f"{self.export_name}.xlsx", headers, rows)
        return super().get(request, *args, **kwargs)

    def export_rows(self, qs):
        """The export's headers and rows (lazily consumed): the columns of the page by default."""
        headers = [str(c.label) for c in self.columns]
        return headers, ([c.value(obj) for c in self.columns] for obj in qs.iterator(chunk_size=2000))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["columns"] = self.columns
        ctx["rows"] = [(obj, [c.value(obj) for c in self.columns]) for obj in ctx["object_list"]]
        if self.shows_personal_data() and ctx["rows"]:
            self.personal_data_record(PersonalDataAction.VIEW, [obj.pk for obj, _values in ctx["rows"]])
        ctx["title"] = self.model._meta.verbose_name_plural
        ctx["can_create"] = bool(self.create_url_name) and may_write(self.request.user)
        ctx["create_url_name"] = self.create_url_name
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["querystring"] = query.urlencode()
        return ctx


class ScopedDetailView(ScopedMixin, DetailView):
    """Detail page; shows the change history to whoever may see the record."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.shows_personal_data():
            self.personal_data_record(PersonalDataAction.VIEW, [self.object.pk])
        ctx["can_change"] = may_write(self.request.user) and can(self.request.user, CHANGE, self.object)
        history = getattr(self.object, "history", None)
        if history is not None:
            ctx["history_records"] = history.select_related("history_user").order_by("-history_date")[:50]
        return ctx


def form_errors_add(form, exc) -> None:
    """A service's ValidationError shown on the form: each message on its field, the rest above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ScopedWriteMixin(ScopedMixin):
    """Shared by create/update/delete: role check, form scoping, atomic save with check after write."""

    success_message = _("Saved.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_write(request.user):
            raise PermissionDenied(_("Your role may only read."))
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.portal_user = self.request.user  # for checks that depend on who asks (e.g. a taken ID number)
        restrict_form_choices(form, self.request.user, write=True)
        form._portal_scoped = True
        mask_personal_form_fields(form, self.request.user)
        return form

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("title", self.model._meta.verbose_name)
        return ctx

    def perform_save(self, form):
        """Save the form; views with a workflow override this to call their service."""
        return form.save()

    def form_valid(self, form):
        from django.core.exceptions import ValidationError

        try:
            with transaction.atomic():
                self.object = self.perform_save(form)
                if not can(self.request.user, CHANGE, self.object):
                    raise PermissionDenied
        except PermissionDenied:
            form.add_error(None, _("The result would lie outside the places you may change; nothing was saved."))
            return self.form_invalid(form)
        except IntegrityError:
            # A duplicate the form's rules did not catch first (e.g. two saves at once): say so, never 500.
            form.add_error(None, _("Not saved: the record conflicts with one that already exists."))
            return self.form_invalid(form)
        except ValidationError as exc:
            form_errors_add(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())


class ScopedCreateView(ScopedWriteMixin, CreateView):
    template_name = "generic/form.html"


class ScopedUpdateView(ScopedWriteMixin, UpdateView):
    template_name = "generic/form.html"

    def get_object(self, queryset=None):
        obj = super().get_object(self.base_queryset().restrict(self.request.user, VIEW))
        if not can(self.request.user, CHANGE, obj):
            raise PermissionDenied(_("You may see this record but not change it."))
        return obj

    def get_context_data(self, **kwargs):
        if self.shows_personal_data() and self.request.method == "GET":
            self.personal_data_record(PersonalDataAction.VIEW, [self.object.pk])  # the form shows them
        return super().get_context_data(**kwargs)


class ScopedDeleteView(ScopedWriteMixin, DeleteView):
    """Deletion after a confirmation page."""

    template_name = "generic/confirm_delete.html"

    def get_object(self, queryset=None):
        obj = super().get_object(self.base_queryset().restrict(self.request.user, VIEW))
        if not can(self.request.user, CHANGE, obj):
            raise PermissionDenied(_("You may see this record but not change it."))
        return obj

    def form_valid(self, form):
        from django.db.models import ProtectedError

        try:
            response = super().form_valid(form)
        except ProtectedError:
            messages.error(self.request, _("This record is still referenced by other records and cannot be deleted."))
            return HttpResponseRedirect(self.request.path)
        messages.success(self.request, _("Deleted."))
        return response


__all__ = [
    "ScopedCreateView",
    "ScopedDeleteView",
    "ScopedDetailView",
    "ScopedListView",
    "ScopedUpdateView",
    "may_write",
    "restrict_form_choices",
]


def export_reason_page(request):
    """Before unmasked personal data is exported: the reason, recorded with the export (PIPL Art. 51)."""
    params = [(k, v) for k, values in request.GET.lists() for v in values if k != "reason"]
    response = render(request, "generic/export_reason.html", {"params": params, "title": _("Reason for the export")})
    patch_cache_control(response, no_store=True, private=True)
    return response
