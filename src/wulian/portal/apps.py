from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The public portal (公开信息, issue 20 item 4): no sign-in, pages that gather what the
    links publish — answered suggestions approved for publication, livelihood projects'
    progress, the stations' notices — and the outcomes and commitments of special inquiries
    (docs/adr/0032-public-portal.md). It reads other apps' records; it has no models."""

    name = "wulian.portal"
    label = "portal"
    verbose_name = "Public portal"
