//! Where the server may connect on a tenant's behalf (webhooks, the SMTP relay, anything later): public
//! addresses only, unless the operator allows a network explicitly (`JAMAA_OUTBOUND_ALLOW`, e.g.
//! `10.20.0.0/16` for an internal relay). A host name is resolved when connecting, every address it resolves
//! to is checked, and the connection goes to a checked address, never to a name resolved again (so a name
//! cannot answer a public address to the check and a private one to the connection). Numeric forms that
//! resolvers accept (`2130706433`, `127.1`, `0x7f.1`) resolve to the address they mean and are checked as
//! such; IPv4 carried in IPv6 (`::ffff:127.0.0.1`, NAT64, 6to4) is checked as the IPv4 address it carries.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

use hyper_util::client::legacy::connect::dns::Name;
use ipnet::IpNet;

/// Which addresses outbound connections may reach.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OutboundPolicy {
    /// Networks allowed although not public (operator's setting).
    pub allowed: Vec<IpNet>,
}

/// Why a connection was not made. Tenants are told only that the address is not allowed, or that the
/// delivery failed: never what answered behind it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// The host is, or resolves only to, addresses that are neither public nor allowed.
    NotAllowed,
    /// The host does not resolve.
    Unresolved,
}

/// What a tenant reads about a refused address.
pub const NOT_ALLOWED: &str = "the address is not allowed: only public addresses are reached";
/// What a tenant reads about any other failure.
pub const NOT_DELIVERED: &str = "not delivered";

impl OutboundPolicy {
    /// Allowing these networks beside the public addresses.
    pub fn allowing(allowed: Vec<IpNet>) -> Self {
        Self { allowed }
    }

    /// Whether a connection to `address` may be made.
    pub fn permits(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        is_public(address) || self.allowed.iter().any(|net| net.contains(&address))
    }

    /// The addresses of `host` that may be reached, resolved now; an address literal is checked as it is.
    pub async fn resolve(&self, host: &str, port: u16) -> Result<Vec<SocketAddr>, Refused> {
        let bare = host.trim_start_matches('[').trim_end_matches(']');
        if let Ok(address) = bare.parse::<IpAddr>() {
            return if self.permits(address) {
                Ok(vec![SocketAddr::new(address, port)])
            } else {
                Err(Refused::NotAllowed)
            };
        }
        let found: Vec<SocketAddr> =
            tokio::net::lookup_host((bare, port)).await.map_err(|_| Refused::Unresolved)?.collect();
        if found.is_empty() {
            return Err(Refused::Unresolved);
        }
        // A name with any address that may not be reached is refused whole: it names the inside.
        if found.iter().any(|a| !self.permits(a.ip())) {
            return Err(Refused::NotAllowed);
        }
        Ok(found)
    }
}

/// The resolver of the webhook client: hyper connects only to the addresses it returns.
#[derive(Clone, Debug)]
pub struct CheckedResolver {
    pub policy: Arc<OutboundPolicy>,
}

impl tower_service::Service<Name> for CheckedResolver {
    type Response = std::vec::IntoIter<SocketAddr>;
    type Error = std::io::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>> + Send>>;

    fn poll_ready(&mut self, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        Poll::Ready(Ok(()))
    }

    fn call(&mut self, name: Name) -> Self::Future {
        let policy = self.policy.clone();
        Box::pin(async move {
            policy.resolve(name.as_str(), 0).await.map(Vec::into_iter).map_err(|refused| {
                std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    format!("outbound address refused: {refused:?}"),
                )
            })
        })
    }
}

/// An IPv4 address carried in IPv6 is that IPv4 address.
fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => embedded_v4(v6).map_or(address, IpAddr::V4),
        IpAddr::V4(_) => address,
    }
}

/// The IPv4 address an IPv6 address carries: mapped (`::ffff:a.b.c.d`), compatible (`::a.b.c.d`), NAT64
/// (`64:ff9b::/96`) or 6to4 (`2002:AABB:CCDD::/48`).
fn embedded_v4(v6: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = v6.segments();
    let from = |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    if let Some(v4) = v6.to_ipv4_mapped() {
        Some(v4)
    } else if (s[..6] == [0, 0, 0, 0, 0, 0] && !(s[6] == 0 && s[7] <= 1)) || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        Some(from(s[6], s[7]))
    } else if s[0] == 0x2002 {
        Some(from(s[1], s[2]))
    } else {
        None
    }
}

/// Networks that are not the public Internet (RFC 6890 and its successors).
const SPECIAL_V4: &[(u8, u8, u8, u8, u8)] = &[
    (0, 0, 0, 0, 8),       // "this network", 0.0.0.0
    (10, 0, 0, 0, 8),      // private
    (100, 64, 0, 0, 10),   // shared address space (carrier NAT)
    (127, 0, 0, 0, 8),     // loopback
    (169, 254, 0, 0, 16),  // link-local (cloud metadata services)
    (172, 16, 0, 0, 12),   // private
    (192, 0, 0, 0, 24),    // protocol assignments
    (192, 0, 2, 0, 24),    // documentation
    (192, 88, 99, 0, 24),  // 6to4 relay anycast
    (192, 168, 0, 0, 16),  // private
    (198, 18, 0, 0, 15),   // benchmarking
    (198, 51, 100, 0, 24), // documentation
    (203, 0, 113, 0, 24),  // documentation
    (224, 0, 0, 0, 4),     // multicast
    (240, 0, 0, 0, 4),     // reserved, broadcast
];

fn is_public(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(_) => !SPECIAL_V4.iter().any(|&(a, b, c, d, len)| {
            IpNet::new(IpAddr::V4(Ipv4Addr::new(a, b, c, d)), len).is_ok_and(|net| net.contains(&address))
        }),
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let special = v6.is_unspecified()
                || v6.is_loopback()
                || v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00 // unique local
                || (s[0] & 0xffc0) == 0xfe80 // link-local
                || (s[0] & 0xffc0) == 0xfec0 // site-local (deprecated)
                || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
                || (s[0] == 0x2001 && s[1] == 0) // Teredo
                || (s[0] == 0x0100 && s[1..4] == [0, 0, 0]) // discard-only
                || s[..6] == [0, 0, 0, 0, 0, 0]; // the rest of ::/96 (IPv4-compatible)
            // Global unicast only (2000::/3).
            !special && (s[0] & 0xe000) == 0x2000
        }
    }
}
