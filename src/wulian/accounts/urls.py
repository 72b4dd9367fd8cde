from django.urls import path

from wulian.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("second-factor/", views.otp_verify, name="otp_verify"),
    path("second-factor/setup/", views.otp_setup, name="otp_setup"),
    path("password/", views.password_change, name="password_change"),
    path("tokens/", views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("manage/", views.account_list, name="account_list"),
    path(
        "manage/<int:pk>/token-allowance/",
        views.account_token_allowance,
        name="account_token_allowance",
    ),
    path("manage/<int:pk>/<slug:action>/", views.account_action, name="account_action"),
]
