from django.urls import path

from wulian.core import steps
from wulian.core.attachments import steps as attachment_steps  # noqa: F401 - declares them
from wulian.core.attachments import views
from wulian.core.attachments.models import Attachment

app_name = "attachments"

urlpatterns = [
    path("<str:record_type>/<int:record_id>/upload/", views.upload, name="upload"),
    path("<int:pk>/download/", views.download, name="download"),
    *steps.page_urls(Attachment),  # remove
]
