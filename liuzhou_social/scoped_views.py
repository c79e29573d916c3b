"""Generic views that go through the one scope primitive (CONVENTIONS 3-5).

Objects outside the user's view scope answer 404; a write the user may not make on a visible
object answers 403; every write is re-read through the restricted queryset and rolled back if
the user could not change the result (check after write).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.forms import ModelChoiceField, ModelMultipleChoiceField
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import CreateView, DeleteView, DetailView, UpdateView
from django_filters.views import FilterView

from network.choices import READ_ONLY_ROLES
from network.scope import CHANGE, VIEW, can

from .exports import xlsx_response


def restrict_form_choices(form, user, action: str = VIEW) -> None:
    """Form dropdowns offer only what the user may reach."""
    for field in form.fields.values():
        if isinstance(field, (ModelChoiceField, ModelMultipleChoiceField)):
            qs = field.queryset
            if hasattr(qs, "restrict"):
                field.queryset = qs.restrict(user, action)


def may_write(user) -> bool:
    return user.is_superuser or (user.is_authenticated and user.role not in READ_ONLY_ROLES)


class ScopedMixin(LoginRequiredMixin):
    model = None
    action = VIEW

    def base_queryset(self):
        return self.model._default_manager.all()

    def get_queryset(self):
        return self.base_queryset().restrict(self.request.user, self.action)


class ScopedListView(ScopedMixin, FilterView):
    """A filtered, searchable, paginated list; ``?export=xlsx`` downloads exactly the filtered rows."""

    paginate_by = 50
    columns: list = []
    search_fields: list[str] = []
    template_name = "generic/list.html"
    export_name = "export"
    create_url_name: str | None = None

    def get_queryset(self):
        qs = super().get_queryset()
        q = self.request.GET.get("q", "").strip()
        if q and self.search_fields:
            cond = Q()
            for f in self.search_fields:
                cond |= Q(**{f"{f}__icontains": q})
            qs = qs.filter(cond)
        return qs

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            filterset = self.get_filterset(self.get_filterset_class())
            qs = filterset.qs if filterset.is_bound and filterset.is_valid() else self.get_queryset()
            headers = [str(c.label) for c in self.columns]
            rows = ([c.value(obj) for c in self.columns] for obj in qs.iterator(chunk_size=2000))
            return xlsx_response(f"{self.export_name}.xlsx", headers, rows)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["columns"] = self.columns
        ctx["rows"] = [(obj, [c.value(obj) for c in self.columns]) for obj in ctx["object_list"]]
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
        ctx["can_change"] = may_write(self.request.user) and can(self.request.user, CHANGE, self.object)
        history = getattr(self.object, "history", None)
        if history is not None:
            ctx["history_records"] = history.select_related("history_user").order_by("-history_date")[:50]
        return ctx


class ScopedWriteMixin(ScopedMixin):
    """Shared by create/update/delete: role check, form scoping, atomic save with check after write."""

    success_message = _("Saved.")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not may_write(request.user):
            raise PermissionDenied(_("Your role may only read."))
        return super().dispatch(request, *args, **kwargs)

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        restrict_form_choices(form, self.request.user, CHANGE)
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
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errors in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, exc.messages)
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


__all__ = ["ScopedCreateView", "ScopedDeleteView", "ScopedDetailView", "ScopedListView",
           "ScopedUpdateView", "may_write", "restrict_form_choices"]
