//! Use cases that the API and the CLI call; each runs in one transaction and checks permissions.
