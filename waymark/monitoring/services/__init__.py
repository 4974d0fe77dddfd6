"""Monitoring's writes, by topic (``imports``: start an import). Each takes a keyword-only ``actor=``, runs in
one transaction and is audited; pages, the API and tasks call them rather than saving models themselves."""
