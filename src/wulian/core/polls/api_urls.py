"""`/api/v1/polls/…`: the list, a new poll, a poll and its steps (made from the declared
steps), its results and published ballots, and the vote (a slip code, or a signed-in roster
member)."""

from django.urls import path

from wulian.core import steps
from wulian.core.polls import api
from wulian.core.polls import steps as poll_steps  # noqa: F401 - declares them
from wulian.core.polls.models import Poll

app_name = "polls_api"

urlpatterns = [
    path("polls/", api.PollList.as_view(), name="poll-list"),
    path("polls/new/", api.PollCreate.as_view(), name="poll-create"),
    *steps.api_urls(Poll),
    path("polls/<int:pk>/results/", api.PollResults.as_view(), name="poll-results"),
    path("polls/<int:pk>/receipts/", api.PollReceipts.as_view(), name="poll-receipts"),
    path("polls/<int:pk>/vote/", api.PollVote.as_view(), name="poll-vote"),
]
