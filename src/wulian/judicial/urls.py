"""The judicial pages, mounted at /judicial/."""

from django.urls import path

from wulian.judicial import views

app_name = "judicial"

urlpatterns = [
    path("", views.home, name="home"),
    path("figures/", views.figures, name="figures"),
    # The pool
    path("experts/", views.expert_list, name="expert_list"),
    path("experts/new/", views.expert_create, name="expert_create"),
    path("experts/import/", views.expert_import, name="expert_import"),
    path(
        "experts/import/template.xlsx",
        views.expert_import_template,
        name="expert_import_template",
    ),
    path("experts/<int:pk>/", views.expert_detail, name="expert_detail"),
    path("experts/<int:pk>/edit/", views.expert_edit, name="expert_edit"),
    path("experts/<int:pk>/suspend/", views.expert_suspend, name="expert_suspend"),
    path("experts/<int:pk>/reinstate/", views.expert_reinstate, name="expert_reinstate"),
    path("experts/<int:pk>/conflicts/", views.conflict_add, name="conflict_add"),
    path("conflicts/<int:pk>/withdraw/", views.conflict_withdraw, name="conflict_withdraw"),
    path("pool/versions/", views.pool_versions, name="pool_versions"),
    # Cases
    path("cases/", views.case_list, name="case_list"),
    path("cases/new/", views.case_create, name="case_create"),
    path("cases/import/", views.case_import, name="case_import"),
    path("cases/import/template.xlsx", views.case_import_template, name="case_import_template"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:pk>/grade/", views.case_grade, name="case_grade"),
    path("cases/<int:pk>/problems/", views.problem_add, name="problem_add"),
    path("problems/<int:pk>/refer/", views.problem_refer, name="problem_refer"),
    # Batches
    path("batches/", views.batch_list, name="batch_list"),
    path("batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/edit/", views.batch_edit, name="batch_edit"),
    path("batches/<int:pk>/freeze/", views.batch_freeze, name="batch_freeze"),
    path("batches/<int:pk>/open/", views.batch_open_review, name="batch_open_review"),
    path("batches/<int:pk>/close/", views.batch_close, name="batch_close"),
    path("batches/<int:pk>/rate/", views.expert_rate, name="expert_rate"),
    path("batches/<int:pk>/report.docx", views.batch_report, name="batch_report"),
    path("batches/<int:pk>/suggestions/new/", views.suggestion_create, name="suggestion_create"),
    # Draws
    path("draws/", views.draw_list, name="draw_list"),
    path("draws/<int:pk>/", views.draw_detail, name="draw_detail"),
    path("draws/<int:pk>/commit/", views.draw_commit, name="draw_commit"),
    path("draws/<int:pk>/input/", views.draw_input, name="draw_input"),
    path("draws/<int:pk>/run/", views.draw_run, name="draw_run"),
    path("draws/<int:pk>/abort/", views.draw_abort, name="draw_abort"),
    path("draws/<int:pk>/abort/confirm/", views.draw_abort_confirm, name="draw_abort_confirm"),
    path("draws/<int:pk>/abort/refuse/", views.draw_abort_refuse, name="draw_abort_refuse"),
    path("draws/<int:pk>/result/", views.draw_result, name="draw_result"),
    path("draws/<int:pk>/record.json", views.draw_record, name="draw_record"),
    path("draws/<int:pk>/verify/", views.draw_verify, name="draw_verify"),
    # Experts' own business
    path("mine/", views.my_reviews, name="my_reviews"),
    path("invitations/<int:pk>/accept/", views.invitation_accept, name="invitation_accept"),
    path("invitations/<int:pk>/decline/", views.invitation_decline, name="invitation_decline"),
    path("seats/<int:pk>/score/", views.score, name="score"),
    # Suggestions to the courts and procuratorates
    path("suggestions/", views.suggestion_list, name="suggestion_list"),
    path("suggestions/<int:pk>/", views.suggestion_detail, name="suggestion_detail"),
    path("suggestions/<int:pk>/edit/", views.suggestion_edit, name="suggestion_edit"),
    path("suggestions/<int:pk>/send/", views.suggestion_send, name="suggestion_send"),
    path("suggestions/<int:pk>/answer/", views.suggestion_answer, name="suggestion_answer"),
    path("suggestions/<int:pk>/results/", views.suggestion_results, name="suggestion_results"),
    # Petitions
    path("petitions/", views.petition_list, name="petition_list"),
    path("petitions/new/", views.petition_create, name="petition_create"),
    path("petitions/<int:pk>/", views.petition_detail, name="petition_detail"),
    path("petitions/<int:pk>/route/", views.petition_route, name="petition_route"),
    path("petitions/<int:pk>/answer/", views.petition_answer, name="petition_answer"),
    path("petitions/<int:pk>/cases/", views.petition_link, name="petition_link"),
]
