//! Typed ids: a `VacancyId` is not a `WorkerId`, though every id is stored as text (a UUIDv7
//! made in Rust by `generate`, for the ids this app makes). Each converts to and from its text
//! at the edges — JSON (transparent), the OpenAPI document (a named string schema), diesel (a
//! `Text` column on either backend) — and nowhere in between.
//!
//! Text stays text where it names one of several kinds (the subject of a case or of an audit
//! entry), in the pure domain (a contract's terms, a wage floor rule: the domain imports
//! nothing of the app), and for rows nobody looks up by id (notes, findings, timeline events,
//! acceptances, crossings, alerts, returns).

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::serialize::{self, Output, ToSql};
use diesel::sql_types::Text;

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(
            Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
            serde::Serialize, serde::Deserialize, diesel::AsExpression, diesel::FromSqlRow,
        )]
        #[serde(transparent)]
        #[diesel(sql_type = Text)]
        pub struct $name(String);

        impl $name {
            /// A new id (UUIDv7: ordered by creation).
            pub fn generate() -> Self {
                $name(uuid::Uuid::now_v7().to_string())
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }

            pub fn into_string(self) -> String {
                self.0
            }
        }

        impl From<String> for $name {
            fn from(id: String) -> Self {
                $name(id)
            }
        }

        impl From<&str> for $name {
            fn from(id: &str) -> Self {
                $name(id.to_owned())
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                String::schema()
            }
        }

        impl utoipa::ToSchema for $name {}

        impl<DB: Backend> ToSql<Text, DB> for $name
        where
            str: ToSql<Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, DB>) -> serialize::Result {
                self.0.as_str().to_sql(out)
            }
        }

        impl<DB: Backend> FromSql<Text, DB> for $name
        where
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                String::from_sql(bytes).map($name)
            }
        }
    )*};
}

ids! {
    /// A compliance case.
    CaseId;
    /// A user account (of any role).
    UserId;
    /// A login session: the row a token names, and that logout revokes.
    SessionId;
    /// The employer, agency or worker record a user acts for: which of them, its role says
    /// (see [`crate::actor::Actor`]).
    OrgId;
    /// An employer.
    EmployerId;
    /// A licensed agency.
    AgencyId;
    /// A worker, registered by its agency.
    WorkerId;
    /// A vacancy, posted by its employer.
    VacancyId;
    /// A placement: a worker's seat of a vacancy, from the offer to the return.
    PlacementId;
    /// A wage floor rule. (The pure `domain::wage_floor::Rule` keeps it as text, as the
    /// domain imports nothing of the app.)
    RuleId;
    /// A payslip an employer reported.
    PayslipId;
    /// A fee a worker reported paying.
    FeeReportId;
    /// A complaint (followed by its reference, not its id).
    ComplaintId;
    /// A report against an unlicensed broker (followed by its reference, not its id).
    BrokerReportId;
    /// An authority of one side of the scheme (China's or Viet Nam's, national or
    /// provincial): the organisation a regulator acts for.
    AuthorityId;
}

/// An employer's, an agency's, a worker's or an authority's id is the organisation its
/// accounts act for.
macro_rules! org_ids {
    ($($id:ident),*) => {$(
        impl From<$id> for OrgId {
            fn from(id: $id) -> Self {
                OrgId(id.0)
            }
        }
    )*};
}

org_ids!(EmployerId, AgencyId, WorkerId, AuthorityId);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_its_text_in_json_and_new_ones_are_ordered() {
        let id = CaseId::from("0193a0f0-0000-7000-8000-000000000001");
        assert_eq!(
            serde_json::to_value(&id).unwrap(),
            serde_json::json!("0193a0f0-0000-7000-8000-000000000001")
        );
        let back: CaseId = serde_json::from_str("\"abc\"").unwrap();
        assert_eq!(back.as_str(), "abc");
        let (first, second) = (CaseId::generate(), CaseId::generate());
        assert!(first < second, "UUIDv7 ids sort by creation");
    }
}
