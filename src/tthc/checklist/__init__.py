"""Per-citizen document checklists: which required papers they already have."""
