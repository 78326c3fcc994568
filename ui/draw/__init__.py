"""What only the Draw page uses."""
