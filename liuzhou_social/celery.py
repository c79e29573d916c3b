"""The portal's Celery app: Redis broker when REDIS_URL is set, eager in-process tasks otherwise."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "liuzhou_social.settings")

app = Celery("liuzhou_social")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
