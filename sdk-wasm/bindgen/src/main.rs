//! `jamaa-sdk-bindgen <module.wasm> <out-dir> web|nodejs`: what `wasm-bindgen --target <target> --out-dir <out-dir>
//! <module.wasm>` does, with the same defaults, through the library behind that command. The library's version is
//! pinned to the `wasm-bindgen` crate's in the workspace, which the glue and the module must agree on.

use std::path::PathBuf;

use anyhow::{Context, bail};
use wasm_bindgen_cli_support::Bindgen;

fn main() -> anyhow::Result<()> {
    let mut args = std::env::args_os().skip(1);
    let (Some(module), Some(out_dir), Some(target), None) = (args.next(), args.next(), args.next(), args.next()) else {
        bail!("usage: jamaa-sdk-bindgen <module.wasm> <out-dir> web|nodejs");
    };
    let mut bindgen = Bindgen::new();
    match target.to_str() {
        Some("web") => bindgen.web(true)?,
        Some("nodejs") => bindgen.nodejs(true)?,
        _ => bail!("the target is web or nodejs, not {}", target.to_string_lossy()),
    };
    // The `wasm-bindgen` command's defaults, where the library's differ.
    bindgen.input_path(PathBuf::from(&module)).typescript(true).omit_default_module_path(false);
    bindgen.generate(PathBuf::from(&out_dir)).with_context(|| {
        format!("generating the glue of {} into {}", module.to_string_lossy(), out_dir.to_string_lossy())
    })
}
