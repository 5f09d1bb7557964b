"""Webhooks as pure rules: the event types, the Standard Webhooks signature, retry timing and
which receiver addresses are allowed."""
