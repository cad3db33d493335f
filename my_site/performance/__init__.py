"""Work InvenioRDM repeats on every request or record that the instance does once."""
