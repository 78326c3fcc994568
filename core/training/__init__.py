"""Training: the one config dataclass, presets, models, optimisers, augmentation, the trainer and its events, fit (a run from start to saved), background jobs, the allocator."""
