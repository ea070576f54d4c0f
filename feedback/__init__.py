"""Citizens' ratings and complaints, staff roles, and the summaries managers read."""
