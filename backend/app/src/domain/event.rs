//! What the outbox carries and how it is sent: the event types partners subscribe to, the
//! signature a receiver checks, the retry schedule and the addresses a delivery may go to.
//! Pure: no clock, no storage, no network.

use std::net::IpAddr;

use chrono::Duration;
use hmac::{Hmac, Mac};
use sha2::Sha256;

macro_rules! event_types {
    ($($variant:ident => $text:literal,)*) => {
        /// What happened, as partners subscribe to it (`vacancy.opened`, …).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum EventType {
            $($variant,)*
        }

        impl EventType {
            pub const ALL: &'static [EventType] = &[$(EventType::$variant,)*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(EventType::$variant => $text,)*
                }
            }

            pub fn parse(text: &str) -> Option<EventType> {
                EventType::ALL.iter().copied().find(|t| t.as_str() == text)
            }
        }
    };
}

event_types! {
    VacancyOpened => "vacancy.opened",
    VacancyUpdated => "vacancy.updated",
    VacancyClosed => "vacancy.closed",
    VacancyBelowFloor => "vacancy.below_floor",
    PlacementOffered => "placement.offered",
    PlacementWithdrawn => "placement.withdrawn",
    PlacementDeclined => "placement.declined",
    ContractAmended => "contract.amended",
    ContractAccepted => "contract.accepted",
    PermitIssued => "permit.issued",
    PermitRevoked => "permit.revoked",
    PlacementDeparted => "placement.departed",
    PlacementCompleted => "placement.completed",
    PlacementTerminated => "placement.terminated",
    PlacementReturnDue => "placement.return_due",
    PlacementReturned => "placement.returned",
    PlacementOverstayed => "placement.overstayed",
    PayslipFinding => "payslip.finding",
    PayMissing => "pay.missing",
    CaseOpened => "case.opened",
    CaseResolved => "case.resolved",
    BrokerReported => "broker.reported",
    LicenceSuspended => "licence.suspended",
    LicenceReinstated => "licence.reinstated",
    LicenceRevoked => "licence.revoked",
    EmployerVerified => "employer.verified",
    EmployerSuspended => "employer.suspended",
    EmployerReinstated => "employer.reinstated",
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The shortest secret a partner may sign with, in bytes.
pub const MIN_SECRET_BYTES: usize = 32;

/// The `Seasonlink-Signature` header of a delivery: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
/// "<t>.<body>">`, the scheme Stripe and GitHub use. A receiver recomputes it with its copy of
/// the secret, compares in constant time, and refuses a timestamp far from its own clock.
pub fn signature(secret: &[u8], unix_seconds: i64, body: &[u8]) -> String {
    format!("t={unix_seconds},v1={}", hex_hmac(secret, unix_seconds, body))
}

fn hex_hmac(secret: &[u8], unix_seconds: i64, body: &[u8]) -> String {
    let mut mac =
        Hmac::<Sha256>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC takes any key"));
    mac.update(unix_seconds.to_string().as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

/// Checks a `Seasonlink-Signature` header as a receiver does; `tolerance` bounds the age.
pub fn verify_signature(secret: &[u8], header: &str, body: &[u8], now_unix: i64, tolerance: i64) -> bool {
    let mut t = None;
    let mut v1 = None;
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", value)) => t = value.parse::<i64>().ok(),
            Some(("v1", value)) => v1 = Some(value),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else { return false };
    let expected = hex_hmac(secret, t, body);
    (now_unix - t).abs() <= tolerance
        && subtle::ConstantTimeEq::ct_eq(expected.as_bytes(), v1.as_bytes()).into()
}

/// How long to wait after the `attempt`-th failure (1 for the first): 10 s doubling to at most
/// an hour, spread by `jitter` in [0, 1) over ±20 % so that receivers coming back are not hit
/// by every sender at once.
pub fn retry_delay(attempt: u32, jitter: f64) -> Duration {
    let base = 10_i64.saturating_mul(1_i64 << attempt.saturating_sub(1).min(20)).min(3600);
    let spread = 0.8 + 0.4 * jitter.clamp(0.0, 1.0);
    Duration::milliseconds((base as f64 * 1000.0 * spread) as i64)
}

/// Whether a delivery may go to `ip`: a globally routed unicast address. Loopback, private,
/// link-local, shared, benchmarking, reserved, multicast and documentation ranges are not,
/// and neither is an IPv6 address that carries one of those in IPv4 form (mapped,
/// compatible, NAT64, 6to4); Teredo and site-local IPv6 are refused outright.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_documentation()
                || a == 0
                || a >= 240
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (18..20).contains(&b))
                || (a == 192 && b == 0 && c == 0))
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            let embedded =
                |high: u16, low: u16| std::net::Ipv4Addr::from((u32::from(high) << 16) | u32::from(low));
            if let Some(v4) = v6.to_ipv4() {
                // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible; :: and ::1 among them).
                return !v6.is_loopback() && !v6.is_unspecified() && is_public(IpAddr::V4(v4));
            }
            if s[0] == 0x64 && s[1] == 0xff9b {
                // NAT64: 64:ff9b::/96 reaches the IPv4 address in its last 32 bits;
                // 64:ff9b:1::/48 is for local translation.
                return s[2..6] == [0, 0, 0, 0] && is_public(IpAddr::V4(embedded(s[6], s[7])));
            }
            if s[0] == 0x2002 {
                // 6to4: the IPv4 address follows the prefix.
                return is_public(IpAddr::V4(embedded(s[1], s[2])));
            }
            !(v6.is_multicast()
                || (s[0] == 0x2001 && s[1] == 0)
                || (s[0] == 0x2001 && s[1] == 0xdb8)
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] & 0xffc0) == 0xfec0)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_reads_back_and_unknown_ones_do_not() {
        for t in EventType::ALL {
            assert_eq!(EventType::parse(t.as_str()), Some(*t));
        }
        assert_eq!(EventType::parse("permit.issued"), Some(EventType::PermitIssued));
        assert_eq!(EventType::parse("permit"), None);
    }

    #[test]
    fn a_signature_verifies_with_its_secret_only_and_within_the_tolerance() {
        let secret = b"0123456789abcdef0123456789abcdef";
        let header = signature(secret, 1_800_000_000, b"{\"a\":1}");
        assert!(header.starts_with("t=1800000000,v1="));
        assert!(verify_signature(secret, &header, b"{\"a\":1}", 1_800_000_100, 300));
        assert!(!verify_signature(secret, &header, b"{\"a\":2}", 1_800_000_100, 300));
        assert!(!verify_signature(
            b"another secret of thirty-two byte",
            &header,
            b"{\"a\":1}",
            1_800_000_100,
            300
        ));
        assert!(!verify_signature(secret, &header, b"{\"a\":1}", 1_800_000_400, 300));
        assert!(!verify_signature(secret, "v1=00", b"{\"a\":1}", 1_800_000_000, 300));
    }

    #[test]
    fn retries_back_off_to_an_hour_with_jitter() {
        assert_eq!(retry_delay(1, 0.5), Duration::seconds(10));
        assert_eq!(retry_delay(2, 0.5), Duration::seconds(20));
        assert_eq!(retry_delay(30, 0.5), Duration::seconds(3600));
        assert_eq!(retry_delay(1, 0.0), Duration::seconds(8));
        assert_eq!(retry_delay(1, 0.999_999), Duration::milliseconds(11_999));
    }

    #[test]
    fn private_and_loopback_addresses_are_not_public() {
        let private = [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "198.18.0.1",
            "240.0.0.1",
            "255.255.255.255",
            "192.0.0.8",
            "224.0.0.1",
            "::",
            "::1",
            "fd00::1",
            "fe80::1",
            "fec0::1",
            "::ffff:127.0.0.1",
            "::7f00:1",
            "::a9fe:a9fe",
            "64:ff9b::7f00:1",
            "64:ff9b::a9fe:a9fe",
            "64:ff9b:1::808:808",
            "2002:7f00:1::1",
            "2002:a00:1::",
            "2001::1",
            "2001:db8::1",
            "ff02::1",
        ];
        for address in private {
            assert!(!is_public(address.parse().unwrap()), "{address}");
        }
        let public = [
            "203.119.8.1",
            "8.8.8.8",
            "2001:4860:4860::8888",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ];
        for address in public {
            assert!(is_public(address.parse().unwrap()), "{address}");
        }
    }
}
