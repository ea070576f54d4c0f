"""The procedure catalogue: storage, cleaning, import/export and Vietnamese-aware search."""
