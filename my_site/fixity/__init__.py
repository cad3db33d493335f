"""File fixity: stored files are re-checksummed regularly and damage is reported."""
