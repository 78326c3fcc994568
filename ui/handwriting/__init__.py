"""What only the Handwriting page uses."""
