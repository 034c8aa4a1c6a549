//! The server crate's integration tests, in one binary: the `jamaa` command as an operator runs it (`cli`), the
//! committed SDL against the served schema (`schema`), and the workspace's tidy checks (`tidy`).

mod cli;
mod schema;
mod tidy;
