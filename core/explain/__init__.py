"""Looking inside one image: feature maps, Captum attributions, the inspection that bundles them, its PNG pictures, perturbations."""
