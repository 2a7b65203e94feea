"""GAN Style Studio's networks and training in PyTorch: continue a run from the page on GPUs."""
