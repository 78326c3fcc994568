"""What a learner waits for in a real Chromium against a real server; the README's screenshots."""
