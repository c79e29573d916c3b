"""Pages of the supervision app: each area (supervision, training, county plans) lists its own routes."""

from . import urls_plans, urls_supervision, urls_training

app_name = "supervision"
urlpatterns = [*urls_supervision.urlpatterns, *urls_training.urlpatterns, *urls_plans.urlpatterns]
