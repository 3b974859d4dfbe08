"""What every test area shares: the local HTTP server base, workspace builders and failure asserts."""
