//! Demo data for `seasonlink demo`: loaded once, skipped when already there.

use chrono::{DateTime, Utc};

use crate::db::{DbConnection, users};
use crate::domain::account::Role;
use crate::error::AppError;
use crate::services::accounts::{self, NewAccount};

/// The password of every demo account (printed by `seasonlink demo`).
pub const DEMO_PASSWORD: &str = "seasonlink-demo";

pub struct DemoAccount {
    pub email: &'static str,
    pub role: Role,
}

pub const DEMO_ACCOUNTS: [DemoAccount; 4] = [
    DemoAccount { email: "regulator@demo.seasonlink.vn", role: Role::Regulator },
    DemoAccount { email: "employer@demo.seasonlink.vn", role: Role::Employer },
    DemoAccount { email: "agency@demo.seasonlink.vn", role: Role::Agency },
    DemoAccount { email: "worker@demo.seasonlink.vn", role: Role::Worker },
];

/// Loads the demo data in one transaction; returns false when it was already loaded.
pub fn load(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<bool, AppError> {
    use diesel::Connection;
    conn.transaction(|conn| {
        if users::find_user_by_email(conn, DEMO_ACCOUNTS[0].email)?.is_some() {
            return Ok(false);
        }
        for demo in &DEMO_ACCOUNTS {
            let account = NewAccount::parse(demo.email, DEMO_PASSWORD, demo.role, None)?;
            accounts::create_user(conn, &account, now)?;
        }
        Ok(true)
    })
}
