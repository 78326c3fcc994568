"""What only the Home (app.py) page uses."""
