"""Uploads that cannot be written answer a clear error (507 when the disk is full)."""
