"""`/api/v1/clues/{id}/` and its steps (transfer, receive, dispose, feedback), made from the
declared steps; every confidentiality rule of the pages holds (ADR 0007)."""

from wulian.core import steps
from wulian.core.clues import steps as clue_steps  # noqa: F401 - declares the steps
from wulian.core.clues.models import Clue

app_name = "clues_api"

urlpatterns = steps.api_urls(Clue)
