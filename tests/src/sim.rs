//! The local payment provider (`tests/sim/payment-provider.mjs`, a real HTTP process in Node) for the online
//! payment tests: started on a free port of 127.0.0.1, stopped when dropped (and by itself after its lifetime).

use anyhow::{Context as _, Result};
use std::io::BufRead as _;

/// The merchant id the tests give the simulator and the server.
pub const CLIENT_ID: &str = "600000001";

/// Card numbers the simulator answers as sandboxes do.
pub const CARD_APPROVED: &str = "4111111111111111";
pub const CARD_REFUSED: &str = "4000000000000002";
pub const CARD_CALLBACK_TWICE: &str = "4000000000000010";
pub const CARD_FORGED_CALLBACK: &str = "4000000000000028";
pub const CARD_NO_CALLBACK: &str = "4000000000000036";
pub const CARD_NO_RETURN: &str = "4000000000000044";

pub struct PaymentSim {
    child: std::process::Child,
    /// `http://127.0.0.1:PORT`.
    pub url: String,
    pub store_key: String,
}

impl PaymentSim {
    pub async fn start() -> Result<Self> {
        let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sim/payment-provider.mjs");
        let store_key = format!("test-store-key-{}", uuid::Uuid::now_v7().simple());
        let mut child = std::process::Command::new("node")
            .arg(&script)
            .args(["--secret", &store_key, "--client-id", CLIENT_ID, "--lifetime", "600"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .context("node runs the payment simulator")?;
        let stdout = child.stdout.take().context("the simulator's output")?;
        let line = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            std::io::BufReader::new(stdout).read_line(&mut line).map(|_| line)
        })
        .await??;
        let url = line.trim().strip_prefix("listening ").context("the simulator says where it listens")?.to_owned();
        Ok(Self { child, url, store_key })
    }

    /// The provider's account of a commune at this simulator, for the server's settings.
    pub fn merchant(&self) -> jamaa_core::modules::payments::provider::HostedPage {
        jamaa_core::modules::payments::provider::HostedPage {
            gateway_url: format!("{}/pay", self.url),
            client_id: CLIENT_ID.to_owned(),
            store_key: secrecy::SecretString::from(self.store_key.clone()),
        }
    }
}

impl Drop for PaymentSim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
