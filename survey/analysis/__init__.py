"""The figures of the dashboards and the exports, computed once.

Every function here aggregates in the database over `survey.analysis.levels.levels_query`
(GROUP BY) and returns small frozen dataclasses; the dashboards turn them into charts and
tables, the exports into sheets, and the tests compare them with hand-computed numbers.
Missing is never 0: an organisation without a level has `None`, and is counted as missing.
"""
