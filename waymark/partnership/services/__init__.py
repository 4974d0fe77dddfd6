"""Every write in partnership working, split by topic. Each function takes a keyword-only ``actor``, runs in
one transaction with the actor in the audit history, and refuses bad input with a ``ValidationError`` naming
the field."""
