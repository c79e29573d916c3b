from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Education(models.TextChoices):
    SECONDARY = "secondary", _("Secondary school or below")
    VOCATIONAL = "vocational", _("Vocational college")
    BACHELOR = "bachelor", _("Bachelor")
    MASTER = "master", _("Master or above")


class Grade(models.IntegerChoices):
    """TGT-CERT qualification grades, ordered: a person counts once, at the highest grade held."""

    ASSISTANT = 1, _("Assistant social worker")
    SOCIAL_WORKER = 2, _("Social worker")
    SENIOR = 3, _("Senior social worker")


class AssignmentRole(models.TextChoices):
    STATIONED = "stationed", _("Stationed social worker")
    SUPERVISOR = "supervisor", _("Supervisor")


class OrganisationField(models.TextChoices):
    """TGT-ORG service fields of a social-work service organisation."""

    SOCIAL_ASSISTANCE = "social_assistance", _("Social assistance")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    ELDERLY = "elderly", _("Elderly services")
    DISABILITY = "disability", _("Disability services")
    OTHER = "other", _("Other")


# TGT-SPEC: the plan's four specialised categories (codes of SpecialisationCategory rows).
PLAN_SPECIALISATIONS = {
    "minors_protection": "未成年人保护",
    "social_assistance": "社会救助",
    "elderly_services": "养老服务",
    "judicial_protection": "司法保护",
}
