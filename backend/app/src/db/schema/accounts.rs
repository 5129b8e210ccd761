//! Accounts, their sessions and one-time codes, the rate limits' counters, authorities, and the access log.

diesel::table! {
    users (id) {
        id -> Text,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        password_hash -> Text,
        role -> Text,
        org_id -> Nullable<Text>,
        created_at -> Timestamp,
        language -> Nullable<Text>,
        activated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        auth_method -> Text,
    }
}

diesel::table! {
    account_codes (id) {
        id -> Text,
        purpose -> Text,
        worker_id -> Nullable<Text>,
        user_id -> Nullable<Text>,
        channel -> Text,
        address -> Text,
        code_hash -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        attempts -> Integer,
        ended_at -> Nullable<Timestamp>,
        ended_as -> Nullable<Text>,
    }
}

diesel::table! {
    rate_limits (key, window_start) {
        key -> Text,
        window_start -> Timestamp,
        hits -> Integer,
    }
}

diesel::table! {
    authorities (id) {
        id -> Text,
        name -> Text,
        country -> Text,
        region_code -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    access_log (worker_id, user_id, china_day) {
        worker_id -> Text,
        user_id -> Text,
        agency_id -> Text,
        at -> Timestamp,
        china_day -> Date,
    }
}
