"""chipwatch's collecting half: gather pages, extract, judge, deduplicate, group and store.

Never imports :mod:`digest` (the layers are one-way: config data <- crawler <- digest).
"""

__version__ = "0.1.0"
