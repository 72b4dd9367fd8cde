"""Helpers every judicial service shares: the platform's (`wulian.core.servicekit`)."""

from __future__ import annotations

from wulian.core.servicekit import MAX_TEXT, digest, fail, get, lock, stale, text, whole

MAX_NAME = 200

__all__ = ["MAX_NAME", "MAX_TEXT", "digest", "fail", "get", "lock", "stale", "text", "whole"]
