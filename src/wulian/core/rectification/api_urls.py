"""`/api/v1/rectifications/{id}/` and its steps (commit, report, submit, close, reopen), made
from the declared steps; report and submit take their evidence files as multipart."""

from wulian.core import steps
from wulian.core.rectification import steps as rectification_steps  # noqa: F401 - declares them
from wulian.core.rectification.models import Rectification

app_name = "rectification_api"

urlpatterns = steps.api_urls(Rectification)
