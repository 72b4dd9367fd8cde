"""Where attachment files are kept: `STORAGES["default"]`, chosen by `WULIAN_STORAGE_URL`.

- empty (the default): local disk under MEDIA_ROOT (Django's FileSystemStorage) — the embedded
  tier, and any site with a shared filesystem mounted at MEDIA_ROOT on every web process;
- `s3://bucket/optional/prefix?endpoint_url=https://oss.example.gov.cn&region_name=…`: an
  S3-compatible object store (MinIO, a government cloud's OSS) through django-storages' S3
  backend. That package (`pip install "django-storages[s3]"`, which brings boto3) is installed on
  such sites only; it is not a dependency of the product, and this branch is not exercised by
  the test suite. Credentials come from the environment (`AWS_ACCESS_KEY_ID`,
  `AWS_SECRET_ACCESS_KEY`), never from the URL.

Imported by `settings.py`: standard library only.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

S3_BACKEND = "storages.backends.s3.S3Storage"
S3_OPTIONS = frozenset(
    {"endpoint_url", "region_name", "addressing_style", "signature_version", "verify", "use_ssl"}
)


def default_storage_from_url(url: str) -> dict[str, Any]:
    """The `STORAGES["default"]` entry for a storage URL."""
    url = url.strip()
    if not url:
        # MEDIA_ROOT is read by the storage itself (and follows settings overrides in tests).
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ValueError(f"WULIAN_STORAGE_URL: unsupported scheme {parts.scheme!r} (use s3://)")
    if parts.username or parts.password:
        raise ValueError(
            "WULIAN_STORAGE_URL must not carry credentials: set AWS_ACCESS_KEY_ID and "
            "AWS_SECRET_ACCESS_KEY in the environment"
        )
    if not parts.hostname:
        raise ValueError("WULIAN_STORAGE_URL: s3://<bucket>[/prefix] needs a bucket name")
    options: dict[str, Any] = {
        "bucket_name": parts.hostname,
        "location": parts.path.strip("/"),
        # Never overwrite: names are random, and an existing object is never replaced.
        "file_overwrite": False,
        # Objects are private; downloads always go through the product's permission check.
        "default_acl": "private",
        "querystring_auth": True,
    }
    for key, value in parse_qsl(parts.query, keep_blank_values=False):
        if key not in S3_OPTIONS:
            raise ValueError(f"WULIAN_STORAGE_URL: unknown option {key!r}")
        if key in {"use_ssl", "verify"} and value.lower() in {"true", "false"}:
            options[key] = value.lower() == "true"
        else:
            options[key] = value
    return {"BACKEND": S3_BACKEND, "OPTIONS": options}
