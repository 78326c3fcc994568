"""What only the Train page uses."""
