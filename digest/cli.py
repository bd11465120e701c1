"""The ``chipwatch`` command: a thin shell over :mod:`crawler` and :mod:`digest`.

The library does the work; this module parses arguments, sets up logging and turns the named exceptions
(:class:`crawler.errors.ChipwatchError`) into one line on stderr with a non-zero exit code.
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from crawler.errors import ChipwatchError

log = logging.getLogger("chipwatch")

EXIT_OK = 0
EXIT_ERROR = 1          # a one-line reason was printed
EXIT_USAGE = 2          # argparse's own code for bad arguments
EXIT_INTERRUPTED = 130

DESCRIPTION = """\
chipwatch: 한국어 뉴스에서 'AI 칩 수출통제' 기사를 모아 이미 아는 기사와 중복을 걸러내고,
주간 다이제스트 메일로 보내는 도구입니다.

설정 파일 찾는 순서: --config FILE → 환경 변수 CHIPWATCH_CONFIG → ./chipwatch.toml → 내장 기본값.
"""

EPILOG = """\
예:
  chipwatch demo                          네트워크 없이 전 과정을 1분 안에 보기 (예제 언론사 사이트)
  chipwatch crawl                         지금 한 번 수집 (끝에 출처별 요약 표)
  chipwatch crawl --source AI타임스       한 출처만 수집
  chipwatch digest preview -o digest.html 보낼 다이제스트를 HTML로 미리 보기 (발송·표시 없음)
  chipwatch digest send                   다이제스트 발송 (SMTP 없으면 outbox 폴더에 저장)
  chipwatch run                           데몬: 일정에 따라 수집하고 매주 다이제스트 발송
  chipwatch export --format csv -o a.csv  저장된 모든 기사 내보내기
  chipwatch status                        마지막 수집, 출처별 상태, 대기 중인 기사, 다음 실행 시각
  chipwatch extract page.html             저장된 웹 페이지에서 본문 추출 (JSON 줄)
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="chipwatch", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", metavar="FILE", help="설정 파일 (TOML)")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="자세한 로그 (-vv: 디버그)")
    parser.add_argument("-q", "--quiet", action="store_true", help="경고와 오류만 출력")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    p = sub.add_parser("crawl", help="지금 한 번 수집", description="설정된 출처를 한 번 수집하고 출처별 요약을 출력합니다.",
                       epilog="예: chipwatch crawl --source AI타임스 --source 전자신문")
    p.add_argument("--source", action="append", metavar="NAME", help="이 이름의 출처만 수집 (여러 번 사용 가능)")
    p.add_argument("--no-progress", action="store_true", help="터미널에서도 진행 표시 대신 일반 로그 줄 출력")

    p = sub.add_parser("digest", help="다이제스트 미리 보기 / 발송")
    dsub = p.add_subparsers(dest="digest_command", metavar="ACTION")
    dsub.required = True
    pp = dsub.add_parser("preview", help="대기 중인 다이제스트를 HTML로 저장 (발송·표시 없음)",
                         epilog="예: chipwatch digest preview -o /tmp/digest.html")
    pp.add_argument("-o", "--output", metavar="FILE", help="HTML 파일 경로 (기본: outbox/preview-….html)")
    dsub.add_parser("send", help="대기 중인 다이제스트 발송, 보낸 기사를 '발송됨'으로 표시",
                    epilog="예: CHIPWATCH_SMTP_PASSWORD=… chipwatch --config chipwatch.toml digest send")

    p = sub.add_parser("run", help="데몬: 일정에 따라 수집·발송", epilog="예: chipwatch --config /etc/chipwatch.toml run")

    p = sub.add_parser("export", help="저장된 기사 내보내기 (jsonl | csv)",
                       epilog="예: chipwatch export --format jsonl --output articles.jsonl")
    p.add_argument("--format", choices=("jsonl", "csv"), required=True)
    p.add_argument("--output", "-o", metavar="FILE", help="출력 파일 (기본: 표준 출력)")

    sub.add_parser("status", help="마지막 수집, 출처별 상태, 대기 중인 기사, 다음 실행 시각")

    p = sub.add_parser("extract", help="저장된 웹 페이지에서 본문 추출 (JSON 줄 출력)",
                       epilog="예: chipwatch extract article.html saved.html.gz --url https://example.com/a")
    p.add_argument("files", nargs="+", metavar="FILE", help=".html, .htm, .gz (UTF-8, EUC-KR, CP949)")
    p.add_argument("--url", help="페이지의 원래 주소 (상대 링크와 canonical 판단에 사용)")

    p = sub.add_parser("demo", help="네트워크 없이 예제 사이트로 수집→다이제스트 전 과정 보기",
                       epilog="예: chipwatch demo --keep /tmp/chipwatch-demo")
    p.add_argument("--keep", metavar="DIR", help="데모 DB와 결과를 이 폴더에 남김 (기본: 임시 폴더)")
    return parser


def setup_logging(verbose: int, quiet: bool) -> None:
    level = logging.WARNING if quiet else (logging.DEBUG if verbose > 1 else logging.INFO)
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(level)   # on the handler too: Scrapy resets the root logger's level when it starts
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%Y-%m-%d %H:%M:%S"))
    third_party_min = logging.DEBUG if verbose > 1 else logging.WARNING

    def third_party_filter(record: logging.LogRecord) -> bool:
        # Scrapy reconfigures its loggers' levels when it starts; a filter on our handler stays in force.
        if record.name.startswith(("scrapy", "twisted", "py.warnings", "trafilatura", "htmldate")):
            if record.name == "scrapy.downloadermiddlewares.retry" and verbose < 2:
                return False
            return record.levelno >= third_party_min
        return True

    handler.addFilter(third_party_filter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("scrapy", "twisted", "trafilatura", "htmldate", "charset_normalizer", "filelock", "asyncio",
                  "apscheduler.executors", "readability", "courlan", "justext"):
        logging.getLogger(noisy).setLevel(logging.WARNING if verbose < 2 else logging.INFO)
    if verbose < 1:
        for chatty in ("crawler.ingest", "crawler.seeds", "crawler.spiders.news"):
            logging.getLogger(chatty).setLevel(logging.WARNING)
        # Scrapy's own "Gave up retrying" errors repeat what the crawl summary reports per source
        logging.getLogger("scrapy.downloadermiddlewares.retry").setLevel(logging.CRITICAL)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.verbose, args.quiet)
    try:
        return dispatch(args)
    except ChipwatchError as exc:
        print(f"chipwatch: 오류: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("chipwatch: 중단되었습니다", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return EXIT_OK


def dispatch(args: argparse.Namespace) -> int:
    from digest import commands

    if args.command == "extract":
        return commands.extract(args.files, args.url)
    if args.command == "demo":
        return commands.demo(args.keep)
    from crawler.configuration import load_config

    config = load_config(args.config)
    if args.command == "crawl":
        return commands.crawl(config, args.source, progress=False if args.no_progress else None,
                              verbose=args.verbose)
    if args.command == "export":
        return commands.export(config, args.format, Path(args.output) if args.output else None)
    if args.command == "status":
        return commands.status(config)
    if args.command == "digest":
        if args.digest_command == "preview":
            return commands.digest_preview(config, Path(args.output) if args.output else None)
        return commands.digest_send(config)
    if args.command == "run":
        return commands.run_daemon(config)
    raise AssertionError(args.command)


if __name__ == "__main__":
    sys.exit(main())
