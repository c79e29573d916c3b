"""Keep the derived certified periods in step with single saves (bulk writers refresh explicitly)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import CertifiedGradeSpan, CertifiedSpan, Qualification, Worker


@receiver([post_save, post_delete], sender=Qualification)
def qualification_changed(sender, instance, **kwargs):
    from .services import certified_spans_refresh

    if Worker.objects.filter(pk=instance.worker_id).exists():
        certified_spans_refresh(worker_ids=[instance.worker_id])


@receiver(post_save, sender=Worker)
def worker_changed(sender, instance, created, **kwargs):
    if not created:
        for model in (CertifiedSpan, CertifiedGradeSpan):
            model.objects.filter(worker_id=instance.pk).exclude(place_code=instance.place_id).update(
                place_code=instance.place_id
            )
