"""Voice's write path, one module per topic: taking feedback in (``intake``), its languages and the languages
staff read (``languages``), triage and the safeguarding alert (``triage``), issues, escalations, answers and
closure days (``escalations``) and the reminders that chase answers (``reminders``).

Each function takes a keyword-only ``actor=`` (the public form and background jobs act as nobody), runs in
one transaction, is audited with ``core.audit.acting_as`` and queues its e-mails and tasks on commit. Reading
(queues, who answers, published figures, reports) is not here: ``voice.triage_queue``, ``answering``,
``language``, ``published``, ``reports``.
"""
