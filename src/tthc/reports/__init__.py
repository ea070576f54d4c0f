"""Manager reports: satisfaction and on-time figures, as text, charts and spreadsheets."""
