"""The one settings module. Everything that differs between machines is read from the
environment (see `.env.example`); nothing here is edited per deployment."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from wulian.core.attachments.storage import default_storage_from_url
from wulian.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("WULIAN_VAR_DIR", str(Path.cwd() / "var")))


def _embedded_secret_key() -> str:
    """The embedded tier's key, written once by `make run` into var/secret_key: the console
    commands (`.venv/bin/wulian audit verify` …) run in the checkout without exporting it."""
    path = VAR_DIR / "secret_key"
    try:
        return path.read_text(encoding="utf-8").strip() if path.is_file() else ""
    except OSError:
        return ""


SECRET_KEY = env_str("SECRET_KEY", "") or _embedded_secret_key() or env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

# Demo mode lists the demo accounts on the sign-in page. Never on in production.
DEMO_MODE = env_bool("WULIAN_DEMO_MODE", False)

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "drf_spectacular",
    "django_filters",
    "csp",
    "wulian.core",
    "wulian.core.notifications",
    "wulian.core.attachments",
    "wulian.core.activities",
    "wulian.core.deadlines",
    "wulian.core.rectification",
    "wulian.core.clues",
    "wulian.core.polls",
    "wulian.core.bulletins",
    "wulian.core.opinions",
    "wulian.suggestions",
    "wulian.judicial",
    # The links' own apps, in the order the navigation's 五联 lists them.
    "wulian.livelihood",
    "wulian.stations",
    "wulian.inquiries",
    "wulian.evaluation",
    "wulian.consultation",
    "wulian.reports",
    "wulian.portal",
    "wulian.accounts",
    "wulian.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "wulian.core.middleware.RequestIdMiddleware",
    "wulian.api.middleware.ProblemJsonMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the two account gates below, which leave a message when they redirect.
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "wulian.accounts.middleware.SessionExpiryMiddleware",
    "wulian.accounts.middleware.SecondFactorAndPasswordAgeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "wulian.core.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "wulian.urls"
WSGI_APPLICATION = "wulian.wsgi.application"
ASGI_APPLICATION = "wulian.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wulian.core.context_processors.shell",
            ],
        },
    }
]

# `<select>` written without a template per option (see wulian/core/renderers.py).
FORM_RENDERER = "wulian.core.renderers.FormRenderer"

# --- Database ---------------------------------------------------------------------------
# Embedded default: SQLite under ./var in WAL mode with IMMEDIATE transactions, so that a
# writer takes the lock when its transaction starts instead of failing half-way.
_default_sqlite = f"sqlite:///{VAR_DIR / 'wulian.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _default_sqlite), conn_max_age=env_int("DB_CONN_MAX_AGE", 0)
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ------------------------------------------------------------------------------------
# Kept counts of the dashboards (wulian.reports.cache) and the suggestions' concentration:
# shared by the web workers through Redis when WULIAN_CACHE_URL names one (redis://host:6379/1),
# else each worker process keeps its own in memory.
_cache_url = env_str("WULIAN_CACHE_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _cache_url}
        if _cache_url
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
# How long a link's counts for a person and year are kept at the most (0: not kept); a recorded
# change anywhere starts new ones at once (ADR 0031).
REPORTS_COUNTS_CACHE_SECONDS = env_int("WULIAN_REPORTS_COUNTS_CACHE_SECONDS", 300)

# --- Accounts and passwords ------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# "mlps3": 等保 level 3 (length, character classes, periodic change) — the default.
# "asvs": OWASP ASVS 5.0 L2 (long passwords, no composition rules, no forced rotation).
PASSWORD_PROFILE = env_str("WULIAN_PASSWORD_PROFILE", "mlps3")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "wulian.accounts.passwords.ProfileValidator"},
]
LOCKOUT_THRESHOLD = env_int("WULIAN_LOCKOUT_THRESHOLD", 5)
LOCKOUT_MINUTES = env_int("WULIAN_LOCKOUT_MINUTES", 30)
# Per-address throttle beside the per-account lock-out: after this many refused sign-ins from
# one address within the window, that address is answered 429 with Retry-After (0: off).
LOGIN_THROTTLE_FAILURES = env_int("WULIAN_LOGIN_THROTTLE_FAILURES", 20)
LOGIN_THROTTLE_WINDOW_SECONDS = env_int("WULIAN_LOGIN_THROTTLE_WINDOW_SECONDS", 600)
# Slip codes of secret ballots (ADR 0022): this many wrong codes from one address within the
# window close it (429 with Retry-After); a room's phones may share one address (0: off).
POLL_CODE_FAILURES = env_int("WULIAN_POLL_CODE_FAILURES", 30)
POLL_CODE_WINDOW_SECONDS = env_int("WULIAN_POLL_CODE_WINDOW_SECONDS", 300)
# Exports of more rows than this run as background tasks with a progress page (issue 13).
WULIAN_BACKGROUND_ROWS = env_int("WULIAN_BACKGROUND_ROWS", 300)
OTP_TOTP_ISSUER = "五联 Wulian"

# --- Sessions: server-side, idle and absolute expiry ---------------------------------------
SESSION_ENGINE = "wulian.accounts.sessions"  # Django's db sessions, the read written out
SESSION_IDLE_SECONDS = env_int("WULIAN_SESSION_IDLE_MINUTES", 30) * 60
SESSION_COOKIE_AGE = env_int("WULIAN_SESSION_ABSOLUTE_HOURS", 10) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Transport security -------------------------------------------------------------------
# WULIAN_HTTPS is true in production (behind TLS). The embedded demo on 127.0.0.1 turns it
# off, since a browser does not send Secure cookies to a plain-HTTP host.
HTTPS = env_bool("WULIAN_HTTPS", True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_NAME = "__Host-sessionid" if HTTPS else "wulian_session"
CSRF_COOKIE_NAME = "__Host-csrftoken" if HTTPS else "wulian_csrftoken"
# Pages take the CSRF token from the template (hx-headers), never from the cookie.
CSRF_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_NAME = "__Host-wulian_language" if HTTPS else "wulian_language"
LANGUAGE_COOKIE_SECURE = HTTPS
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = HTTPS and env_bool("WULIAN_SSL_REDIRECT", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = False
# Intranet host names cannot be on the browsers' HSTS preload list, so its warning is moot.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env_bool("WULIAN_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The site's own reverse proxies / load balancers (addresses or networks). The client's address
# is read from X-Forwarded-For only through them (`core.clientip`); empty: REMOTE_ADDR is it.
TRUSTED_PROXIES = env_list("WULIAN_TRUSTED_PROXIES", [])

# django-csp 4: everything from our own origin, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

# --- Language and time ---------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_TZ = True
# A list filter's empty choice: 全部 ("all"), not django-filters' bare "---------".
FILTERS_EMPTY_CHOICE_LABEL = _("全部")

# --- Static files: served by the product itself (WhiteNoise); nothing from a CDN --------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
STORAGES = {
    # Attachments: local disk under MEDIA_ROOT unless WULIAN_STORAGE_URL names an
    # S3-compatible store (see wulian/core/attachments/storage.py and the README).
    "default": default_storage_from_url(env_str("WULIAN_STORAGE_URL", "")),
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if env_bool("WULIAN_MANIFEST_STATIC", not DEBUG)
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))

# Uploads (imports and attachments) are bounded.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
IMPORT_MAX_BYTES = env_int("WULIAN_IMPORT_MAX_MB", 10) * 1024 * 1024
IMPORT_MAX_ROWS = env_int("WULIAN_IMPORT_MAX_ROWS", 20_000)
ATTACHMENT_MAX_BYTES = env_int("WULIAN_ATTACHMENT_MAX_MB", 20) * 1024 * 1024

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wulian.api.auth.BearerTokenAuthentication",
        "wulian.api.auth.OTPVerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["wulian.api.permissions.DeclaredPolicy"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "wulian.api.pagination.Pagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "wulian.api.errors.problem_exception_handler",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["wulian.api.parsers.JSONParser"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Wulian 五联 API",
    "DESCRIPTION": "Joint supervision platform. Every write goes through the same services "
    "and access policy as the web interface.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "bearerAuth": {"type": "http", "scheme": "bearer", "description": "API token"}
        }
    },
    "SECURITY": [{"bearerAuth": []}],
    "AUTHENTICATION_WHITELIST": ["wulian.api.auth.BearerTokenAuthentication"],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "wulian.api.schema.add_problem_responses",
    ],
    # Named choice sets, so that other `kind`/`role` fields do not collide with them.
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "wulian.core.choices.OrgKind",
        "MembershipRoleEnum": "wulian.core.choices.Role",
        "SuggestionCategoryEnum": "wulian.suggestions.choices.Category",
        "SuggestionStatusEnum": "wulian.suggestions.choices.SuggestionStatus",
        "NotAcceptedReasonEnum": "wulian.suggestions.choices.NotAcceptedReason",
        "ReplyCategoryEnum": "wulian.suggestions.choices.ReplyCategory",
        "SatisfactionEnum": "wulian.suggestions.choices.Satisfaction",
        "SupervisionKindEnum": "wulian.suggestions.choices.SupervisionKind",
        "AssignmentBatchStateEnum": "wulian.suggestions.choices.BatchState",
        "ReviewBatchStateEnum": "wulian.judicial.choices.BatchState",
        "CourtSuggestionStateEnum": "wulian.judicial.choices.SuggestionState",
        "SensitivityEnum": "wulian.core.choices.Sensitivity",
        "BulletinSensitivityEnum": "wulian.core.bulletins.choices.BulletinSensitivity",
        "PollKindEnum": "wulian.core.polls.choices.PollKind",
        "PollStateEnum": "wulian.core.polls.choices.PollState",
    },
}
API_TOKEN_DAYS = env_int("WULIAN_API_TOKEN_DAYS", 90)
# A token of a person whose role needs a second factor (CDI side, administrators) is a
# credential without that factor: it lasts this many hours unless the security administrator
# has allowed longer for that person (at most WULIAN_API_TOKEN_DAYS).
API_TOKEN_HOURS_SECOND_FACTOR = env_int("WULIAN_API_TOKEN_HOURS_SECOND_FACTOR", 24)

# --- Audit chain checkpoints ---------------------------------------------------------------
# The SM2 key pair lives outside the database; checkpoints are exported to a directory the web
# processes cannot rewrite in production (another host's mount, an append-only volume), and
# optionally to a remote syslog sink ("loghost:514").
AUDIT_SIGNING_KEY_FILE = env_str(
    "WULIAN_AUDIT_SIGNING_KEY_FILE", str(VAR_DIR / "keys" / "audit-sm2.key")
)
AUDIT_VERIFY_KEY_FILE = env_str(
    "WULIAN_AUDIT_VERIFY_KEY_FILE", str(VAR_DIR / "keys" / "audit-sm2.pub")
)
AUDIT_CHECKPOINT_DIR = env_str("WULIAN_AUDIT_CHECKPOINT_DIR", str(VAR_DIR / "audit-checkpoints"))
AUDIT_CHECKPOINT_SYSLOG = env_str("WULIAN_AUDIT_CHECKPOINT_SYSLOG", "")
# A checkpoint every N minutes and every N events (whichever comes first; the worker looks every
# 10 s). `wulian audit verify` fails when more of the tail than the bounds waits unsigned.
AUDIT_CHECKPOINT_MINUTES = env_int("WULIAN_AUDIT_CHECKPOINT_MINUTES", 1)
AUDIT_CHECKPOINT_EVENTS = env_int("WULIAN_AUDIT_CHECKPOINT_EVENTS", 1000)
AUDIT_UNSIGNED_MAX_EVENTS = env_int("WULIAN_AUDIT_UNSIGNED_MAX_EVENTS", 5000)
AUDIT_UNSIGNED_MAX_SECONDS = env_int("WULIAN_AUDIT_UNSIGNED_MAX_SECONDS", 300)

# --- Confidential fields at rest (SM4-GCM) ------------------------------------------------------
# The key file lives outside the database (`wulian keys generate`); see wulian/core/crypto.py.
FIELD_KEY_FILE = env_str("WULIAN_FIELD_KEY_FILE", str(VAR_DIR / "keys" / "field-sm4.key"))

# --- Clues (问题线索) and rectification (整改): time limits in working days -------------------
# LOCAL practice, not national rules (docs/adr/0019): no national text sets the CDI's receipt
# (5) and disposition (15) limits on a clue transferred by the congress, nor the sending side's
# limit to transfer a clue it found (15, from the day found; a county rule of 15 working days
# for referral is the nearest source found). Set them to the locality's own rules.
CLUE_RECEIPT_WORKING_DAYS = env_int("WULIAN_CLUE_RECEIPT_WORKING_DAYS", 5)
CLUE_DISPOSITION_WORKING_DAYS = env_int("WULIAN_CLUE_DISPOSITION_WORKING_DAYS", 15)
CLUE_TRANSFER_WORKING_DAYS = env_int("WULIAN_CLUE_TRANSFER_WORKING_DAYS", 15)
RECTIFICATION_COMMITMENT_WORKING_DAYS = env_int("WULIAN_RECTIFICATION_COMMITMENT_WORKING_DAYS", 10)

# --- Bulletins (定期通报 / 工作通报): receipt and feedback windows in working days -------------
# LOCAL defaults, not national rules (docs/adr/0021): no national text sets how fast a
# recipient signs for a bulletin or answers it; 3 (签收) and 10 (反馈) are the project's design
# reference (shared/reference/remaining-links.md, 联商 §4) — set them to the locality's rules.
BULLETIN_RECEIPT_WORKING_DAYS = env_int("WULIAN_BULLETIN_RECEIPT_WORKING_DAYS", 3)
BULLETIN_FEEDBACK_WORKING_DAYS = env_int("WULIAN_BULLETIN_FEEDBACK_WORKING_DAYS", 10)

# --- Opinion rounds (征求意见): the default window, and the figures' small-number rule --------
# LOCAL default (docs/adr/0024): 10 working days from the sending out is the design reference
# (issue 15, part 4); each round may set its own (1–60). Outside the drafting side, an adoption
# split over fewer commenters than OPINION_FIGURES_MIN_COMMENTERS is not shown.
OPINION_WORKING_DAYS = env_int("WULIAN_OPINION_WORKING_DAYS", 10)
OPINION_FIGURES_MIN_COMMENTERS = env_int("WULIAN_OPINION_FIGURES_MIN_COMMENTERS", 3)

# --- Deputies' suggestions (联办): the local rules' time limits --------------------------------
# Sources: docs/adr/0019 ("Suggestions"). Set each to the locality's own rule.
SUGGESTION_ASSIGN_WORKING_DAYS = env_int("WULIAN_SUGGESTION_ASSIGN_WORKING_DAYS", 5)
# Receipt or send-back (签收 / 退回) after the delivery of the assignment. Default 10 working
# days: 浙海渔办〔2011〕16号 第三条 (a change of unit asked for within 10 个工作日 of the 交办会);
# the municipal rules found say 十日 / 10日 (calendar days, about 7–8 working days). The former
# 5 had no source and was stricter than every rule found. Huangshi's own text was not found.
SUGGESTION_RECEIPT_WORKING_DAYS = env_int("WULIAN_SUGGESTION_RECEIPT_WORKING_DAYS", 10)
# Contact with the deputy within N hours of the delivery of the assignment (交办送达, not 签收):
# the Huangshi article [CN1], "收到代表建议48小时内与代表取得联系".
SUGGESTION_CONTACT_HOURS = env_int("WULIAN_SUGGESTION_CONTACT_HOURS", 48)
SUGGESTION_REPLY_MONTHS = env_int("WULIAN_SUGGESTION_REPLY_MONTHS", 3)
# A co-unit's opinion (会办意见) to the lead unit: within this many months of its assignment
# (交办之日起一个月: e.g. the Fujian provincial rules on deputies' suggestions, art. 20 —
# "协办单位应当在交办之日起一个月内提出书面意见交主办单位"; Ningbo's municipal rules count the
# month from receipt). Once it has passed the lead unit may reply without that opinion (the
# reply records which are missing); the congress office may also waive one.
SUGGESTION_OPINION_MONTHS = env_int("WULIAN_SUGGESTION_OPINION_MONTHS", 1)
SUGGESTION_REPLY_MAX_MONTHS = env_int("WULIAN_SUGGESTION_REPLY_MAX_MONTHS", 6)
# After 不满意 the congress office reassigns the suggestion (重新交办) within N working days
# (a local choice: the same limit as assigning a suggestion raised between sessions, one
# municipal rule's 5 个工作日 [CN5]); the re-reply months run from that reassignment, not from
# the verdict: 1 month (Huangshi government rule [CN6] 第二十七条 "在1个月内再次作出书面答复";
# one provincial amendment [CN5]), at most this many months with an approved extension (one
# municipal rule allows 2 months).
SUGGESTION_REASSIGN_WORKING_DAYS = env_int("WULIAN_SUGGESTION_REASSIGN_WORKING_DAYS", 5)
SUGGESTION_REREPLY_MONTHS = env_int("WULIAN_SUGGESTION_REREPLY_MONTHS", 1)
SUGGESTION_REREPLY_MAX_MONTHS = env_int("WULIAN_SUGGESTION_REREPLY_MAX_MONTHS", 2)
# The reply classes (答复类别), "code:label;…" (one capital letter each); default the shipped
# A / B / C / D set (wulian/suggestions/reply_classes.py says where each comes from).
SUGGESTION_REPLY_CLASSES = env_str(
    "WULIAN_SUGGESTION_REPLY_CLASSES",
    "A:已解决或基本解决;B:正在解决或列入计划逐步解决;C:留作参考;D:因条件限制不能解决",
)
# Concentrated opinions (代表反映比较集中的建议、批评和意见, the Huangshi article [CN1]): a cluster
# is at least this many similar suggestions and station opinions from at least N different
# deputies, similar at least this much (cosine × 100) to the cluster's first one. Local choice.
SUGGESTION_CONCENTRATION_MIN_DEPUTIES = env_int("WULIAN_SUGGESTION_CONCENTRATION_MIN_DEPUTIES", 3)
SUGGESTION_CONCENTRATION_SIMILARITY = env_int("WULIAN_SUGGESTION_CONCENTRATION_SIMILARITY", 35)
# The deputy returns the 征询意见表 (the verdict) within this many working days of the reply;
# a miss tells the congress office to follow up (no supervision order, nothing deemed).
SUGGESTION_VERDICT_WORKING_DAYS = env_int("WULIAN_SUGGESTION_VERDICT_WORKING_DAYS", 20)
SUGGESTION_SUPERVISION_WORKING_DAYS = env_int("WULIAN_SUGGESTION_SUPERVISION_WORKING_DAYS", 10)
# The year's figures: for those who may not see verdicts (units), a verdict breakdown (the
# satisfaction split, a unit's satisfaction rate) over fewer verdicts than this is not shown.
SUGGESTION_FIGURES_MIN_VERDICTS = env_int("WULIAN_SUGGESTION_FIGURES_MIN_VERDICTS", 5)

# --- Notifications: e-mail, group robots, SMS ------------------------------------------------
# E-mail is offered to people only when EMAIL_HOST is set (an intranet mail relay).
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "wulian@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address people open the product at, for links in e-mail and robot messages.
SITE_URL = env_str("WULIAN_SITE_URL", "")
WEBHOOK_TIMEOUT_SECONDS = env_int("WULIAN_WEBHOOK_TIMEOUT_SECONDS", 5)
# Networks a webhook may reach although they are not public (loopback, private, link-local…),
# comma-separated CIDRs, e.g. "10.20.0.0/16" for the city's own robot gateway. Empty: public
# addresses only (see wulian/core/notifications/netguard.py).
WEBHOOK_ALLOWED_NETWORKS = env_list("WULIAN_WEBHOOK_ALLOWED_NETWORKS", [])
for _network in WEBHOOK_ALLOWED_NETWORKS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError as _exc:
        raise ImproperlyConfigured(f"WULIAN_WEBHOOK_ALLOWED_NETWORKS: {_exc}") from None
# How long delivered notices are kept (wulian/core/notifications/retention.py, a daily job):
# sent or dropped outbox rows (a quarter: "was I told?" and repeat-proofing need far less),
# dead ones (longer: an administrator should see them), read inbox items (a person's history).
# Undelivered messages and unread items are never removed.
NOTIFICATION_OUTBOX_RETENTION_DAYS = env_int("WULIAN_NOTIFICATION_OUTBOX_RETENTION_DAYS", 90)
NOTIFICATION_OUTBOX_DEAD_RETENTION_DAYS = env_int(
    "WULIAN_NOTIFICATION_OUTBOX_DEAD_RETENTION_DAYS", 180
)
NOTIFICATION_READ_RETENTION_DAYS = env_int("WULIAN_NOTIFICATION_READ_RETENTION_DAYS", 365)
# Dotted path of the site's SMS gateway class (see wulian/core/notifications/sms.py); empty:
# SMS is not offered and texts are only logged.
SMS_GATEWAY = env_str("WULIAN_SMS_GATEWAY", "")

# --- Logging ----------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A refused request (401/403/404) is one line with its request id, not a traceback.
    "filters": {"refusals": {"()": "wulian.core.logfilters.RefusalsOnOneLine"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.security.DisallowedHost": {"level": "ERROR"},
        "django.request": {"filters": ["refusals"]},
    },
}

ADMIN_TIMEOUT = timedelta(minutes=30)
UI_PAGE_SIZE = 25
SITE_NAME = _("五联监督平台")
