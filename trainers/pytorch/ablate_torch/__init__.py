"""ablate's PyTorch reference trainer: the built-in TensorFlow.js trainer's experts, gates and
mixtures, and a trainer speaking ablate's trainer protocol (docs/TRAINERS.md)."""
