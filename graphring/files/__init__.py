"""Files graphring writes and reads back safely: CSV, output paths, digests."""
