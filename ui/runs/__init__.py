"""What only the Runs page uses."""
