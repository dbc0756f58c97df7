"""The game: day and lifetime sums, the streak, goals, levels, badges, wins and rewards.

``progress`` is the game's part of the one write path; the other rooms read.
"""
