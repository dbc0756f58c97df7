"""Resilience coaching: the after-call panel, reviews, tough calls, resets, insights, the bigger picture.

Writes here keep the insights aggregates (``ReviewWeek``, ``HourlyActivity``)
in the same transaction as the row they summarise, so the insights and
bigger-picture pages read a few hundred aggregate rows whatever the rep's
history. Points and badges go through ``game.progress.award_activity``.
"""
