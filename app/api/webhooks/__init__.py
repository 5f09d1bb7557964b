"""Webhooks: subscriptions, their delivery log, redelivery and test pings."""
