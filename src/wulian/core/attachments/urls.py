from django.urls import path

from wulian.core.attachments import views

app_name = "attachments"

urlpatterns = [
    path("<str:record_type>/<int:record_id>/upload/", views.upload, name="upload"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/remove/", views.remove, name="remove"),
]
