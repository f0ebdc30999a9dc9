"""The property graph: entity kinds, relationship types and the frames that hold them."""
