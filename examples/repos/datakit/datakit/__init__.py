"""datakit: small data structures and algorithms, written for Crucible's bundled task repositories."""
