"""The Lecture page's pieces: one module per step (data, layers and model, training, testing)."""
