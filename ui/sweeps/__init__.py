"""What only the Sweeps page uses."""
