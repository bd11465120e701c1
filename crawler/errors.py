"""The few exceptions chipwatch raises across its boundaries.

ChipwatchError                 base: the CLI turns any of these into one line on stderr and a non-zero exit
├── ConfigError                the config file (or topic file) is wrong: the message names the file and the key
├── StoreError                 the database cannot be opened or written
├── CrawlLockedError           another crawl holds the crawl lock
└── MailError                  (digest.mail) the SMTP server refused or could not be reached

Everything else is a bug and surfaces with a traceback.
"""


class ChipwatchError(Exception):
    """Base of the errors a user can act on; str() is a one-line Korean message."""


class ConfigError(ChipwatchError):
    """Bad configuration: names the file and the key."""


class StoreError(ChipwatchError):
    """The database could not be opened, created or written."""


class CrawlLockedError(ChipwatchError):
    """Another crawl is running against the same database."""


class MailError(ChipwatchError):
    """The digest could not be handed to the SMTP server; nothing was marked as sent."""
