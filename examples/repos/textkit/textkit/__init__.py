"""textkit: small text utilities, written for Crucible's bundled task repositories."""
