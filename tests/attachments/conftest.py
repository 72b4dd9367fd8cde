import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files land in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _chinese(settings):
    """Services called outside a request speak the default language (zh-hans), whatever an
    earlier test's request switched the thread to."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
