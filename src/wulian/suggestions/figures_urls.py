"""Routes of the year's figures and the suggestion documents (figures_views.py), added to the
app's pages (urls.py) and API (api_urls.py)."""

from django.urls import path

from wulian.suggestions import figures_views

urlpatterns = [
    path("figures/", figures_views.figures_page, name="figures"),
    path("figures.docx", figures_views.figures_docx, name="figures_docx"),
    path(
        "<int:pk>/assignment-sheet.docx",
        figures_views.assignment_sheet,
        name="assignment_sheet_docx",
    ),
    path("<int:pk>/reply-letter.docx", figures_views.reply_letter, name="reply_letter_docx"),
    path(
        "supervision/<int:pk>/notice.docx",
        figures_views.supervision_notice,
        name="supervision_notice_docx",
    ),
]

api_urlpatterns = [
    path("suggestions/figures/", figures_views.figures_api, name="figures"),
]
