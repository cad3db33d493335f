"""Curation checks of communities: the metadata rules their submissions are checked against."""
