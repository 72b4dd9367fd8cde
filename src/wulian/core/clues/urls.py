from django.urls import path

from wulian.core.clues import views

app_name = "clues"

urlpatterns = [
    path("", views.clue_list, name="clue_list"),
    path("export.xlsx", views.clue_export, name="clue_export"),
    path("new/", views.clue_create, name="clue_create"),
    path("<int:pk>/", views.clue_detail, name="clue_detail"),
    path("<int:pk>/edit/", views.clue_edit, name="clue_edit"),
    path("<int:pk>/transfer/", views.clue_transfer, name="clue_transfer"),
    path("<int:pk>/receive/", views.clue_receive, name="clue_receive"),
    path("<int:pk>/dispose/", views.clue_dispose, name="clue_dispose"),
    path("<int:pk>/feedback/", views.clue_feedback, name="clue_feedback"),
]
