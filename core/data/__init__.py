"""Datasets and what feeds the model: the registry, IDX files, loading and checking, the decoded cache, the validation split, preprocessing of drawings and images, the handwriting set."""
