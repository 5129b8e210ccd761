//! Headless Debian chromium driven through chromedriver (no browser download).
//!
//! Without chromedriver a browser test says so and returns, unless
//! `SEASONLINK_REQUIRE_BROWSER=1` (as in CI), where that is a failure.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::{Client, ClientBuilder};
use serde_json::json;

pub struct Browser {
    pub client: Client,
    driver: Child,
}

fn find(candidates: &[&str]) -> Option<String> {
    candidates.iter().find(|p| std::path::Path::new(p).exists()).map(|p| (*p).to_owned())
}

impl Browser {
    /// A headless chromium with a phone-sized window (360 px wide), or `None` when the
    /// machine has no chromedriver and the environment does not require one.
    pub async fn start() -> Option<Browser> {
        let driver_path = std::env::var("CHROMEDRIVER").ok().or_else(|| find(&["/usr/bin/chromedriver"]));
        let chrome_path = std::env::var("CHROME").ok().or_else(|| find(&["/usr/bin/chromium"]));
        let (Some(driver_path), Some(chrome_path)) = (driver_path, chrome_path) else {
            assert!(
                std::env::var("SEASONLINK_REQUIRE_BROWSER").as_deref() != Ok("1"),
                "SEASONLINK_REQUIRE_BROWSER=1 but chromium/chromedriver are not installed"
            );
            eprintln!("browser test skipped: install chromium and chromium-driver to run it");
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let driver = Command::new(driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let profile = tempfile::tempdir().unwrap().keep();
        let caps = json!({
            "goog:chromeOptions": {
                "binary": chrome_path,
                "mobileEmulation": {"deviceMetrics": {"width": 360, "height": 780, "pixelRatio": 2.0}},
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-quic", "--no-first-run", "--disable-background-networking",
                    "--disable-component-update", "--disable-sync", "--lang=en-US",
                    "--window-size=360,800", format!("--user-data-dir={}", profile.display()),
                ]
            }
        });
        let caps = caps.as_object().unwrap().clone();
        let mut last_err = None;
        for _ in 0..50 {
            match ClientBuilder::native()
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}"))
                .await
            {
                Ok(client) => return Some(Browser { client, driver }),
                Err(err) => last_err = Some(err),
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        panic!("chromedriver did not start: {last_err:?}");
    }

    /// Saves a screenshot under target/screenshots/.
    pub async fn screenshot(&self, name: &str) {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../target/screenshots");
        std::fs::create_dir_all(dir).unwrap();
        let png = self.client.screenshot().await.unwrap();
        std::fs::write(format!("{dir}/{name}.png"), png).unwrap();
    }

    pub async fn close(mut self) {
        let _ = self.client.clone().close().await;
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
