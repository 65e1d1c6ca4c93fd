"""Notifications to agencies' own systems: the outbox, webhook subscriptions, delivery and
deadline reminders."""
