"""Requests that no view could store are refused with a 400 before they reach one."""
