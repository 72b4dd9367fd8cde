from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StationsConfig(AppConfig):
    """联督 II: the 225 liaison stations — events, residents' opinions, monitors' observations."""

    name = "wulian.stations"
    label = "stations"
    verbose_name = "Liaison stations"

    def ready(self) -> None:
        from wulian.core import actions, nav
        from wulian.core.deadlines import titles
        from wulian.core.notifications import kinds
        from wulian.stations import policies, todos  # noqa: F401
        from wulian.stations.labels import DEADLINE_KINDS, LABELS, fields

        titles.register(
            "答复联络站群众意见：%(t)s",
            "收到联络站转交的群众意见：%(t)s，请在15个工作日内答复",
            "部门已答复群众意见：%(t)s，请告知群众",
        )
        actions.register(LABELS)
        actions.register_fields(fields())
        actions.register_deadline_kinds(DEADLINE_KINDS)
        kinds.register("stations.", _("代表联络站"))
        nav.register(
            nav.NavEntry(_("联络站"), "stations:station_list", "stations.station.view", "links")
        )

    def demo_seed(self) -> dict[str, int]:
        """The stations' demo data (`wulian demo_seed`, after the core's and the suggestions')."""
        from django.db import transaction

        from wulian.stations import demo

        with transaction.atomic():
            return demo.seed()
