"""Notifications: the inbox under the bell, push to the rep's devices, reminders and team news.

- ``inbox``: the general inbox other features post to (``inbox.post``); it
  queues a push per device when push is on for that kind.
- ``preferences``: what the rep wants, and the reminder kinds that paused themselves.
- ``devices``: push subscriptions, one per browser.
- ``keys``: the server's VAPID key pair.
- ``push``: deliveries to the push services, with retries and clean-up.
- ``reminders``: the start nudge and streak-at-risk, checked each minute.
- ``news`` (written in the team's transactions) and ``digest`` (the worker
  batching it into one notification per rep and minute).
"""
