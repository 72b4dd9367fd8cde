"""The suggestions pages, mounted at /suggestions/."""

from django.urls import path

from wulian.suggestions import figures_urls, views

app_name = "suggestions"

urlpatterns = [
    path("", views.suggestion_list, name="suggestion_list"),
    path("export.xlsx", views.suggestion_export, name="suggestion_export"),
    path("new/", views.suggestion_submit, name="suggestion_submit"),
    path("import/", views.suggestion_import, name="suggestion_import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("sessions/", views.session_list, name="session_list"),
    path("<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
    path("<int:pk>/withdraw/", views.suggestion_withdraw, name="suggestion_withdraw"),
    path("<int:pk>/accept/", views.suggestion_accept, name="suggestion_accept"),
    path("<int:pk>/reject/", views.suggestion_reject, name="suggestion_reject"),
    path("<int:pk>/propose/", views.suggestion_propose, name="suggestion_propose"),
    path("<int:pk>/merge/", views.suggestion_merge, name="suggestion_merge"),
    path("<int:pk>/unmerge/", views.suggestion_unmerge, name="suggestion_unmerge"),
    path("<int:pk>/contact/", views.contact_record, name="contact_record"),
    path("<int:pk>/opinion/", views.opinion_give, name="opinion_give"),
    path("<int:pk>/reply/", views.reply_send, name="reply_send"),
    path("<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("<int:pk>/extension/decide/", views.extension_decide, name="extension_decide"),
    path("<int:pk>/verdict/", views.verdict_give, name="verdict_give"),
    path("<int:pk>/supervise/", views.supervision_issue, name="supervision_issue"),
    path("<int:pk>/key/", views.suggestion_mark_key, name="suggestion_mark_key"),
    path("<int:pk>/follow-up/", views.follow_up_visit, name="follow_up_visit"),
    path("<int:pk>/publish/", views.suggestion_publish, name="suggestion_publish"),
    path("<int:pk>/unpublish/", views.suggestion_unpublish, name="suggestion_unpublish"),
    path("assignments/<int:pk>/receive/", views.assignment_receive, name="assignment_receive"),
    path(
        "assignments/<int:pk>/send-back/", views.assignment_send_back, name="assignment_send_back"
    ),
    path("assignments/<int:pk>/replace/", views.assignment_replace, name="assignment_replace"),
    path("orders/<int:pk>/respond/", views.order_respond, name="order_respond"),
    path("orders/<int:pk>/close/", views.order_close, name="order_close"),
    path("orders/<int:pk>/escalate/", views.order_escalate, name="order_escalate"),
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/confirm/", views.batch_confirm, name="batch_confirm"),
    path("batches/<int:pk>/return/", views.batch_return, name="batch_return"),
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("campaigns/", views.campaign_list, name="campaign_list"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:pk>/opinions/", views.opinion_register, name="opinion_register"),
    path("opinions/<int:pk>/assign/", views.opinion_assign, name="opinion_assign"),
    path("opinions/<int:pk>/complete/", views.opinion_complete, name="opinion_complete"),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/", views.public_detail, name="public_detail"),
]

# The year's figures and the documents (figures_urls.py).
urlpatterns += figures_urls.urlpatterns
