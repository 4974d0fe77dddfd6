"""The network's write path, one module per topic: every page, API, task, import and the demo change
network records through these verb-named functions (keyword-only ``actor=``, one transaction, audited
with ``core.audit.acting_as``, e-mail and jobs queued on commit)."""
