"""What only the Map page uses."""
