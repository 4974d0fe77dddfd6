"""Every write to plans, split by topic: plans and objectives (``plans``), actions and the lead's update
(``actions``). Each function takes a keyword-only ``actor``, runs in one transaction with the actor in the
audit history, and refuses bad input with a ``ValidationError`` naming the field."""
