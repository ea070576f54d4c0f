"""Dossiers (hồ sơ): statuses imported from one-stop systems, lookup, notifications."""
