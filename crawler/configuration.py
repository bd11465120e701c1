"""Load, validate and freeze chipwatch's TOML configuration.

Lookup order (SPEC): ``--config FILE``, else ``$CHIPWATCH_CONFIG``, else ``./chipwatch.toml``, else the built-in
defaults shipped in ``config/default.toml``.  A user file is laid over the built-in defaults section by section
(a user ``[[sources]]`` list replaces the default list whole).  Unknown keys and wrong types raise
:class:`ConfigError` naming the key and the file.  Relative paths are relative to the config file's folder; for the
built-in defaults, the database and outbox are relative to the current directory and the seeds and topic are the
packaged ones.  Secrets never live in the file: ``smtp.password_env`` names an environment variable.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from crawler.errors import ConfigError

ENV_VAR = "CHIPWATCH_CONFIG"
LOCAL_FILE = "chipwatch.toml"
SOURCE_KINDS = ("rss", "sitemap", "google_news", "naver_news")
SMTP_SECURITY = ("none", "starttls", "ssl")


def builtin_dir() -> Path:
    """Folder holding the packaged ``config/`` and ``seeds/``: inside the wheel, or the source checkout."""
    here = Path(__file__).resolve().parent
    packaged = here / "_builtin"
    if (packaged / "config" / "default.toml").is_file():
        return packaged
    return here.parent


def builtin_config_path() -> Path:
    return builtin_dir() / "config" / "default.toml"


@dataclass(frozen=True, slots=True)
class StorageConfig:
    url: str


@dataclass(frozen=True, slots=True)
class SeedsConfig:
    path: Path


@dataclass(frozen=True, slots=True)
class TopicConfig:
    path: Path


@dataclass(frozen=True, slots=True)
class CrawlConfig:
    max_age_days: int = 14
    schedule: str = "0 */6 * * *"
    delay: float = 1.0                 # seconds between requests to one host; a larger robots Crawl-delay wins
    concurrency: int = 16              # requests in flight in all
    contact: str = "ops@example.com"   # goes into the User-Agent
    timeout: float = 30.0              # seconds for one HTTP request
    retries: int = 2                   # retries after the first attempt, for 5xx and network errors
    max_page_bytes: int = 5_000_000    # larger responses are dropped as too_large
    max_items_per_source: int = 300    # newest feed/sitemap entries considered per source and crawl
    job_timeout_minutes: float = 30.0  # the daemon kills a crawl child process after this long
    workers: int = 0                   # extraction processes; 0 = one per CPU core


@dataclass(frozen=True, slots=True)
class SourceConfig:
    name: str
    kind: str
    url: str = ""
    query: str = ""                    # google_news / naver_news search query
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class DigestConfig:
    recipients: tuple[str, ...] = ()
    sender: str = "chipwatch@localhost"
    schedule: str = "0 8 * * mon"
    timezone: str = "Asia/Seoul"
    send_empty: bool = False
    outbox: Path = Path("outbox")
    max_stories: int = 50
    job_timeout_minutes: float = 10.0


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    host: str
    port: int = 587
    security: str = "starttls"
    username: str = ""
    password_env: str = "CHIPWATCH_SMTP_PASSWORD"
    timeout: float = 30.0
    ca_file: str = ""                  # extra CA certificate (PEM) to trust, e.g. an internal relay's own CA

    def password(self) -> str | None:
        """The password from the environment variable named in the config (never stored, never logged)."""
        return os.environ.get(self.password_env) if self.password_env else None


@dataclass(frozen=True, slots=True)
class Config:
    file: Path | None                  # None: the built-in defaults alone
    storage: StorageConfig
    seeds: SeedsConfig
    topic: TopicConfig
    crawl: CrawlConfig
    sources: tuple[SourceConfig, ...]
    digest: DigestConfig
    smtp: SmtpConfig | None
    naver_client_id_env: str = "NAVER_CLIENT_ID"
    naver_client_secret_env: str = "NAVER_CLIENT_SECRET"
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def label(self) -> str:
        return str(self.file) if self.file else "기본 설정(내장)"


# ---------------------------------------------------------------- lookup


def find_config_file(explicit: str | os.PathLike[str] | None, cwd: Path | None = None) -> Path | None:
    """The config file to use, or None for the built-in defaults."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"설정 파일을 찾을 수 없습니다: {path}")
        return path.resolve()
    env = os.environ.get(ENV_VAR)
    if env:
        path = Path(env)
        if not path.is_file():
            raise ConfigError(f"{ENV_VAR}가 가리키는 설정 파일을 찾을 수 없습니다: {path}")
        return path.resolve()
    local = (cwd or Path.cwd()) / LOCAL_FILE
    return local.resolve() if local.is_file() else None


def load_config(explicit: str | os.PathLike[str] | None = None, *, cwd: Path | None = None) -> Config:
    """Find, read, merge over the defaults and validate the configuration."""
    cwd = cwd or Path.cwd()
    user_file = find_config_file(explicit, cwd)
    defaults_path = builtin_config_path()
    defaults = _read_toml(defaults_path)
    if user_file is None:
        return _build(defaults, {}, None, defaults_path, cwd)
    user = _read_toml(user_file)
    return _build(defaults, user, user_file, defaults_path, cwd)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML 문법 오류: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: 설정 파일을 읽을 수 없습니다: {exc.strerror}") from None


# ---------------------------------------------------------------- validation

_SECTIONS = {
    "storage": {"url": str},
    "seeds": {"path": str},
    "topic": {"path": str},
    "crawl": {"max_age_days": int, "schedule": str, "delay": float, "concurrency": int, "contact": str,
              "timeout": float, "retries": int, "max_page_bytes": int, "max_items_per_source": int,
              "job_timeout_minutes": float, "workers": int},
    "digest": {"recipients": list, "sender": str, "schedule": str, "timezone": str, "send_empty": bool,
               "outbox": str, "max_stories": int, "job_timeout_minutes": float},
    "smtp": {"host": str, "port": int, "security": str, "username": str, "password_env": str,
             "timeout": float, "ca_file": str},
    "naver": {"client_id_env": str, "client_secret_env": str},
}
_SOURCE_KEYS = {"name": str, "kind": str, "url": str, "query": str, "enabled": bool}
_TYPE_NAMES = {str: "문자열", int: "정수", float: "숫자", bool: "true/false", list: "목록"}


def _check_type(value: Any, expected: type, key: str, file: Path) -> Any:
    ok = isinstance(value, expected) and not (expected in (int, float) and isinstance(value, bool))
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        ok = True
        value = float(value)
    if not ok:
        raise ConfigError(f"{file}: '{key}' 값의 형식이 잘못되었습니다: {_TYPE_NAMES[expected]}이어야 합니다 "
                          f"(받은 값: {value!r})")
    return value


def _check_section(name: str, raw: Any, file: Path) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ConfigError(f"{file}: '[{name}]'는 표(table)여야 합니다")
    schema = _SECTIONS[name]
    out = {}
    for key, value in raw.items():
        if key not in schema:
            allowed = ", ".join(schema)
            raise ConfigError(f"{file}: 알 수 없는 키 '{name}.{key}' (가능한 키: {allowed})")
        out[key] = _check_type(value, schema[key], f"{name}.{key}", file)
    return out


def _check_sources(raw: Any, file: Path) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise ConfigError(f"{file}: 'sources'는 [[sources]] 항목의 목록이어야 합니다")
    out = []
    for index, entry in enumerate(raw, start=1):
        where = f"sources[{index}]"
        if not isinstance(entry, dict):
            raise ConfigError(f"{file}: '{where}'는 표(table)여야 합니다")
        item = {}
        for key, value in entry.items():
            if key not in _SOURCE_KEYS:
                raise ConfigError(f"{file}: 알 수 없는 키 '{where}.{key}' (가능한 키: {', '.join(_SOURCE_KEYS)})")
            item[key] = _check_type(value, _SOURCE_KEYS[key], f"{where}.{key}", file)
        for key in ("name", "kind"):
            if not item.get(key):
                raise ConfigError(f"{file}: '{where}.{key}'가 없습니다")
        out.append(item)
    return out


_CRON_FIELD = re.compile(r"^[\w*/,\-]+$")


def validate_crontab(expr: str, key: str, file: Path) -> str:
    """A 5-field crontab string; the scheduler turns it into a trigger (see digest.schedule)."""
    fields = expr.split()
    if len(fields) != 5 or not all(_CRON_FIELD.match(f) for f in fields):
        raise ConfigError(f"{file}: '{key}'는 5개 필드의 crontab 문자열이어야 합니다 (예: \"0 8 * * mon\"), "
                          f"받은 값: {expr!r}")
    try:
        from crawler.crontab import parse_crontab
        parse_crontab(expr)
    except ValueError as exc:
        raise ConfigError(f"{file}: '{key}' crontab 값이 잘못되었습니다: {exc}") from None
    return expr


def _resolve_path(value: str, base: Path) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else (base / path).resolve()


def resolve_storage_url(url: str, base: Path) -> str:
    """Make a relative SQLite path absolute against ``base``; other URLs pass unchanged."""
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith("sqlite:////") and ":memory:" not in url:
        rest = url[len(prefix):]
        if rest:
            return prefix + str((base / rest).resolve())
    return url


def _build(defaults: dict, user: dict, user_file: Path | None, defaults_path: Path, cwd: Path) -> Config:
    known = set(_SECTIONS) | {"sources"}
    for key in user:
        if key not in known:
            raise ConfigError(f"{user_file}: 알 수 없는 섹션 또는 키 '{key}' (가능한 것: {', '.join(sorted(known))})")
    sections: dict[str, dict[str, Any]] = {}
    for name in _SECTIONS:
        merged = _check_section(name, defaults.get(name, {}), defaults_path)
        if name in user:
            merged.update(_check_section(name, user[name], user_file))  # type: ignore[arg-type]
        sections[name] = merged
    sources_file = user_file if "sources" in user else defaults_path
    raw_sources = _check_sources(user["sources"] if "sources" in user else defaults.get("sources", []),
                                 sources_file)  # type: ignore[arg-type]

    file_for = lambda section: user_file if (user_file and section in user) else defaults_path  # noqa: E731
    user_base = user_file.parent if user_file else cwd
    builtin = builtin_dir()

    def base_for(section: str, key: str) -> Path:
        if user_file and key in user.get(section, {}):
            return user_file.parent
        return builtin if section in ("seeds", "topic") else user_base

    storage = StorageConfig(url=resolve_storage_url(sections["storage"]["url"], base_for("storage", "url")))
    seeds = SeedsConfig(path=_resolve_path(sections["seeds"]["path"], base_for("seeds", "path")))
    topic = TopicConfig(path=_resolve_path(sections["topic"]["path"], base_for("topic", "path")))
    if not topic.path.is_file():
        raise ConfigError(f"{file_for('topic')}: 'topic.path' 주제 파일이 없습니다: {topic.path}")

    crawl_values = sections["crawl"]
    crawl = CrawlConfig(**crawl_values)
    cfile = file_for("crawl")
    validate_crontab(crawl.schedule, "crawl.schedule", cfile)
    _positive(crawl.max_age_days, "crawl.max_age_days", cfile, allow_zero=False)
    _positive(crawl.delay, "crawl.delay", cfile)
    _positive(crawl.concurrency, "crawl.concurrency", cfile, allow_zero=False)
    _positive(crawl.timeout, "crawl.timeout", cfile, allow_zero=False)
    _positive(crawl.retries, "crawl.retries", cfile)
    _positive(crawl.max_page_bytes, "crawl.max_page_bytes", cfile, allow_zero=False)
    _positive(crawl.max_items_per_source, "crawl.max_items_per_source", cfile, allow_zero=False)
    _positive(crawl.workers, "crawl.workers", cfile)
    if "@" not in crawl.contact:
        raise ConfigError(f"{cfile}: 'crawl.contact'는 연락 가능한 이메일 주소여야 합니다 (받은 값: {crawl.contact!r})")

    sources = tuple(_source(s, index, sources_file) for index, s in enumerate(raw_sources, start=1))  # type: ignore
    names = [s.name for s in sources]
    for name in names:
        if names.count(name) > 1:
            raise ConfigError(f"{sources_file}: 'sources'에 같은 이름 '{name}'이 두 번 있습니다")

    dvals = dict(sections["digest"])
    dfile = file_for("digest")
    recipients = dvals.pop("recipients", [])
    for index, r in enumerate(recipients, start=1):
        if not isinstance(r, str) or "@" not in r or any(ch in r for ch in "\r\n<>"):
            raise ConfigError(f"{dfile}: 'digest.recipients[{index}]'는 이메일 주소여야 합니다 (받은 값: {r!r})")
    outbox = _resolve_path(dvals.pop("outbox", "outbox"), base_for("digest", "outbox"))
    digest = DigestConfig(recipients=tuple(recipients), outbox=outbox, **dvals)
    validate_crontab(digest.schedule, "digest.schedule", dfile)
    try:
        ZoneInfo(digest.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{dfile}: 'digest.timezone' 시간대를 알 수 없습니다: {digest.timezone!r} "
                          f"(예: \"Asia/Seoul\")") from None
    if "@" not in digest.sender or any(ch in digest.sender for ch in "\r\n"):
        raise ConfigError(f"{dfile}: 'digest.sender'는 이메일 주소여야 합니다 (받은 값: {digest.sender!r})")
    _positive(digest.max_stories, "digest.max_stories", dfile, allow_zero=False)

    smtp = None
    if sections["smtp"]:
        sfile = file_for("smtp")
        if not sections["smtp"].get("host"):
            raise ConfigError(f"{sfile}: 'smtp.host'가 없습니다 ([smtp]를 쓰려면 host가 필요합니다)")
        smtp_values = dict(sections["smtp"])
        if smtp_values.get("ca_file"):
            ca = _resolve_path(smtp_values["ca_file"], base_for("smtp", "ca_file"))
            if not ca.is_file():
                raise ConfigError(f"{sfile}: 'smtp.ca_file' 파일이 없습니다: {ca}")
            smtp_values["ca_file"] = str(ca)
        smtp = SmtpConfig(**smtp_values)
        if smtp.security not in SMTP_SECURITY:
            raise ConfigError(f"{sfile}: 'smtp.security'는 {' | '.join(SMTP_SECURITY)} 중 하나여야 합니다 "
                              f"(받은 값: {smtp.security!r})")
        if not 0 < smtp.port < 65536:
            raise ConfigError(f"{sfile}: 'smtp.port'가 잘못되었습니다: {smtp.port}")
        if smtp.username and not smtp.password_env:
            raise ConfigError(f"{sfile}: 'smtp.password_env'가 비어 있습니다 (비밀번호는 환경 변수로만 받습니다)")
        if smtp.password_env and not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", smtp.password_env):
            raise ConfigError(f"{sfile}: 'smtp.password_env'는 환경 변수 이름이어야 합니다 (비밀번호 자체가 아니라)")
    naver = sections["naver"]
    return Config(
        file=user_file, storage=storage, seeds=seeds, topic=topic, crawl=crawl, sources=sources,
        digest=digest, smtp=smtp,
        naver_client_id_env=naver.get("client_id_env", "NAVER_CLIENT_ID"),
        naver_client_secret_env=naver.get("client_secret_env", "NAVER_CLIENT_SECRET"),
    )


def _positive(value: float, key: str, file: Path, *, allow_zero: bool = True) -> None:
    if value < 0 or (value == 0 and not allow_zero):
        need = "0 이상" if allow_zero else "0보다 큰 값"
        raise ConfigError(f"{file}: '{key}'는 {need}이어야 합니다 (받은 값: {value})")


def _source(raw: dict[str, Any], index: int, file: Path) -> SourceConfig:
    source = SourceConfig(**raw)
    where = f"sources[{index}] ({source.name})"
    if source.kind not in SOURCE_KINDS:
        raise ConfigError(f"{file}: '{where}.kind' 값이 잘못되었습니다: {source.kind!r} "
                          f"(가능한 값: {' | '.join(SOURCE_KINDS)})")
    if source.kind in ("rss", "sitemap"):
        parts = urlsplit(source.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"{file}: '{where}.url'은 http(s) 주소여야 합니다 (받은 값: {source.url!r})")
    elif not source.query:
        raise ConfigError(f"{file}: '{where}.query'가 없습니다 ({source.kind} 출처는 검색어가 필요합니다)")
    elif source.url:
        parts = urlsplit(source.url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(f"{file}: '{where}.url'은 http(s) 주소여야 합니다 (받은 값: {source.url!r})")
    return source
