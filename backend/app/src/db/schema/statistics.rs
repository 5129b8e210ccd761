//! The monthly statistics releases, archived as they were made.

diesel::table! {
    statistics_releases (month) {
        month -> Text,
        definitions_version -> Text,
        csv -> Text,
        sha256 -> Text,
        rows -> BigInt,
        metadata -> Text,
        generated_at -> Timestamp,
    }
}

diesel::table! {
    /// Payslips tallied by the day they were paid and the keys the statistics break them
    /// down by (`db::statistics::tally_payslip`).
    payslip_days (paid_on, region_code, occupation_code, home_province_code, agency_id) {
        paid_on -> Date,
        region_code -> Text,
        occupation_code -> Text,
        home_province_code -> Text,
        agency_id -> Text,
        payslips -> BigInt,
        gross_fen -> BigInt,
        net_fen -> BigInt,
        compliant -> BigInt,
        workers -> Integer,
        w1 -> Nullable<Text>,
        w2 -> Nullable<Text>,
        w3 -> Nullable<Text>,
        w4 -> Nullable<Text>,
    }
}
