"""`/api/v1/deadlines/{id}/` and its steps (pause, resume, extension-request) and
`/api/v1/deadline-extensions/{id}/decide/`, made from the declared steps."""

from wulian.core import steps
from wulian.core.deadlines import steps as deadline_steps  # noqa: F401 - declares the steps
from wulian.core.deadlines.models import Deadline, ExtensionRequest

app_name = "deadlines_api"

urlpatterns = [*steps.api_urls(Deadline), *steps.api_urls(ExtensionRequest)]
