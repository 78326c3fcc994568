"""What only the Inside page uses."""
