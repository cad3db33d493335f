"""my-site: the site package of the my-site InvenioRDM instance."""

__version__ = "0.1.0"
