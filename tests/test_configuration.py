"""Config loading: lookup order, defaults, merging, and errors that name the key and the file."""

from pathlib import Path

import pytest

from crawler.configuration import builtin_config_path, load_config
from crawler.errors import ConfigError


def write(tmp_path: Path, text: str, name: str = "chipwatch.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_defaults_load_with_real_korean_sources(tmp_path, monkeypatch):
    monkeypatch.delenv("CHIPWATCH_CONFIG", raising=False)
    config = load_config(None, cwd=tmp_path)
    assert config.file is None
    assert len(config.sources) >= 10
    assert all(s.url.startswith(("http://", "https://")) for s in config.sources)
    assert {"rss", "sitemap"} >= {s.kind for s in config.sources}
    assert config.storage.url == f"sqlite:///{tmp_path / 'data' / 'chipwatch.db'}"
    assert config.seeds.path.is_dir() and len(list(config.seeds.path.glob("*.txt"))) == 5
    assert config.topic.path.is_file()
    assert config.crawl.max_age_days == 14 and config.digest.timezone == "Asia/Seoul"
    assert config.smtp is None


def test_lookup_order_env_then_local_file(tmp_path, monkeypatch):
    local = write(tmp_path, '[crawl]\ncontact = "local@example.com"\n')
    other = write(tmp_path, '[crawl]\ncontact = "env@example.com"\n', "other.toml")
    monkeypatch.delenv("CHIPWATCH_CONFIG", raising=False)
    assert load_config(None, cwd=tmp_path).crawl.contact == "local@example.com"
    monkeypatch.setenv("CHIPWATCH_CONFIG", str(other))
    assert load_config(None, cwd=tmp_path).crawl.contact == "env@example.com"
    assert load_config(local, cwd=tmp_path).crawl.contact == "local@example.com"


def test_user_file_overlays_defaults_and_paths_are_relative_to_it(tmp_path):
    (tmp_path / "conf").mkdir()
    path = write(tmp_path / "conf", """
[storage]
url = "sqlite:///db/x.db"
[crawl]
delay = 0
[[sources]]
name = "로컬"
kind = "rss"
url = "http://127.0.0.1:1/feed.xml"
[digest]
recipients = ["a@example.com", "b@example.com"]
outbox = "mail"
""")
    config = load_config(path, cwd=tmp_path)
    assert config.storage.url == f"sqlite:///{tmp_path / 'conf' / 'db' / 'x.db'}"
    assert config.digest.outbox == tmp_path / "conf" / "mail"
    assert [s.name for s in config.sources] == ["로컬"]
    assert config.crawl.delay == 0.0 and config.crawl.max_age_days == 14   # untouched keys keep defaults
    assert config.digest.recipients == ("a@example.com", "b@example.com")


@pytest.mark.parametrize("text, key", [
    ('[crawl]\nmax_age_dayz = 3\n', "crawl.max_age_dayz"),
    ('[crawl]\nmax_age_days = "14"\n', "crawl.max_age_days"),
    ('[crawl]\nconcurrency = true\n', "crawl.concurrency"),
    ('[crawl]\ndelay = -1\n', "crawl.delay"),
    ('[crawl]\nschedule = "every hour"\n', "crawl.schedule"),
    ('[digest]\nschedule = "0 8 * * funday"\n', "digest.schedule"),
    ('[digest]\ntimezone = "Mars/Olympus"\n', "digest.timezone"),
    ('[digest]\nrecipients = ["not-an-address"]\n', "digest.recipients[1]"),
    ('[smtp]\nhost = "smtp.example.com"\nsecurity = "tls"\n', "smtp.security"),
    ('[smtp]\nhost = "smtp.example.com"\npassword = "hunter2"\n', "smtp.password"),
    ('[smtp]\nport = 25\n', "smtp.host"),
    ('[strage]\nurl = "x"\n', "strage"),
    ('[[sources]]\nname = "x"\nkind = "atom"\nurl = "http://a/"\n', "sources[1] (x).kind"),
    ('[[sources]]\nname = "x"\nkind = "rss"\nurl = "ftp://a/"\n', "sources[1] (x).url"),
    ('[[sources]]\nname = "x"\nkind = "rss"\nurl = "http://a/"\nfoo = 1\n', "sources[1].foo"),
    ('[[sources]]\nname = "x"\nkind = "google_news"\n', "sources[1] (x).query"),
])
def test_bad_values_name_the_key_and_the_file(tmp_path, text, key):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        load_config(path, cwd=tmp_path)
    message = str(err.value)
    assert key in message and str(path) in message
    assert "\n" not in message


def test_toml_syntax_error_and_missing_file_are_config_errors(tmp_path):
    path = write(tmp_path, "[crawl\n")
    with pytest.raises(ConfigError, match="TOML"):
        load_config(path, cwd=tmp_path)
    with pytest.raises(ConfigError, match="찾을 수 없습니다"):
        load_config(tmp_path / "nope.toml", cwd=tmp_path)


def test_password_comes_only_from_the_environment(tmp_path, monkeypatch):
    path = write(tmp_path, '[smtp]\nhost = "smtp.example.com"\nusername = "bot"\npassword_env = "CW_TEST_PW"\n')
    config = load_config(path, cwd=tmp_path)
    monkeypatch.setenv("CW_TEST_PW", "s3cret")
    assert config.smtp.password() == "s3cret"
    assert "s3cret" not in repr(config)


def test_builtin_file_is_valid_toml_with_comments_for_unverified_sources():
    text = builtin_config_path().read_text(encoding="utf-8")
    assert "미확인" in text and "확인됨" in text
