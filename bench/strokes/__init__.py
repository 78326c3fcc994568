"""Digits drawn as pen strokes, and how well each preset's run reads them."""
