"""Ratings of the service and of finished dossiers (Rất hài lòng / Hài lòng / Không hài lòng)."""
