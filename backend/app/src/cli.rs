//! The command line: `serve`, `demo`, `migrate`, `create-regulator` (docs/api.md).

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::auth::token::TokenKeys;
use crate::config::Settings;
use crate::db::{self, DatabaseUrl};
use crate::domain::account::Role;
use crate::services::accounts::{self, NewAccount};
use crate::state::{AppState, Clock};

#[derive(Debug, Parser)]
#[command(name = "seasonlink", version, about = "Licensed, fair cross-border seasonal work")]
pub struct Cli {
    /// A postgres:// URL, or a SQLite file path with or without sqlite:// (default data/seasonlink.db).
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Apply migrations and serve.
    Serve(ServeArgs),
    /// Apply migrations, load the demo data, print the demo accounts and serve.
    Demo(ServeArgs),
    /// Apply pending migrations and exit.
    Migrate,
    /// Create a regulator account (the first one, typically).
    CreateRegulator {
        #[arg(long)]
        email: String,
        #[arg(long, env = "SEASONLINK_REGULATOR_PASSWORD", hide_env_values = true)]
        password: String,
    },
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "SEASONLINK_BIND")]
    pub bind: Option<String>,
}

/// Runs one command with the loaded settings; the error says what failed, for a person.
pub fn run(cli: Cli, mut settings: Settings) -> anyhow::Result<()> {
    if let Some(url) = cli.database_url {
        settings.database.url = url;
    }
    let url = DatabaseUrl::parse(&settings.database.url).map_err(anyhow::Error::msg)?;
    let pool = db::connect_and_migrate(
        &url,
        settings.database.pool_size,
        Duration::from_millis(settings.database.connection_timeout_ms),
    )?;
    tracing::info!(database = %url.redacted(), "database ready");
    let keys = match &settings.auth.jwt_secret {
        Some(secret) => TokenKeys::new(secret.as_bytes()),
        None => {
            tracing::warn!("no auth.jwt_secret configured: using a random key; logins end at restart");
            TokenKeys::random()
        }
    };
    let clock = Clock::system();
    let metrics = crate::telemetry::Metrics::new()?;
    match cli.command {
        Command::Migrate => {
            println!("migrations applied to {}", url.redacted());
            Ok(())
        }
        Command::CreateRegulator { email, password } => {
            let account = NewAccount::parse(&email, &password, Role::Regulator, None)
                .map_err(|e| anyhow::anyhow!(e.describe()))?;
            let mut conn = pool.get()?;
            let user = diesel::Connection::transaction(&mut *conn, |conn| {
                accounts::create_user(conn, &account, clock.now())
            })
            .map_err(|e| anyhow::anyhow!(e.describe()))?;
            println!("regulator created: {} (id {})", user.email.unwrap_or_default(), user.id);
            Ok(())
        }
        Command::Demo(args) => {
            let mut conn = pool.get()?;
            let rules = crate::services::placements::Rules::of(&settings);
            let loaded = crate::demo::load(&mut conn, clock.now(), rules)
                .map_err(|e| anyhow::anyhow!(e.describe()))?;
            drop(conn);
            let bind = args.bind.unwrap_or_else(|| settings.server.bind.clone());
            // A demo's partner receivers run on the same machine.
            settings.events.allow_private_targets = true;
            println!("seasonlink demo {}", if loaded { "data loaded" } else { "data already present" });
            println!("open http://{bind}/  (API reference: http://{bind}/api/docs/)");
            println!("demo accounts, password {:?}:", crate::demo::DEMO_PASSWORD);
            for demo in &crate::demo::DEMO_ACCOUNTS {
                println!("  {:<10} {}", demo.role.as_str(), demo.email);
            }
            serve(AppState { pool, settings: Arc::new(settings), keys, clock, metrics }, &bind)
        }
        Command::Serve(args) => {
            let bind = args.bind.unwrap_or_else(|| settings.server.bind.clone());
            serve(AppState { pool, settings: Arc::new(settings), keys, clock, metrics }, &bind)
        }
    }
}

fn serve(state: AppState, bind: &str) -> anyhow::Result<()> {
    let listener = TcpListener::bind(bind).map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?;
    tracing::info!(%bind, "listening");
    actix_web::rt::System::new().block_on(async move {
        crate::jobs::spawn_sweeper(state.clone());
        crate::jobs::spawn_dispatcher(state.clone())?;
        crate::jobs::spawn_pruner(state.clone());
        crate::start(state, listener)?.await.map_err(Into::into)
    })
}
