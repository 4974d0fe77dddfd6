"""Monitoring's writes, by topic: ``imports`` (start an import), ``access`` (data-sharing grants) and
``publishing`` (snapshots). Each takes a keyword-only ``actor=``, runs in one transaction and is audited; pages,
the API and tasks call them rather than saving models themselves."""
