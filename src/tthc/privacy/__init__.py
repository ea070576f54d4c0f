"""Personal data kept only as long as it serves the citizen or the centre (retention)."""
