from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InquiriesConfig(AppConfig):
    """联督 II: special inquiries (专题询问) with commitments and 回头看."""

    name = "wulian.inquiries"
    label = "inquiries"
    verbose_name = "Special inquiries"

    def ready(self) -> None:
        from wulian.core import actions, nav
        from wulian.core.deadlines import titles
        from wulian.inquiries import policies, todos  # noqa: F401
        from wulian.inquiries.labels import DEADLINE_KINDS, LABELS

        titles.register("送达专题询问审议意见：%(t)s")
        actions.register(LABELS)
        actions.register_deadline_kinds(DEADLINE_KINDS)
        nav.register(
            nav.NavEntry(_("专题询问"), "inquiries:inquiry_list", "inquiries.inquiry.view", "links")
        )

    def demo_seed(self) -> dict[str, int]:
        """The four 2023 special inquiries (`wulian demo_seed`)."""
        from django.db import transaction

        from wulian.inquiries import demo

        with transaction.atomic():
            return demo.seed()
