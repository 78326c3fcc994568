"""The map of what a network learned: features, exact nearest neighbours, PCA and t-SNE projections, maps per epoch, their disk cache and background jobs."""
