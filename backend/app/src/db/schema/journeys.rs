//! Placements, contracts, permits, crossings, alerts, and the audit chain.

diesel::table! {
    placements (id) {
        id -> Text,
        vacancy_id -> Text,
        worker_id -> Text,
        agency_id -> Text,
        employer_id -> Text,
        status -> Text,
        contract_version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        first_accepted_at -> Nullable<Timestamp>,
        first_accepted_version -> Nullable<Integer>,
        agreed_hourly_fen -> Nullable<BigInt>,
        agreed_floor_hourly_fen -> Nullable<BigInt>,
    }
}

diesel::table! {
    placement_events (id) {
        id -> Text,
        placement_id -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        by_user_id -> Nullable<Text>,
        note -> Nullable<Text>,
        at -> Timestamp,
    }
}

diesel::table! {
    contracts (placement_id, version) {
        placement_id -> Text,
        version -> Integer,
        terms -> Text,
        sha256 -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    contract_acceptances (id) {
        id -> Text,
        placement_id -> Text,
        version -> Integer,
        sha256 -> Text,
        language -> Text,
        by_user_id -> Text,
        accepted_at -> Timestamp,
        auth_method -> Nullable<Text>,
        authenticated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    permits (number) {
        number -> Text,
        placement_id -> Text,
        check_code -> Text,
        valid_from -> Date,
        valid_until -> Date,
        status -> Text,
        issued_by -> Text,
        issued_at -> Timestamp,
        revoked_by -> Nullable<Text>,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
        holder_name -> Nullable<Text>,
        holder_date_of_birth -> Nullable<Date>,
    }
}

diesel::table! {
    border_events (id) {
        id -> Text,
        placement_id -> Text,
        kind -> Text,
        crossing_code -> Text,
        at -> Timestamp,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    named_requests (vacancy_id, worker_id) {
        vacancy_id -> Text,
        worker_id -> Text,
        by_user_id -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    alerts (id) {
        id -> Text,
        kind -> Text,
        placement_id -> Text,
        raised_at -> Timestamp,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        seq -> Nullable<BigInt>,
        at -> Timestamp,
        actor_user_id -> Nullable<Text>,
        action -> Text,
        subject_kind -> Text,
        subject_id -> Text,
        detail -> Text,
        prev_hash -> Nullable<Text>,
        hash -> Nullable<Text>,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
        keyed_from -> BigInt,
    }
}

diesel::table! {
    insurance_checks (placement_id, insurance_sha256) {
        placement_id -> Text,
        insurance_sha256 -> Text,
        verified_by -> Text,
        verified_at -> Timestamp,
    }
}

diesel::table! {
    orientations (placement_id) {
        placement_id -> Text,
        attended_on -> Date,
        place -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}
