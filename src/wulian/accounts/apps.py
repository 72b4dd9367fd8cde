from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "wulian.accounts"
    label = "accounts"
    verbose_name = "Accounts"

    def ready(self) -> None:
        from wulian.accounts.sealed import seal_totp_keys

        seal_totp_keys()  # the TOTP secret is stored encrypted (issue 11, item 13)
        from wulian.accounts import todos  # noqa: F401 (the security administrator's 我的待办)
