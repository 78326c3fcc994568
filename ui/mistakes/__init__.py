"""What only the Mistakes page uses."""
