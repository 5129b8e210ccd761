//! Whether the server can do its work: the readiness probe's question.

use diesel::connection::SimpleConnection;

use crate::db;
use crate::error::AppError;
use crate::state::AppState;

/// Ok when the database answers; 503 `database_unavailable` otherwise.
pub async fn ready(state: &AppState) -> Result<(), AppError> {
    db::run(&state.pool, |conn| conn.batch_execute("SELECT 1").map_err(AppError::unavailable)).await
}
