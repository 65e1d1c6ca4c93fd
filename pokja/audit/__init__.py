"""The audit trail: hash-chained events, personal-data reads, a case's history, and
idempotency keys."""
