//! The server crate's tests, in one binary: the `jamaa` command as an operator runs it (`cli`), the committed SDL
//! against the served schema (`schema`), the workspace's tidy checks (`tidy`), and the crate's parts on their own:
//! the GraphQL layers (`layers`), the HTTP edge (`edge`), the pages (`pages`), the open formats (`feeds`) and the
//! settings (`settings`). The crate has no unit tests of its own: they would compile it a second time.

mod cli;
mod edge;
mod feeds;
mod layers;
mod pages;
mod schema;
mod settings;
mod tidy;
