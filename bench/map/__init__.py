"""The Map page's methods and waits on a saved run."""
