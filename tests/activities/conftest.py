import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded files land in a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
