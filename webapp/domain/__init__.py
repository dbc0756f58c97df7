"""Closer's rules of the game: plain Python, no Flask, no SQLAlchemy.

Every module here takes plain values (outcomes, counts, dates, the rep's
timezone, ``today``) and returns plain values, so the rules can be read,
tuned and tested as tables in one place.
"""
