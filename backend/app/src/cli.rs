//! The command line: `serve`, `demo`, `migrate`, `create-regulator`, `audit` (docs/api.md).

use std::net::TcpListener;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::auth::token::TokenKeys;
use crate::config::Settings;
use crate::db::{self, DatabaseUrl};
use crate::domain::account::Role;
use crate::domain::authority::Country;
use crate::ids::AuthorityId;
use crate::services::accounts::{self, NewAccount};
use crate::services::authorities;
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
    Demo(DemoArgs),
    /// Apply pending migrations and exit.
    Migrate,
    /// Create a regulator account (the first one, typically), on China's national authority
    /// unless told otherwise.
    CreateRegulator {
        #[arg(long)]
        email: String,
        #[arg(long, env = "SEASONLINK_REGULATOR_PASSWORD", hide_env_values = true)]
        password: String,
        /// CN or VN: that country's national authority, made if there is none (default CN).
        #[arg(long, conflicts_with = "authority", value_parser = ["CN", "VN"])]
        country: Option<String>,
        /// The id of an existing authority (`GET /api/v1/authorities`).
        #[arg(long)]
        authority: Option<String>,
    },
    /// The audit chain: check it, or export its head now.
    #[command(subcommand)]
    Audit(AuditCommand),
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every entry of the chain with the configured key, and the chain against the last
    /// head exported to `audit.head_dir`; exits 1 when it does not hold.
    Verify,
    /// Export the chain's head, signed, to `audit.head_dir` (as every serving process does
    /// each `audit.head_interval_seconds`).
    ExportHead,
}

/// How much demo data to load.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Scale {
    /// A Chongzuo cane season about to start and the one before it, lived step by step.
    #[default]
    Small,
    /// That, and a whole season at full size loaded in bulk: 150,000 workers of 20
    /// agencies, 2,000 employers, 20,000 vacancies, a season of placements and payslips.
    Season,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    #[command(flatten)]
    pub serve: ServeArgs,
    #[arg(long, value_enum, default_value_t = Scale::Small)]
    pub scale: Scale,
    /// Load the data and exit instead of serving (to time a load, or to prepare a database).
    #[arg(long)]
    pub no_serve: bool,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1:8080).
    #[arg(long, env = "SEASONLINK_BIND")]
    pub bind: Option<String>,
}

/// Runs one command with the loaded settings; the error says what failed, for a person.
pub fn run(cli: Cli, mut settings: Settings) -> anyhow::Result<()> {
    if settings.production && matches!(cli.command, Command::Demo(_)) {
        anyhow::bail!(
            "seasonlink demo refuses to run with SEASONLINK_ENV=production: its accounts' password is published"
        );
    }
    if let Some(url) = cli.database_url {
        settings.database.url = url;
    }
    crate::services::audit::install_key(&settings.audit)?;
    let url = DatabaseUrl::parse(&settings.database.url).map_err(anyhow::Error::msg)?;
    let pool = db::connect_and_migrate(&url, &settings.database)?;
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
        Command::CreateRegulator { email, password, country, authority } => {
            let account = NewAccount::parse_here(&email, &password, Role::Regulator, None)
                .map_err(|e| anyhow::anyhow!(e.describe()))?;
            let country = country.as_deref().and_then(Country::parse).unwrap_or(Country::CN);
            let mut conn = pool.get()?;
            let (user, authority) = diesel::Connection::transaction(&mut *conn, |conn| {
                let now = clock.now();
                let authority = match &authority {
                    Some(id) => authorities::find_in(conn, &AuthorityId::from(id.as_str()), "authority")?,
                    None => authorities::national_in(conn, country, now)?,
                };
                let user = accounts::create_regulator_in(conn, None, account, &authority.id, now)?;
                Ok::<_, crate::error::AppError>((user, authority))
            })
            .map_err(|e| anyhow::anyhow!(e.describe()))?;
            println!(
                "regulator created: {} (id {}), for {} ({}, authority {})",
                user.email.unwrap_or_default(),
                user.id,
                authority.name,
                authority.country,
                authority.id
            );
            Ok(())
        }
        Command::Audit(AuditCommand::Verify) => {
            let head_dir = settings.audit.head_dir.clone();
            let checked = actix_web::rt::System::new()
                .block_on(crate::services::audit::check(&pool, head_dir))
                .map_err(|e| anyhow::anyhow!(e.describe()))?;
            let against = match &checked.exported_head {
                Some(head) => format!("the head exported at {} (entry {})", head.at.to_rfc3339(), head.seq),
                None => format!("no exported head (none in {})", settings.audit.head_dir.display()),
            };
            match checked.first_bad_id {
                None if checked.ok => {
                    println!("audit chain holds: {} entries, checked against {against}", checked.entries);
                    Ok(())
                }
                None => anyhow::bail!("the exported head is not authentic: {against}"),
                Some(bad) => anyhow::bail!(
                    "the audit chain does not hold from entry {bad} on ({} entries hold; checked against {against})",
                    checked.entries
                ),
            }
        }
        Command::Audit(AuditCommand::ExportHead) => {
            let state = AppState {
                pool,
                settings: Arc::new(settings),
                keys,
                clock,
                metrics,
                profiles: Default::default(),
                licences: Default::default(),
            };
            let export = actix_web::rt::System::new()
                .block_on(crate::services::audit::export_head(&state))
                .map_err(|e| anyhow::anyhow!(e.describe()))?;
            println!(
                "audit head exported to {}: entry {}, {}",
                state.settings.audit.head_dir.display(),
                export.seq,
                export.hash
            );
            Ok(())
        }
        Command::Demo(args) => {
            let mut conn = pool.get()?;
            let rules = crate::services::placements::Rules::of(&settings);
            let posting = crate::services::vacancies::PostingRules::of(&settings);
            let loaded = crate::demo::load(&mut conn, clock.now(), rules, posting)
                .map_err(|e| anyhow::anyhow!(e.describe()))?;
            if args.scale == Scale::Season {
                load_season(&mut conn, clock.now())?;
            }
            drop(conn);
            let bind = args.serve.bind.unwrap_or_else(|| settings.server.bind.clone());
            // A demo's partner receivers run on the same machine.
            settings.events.allow_private_targets = true;
            println!("seasonlink demo {}", if loaded { "data loaded" } else { "data already present" });
            println!("open http://{bind}/  (API reference: http://{bind}/api/docs/)");
            println!("demo accounts, password {:?}:", crate::demo::DEMO_PASSWORD);
            for demo in &crate::demo::DEMO_ACCOUNTS {
                println!("  {:<10} {}", demo.role.as_str(), demo.email);
            }
            if args.no_serve {
                return Ok(());
            }
            serve(
                AppState {
                    pool,
                    settings: Arc::new(settings),
                    keys,
                    clock,
                    metrics,
                    profiles: Default::default(),
                    licences: Default::default(),
                },
                &bind,
            )
        }
        Command::Serve(args) => {
            if settings.production
                && let Some(email) = crate::demo::account_present(&mut *pool.get()?)
                    .map_err(|e| anyhow::anyhow!(e.describe()))?
            {
                anyhow::bail!(
                    "refusing to serve in production: the demo account {email} is in this database, \
                     with a published password; use a database without the demo"
                );
            }
            let bind = args.bind.unwrap_or_else(|| settings.server.bind.clone());
            serve(
                AppState {
                    pool,
                    settings: Arc::new(settings),
                    keys,
                    clock,
                    metrics,
                    profiles: Default::default(),
                    licences: Default::default(),
                },
                &bind,
            )
        }
    }
}

/// Loads the season-sized demo data (once) and says what it loaded, and how long it took.
fn load_season(conn: &mut db::DbConnection, now: chrono::DateTime<chrono::Utc>) -> anyhow::Result<()> {
    use crate::demo::season::{self, SEASON_SEED, SeasonSize};
    let started = std::time::Instant::now();
    let report = season::load_season(conn, now, &SeasonSize::season(), SEASON_SEED)
        .map_err(|e| anyhow::anyhow!(e.describe()))?;
    if !report.loaded {
        println!("seasonlink demo: the season is already loaded");
        return Ok(());
    }
    println!(
        "seasonlink demo: season loaded in {:.1} s: {} agencies, {} workers, {} employers, {} vacancies \
         ({} open), {} placements, {} payslips, {} cases",
        started.elapsed().as_secs_f64(),
        report.agencies,
        report.workers,
        report.employers,
        report.vacancies,
        report.open_vacancies,
        report.placements,
        report.payslips,
        report.cases
    );
    println!(
        "  its accounts, password {:?}: {} and {} (regulators), {} … (agencies), {} … (employers)",
        crate::demo::DEMO_PASSWORD,
        season::SEASON_REGULATORS[0].0,
        season::SEASON_REGULATORS[1].0,
        season::agency_email(1),
        season::employer_email(1)
    );
    Ok(())
}

fn serve(state: AppState, bind: &str) -> anyhow::Result<()> {
    let listener = TcpListener::bind(bind).map_err(|e| anyhow::anyhow!("cannot listen on {bind}: {e}"))?;
    tracing::info!(%bind, "listening");
    actix_web::rt::System::new().block_on(async move {
        crate::jobs::spawn_all(state.clone())?;
        crate::start(state, listener)?.await.map_err(Into::into)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, clap::Error> {
        let mut argv = vec!["seasonlink", "create-regulator", "--email", "r@example.cn", "--password", "p"];
        argv.extend_from_slice(args);
        Cli::try_parse_from(argv).map(|cli| cli.command)
    }

    #[test]
    fn demo_loads_the_small_data_unless_told_the_season() {
        let demo = |args: &[&str]| {
            let mut argv = vec!["seasonlink", "demo"];
            argv.extend_from_slice(args);
            Cli::try_parse_from(argv).map(|cli| match cli.command {
                Command::Demo(demo) => (demo.scale, demo.no_serve),
                other => panic!("{other:?}"),
            })
        };
        assert_eq!(demo(&[]).unwrap(), (Scale::Small, false));
        assert_eq!(demo(&["--scale", "season", "--no-serve"]).unwrap(), (Scale::Season, true));
        assert!(demo(&["--scale", "huge"]).is_err());
    }

    #[test]
    fn the_demo_refuses_production_before_touching_a_database() {
        let mut settings = Settings::for_tests().unwrap();
        settings.production = true;
        settings.database.url = "postgres://nobody@127.0.0.1:1/never".into();
        let cli = Cli::try_parse_from(["seasonlink", "demo", "--no-serve"]).unwrap();
        let refused = run(cli, settings).unwrap_err().to_string();
        assert!(refused.contains("refuses to run with SEASONLINK_ENV=production"), "{refused}");
    }

    #[test]
    fn create_regulator_takes_a_country_or_an_authority_but_not_both() {
        let Ok(Command::CreateRegulator { country, authority, .. }) = parse(&[]) else { panic!() };
        assert_eq!((country, authority), (None, None), "China's side, as before");
        let Ok(Command::CreateRegulator { country, .. }) = parse(&["--country", "VN"]) else { panic!() };
        assert_eq!(country.as_deref(), Some("VN"));
        let Ok(Command::CreateRegulator { authority, .. }) = parse(&["--authority", "a1"]) else { panic!() };
        assert_eq!(authority.as_deref(), Some("a1"));
        assert!(parse(&["--country", "TH"]).is_err());
        assert!(parse(&["--country", "CN", "--authority", "a1"]).is_err());
    }
}
