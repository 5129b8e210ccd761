//! A real SMTP server for the tests: tests/support/smtp_sink.py on aiosmtpd (Debian's
//! python3-aiosmtpd), on a free port, writing each message it accepts as a JSON line.

use std::net::TcpListener;
use std::process::Stdio;

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub struct SmtpSink {
    pub port: u16,
    file: tempfile::TempPath,
    _child: Child,
}

impl SmtpSink {
    /// Starts the server; `None` when python3 with aiosmtpd is missing, unless
    /// `SEASONLINK_REQUIRE_SMTP` is set (as CI does), which makes that a failure.
    pub async fn start() -> Option<SmtpSink> {
        let required = std::env::var_os("SEASONLINK_REQUIRE_SMTP").is_some();
        let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let file = tempfile::NamedTempFile::new().unwrap().into_temp_path();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/support/smtp_sink.py");
        let python =
            if std::path::Path::new("/usr/bin/python3").exists() { "/usr/bin/python3" } else { "python3" };
        let spawned = Command::new(python)
            .arg(script)
            .arg(port.to_string())
            .arg(&*file)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .kill_on_drop(true)
            .spawn();
        let mut child = match spawned {
            Ok(child) => child,
            Err(e) if !required => {
                eprintln!("no SMTP test server ({e}); skipping");
                return None;
            }
            Err(e) => panic!("SEASONLINK_REQUIRE_SMTP is set but python3 did not start: {e}"),
        };
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        match lines.next_line().await {
            Ok(Some(line)) if line == "ready" => Some(SmtpSink { port, file, _child: child }),
            _ if !required => {
                eprintln!("the SMTP test server did not start (is python3-aiosmtpd installed?); skipping");
                None
            }
            other => {
                panic!("SEASONLINK_REQUIRE_SMTP is set but the SMTP test server did not start: {other:?}")
            }
        }
    }

    /// The messages accepted so far.
    pub fn messages(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.file)
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }
}
