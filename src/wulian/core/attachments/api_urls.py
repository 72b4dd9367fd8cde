"""`/api/v1/attachments/`: upload (multipart), read, the file, and the remove step."""

from django.urls import path

from wulian.core import steps
from wulian.core.attachments.models import Attachment
from wulian.core.attachments.steps import AttachmentFile, AttachmentUpload

app_name = "attachments_api"

urlpatterns = [
    path("attachments/", AttachmentUpload.as_view(), name="attachment-upload"),
    path("attachments/<int:pk>/file/", AttachmentFile.as_view(), name="attachment-file"),
    *steps.api_urls(Attachment),
]
