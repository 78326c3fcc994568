"""What only the Filters page uses."""
