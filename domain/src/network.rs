//! Which address a request came from when a reverse proxy stands in front, and how long an
//! account's next sign-in waits after failures. A proxy's `Forwarded` / `X-Forwarded-For`
//! are believed only when the connection itself comes from a proxy the operator named
//! (`--trusted-proxies`); otherwise anyone could pick the address their attempts count
//! against by sending the header.
use ipnet::IpNet;
use std::net::IpAddr;

/// The reverse proxies whose forwarding headers are believed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// A comma-separated list of networks (`10.0.0.0/8`) or single addresses
    /// (`192.168.1.4`, `::1`); empty means none. Names the first entry that does not read.
    pub fn parse(list: &str) -> Result<TrustedProxies, String> {
        let mut networks = Vec::new();
        for entry in list.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let network = match entry.parse::<IpNet>() {
                Ok(network) => network,
                Err(_) => entry
                    .parse::<IpAddr>()
                    .map(IpNet::from)
                    .map_err(|_| format!("not a network or an address: {entry}"))?,
            };
            networks.push(network);
        }
        Ok(TrustedProxies(networks))
    }

    pub fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(&address))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The client's address. The connection's peer, unless the peer is a trusted proxy; then
/// the forwarding chain is read from the proxy outwards and the first address that is not a
/// trusted proxy is the client. An entry that does not read ends the walk at the last
/// address that did. `Forwarded` (RFC 7239) is preferred to `X-Forwarded-For` when both came.
pub fn client_address(
    peer: IpAddr,
    forwarded: Option<&str>,
    x_forwarded_for: Option<&str>,
    trusted: &TrustedProxies,
) -> IpAddr {
    if !trusted.trusts(peer) {
        return peer;
    }
    let hops: Vec<&str> = match (forwarded, x_forwarded_for) {
        (Some(forwarded), _) => forwarded.split(',').filter_map(forwarded_for).collect(),
        (None, Some(list)) => list.split(',').collect(),
        (None, None) => Vec::new(),
    };
    let mut client = peer;
    for hop in hops.iter().rev() {
        match hop_address(hop) {
            Some(address) => {
                client = address;
                if !trusted.trusts(address) {
                    return address;
                }
            }
            None => return client,
        }
    }
    client
}

/// The `for=` value of one `Forwarded` element (`for=192.0.2.60;proto=http`).
fn forwarded_for(element: &str) -> Option<&str> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        name.trim().eq_ignore_ascii_case("for").then_some(value.trim())
    })
}

/// One hop as proxies write it: `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1`,
/// `"[2001:db8::1]:4711"`. Obfuscated (`_hidden`) and `unknown` hops do not read.
fn hop_address(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim().trim_matches('"');
    if let Ok(address) = hop.parse::<IpAddr>() {
        return Some(address);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest.split_once(']').and_then(|(inside, _)| inside.parse().ok());
    }
    let (host, port) = hop.rsplit_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// Seconds an account's next sign-in must still wait after `failures` failed attempts in
/// the window, the latest `since_latest` seconds ago: nothing for the first `free`, then 1,
/// 2, 4 … up to 60 seconds after the latest. A delay, never a lock: whoever guesses from
/// many addresses gets a try a minute, and the owner waits a minute at worst.
pub fn sign_in_wait_secs(failures: i64, free: i64, since_latest: i64) -> i64 {
    const LONGEST: i64 = 60;
    if failures < free.max(1) {
        return 0;
    }
    let delay = 1_i64
        .checked_shl((failures - free).clamp(0, 6) as u32)
        .unwrap_or(LONGEST)
        .min(LONGEST);
    (delay - since_latest.max(0)).max(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    fn proxies() -> TrustedProxies {
        TrustedProxies::parse("10.0.0.0/8, 192.168.1.4, fd00::/8").unwrap()
    }

    #[test]
    fn proxies_read_as_networks_and_single_addresses() {
        let trusted = proxies();
        assert!(trusted.trusts(ip("10.20.30.40")));
        assert!(trusted.trusts(ip("192.168.1.4")));
        assert!(!trusted.trusts(ip("192.168.1.5")));
        assert!(trusted.trusts(ip("fd00::7")));
        assert!(TrustedProxies::parse("").unwrap().is_empty());
        assert_eq!(
            TrustedProxies::parse("10.0.0.0/8, proxy.local"),
            Err("not a network or an address: proxy.local".to_string())
        );
        assert!(TrustedProxies::parse("10.0.0.0/33").is_err());
    }

    #[test]
    fn headers_from_an_untrusted_peer_are_ignored() {
        let peer = ip("198.51.100.7");
        assert_eq!(client_address(peer, None, Some("203.0.113.1"), &proxies()), peer);
        assert_eq!(client_address(peer, Some("for=203.0.113.1"), None, &proxies()), peer);
        let nobody = TrustedProxies::default();
        assert_eq!(
            client_address(ip("10.0.0.2"), None, Some("203.0.113.1"), &nobody),
            ip("10.0.0.2")
        );
    }

    #[test]
    fn the_client_is_the_nearest_untrusted_hop() {
        let proxy = ip("10.0.0.2");
        // A client's own header at the left cannot choose its address.
        assert_eq!(
            client_address(proxy, None, Some("1.2.3.4, 203.0.113.9, 10.0.0.3"), &proxies()),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_address(proxy, None, Some(" 203.0.113.9 "), &proxies()),
            ip("203.0.113.9")
        );
        // Only proxies in the chain: the farthest of them.
        assert_eq!(
            client_address(proxy, None, Some("10.0.0.9, 10.0.0.3"), &proxies()),
            ip("10.0.0.9")
        );
        // No header: the proxy itself.
        assert_eq!(client_address(proxy, None, None, &proxies()), proxy);
        // An unreadable hop stops the walk at the last one read.
        assert_eq!(
            client_address(proxy, None, Some("203.0.113.9, garbage, 10.0.0.3"), &proxies()),
            ip("10.0.0.3")
        );
        assert_eq!(client_address(proxy, None, Some("unknown"), &proxies()), proxy);
    }

    #[test]
    fn forwarded_is_read_with_ports_quotes_and_ipv6() {
        let proxy = ip("10.0.0.2");
        assert_eq!(
            client_address(
                proxy,
                Some(r#"for=192.0.2.60;proto=http;by=203.0.113.43, For="[2001:db8:cafe::17]:4711""#),
                Some("9.9.9.9"),
                &proxies()
            ),
            ip("2001:db8:cafe::17")
        );
        assert_eq!(
            client_address(proxy, Some("for=192.0.2.60:8080"), None, &proxies()),
            ip("192.0.2.60")
        );
        assert_eq!(client_address(proxy, Some("for=_hidden"), None, &proxies()), proxy);
        assert_eq!(client_address(proxy, Some("proto=https"), None, &proxies()), proxy);
    }

    #[test]
    fn failures_slow_an_account_down_but_never_lock_it() {
        assert_eq!(sign_in_wait_secs(0, 5, 0), 0);
        assert_eq!(sign_in_wait_secs(4, 5, 0), 0);
        assert_eq!(sign_in_wait_secs(5, 5, 0), 1);
        assert_eq!(sign_in_wait_secs(6, 5, 0), 2);
        assert_eq!(sign_in_wait_secs(7, 5, 1), 3);
        assert_eq!(sign_in_wait_secs(11, 5, 0), 60);
        assert_eq!(sign_in_wait_secs(1_000_000, 5, 0), 60);
        assert_eq!(
            sign_in_wait_secs(1_000_000, 5, 60),
            0,
            "a minute after the latest, always"
        );
        assert_eq!(sign_in_wait_secs(6, 5, 10), 0);
        assert_eq!(
            sign_in_wait_secs(6, 5, -5),
            2,
            "a clock step back waits the whole delay"
        );
    }
}
