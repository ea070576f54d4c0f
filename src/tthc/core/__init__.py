"""The basement every capability stands on.

Settings, the database and its units of work, time, logging, once-only claims, the input
boundary, safe spreadsheets and progress lines. Nothing here imports a capability or an
entry point.
"""
