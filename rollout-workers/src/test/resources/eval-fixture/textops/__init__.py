"""A tiny text library with known bugs, written for Crucible's evaluation tests."""
