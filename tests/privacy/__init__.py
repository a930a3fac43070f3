"""Privacy proofs: the audience x relationship x surface matrix and hypothesis models."""
