"""What an editor or a reviewer writes into the repository."""
