from django.urls import path

from wulian.accounts import steps as account_steps  # noqa: F401 - declares the steps
from wulian.accounts import views
from wulian.accounts.models import ApiToken, User
from wulian.core import steps

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("second-factor/", views.otp_verify, name="otp_verify"),
    path("second-factor/setup/", views.otp_setup, name="otp_setup"),
    path("password/", views.password_change, name="password_change"),
    path("tokens/", views.token_list, name="token_list"),
    *steps.page_urls(ApiToken),
    path("manage/", views.account_list, name="account_list"),
    # unlock, reset_second_factor, end_sessions, deactivate, reactivate, token-allowance:
    # the declared steps (wulian.accounts.steps).
    *steps.page_urls(User),
]
