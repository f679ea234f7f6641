"""Bundled demo/fixture district sites and the stdlib server that serves them."""
