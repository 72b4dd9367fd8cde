"""WULIAN_STORAGE_URL → STORAGES["default"]. The S3 backend itself (django-storages) is not
installed here; only the configuration it would receive is checked."""

from __future__ import annotations

import pytest

from wulian.core.attachments.storage import S3_BACKEND, default_storage_from_url


def test_empty_means_local_disk_under_media_root():
    assert default_storage_from_url("") == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }
    assert default_storage_from_url("  ")["BACKEND"].endswith("FileSystemStorage")


def test_the_running_settings_use_local_disk(settings):
    assert settings.STORAGES["default"]["BACKEND"].endswith("FileSystemStorage")


def test_an_s3_compatible_store():
    url = (
        "s3://wulian-attachments/city/prod?endpoint_url=https://oss.zwy.example:9000"
        "&region_name=cn-hb-1&addressing_style=path&verify=false"
    )
    assert default_storage_from_url(url) == {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": "wulian-attachments",
            "location": "city/prod",
            "endpoint_url": "https://oss.zwy.example:9000",
            "region_name": "cn-hb-1",
            "addressing_style": "path",
            "verify": False,
            "file_overwrite": False,
            "default_acl": "private",
            "querystring_auth": True,
        },
    }


@pytest.mark.parametrize(
    "url",
    [
        "ftp://host/path",
        "s3://KEY:SECRET@bucket",
        "s3:///no-bucket",
        "s3://bucket?acl=public-read",
    ],
)
def test_bad_urls_fail_loudly(url):
    with pytest.raises(ValueError, match="WULIAN_STORAGE_URL"):
        default_storage_from_url(url)
