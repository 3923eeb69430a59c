"""Exercise traffic: every record of an exercise (演習) is marked so that it can never be
taken for real-world traffic — on every page, live stream, API answer, export and PDF — the
way exercise messages open and close with EXERCISE EXERCISE EXERCISE. Coordination marks the
situations of kind exercise and their logs with it; the exercises app marks its own records.
"""

EXERCISE_BANNER = "EXERCISE EXERCISE EXERCISE"
